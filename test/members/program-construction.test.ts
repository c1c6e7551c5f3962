/**
 * How the member check's program is built: the project's own tsconfig options, its workspace
 * packages and path aliases, its own declaration files, type dependencies of dependencies at the
 * lockfile's versions, normalised host paths, and modules that exist only after a build step.
 */
import { describe, expect, it } from 'vitest';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { REGISTRY } from '../helpers/registry.js';

const { mock, verifyFiles } = mockRegistryRuns('program');

const json = (value: object) => JSON.stringify(value);
const CODES = ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND', 'TYPES_UNAVAILABLE'];

async function check(files: Record<string, string>) {
  const { report } = await verifyFiles(files);
  const types = report.findings.filter((f) => CODES.includes(f.code));
  return {
    report,
    types,
    rows: types.map((f) => [
      f.code,
      f.severity,
      f.package,
      f.details?.name ?? f.details?.unavailable,
      f.locations[0]?.file,
      f.locations[0]?.line,
    ]),
  };
}

/** A result type whose failure branch TypeScript narrows only with strictNullChecks. */
const FETCHER = {
  'package.json': json({ types: 'index.d.ts' }),
  'index.d.ts': [
    'export type Result = { ok: true; value: { id: string } } | { ok: false; error: string };',
    'export declare function get(url: string): Result;',
    '/** A wrapper whose type depends on what it wraps: wrapping `any` gives a union without the wrapped members. */',
    'export interface Helpers { unwrap(): void }',
    'export declare function wrap<T>(value: T): T extends object ? { [K in keyof T]: T[K] } & Helpers : Helpers;',
  ].join('\n'),
};

describe('the project tsconfig decides how its files are checked', () => {
  it('strict: true narrows a discriminated union on !r.ok; without a config the same code is not strict', async () => {
    publish(mock, 'fetcher', { '1.0.0': FETCHER });
    const src =
      "import { get } from 'fetcher';\nconst r = get('/');\nif (!r.ok) console.log(r.error);\nelse console.log(r.value.id, r.value.nope);\n";
    const strict = await check({
      'package.json': json({ name: 'app', dependencies: { fetcher: '^1.0.0' } }),
      'tsconfig.json': json({ compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler' } }),
      'src/a.ts': src,
    });
    expect(strict.rows).toEqual([['INVENTED_MEMBER', 'error', 'fetcher', 'nope', 'src/a.ts', 4]]);
    // The nearest config governs: a package with its own non-strict config is checked as such.
    const nested = await check({
      'package.json': json({ name: 'app', workspaces: ['pkgs/*'] }),
      'tsconfig.json': json({ compilerOptions: { strict: false } }),
      'pkgs/one/package.json': json({ name: 'one', dependencies: { fetcher: '^1.0.0' } }),
      'pkgs/one/tsconfig.json': json({ extends: '../../tsconfig.base.json' }),
      'tsconfig.base.json': json({ compilerOptions: { strict: true } }),
      'pkgs/one/src/a.ts': src,
    });
    expect(nested.rows).toEqual([['INVENTED_MEMBER', 'error', 'fetcher', 'nope', 'pkgs/one/src/a.ts', 4]]);
  });

  it('solution-style configs: the referenced project that includes the file gives its options', async () => {
    publish(mock, 'fetcher', { '1.0.0': FETCHER });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { fetcher: '^1.0.0' } }),
      'tsconfig.json': json({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      'tsconfig.app.json': json({ compilerOptions: { strict: true }, include: ['src'] }),
      'src/a.ts': "import { get } from 'fetcher';\nconst r = get('/');\nif (!r.ok) console.log(r.error);\n",
    });
    expect(rows).toEqual([]);
  });
});

