import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { REGISTRY } from '../helpers/registry.js';

const { mock, cacheRoot, verifyFiles } = mockRegistryRuns('types');

const pkgJson = (extra: object) => JSON.stringify(extra);

async function check(files: Record<string, string>, opts: { cacheDir?: string } = {}) {
  const { report } = await verifyFiles(files, opts);
  const types = report.findings.filter((f) =>
    ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND', 'TYPES_UNAVAILABLE', 'TYPES_UNKNOWN'].includes(f.code),
  );
  return {
    report,
    types,
    rows: types.map((f) => [
      f.code,
      f.package,
      f.details?.name,
      f.locations[0]?.file,
      f.locations[0]?.line,
      f.details?.suggestion ?? null,
    ]),
  };
}

/** A package with bundled types: a class, a function returning a promise of an interface, overloads. */
const DB = {
  'package.json': pkgJson({ main: 'index.js', types: 'index.d.ts' }),
  'index.d.ts': [
    "export * from './pool';",
    "export { connect } from './connect';",
    'export declare const version: string;',
  ].join('\n'),
  'pool.d.ts': [
    'export interface Result { rows: unknown[]; rowCount: number }',
    'export declare class Pool {',
    '  constructor(opts?: { max?: number });',
    '  query(sql: string): Promise<Result>;',
    '  query(sql: string, values: unknown[]): Promise<Result>;',
    '  end(): Promise<void>;',
    '}',
  ].join('\n'),
  'connect.d.ts': "import { Pool } from './pool';\nexport declare function connect(url: string): Pool;",
};

describe('invented members against bundled declarations', () => {
  it('named imports, instances, awaited results, chained calls; suggestions; correct code says nothing', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const { rows, report } = await check({
      'package.json': pkgJson({ name: 'app', dependencies: { db: '^1.0.0' } }),
      'src/a.ts': [
        "import { Pool, connect, connectSecure } from 'db';",
        'const pool = new Pool({ max: 2 });',
        "const res = await pool.query('select 1', []);",
        'console.log(res.rows, res.rowCount, res.rowz);',
        "await connect('x').queryOne('select 1');",
        'pool.end();',
        'const mine = { a: 1 }; console.log(mine.b);', // the user's own code: not depverify's business
        'const loose: any = pool; loose.whatever();',
        'pool.ennd();',
      ].join('\n'),
    });
    // Suggestions: TypeScript's spelling one (ennd → end), else a real name the invented one
    // extends at a word boundary (connectSecure → connect); none for rowz (neither applies).
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'db', 'connectSecure', 'src/a.ts', 1, 'connect'],
      ['INVENTED_MEMBER', 'db', 'rowz', 'src/a.ts', 4, null],
      ['INVENTED_MEMBER', 'db', 'queryOne', 'src/a.ts', 5, 'query'],
      ['INVENTED_MEMBER', 'db', 'ennd', 'src/a.ts', 9, 'end'],
    ]);
    expect(report.findings.find((f) => f.details?.name === 'rowz')).toMatchObject({
      version: '1.0.0',
      severity: 'error',
      locations: [{ file: 'src/a.ts', line: 4, column: 41 }],
    });
  });

  it('JavaScript: require destructuring and members, checked with the same rules', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const { rows } = await check({
      'package.json': pkgJson({ name: 'app', dependencies: { db: '^1.0.0' } }),
      'src/a.cjs':
        "const { Pool, Poool } = require('db');\nconst db = require('db');\nnew db.Pool().quer('x');\nnew Pool().end();\n",
    });
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'db', 'Poool', 'src/a.cjs', 1, 'Pool'],
      ['INVENTED_MEMBER', 'db', 'quer', 'src/a.cjs', 3, 'query'],
    ]);
  });

  it('an npm: specifier (Deno) is the package, not a subpath it lacks', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const { rows } = await check({
      'package.json': pkgJson({ name: 'app', dependencies: { db: '^1.0.0' } }),
      'src/a.ts': "import { connect } from 'npm:db@^1.0.0';\nconnect('x');\n",
    });
    expect(rows).toEqual([]);
  });

  it('the version the lockfile pins: a member added in 2.0.0 is invented at 1.0.0', async () => {
    publish(mock, 'db', {
      '1.0.0': DB,
      '2.0.0': { ...DB, 'index.d.ts': `${DB['index.d.ts']}\nexport declare function migrate(): void;` },
    });
    const files = {
      'package.json': pkgJson({ name: 'app', dependencies: { db: '^1.0.0 || ^2.0.0' } }),
      'src/a.ts': "import { migrate } from 'db';\nmigrate();\n",
    };
    expect((await check(files)).rows).toEqual([]);
    const lock = {
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { db: '^1.0.0 || ^2.0.0' } },
        'node_modules/db': { version: '1.0.0', resolved: `${REGISTRY}db/-/db-1.0.0.tgz`, integrity: 'sha512-x' },
      },
    };
    const pinned = await check({ ...files, 'package-lock.json': JSON.stringify(lock) });
    expect(pinned.rows).toEqual([['INVENTED_EXPORT', 'db', 'migrate', 'src/a.ts', 1, null]]);
  });

  it('exports subpaths with type conditions, and typesVersions', async () => {
    publish(mock, 'kit', {
      '1.0.0': {
        'package.json': pkgJson({
          exports: {
            '.': { types: './types/index.d.ts', default: './index.js' },
            './fs': { types: './types/fs.d.ts', default: './fs.js' },
          },
        }),
        'types/index.d.ts': 'export declare function kit(): void;',
        'types/fs.d.ts': 'export declare function readJson(p: string): unknown;',
      },
    });
    publish(mock, 'legacy-kit', {
      '1.0.0': {
        'package.json': pkgJson({ main: 'index.js', typesVersions: { '*': { '*': ['ts/*'] } } }),
        'ts/index.d.ts': 'export declare function old(): void;',
      },
    });
    const { rows } = await check({
      'package.json': pkgJson({ name: 'app', dependencies: { kit: '^1.0.0', 'legacy-kit': '^1.0.0' } }),
      'src/a.ts':
        "import { kit } from 'kit';\nimport { readJson, writeJson } from 'kit/fs';\nimport { nope } from 'kit/net';\nimport { old, older } from 'legacy-kit';\nkit(); readJson('x'); old();\n",
    });
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'kit', 'writeJson', 'src/a.ts', 2, null],
      ['SUBPATH_NOT_FOUND', 'kit', 'kit/net', 'src/a.ts', 3, null],
      ['INVENTED_EXPORT', 'legacy-kit', 'older', 'src/a.ts', 4, 'old'],
    ]);
  });
});

