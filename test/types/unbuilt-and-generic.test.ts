/**
 * Receivers whose types the project itself decides: workspace packages not yet built (their
 * sources stand for their declarations), a package whose `index.ts` resolves before its
 * `index.d.ts`, and generic wrappers of the project's own shapes (`reactive({...})`, `object`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/index.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { REGISTRY, createMockRegistry } from '../helpers/registry.js';

const mock = createMockRegistry();
const cacheRoot = mkdtempSync(path.join(tmpdir(), 'depverify-unbuilt-'));
let caches = 0;
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => {
  mock.close();
  rmSync(cacheRoot, { recursive: true, force: true });
});

const json = (value: object) => JSON.stringify(value);
const CODES = ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND'];

async function check(files: Record<string, string>) {
  const root = await writeTree(files);
  const cacheDir = path.join(cacheRoot, `c${caches++}`);
  const client = createRegistryClient({ root, npmConfig: { registry: REGISTRY }, cacheDir, retries: 0, timeout: 5000 });
  const report = await verify({ root, client, cacheDir, popularIndex: false });
  return report.findings.filter((f) => CODES.includes(f.code)).map((f) => [f.code, f.package, f.details?.name, f.locations[0]?.file, f.locations[0]?.line]);
}

describe('a package whose index.ts resolves before its index.d.ts', () => {
  it('the module index.ts is read, not the global index.d.ts; a real miss is still reported', async () => {
    publish(mock, 'workers', {
      '1.0.0': {
        'package.json': json({ name: 'workers' }),
        'index.d.ts': 'declare interface ImageTransform { width?: number }\ndeclare interface ImageOutputOptions { format: string }\n',
        'index.ts': 'export interface ImageTransform { width?: number }\nexport interface ImageOutputOptions { format: string }\n',
      },
    });
    const rows = await check({
      'package.json': json({ name: 'app', type: 'module', devDependencies: { workers: '^1.0.0' } }),
      'tsconfig.json': json({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, verbatimModuleSyntax: true } }),
      'src/a.ts': "import type { ImageOutputOptions, ImageTransform, ImageNope } from 'workers';\nexport const t: ImageTransform = {};\nexport type O = ImageOutputOptions | ImageNope;\n",
    });
    expect(rows).toEqual([['INVENTED_EXPORT', 'workers', 'ImageNope', 'src/a.ts', 1]]);
  });
});
