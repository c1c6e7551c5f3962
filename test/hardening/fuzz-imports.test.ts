/**
 * The import scanner on token soup, mutated real code and random text: it returns imports and at
 * most one error naming the file, and never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readImports } from '../../src/scan/parse-imports.js';
import { classifySpecifier } from '../../src/scan/classify-specifier.js';
import { RUNS, expectWellFormedErrors, mutatedText, nastyString } from './fuzz-arbitraries.js';

const TOKENS = [
  'import ',
  'import(',
  'export * from ',
  'export { a } from ',
  'import type { T } from ',
  'import x = require(',
  'require(',
  'require.resolve(',
  "'left-pad'",
  '"@scope/pkg/sub"',
  '`tpl`',
  '`${',
  '}`',
  "'",
  '"',
  '`',
  '${',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '<',
  '>',
  '/',
  '/*',
  '*/',
  '//',
  '\n',
  ';',
  ',',
  '=>',
  'async ',
  'await ',
  'function ',
  'class ',
  'typeof import(',
  '#!/usr/bin/env node\n',
  '\ufeff',
  '\u2028',
  '@decorator ',
  '<div>',
  '</div>',
  'as const',
  '/re[/]gex/g',
  '\\u{1F600}',
  '0x',
  '1e999',
  'type X = import("x").Y;',
  'declare module "m" {',
  'with { type: "json" }',
];
const EXTENSIONS = ['a.js', 'a.mjs', 'a.cjs', 'a.jsx', 'a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a'];

const VALID = `#!/usr/bin/env node
import fs from 'node:fs';
import type { A } from 'types-only';
import def, { named } from "left-pad";
export * from '@scope/pkg/sub';
const lazy = await import(\`dyn\`);
const cjs = require('cjs-pkg');
const where = require.resolve('resolved');
import eq = require('eq-pkg');
type T = typeof import('type-import');
/* import 'not-this' */ // require('nor-this')
const s = \`\${require('in-template')}\`;
`;

function check(file: string, text: string): void {
  const { imports, error } = readImports(file, text);
  expectWellFormedErrors(error ? [error] : [], file, text);
  for (const site of imports) {
    expect(typeof site.specifier).toBe('string');
    expect(site.line).toBeGreaterThanOrEqual(1);
    expect(site.column).toBeGreaterThanOrEqual(1);
    // What the scan does next with each specifier must not throw either.
    classifySpecifier(site.specifier, { aliases: () => false });
  }
}

describe('readImports', () => {
  it('token soup in every script kind', () => {
    const soup = fc.array(fc.oneof(fc.constantFrom(...TOKENS), nastyString), { maxLength: 60 }).map((t) => t.join(''));
    fc.assert(fc.property(fc.constantFrom(...EXTENSIONS), soup, check), { numRuns: RUNS * 2 });
  });

  it('mutations of valid code', () => {
    fc.assert(fc.property(fc.constantFrom(...EXTENSIONS), mutatedText(VALID, TOKENS), check), { numRuns: RUNS * 2 });
  });

  it('any string, binary included', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
    );
    fc.assert(fc.property(fc.constantFrom(...EXTENSIONS), text, check), { numRuns: RUNS });
  });

  it('specifiers of any shape classify without throwing', () => {
    const quote = (s: string) => JSON.stringify(s);
    fc.assert(
      fc.property(nastyString, (spec) => {
        check('a.ts', `import ${quote(spec)};\nrequire(${quote(spec)});\nimport(${quote(spec)});`);
      }),
      { numRuns: RUNS },
    );
  });
});