describe('@types and packages without types', () => {
  it('falls back to @types at the same major, with export = and namespaces; TYPES_UNAVAILABLE otherwise', async () => {
    publish(mock, 'untyped', { '3.1.0': { 'index.js': 'module.exports = {}' } });
    publish(mock, '@types/untyped', {
      '2.0.0': { 'index.d.ts': 'declare namespace u { function two(): void }\nexport = u;' },
      '3.1.5': { 'index.d.ts': 'declare namespace u { function three(): void; const version: string }\nexport = u;' },
      '4.0.0': { 'index.d.ts': 'declare namespace u { function four(): void }\nexport = u;' },
    });
    publish(mock, 'bare-js', { '1.0.0': { 'index.js': 'module.exports = {}' } });
    const { rows, types } = await check({
      'package.json': pkgJson({ name: 'app', dependencies: { untyped: '^3.0.0', 'bare-js': '^1.0.0' } }),
      'src/a.ts': "import * as u from 'untyped';\nimport b from 'bare-js';\nu.three(); u.four(); b.anything();\n",
    });
    expect(rows).toEqual([
      ['TYPES_UNAVAILABLE', 'bare-js', undefined, 'src/a.ts', 2, null],
      ['INVENTED_EXPORT', 'untyped', 'four', 'src/a.ts', 3, null],
    ]);
    expect(types.find((f) => f.code === 'INVENTED_EXPORT')?.details?.typesFrom).toBe('@types/untyped@3.1.5');
    expect(types[0]).toMatchObject({ severity: 'info', details: { unavailable: 'no-types' } });

    // The project's own @types version, when it declares one, is the one checked against.
    const pinned = await check({
      'package.json': pkgJson({
        name: 'app',
        dependencies: { untyped: '^3.0.0' },
        devDependencies: { '@types/untyped': '2.0.0' },
      }),
      'src/a.ts': "import * as u from 'untyped';\nu.two(); u.three();\n",
    });
    expect(pinned.rows).toEqual([['INVENTED_EXPORT', 'untyped', 'three', 'src/a.ts', 2, null]]);
    expect(pinned.types[0]?.details?.typesFrom).toBe('@types/untyped@2.0.0');
  });

  it('a tarball that fails its integrity is a warning and an incomplete run, never a pass', async () => {
    publish(mock, 'db', { '1.0.0': DB }, { corrupt: ['1.0.0'] });
    const { rows, report } = await check({
      'package.json': pkgJson({ name: 'app', dependencies: { db: '^1.0.0' } }),
      'src/a.ts': "import { nope } from 'db';\n",
    });
    expect(rows).toEqual([['TYPES_UNKNOWN', 'db', undefined, 'src/a.ts', 1, null]]);
    expect(report.findings.find((f) => f.code === 'TYPES_UNKNOWN')).toMatchObject({
      severity: 'warning',
      details: { reason: expect.stringMatching(/integrity/) },
    });
    expect(report.status).toBe('incomplete');
  });

  it('a warm run reads declarations from the cache: no tarball is fetched again', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const files = {
      'package.json': pkgJson({ name: 'app', dependencies: { db: '^1.0.0' } }),
      'src/a.ts': "import { Pool } from 'db';\nnew Pool().quer('x');\n",
    };
    const cacheDir = path.join(cacheRoot, 'warm');
    const first = await check(files, { cacheDir });
    expect(mock.seen.map((r) => r.path).filter((p) => p.endsWith('.tgz'))).toEqual(['/db/-/db-1.0.0.tgz']);
    mock.seen.length = 0;
    const second = await check(files, { cacheDir });
    expect(mock.seen.filter((r) => r.path.endsWith('.tgz') || /\/\d+\.\d+\.\d+$/.test(r.path))).toEqual([]);
    expect(second.rows).toEqual(first.rows);
  });
});