describe('JavaScript is checked as the project checks it', () => {
  it('a config without checkJs: only files that say // @ts-check; with checkJs: all', async () => {
    publish(mock, 'fetcher', { '1.0.0': FETCHER });
    const files = {
      'package.json': json({ name: 'app', dependencies: { fetcher: '^1.0.0' } }),
      'src/plain.js': "import { get } from 'fetcher';\nget('/').nope;\n",
      'src/checked.js': "// @ts-check\nimport { get } from 'fetcher';\nget('/').nope;\n",
    };
    const unchecked = await check({ ...files, 'jsconfig.json': json({ compilerOptions: { module: 'esnext' } }) });
    expect(unchecked.rows).toEqual([['INVENTED_MEMBER', 'error', 'fetcher', 'nope', 'src/checked.js', 3]]);
    expect(unchecked.types[0]?.locations).toHaveLength(1);
    const all = await check({ ...files, 'tsconfig.json': json({ compilerOptions: { allowJs: true, checkJs: true } }) });
    expect(all.types.flatMap((f) => f.locations.map((l) => l.file)).sort()).toEqual(['src/checked.js', 'src/plain.js']);
  });
});

describe('workspace packages and path aliases resolve as the project resolves them', () => {
  const app =
    "import { wrap } from 'fetcher';\nimport { router } from 'SPEC';\nwrap(router).text.length;\nwrap(router).nope;\n";

  it('a workspace package is read from its directory: its types flow into the checked package', async () => {
    publish(mock, 'fetcher', { '1.0.0': FETCHER });
    const { rows } = await check({
      'package.json': json({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/api/package.json': json({ name: '@mono/api', main: 'src/index.ts' }),
      'packages/api/src/index.ts': "export const router = { text: 'hello' };\n",
      'packages/web/package.json': json({ name: 'web', dependencies: { fetcher: '^1.0.0', '@mono/api': '*' } }),
      'packages/web/src/a.ts': app.replace('SPEC', '@mono/api'),
    });
    // `text` is the workspace's own member, not a missing one of fetcher; `nope` really is missing.
    expect(rows).toEqual([['INVENTED_MEMBER', 'error', 'fetcher', 'nope', 'packages/web/src/a.ts', 4]]);
  });

  it('tsconfig paths and baseUrl', async () => {
    publish(mock, 'fetcher', { '1.0.0': FETCHER });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { fetcher: '^1.0.0' } }),
      'tsconfig.json': json({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['./src/*'] } } }),
      'src/server/router.ts': "export const router = { text: 'hello' };\n",
      'src/a.ts': app.replace('SPEC', '~/server/router'),
    });
    expect(rows).toEqual([['INVENTED_MEMBER', 'error', 'fetcher', 'nope', 'src/a.ts', 4]]);
  });
});

