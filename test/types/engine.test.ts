/**
 * The member check's two engines (TypeScript 6 in process, TypeScript 7 over IPC) answer the same
 * questions about the same virtual program: same findings, and a group TypeScript 7 cannot take
 * (options it removed) is checked by TypeScript 6.
 */
import { describe, expect, it } from 'vitest';
import { memberCheckStats } from '../../src/types/check-types.js';
import { memberEngine } from '../../src/types/engine.js';
import { writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, verifyProject } = mockRegistryRuns('engine');

const json = (value: object) => JSON.stringify(value);
const CODES = ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND', 'TYPES_UNAVAILABLE'];

async function check(root: string, engine: 'ts6' | 'ts7') {
  const before = memberCheckStats.ts6Fallbacks;
  const report = await verifyProject(root, { engine });
  const rows = report.findings.filter((f) => CODES.includes(f.code)).map((f) => [f.code, f.package, f.details?.name ?? f.details?.unavailable, f.locations[0]?.file, f.locations[0]?.line, f.locations[0]?.column]);
  return { rows, engine: memberCheckStats.engine, fallbacks: memberCheckStats.ts6Fallbacks - before };
}

const SRV = {
  'package.json': json({ types: 'index.d.ts' }),
  'index.d.ts': [
    'export declare class Server { listen(port: number): void; address(): string | { port: number } }',
    'export declare function create(): Server;',
    'declare global { interface Function { once(): void } }',
    'export interface Options { port: number }',
    'export declare class Err extends Error { code: string }',
  ].join('\n'),
};

const APP = [
  "import { create, Server, nope } from 'srv';",
  "import * as srv from 'srv';",
  'const s = create();',
  's.listen(1);',
  's.listn(1);',
  'console.log(s.address().port, srv.missing);',
  'function f(x: Server) { return x.gone; }',
  'const fn = () => 1;',
  'fn.once(); fn.twice();',
  'export { f };',
  '',
].join('\n');

describe('engines', () => {
  it('TypeScript 7 reports what TypeScript 6 reports, at the same places (exports, members, unions, namespaces, parameters, globals)', async () => {
    publish(mock, 'srv', { '1.0.0': SRV });
    const root = await writeTree({ 'package.json': json({ name: 'app', dependencies: { srv: '1.0.0' } }), 'src/a.ts': APP });
    const six = await check(root, 'ts6');
    const seven = await check(root, 'ts7');
    expect(six.engine).toBe('ts6');
    expect(seven.engine).toBe('ts7');
    expect(seven.fallbacks).toBe(0);
    expect(six.rows).toEqual([
      ['INVENTED_EXPORT', 'srv', 'nope', 'src/a.ts', 1, 26],
      ['INVENTED_MEMBER', 'srv', 'listn', 'src/a.ts', 5, 3],
      ['INVENTED_EXPORT', 'srv', 'missing', 'src/a.ts', 6, 35],
      ['INVENTED_MEMBER', 'srv', 'gone', 'src/a.ts', 7, 34],
    ]);
    expect(seven.rows).toEqual(six.rows);
  });

  it('paths relative to a nested tsconfig resolve the same under TypeScript 7; baseUrl (removed in 7) falls back to TypeScript 6', async () => {
    publish(mock, 'srv', { '1.0.0': SRV });
    const files = {
      'package.json': json({ name: 'app', dependencies: { srv: '1.0.0' } }),
      // The error class reaches a.ts only through the alias: unresolved, `e` would be any and nothing reported.
      'web/src/lib/err.ts': "export { Err } from 'srv';\n",
      'web/src/a.ts': "import type { Options } from 'srv';\nimport { Err } from '~/lib/err';\ntry {} catch (e) { if (e instanceof Err) console.log(e.code, e.nope); }\nexport const o: Options = { port: 1 };\n",
    };
    const paths = await writeTree({ ...files, 'web/tsconfig.json': json({ compilerOptions: { paths: { '~/*': ['./src/*'] } } }) });
    const six = await check(paths, 'ts6');
    const seven = await check(paths, 'ts7');
    expect(six.rows).toEqual([['INVENTED_MEMBER', 'srv', 'nope', 'web/src/a.ts', 3, 64]]);
    expect(seven.rows).toEqual(six.rows);
    expect(seven.fallbacks).toBe(0);

    const baseUrl = await writeTree({ ...files, 'web/tsconfig.json': json({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['src/*'] } } }) });
    const fallback = await check(baseUrl, 'ts7');
    expect(fallback.fallbacks).toBe(1);
    expect(fallback.rows).toEqual(six.rows);
  });

  it('the engine is the caller’s, else DEPVERIFY_ENGINE, else TypeScript 6', () => {
    const saved = process.env.DEPVERIFY_ENGINE;
    try {
      delete process.env.DEPVERIFY_ENGINE;
      expect(memberEngine()).toBe('ts6');
      process.env.DEPVERIFY_ENGINE = 'ts7';
      expect(memberEngine()).toBe('ts7');
      expect(memberEngine('ts6')).toBe('ts6');
      process.env.DEPVERIFY_ENGINE = 'tsc';
      expect(memberEngine()).toBe('ts6');
    } finally {
      if (saved === undefined) delete process.env.DEPVERIFY_ENGINE;
      else process.env.DEPVERIFY_ENGINE = saved;
    }
  });
});