describe('default imports and typed parameters', () => {
  it('a default import of an ES module without one is INVENTED_EXPORT; of export = it is interop, not a finding', async () => {
    publish(mock, 'esm-only', {
      '1.0.0': {
        'package.json': pkgJson({ type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } }),
        'index.d.ts': 'export declare function only(): void;',
      },
    });
    publish(mock, 'cjs-style', {
      '1.0.0': {
        'package.json': pkgJson({ types: 'index.d.ts' }),
        'index.d.ts': 'declare function f(): void;\ndeclare namespace f { const v: string }\nexport = f;',
      },
    });
    const { rows } = await check({
      'package.json': pkgJson({ name: 'app', dependencies: { 'esm-only': '^1.0.0', 'cjs-style': '^1.0.0' } }),
      'src/a.ts': "import esm from 'esm-only';\nimport f from 'cjs-style';\nf(); console.log(f.v, f.w);\n",
    });
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['INVENTED_MEMBER', 'cjs-style', 'w'],
      ['INVENTED_EXPORT', 'esm-only', 'esm'],
    ]);
  });

  it('a parameter typed with an imported type is rooted at that import', async () => {
    publish(mock, 'web', {
      '1.0.0': {
        'package.json': pkgJson({ types: 'index.d.ts' }),
        'index.d.ts':
          'export interface Request { params: Record<string, string>; body: unknown }\nexport declare function route(h: (req: Request) => void): void;',
      },
    });
    const { rows } = await check({
      'package.json': pkgJson({ name: 'app', dependencies: { web: '^1.0.0' } }),
      'src/a.ts':
        "import { route, type Request } from 'web';\nfunction handle(req: Request) { return req.paramz; }\nroute((req) => req.params);\nroute(handle);\n",
    });
    expect(rows.map((r) => r.slice(0, 3))).toEqual([['INVENTED_MEMBER', 'web', 'paramz']]);
  });
});

describe('declaration helpers', async () => {
  const { hasOwnTypes, pickTypesVersion, typesPackageName } = await import('../../src/members/declarations.js');
  it('mangles scoped names as DefinitelyTyped does', () => {
    expect(typesPackageName('express')).toBe('@types/express');
    expect(typesPackageName('@babel/core')).toBe('@types/babel__core');
  });

  it('own types only for the main entry: a subpath with types leaves the rest to @types', () => {
    const files = (pkg: object, ...dts: string[]) =>
      new Map<string, string>([['package.json', JSON.stringify(pkg)], ...dts.map((f) => [f, ''] as [string, string])]);
    expect(hasOwnTypes(files({ types: 'x.d.ts' }, 'x.d.ts'))).toBe(true);
    expect(hasOwnTypes(files({ exports: { '.': { types: './t.d.ts', default: './i.js' } } }, 't.d.ts'))).toBe(true);
    expect(
      hasOwnTypes(files({ exports: { '.': './index.mjs', './browser': { types: './browser.d.ts' } } }, 'browser.d.ts')),
    ).toBe(false);
    expect(hasOwnTypes(files({ main: 'lib/main.js' }, 'lib/main.d.ts'))).toBe(true);
    expect(hasOwnTypes(files({ main: 'lib/main.js' }))).toBe(false);
  });

  it('picks @types by major.minor, then major, then latest', () => {
    const facts = {
      name: '@types/x',
      registry: 'r',
      distTags: { latest: '5.0.0' },
      versions: Object.fromEntries(['3.1.0', '3.1.9', '3.4.2', '4.0.1', '5.0.0', '6.0.0-beta'].map((v) => [v, {}])),
    };
    expect(pickTypesVersion(facts, '3.1.4')).toBe('3.1.9');
    expect(pickTypesVersion(facts, '3.2.0')).toBe('3.4.2');
    expect(pickTypesVersion(facts, '7.0.0')).toBe('5.0.0');
    expect(pickTypesVersion(facts, undefined)).toBe('5.0.0');
  });
});
