/** The SARIF 2.1.0 JSON schema as a validator; see test/fixtures/sarif/README.md for its source. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

const schemaFile = path.resolve(import.meta.dirname, '../fixtures/sarif/sarif-2.1.0.json');

// The file declares draft 2020-12 (it still keeps its subschemas under `definitions`, which Ajv
// accepts); `allErrors` so a failure lists every problem at once.
const ajv = new Ajv2020({ allErrors: true });
// ajv-formats is CommonJS with a `default` property: under NodeNext the default import is the module.
formats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

/** Problems with a SARIF document, one line each; empty when it is valid. */
export function sarifSchemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