describe("the project's own declarations", () => {
  it('a module augmentation in a .d.ts the tsconfig includes is in the program', async () => {
    publish(mock, 'auth', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': 'export interface Session { expires: string }\nexport declare function getSession(): Session;',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { auth: '^1.0.0' } }),
      'tsconfig.json': json({ include: ['src', 'types'] }),
      'types/auth.d.ts': "import 'auth';\ndeclare module 'auth' { interface Session { user: { id: string } } }\n",
      'src/a.ts':
        "import { getSession } from 'auth';\nconst s = getSession();\nconsole.log(s.user.id, s.expires, s.nope);\n",
    });
    expect(rows).toEqual([['INVENTED_MEMBER', 'error', 'auth', 'nope', 'src/a.ts', 3]]);
  });

  it("augmentations, globals and shorthand modules in the project's .ts files the tsconfig includes are in the program, even when those files import no package", async () => {
    publish(mock, 'vfyle', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': [
          'export interface DataMap {}',
          'export interface VFile { data: Partial<DataMap>; path: string }',
          'export declare function vfile(): VFile;',
          'declare global { namespace Vfyle { interface Options { cwd: string } } }',
          'export declare function options(): Vfyle.Options;',
        ].join('\n'),
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { vfyle: '^1.0.0' } }),
      'tsconfig.json': json({ include: ['src'] }),
      // As astro's markdown package augments vfile's DataMap: in a .ts module that imports nothing.
      'src/augment.ts':
        "export {};\ndeclare module 'vfyle' {\n  interface DataMap { astro: { headings: string[] } }\n}\n",
      'src/env.ts': 'export {};\ndeclare global {\n  namespace Vfyle { interface Options { verbose: boolean } }\n}\n',
      'src/shims.ts': "declare module 'vfyle/plugin';\n",
      'src/a.ts': [
        "import { vfile, options } from 'vfyle';",
        "import plugin from 'vfyle/plugin';",
        'const f = vfile();',
        'console.log(f.data.astro?.headings, options().verbose, options().cwd, plugin);',
        'console.log(f.data.nope);',
        'console.log(options().nought);',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'error', 'vfyle', 'nope', 'src/a.ts', 5],
      ['INVENTED_MEMBER', 'error', 'vfyle', 'nought', 'src/a.ts', 6],
    ]);
  });

  it("a referenced project's augmentations count (astro's mdx integration sees markdown-remark's, built or not)", async () => {
    publish(mock, 'vfyle', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts':
          'export interface DataMap {}\nexport interface VFile { data: Partial<DataMap> }\nexport declare function vfile(): VFile;\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'root', private: true, workspaces: ['packages/*'] }),
      'packages/remark/package.json': json({
        name: 'remarky',
        exports: { '.': './dist/index.js' },
        dependencies: { vfyle: '^1.0.0' },
      }),
      'packages/remark/tsconfig.json': json({
        compilerOptions: { rootDir: 'src', outDir: 'dist', composite: true },
        include: ['src'],
      }),
      'packages/remark/src/index.ts':
        "import type {} from 'vfyle';\ndeclare module 'vfyle' {\n  interface DataMap { astro: { headings: string[] } }\n}\nexport const remark = 1;\n",
      'packages/mdx/package.json': json({ name: 'mdxy', dependencies: { vfyle: '^1.0.0', remarky: 'workspace:*' } }),
      'packages/mdx/tsconfig.json': json({ include: ['src'], references: [{ path: '../remark' }] }),
      'packages/mdx/src/a.ts':
        "import { remark } from 'remarky';\nimport { vfile } from 'vfyle';\nconsole.log(remark, vfile().data.astro?.headings);\nconsole.log(vfile().data.nope);\n",
    });
    expect(rows).toEqual([['INVENTED_MEMBER', 'error', 'vfyle', 'nope', 'packages/mdx/src/a.ts', 4]]);
  });

  it('a .ts file the tsconfig does not include adds nothing', async () => {
    publish(mock, 'vfyle', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts':
          'export interface DataMap {}\nexport interface VFile { data: Partial<DataMap> }\nexport declare function vfile(): VFile;\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { vfyle: '^1.0.0' } }),
      'tsconfig.json': json({ include: ['src'] }),
      'scripts/augment.ts':
        "export {};\ndeclare module 'vfyle' {\n  interface DataMap { astro: { headings: string[] } }\n}\n",
      'src/a.ts': "import { vfile } from 'vfyle';\nconsole.log(vfile().data.astro);\n",
    });
    expect(rows).toEqual([['INVENTED_MEMBER', 'error', 'vfyle', 'astro', 'src/a.ts', 2]]);
  });
});

describe("a package's TypeScript sources", () => {
  it('index.ts beside index.d.ts, no types field (@cloudflare/workers-types): its exports are not claimed missing from an empty stand-in for index.ts', async () => {
    publish(mock, 'wtypes', {
      '1.0.0': {
        'package.json': json({}),
        'index.d.ts': 'declare type ImageOpts = { format: string };\ninterface WorkerThing { run(): void }\n',
        'index.ts': 'export type ImageOpts = { format: string };\nexport interface WorkerThing { run(): void }\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', type: 'module', devDependencies: { wtypes: '^1.0.0' } }),
      'tsconfig.json': json({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, verbatimModuleSyntax: true },
        include: ['src', 'virtual.d.ts'],
      }),
      'virtual.d.ts': '/// <reference types="wtypes" />\ntype W2 = import("wtypes").WorkerThing;\n',
      'src/a.ts':
        "import type { ImageOpts, WorkerThing } from 'wtypes';\nexport const o: ImageOpts = { format: 'png' };\nexport type W = WorkerThing;\n",
    });
    expect(rows).toEqual([]);
  });

  it('index.ts beside a module index.d.ts: the declaration answers, so a missing export still is one', async () => {
    publish(mock, 'wmod', {
      '1.0.0': {
        'package.json': json({}),
        'index.d.ts': 'export declare function run(): void;\n',
        'index.ts': 'export function run(): void {}\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { wmod: '^1.0.0' } }),
      'src/a.ts': "import { run, nope } from 'wmod';\nrun(); nope();\n",
    });
    expect(rows).toEqual([['INVENTED_EXPORT', 'error', 'wmod', 'nope', 'src/a.ts', 1]]);
  });
});

describe('package.json alias dependencies', () => {
  it('imports of "my-x": "npm:x@^1" are checked against x at that range, as npm installs it under node_modules/my-x; the alias name is never sent', async () => {
    publish(mock, 'realx', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': 'export declare function old(): void;\n',
      },
      '2.0.0': {
        'package.json': json({
          types: 'index.d.ts',
          dependencies: { helperx: '^1.0.0' },
          exports: { '.': { types: './index.d.ts' }, './sub': { types: './sub.d.ts' } },
        }),
        'index.d.ts':
          "import type { Extra } from 'helperx';\nexport interface Client { get(): Extra }\nexport declare function create(): Client;\n",
        'sub.d.ts': 'export declare const subValue: number;\n',
      },
    });
    publish(mock, 'helperx', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': 'export interface Extra { size: number }\n',
      },
    });
    publish(mock, 'wrapperx', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': 'export declare function wrap<T>(value: T): T;\n',
      },
    });
    const { rows, types } = await check({
      'package.json': json({
        name: 'app',
        dependencies: { 'my-x': 'npm:realx@^2.0.0', 'old-x': 'npm:realx@^1.0.0', wrapperx: '^1.0.0' },
      }),
      'src/a.ts': [
        "import { create, old } from 'my-x';",
        "import { subValue, nosub } from 'my-x/sub';",
        "import { old as o2, create as c2 } from 'old-x';",
        'console.log(create().get().size, create().get().nope, subValue, nosub, old, o2, c2);',
        // A value another package hands back, typed by the alias's declarations: its runtime is
        // looked for under the registry name.
        "import { wrap } from 'wrapperx';",
        'console.log(wrap(create()).wrapped);',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'error', 'realx', 'create', 'src/a.ts', 3],
      ['INVENTED_EXPORT', 'error', 'realx', 'old', 'src/a.ts', 1],
      ['INVENTED_EXPORT', 'error', 'realx', 'nosub', 'src/a.ts', 2],
      ['INVENTED_MEMBER', 'error', 'realx', 'nope', 'src/a.ts', 4],
      ['INVENTED_MEMBER', 'error', 'wrapperx', 'wrapped', 'src/a.ts', 6],
    ]);
    expect(types.map((f) => [f.version, f.details?.installedAs, f.details?.typesFrom])).toEqual([
      ['1.0.0', 'old-x', 'realx@1.0.0'],
      ['2.0.0', 'my-x', 'realx@2.0.0'],
      ['2.0.0', 'my-x', 'realx@2.0.0'],
      ['2.0.0', 'my-x', 'realx@2.0.0'],
      ['1.0.0', undefined, 'wrapperx@1.0.0'],
    ]);
    expect(types.at(-1)?.details?.typedBy).toEqual(['realx@2.0.0']);
    expect(mock.seen.map((r) => r.name).filter((n) => /my-x|old-x/.test(String(n)))).toEqual([]);
  });

  it('an alias of a package without declarations of its own is said (TYPES_UNAVAILABLE), never silently passed: @types/x does not type it under another name', async () => {
    publish(mock, 'plainx', {
      '1.0.0': { 'package.json': json({ main: 'index.js' }), 'index.js': 'exports.a = 1;\n' },
    });
    const { rows, types } = await check({
      'package.json': json({ name: 'app', dependencies: { 'my-plain': 'npm:plainx@^1.0.0' } }),
      'src/a.ts': "import { a, nope } from 'my-plain';\nconsole.log(a, nope);\n",
    });
    expect(rows).toEqual([['TYPES_UNAVAILABLE', 'info', 'plainx', 'no-types', 'src/a.ts', 1]]);
    expect(types[0]?.details?.installedAs).toBe('my-plain');
    expect(mock.seen.map((r) => r.name).filter((n) => /my-plain/.test(String(n)))).toEqual([]);
  });
});

describe('type dependencies of dependencies', () => {
  const TESTER = {
    'package.json': json({ types: 'index.d.ts', dependencies: { asserts: '^5.0.0', '@types/asserts': '^5.0.0' } }),
    'index.d.ts':
      "import type * as A from 'asserts';\nexport interface Assertion extends A.Assertion { toBe(v: unknown): void }\nexport declare function expect(v: unknown): Assertion;\n",
  };
  const typesOf = (extra: string) => ({
    'package.json': json({ types: 'index.d.ts' }),
    'index.d.ts': `export interface Assertion { not: Assertion; ${extra} }\n`,
  });

  it("a dependency without types of its own gets the @types package listed beside it, at the lockfile's version", async () => {
    publish(mock, 'tester', { '1.0.0': TESTER });
    publish(mock, 'asserts', {
      '5.0.0': { 'package.json': json({ main: 'index.js' }), 'index.js': 'module.exports = {};' },
    });
    publish(mock, '@types/asserts', { '5.0.0': typesOf('deep: Assertion;'), '5.1.0': typesOf('') });
    const files = {
      'package.json': json({ name: 'app', devDependencies: { tester: '^1.0.0' } }),
      'src/a.test.ts': "import { expect } from 'tester';\nexpect(1).toBe(2);\nexpect(1).not.not;\nexpect(1).deep;\n",
    };
    // Unlocked: the newest 5.x, which has no `deep`.
    expect((await check(files)).rows).toEqual([['INVENTED_MEMBER', 'error', 'tester', 'deep', 'src/a.test.ts', 4]]);
    const lock = {
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { devDependencies: { tester: '^1.0.0' } },
        'node_modules/tester': {
          version: '1.0.0',
          resolved: `${REGISTRY}tester/-/tester-1.0.0.tgz`,
          integrity: 'sha512-x',
          dev: true,
        },
        'node_modules/asserts': {
          version: '5.0.0',
          resolved: `${REGISTRY}asserts/-/asserts-5.0.0.tgz`,
          integrity: 'sha512-x',
          dev: true,
        },
        'node_modules/@types/asserts': {
          version: '5.0.0',
          resolved: `${REGISTRY}@types/asserts/-/asserts-5.0.0.tgz`,
          integrity: 'sha512-x',
          dev: true,
        },
      },
    };
    expect((await check({ ...files, 'package-lock.json': json(lock) })).rows).toEqual([]);
  });
});

describe('the virtual file system', () => {
  it('`export * from "../"` in a subdirectory of a package resolves (no trailing-slash miss)', async () => {
    publish(mock, 'store', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': 'export declare function useStore(): number;',
        'shim/index.d.ts': "export * from '../';",
        'shim/package.json': json({ types: 'index.d.ts' }),
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { store: '^1.0.0' } }),
      'src/a.ts': "import { useStore, useNope } from 'store/shim';\nuseStore();\nuseNope();\n",
    });
    expect(rows).toEqual([['INVENTED_EXPORT', 'error', 'store', 'useNope', 'src/a.ts', 1]]);
  });
});

describe('generated code', () => {
  it('a package re-exporting what a generator writes is an info, never INVENTED', async () => {
    publish(mock, '@gen/client', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': "export * from '.gen/client/default';\nexport declare const version: string;\n",
      },
    });
    const { rows, report } = await check({
      'package.json': json({ name: 'app', dependencies: { '@gen/client': '^1.0.0' } }),
      'src/a.ts': "import { GenClient, version } from '@gen/client';\nnew GenClient();\nconsole.log(version);\n",
    });
    expect(rows).toEqual([['TYPES_UNAVAILABLE', 'info', '@gen/client', 'generated', 'src/a.ts', 1]]);
    expect(report.findings.some((f) => f.severity === 'error')).toBe(false);
  });

  it('named re-exports from a module not in the program still name every export: a missing one is INVENTED', async () => {
    // `export { a, b } from 'dep'` lists its names whether or not `dep` resolves; only `export *`
    // from a missing module can hide one.
    publish(mock, 'runner', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts':
          "export { startVitest, type TestProject } from 'not-in-program';\nexport declare const version: string;\n",
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { runner: '^1.0.0' } }),
      'src/a.ts':
        "import type { GlobalSetupContext } from 'runner';\nimport { version } from 'runner';\nexport const v: GlobalSetupContext | string = version;\n",
    });
    expect(rows).toEqual([['INVENTED_EXPORT', 'error', 'runner', 'GlobalSetupContext', 'src/a.ts', 1]]);
  });
});
