/**
 * The member check's two engines (TypeScript 6 in process, TypeScript 7 over IPC) answer the same
 * questions about the same virtual program: same findings (Node's own modules, deprecations,
 * ESM-only packages and suggestions included), and a group TypeScript 7 cannot take (options it
 * removed) is checked by TypeScript 6.
 */
import { describe, expect, it } from 'vitest';
import { memberCheckStats } from '../../src/members/check-types.js';
import { memberEngine, projectOnTypeScript7 } from '../../src/members/engine.js';
import { dep, manifest } from '../helpers/model.js';
import { lockScan, scan } from '../helpers/project-scan.js';
import { writeTree } from '../helpers/fixture.js';
import { nodeTypes } from '../helpers/node-types.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, verifyProject } = mockRegistryRuns('engine');

const json = (value: object) => JSON.stringify(value);
const CODES = ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND', 'TYPES_UNAVAILABLE'];
/** Compared whole (message, hint, details, locations) between the engines. */
const COMPARED = [...CODES, 'DEPRECATED_API', 'TYPES_UNKNOWN'];

async function check(root: string, engine: 'ts6' | 'ts7') {
  const before = memberCheckStats.ts6Fallbacks;
  const report = await verifyProject(root, { engine });
  const rows = report.findings
    .filter((f) => CODES.includes(f.code))
    .map((f) => [
      f.code,
      f.package,
      f.details?.name ?? f.details?.unavailable,
      f.locations[0]?.file,
      f.locations[0]?.line,
      f.locations[0]?.column,
    ]);
  return {
    rows,
    findings: report.findings.filter((f) => COMPARED.includes(f.code)),
    engine: memberCheckStats.engine,
    fallbacks: memberCheckStats.ts6Fallbacks - before,
  };
}

/** A stand-in `typescript` package, for projects that declare their TypeScript. */
const TYPESCRIPT = { 'package.json': json({ types: 'lib.d.ts' }), 'lib.d.ts': '' };

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
    const root = await writeTree({
      'package.json': json({ name: 'app', dependencies: { srv: '1.0.0' } }),
      'src/a.ts': APP,
    });
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
      'web/src/a.ts':
        "import type { Options } from 'srv';\nimport { Err } from '~/lib/err';\ntry {} catch (e) { if (e instanceof Err) console.log(e.code, e.nope); }\nexport const o: Options = { port: 1 };\n",
    };
    const paths = await writeTree({
      ...files,
      'web/tsconfig.json': json({ compilerOptions: { paths: { '~/*': ['./src/*'] } } }),
    });
    const six = await check(paths, 'ts6');
    const seven = await check(paths, 'ts7');
    expect(six.rows).toEqual([['INVENTED_MEMBER', 'srv', 'nope', 'web/src/a.ts', 3, 64]]);
    expect(seven.rows).toEqual(six.rows);
    expect(seven.fallbacks).toBe(0);

    const baseUrl = await writeTree({
      ...files,
      'web/tsconfig.json': json({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['src/*'] } } }),
    });
    const fallback = await check(baseUrl, 'ts7');
    expect(fallback.fallbacks).toBe(1);
    expect(fallback.rows).toEqual(six.rows);
  });

  it('the project’s JavaScript is read as its own TypeScript reads JSDoc: TypeScript 6 unless the project is on 7', async () => {
    // `@type {import('x')}` names a module: its type in TypeScript 6, an error in 7 (the binding is
    // then any and narrows nothing, so `v.parameters` would be reported on the unnarrowed type).
    const NODES = {
      'package.json': json({ types: 'index.d.ts' }),
      'index.d.ts': [
        'export interface Node { kind: number }',
        'export interface Arrow extends Node { parameters: Node[] }',
        'export declare function isArrow(n: Node): n is Arrow;',
        'export declare const version: string;',
      ].join('\n'),
    };
    publish(mock, 'nodes', { '1.0.0': NODES });
    const files = {
      'src/ref.js': [
        "/** @type {import('nodes')} */",
        '// @ts-ignore',
        'export let m = undefined;',
        'try {',
        "  m = (await import('nodes')).default;",
        '} catch {}',
        '',
      ].join('\n'),
      'src/use.js': [
        "import { version } from 'nodes';",
        "import { m } from './ref.js';",
        "/** @param {import('nodes').Node} v */",
        'export function f(v) {',
        '  if (m.isArrow(v)) return v.parameters.length + v.nope;',
        '  return version;',
        '}',
        '',
      ].join('\n'),
    };
    const onSix = await writeTree({
      ...files,
      'package.json': json({ name: 'app', type: 'module', dependencies: { nodes: '1.0.0' } }),
    });
    const six = await check(onSix, 'ts6');
    expect(six.rows).toEqual([['INVENTED_MEMBER', 'nodes', 'nope', 'src/use.js', 5, 52]]);
    const seven = await check(onSix, 'ts7');
    expect(seven.fallbacks).toBe(1);
    expect(seven.rows).toEqual(six.rows);

    // A TypeScript file is TypeScript 7's, but not in a program that holds the project's JavaScript.
    const fromTs = await writeTree({
      // No import of its own: only the program holds it, not the files to check.
      'src/ref.js': "/** @type {import('nodes')} */\n// @ts-ignore\nexport let m = undefined;\n",
      'src/use.ts': [
        "import { version, type Node } from 'nodes';",
        "import { m } from './ref.js';",
        'export function f(v: Node) {',
        '  if (m.isArrow(v)) return v.parameters.length + v.nope;',
        '  return version;',
        '}',
        '',
      ].join('\n'),
      'package.json': json({ name: 'app', type: 'module', dependencies: { nodes: '1.0.0' } }),
    });
    const mixed = await check(fromTs, 'ts7');
    expect(mixed.fallbacks).toBe(1);
    expect(mixed.rows).toEqual([['INVENTED_MEMBER', 'nodes', 'nope', 'src/use.ts', 4, 52]]);

    // A project on TypeScript 7 gets TypeScript 7's reading, as its own tsc gives it.
    publish(mock, 'typescript', { '7.0.2': TYPESCRIPT });
    const onSeven = await writeTree({
      ...files,
      'package.json': json({
        name: 'app',
        type: 'module',
        dependencies: { nodes: '1.0.0' },
        devDependencies: { typescript: '^7.0.2' },
      }),
    });
    const native = await check(onSeven, 'ts7');
    expect(native.fallbacks).toBe(0);
    expect(native.rows.map((row) => row[2])).toEqual(['parameters', 'nope']);
  });

  it('a project is on TypeScript 7 when every locked typescript is, else every declared range', () => {
    const locked = (...versions: string[]) =>
      lockScan(versions.map((version) => ({ name: 'typescript', version, path: '', lockfile: 'package-lock.json' })));
    expect(projectOnTypeScript7(locked('7.0.2'))).toBe(true);
    expect(projectOnTypeScript7(locked('7.0.2', '5.9.3'))).toBe(false);
    expect(projectOnTypeScript7(locked('6.0.3'))).toBe(false);
    // The alias `typescript7: npm:typescript@7` is another package; the project's own is 6.
    const aliased = locked('6.0.3');
    aliased.lockfile!.packages.push({
      name: 'typescript',
      version: '7.0.2',
      alias: 'typescript7',
      path: '',
      lockfile: 'x',
    });
    expect(projectOnTypeScript7(aliased)).toBe(false);
    expect(projectOnTypeScript7(scan([manifest('', [dep('typescript', '^7.0.0')])]))).toBe(true);
    expect(projectOnTypeScript7(scan([manifest('', [dep('typescript', '>=6')])]))).toBe(false);
    expect(projectOnTypeScript7(scan([manifest('', [dep('typescript', 'latest')])]))).toBe(false);
    expect(projectOnTypeScript7(scan([manifest('', [])]))).toBe(false);
  });

  it('the engine is the caller’s, else DEPVERIFY_ENGINE, else TypeScript 7', () => {
    const saved = process.env.DEPVERIFY_ENGINE;
    try {
      delete process.env.DEPVERIFY_ENGINE;
      expect(memberEngine()).toBe('ts7');
      process.env.DEPVERIFY_ENGINE = 'ts6';
      expect(memberEngine()).toBe('ts6');
      expect(memberEngine('ts7')).toBe('ts7');
      process.env.DEPVERIFY_ENGINE = 'tsc';
      expect(memberEngine()).toBe('ts7');
    } finally {
      if (saved === undefined) delete process.env.DEPVERIFY_ENGINE;
      else process.env.DEPVERIFY_ENGINE = saved;
    }
  });
});

const KIT = {
  'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
  'index.d.ts': [
    'export declare function connect(url: string): void;',
    'export declare function string(): void;',
    'export declare function get(url: string): Promise<string>;',
    '/** @deprecated Pass an options object instead of a callback. */',
    'export declare function get(url: string, cb: (body: string) => void): void;',
    '/** @deprecated Use {@link get get()} instead, see {@link https://example.test/migrate}. */',
    'export declare function fetchUrl(url: string): Promise<string>;',
    'export declare class Client {',
    '  /** @deprecated Use {@link Client.close | close()} */',
    '  end(): void;',
    '  close(): void;',
    '}',
    'export interface Options { port: number }',
    '/** @deprecated Use {@link connect}. */',
    'export declare const open: (url: string) => void;',
    '',
  ].join('\n'),
  'index.js':
    'exports.connect = () => {}; exports.string = () => {}; exports.get = () => {}; exports.fetchUrl = () => {}; exports.Client = class {};\n',
};

const CHALKY = 'declare const chalk: { green(s: string): string; red(s: string): string };\nexport default chalk;\n';

function publishAll(): void {
  publish(mock, '@types/node', { '20.11.0': nodeTypes(false) });
  publish(mock, 'kit', { '1.0.0': KIT });
  publish(mock, 'typescript', { '7.0.2': TYPESCRIPT });
  publish(mock, 'chalky', {
    '5.3.0': {
      'package.json': json({ type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } }),
      'index.d.ts': CHALKY,
      'index.js': 'export default {};\n',
    },
  });
}

const PROJECT = {
  'package.json': json({
    name: 'app',
    dependencies: { kit: '1.0.0', chalky: '5.3.0' },
    // On TypeScript 7, so that its JavaScript (src/cjs.js) is TypeScript 7's too.
    devDependencies: { '@types/node': '20.11.0', typescript: '7.0.2' },
  }),
  // A package's: suggestions (TypeScript's, a word-boundary one, from a namespace in a type), deprecations by overload and member.
  'src/kit.ts': [
    "import * as kit from 'kit';",
    "import { strin, get, fetchUrl, Client } from 'kit';",
    "kit.connect_secure('x');",
    "get('x', (b) => console.log(b));",
    "void get('x');",
    "void fetchUrl('x');",
    'const c = new Client();',
    'c.end();',
    'c.close();',
    "kit.open('x');",
    'export { strin };',
    '',
  ].join('\n'),
  // Node's own modules: invented members and exports with suggestions, deprecations of modules and a global.
  'src/node.ts': [
    "import fs from 'node:fs';",
    "import { createCipher, createHashh } from 'crypto';",
    "import * as url from 'url';",
    "fs.readFileSyncSecure('x');",
    "fs.exists('x', () => {});",
    "fs.promises.readFileAsync('x');",
    "if (fs.maybe) console.log('feature-detected');",
    "url.parse('http://x');",
    "createCipher('aes', 'k');",
    "export const b = new Buffer('x');",
    'export { createHashh };',
    '',
  ].join('\n'),
  // CommonJS: an ESM-only package and a builtin, required.
  'src/cjs.js': [
    "const chalk = require('chalky');",
    "const crypto = require('crypto');",
    "console.log(chalk.green('ok'), chalk.nope('x'));",
    "crypto.createHashSync('x');",
    '',
  ].join('\n'),
};

describe('engines: the checks beyond TypeScript’s own diagnostics', () => {
  // They once read TypeScript 6's checker directly; now both engines answer them, compared finding by finding.
  it('builtins, deprecations, ESM-only and suggestions: TypeScript 7 reports exactly what TypeScript 6 reports', async () => {
    publishAll();
    const root = await writeTree(PROJECT);
    const six = await check(root, 'ts6');
    const seven = await check(root, 'ts7');
    expect(six.engine).toBe('ts6');
    expect(seven.engine).toBe('ts7');
    // The builtin files are TypeScript 7's too: no program goes back to TypeScript 6.
    expect(seven.fallbacks).toBe(0);
    const rows = six.findings.map((f) => [
      f.code,
      f.package,
      f.details?.name,
      `${f.locations[0]?.file}:${f.locations[0]?.line}`,
      f.details?.suggestion ?? f.details?.deprecation ?? (f.details?.esmOnly ? 'esm-only' : null),
    ]);
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'chalky', 'green', 'src/cjs.js:3', 'esm-only'],
      ['INVENTED_MEMBER', 'chalky', 'nope', 'src/cjs.js:3', 'esm-only'],
      ['INVENTED_EXPORT', 'kit', 'strin', 'src/kit.ts:2', 'string'],
      ['DEPRECATED_API', 'kit', 'fetchUrl', 'src/kit.ts:2', 'Use get() instead, see https://example.test/migrate.'],
      ['INVENTED_EXPORT', 'kit', 'connect_secure', 'src/kit.ts:3', 'connect'],
      ['DEPRECATED_API', 'kit', 'get', 'src/kit.ts:4', 'Pass an options object instead of a callback.'],
      ['DEPRECATED_API', 'kit', 'end', 'src/kit.ts:8', 'Use close()'],
      ['DEPRECATED_API', 'kit', 'open', 'src/kit.ts:10', 'Use connect.'],
      [
        'DEPRECATED_API',
        'node',
        'Buffer',
        'src/node.ts:10',
        'since v10.0.0 - Use `Buffer.from(string[, encoding])` instead.',
      ],
      ['INVENTED_MEMBER', 'node:crypto', 'createHashSync', 'src/cjs.js:4', 'createHash'],
      ['DEPRECATED_API', 'node:crypto', 'createCipher', 'src/node.ts:2', 'since v10.0.0 use createCipheriv'],
      ['INVENTED_EXPORT', 'node:crypto', 'createHashh', 'src/node.ts:2', 'createHash'],
      ['INVENTED_MEMBER', 'node:fs', 'readFileSyncSecure', 'src/node.ts:4', 'readFileSync'],
      ['DEPRECATED_API', 'node:fs', 'exists', 'src/node.ts:5', 'Since v1.0.0 - Use stat or access instead.'],
      ['INVENTED_MEMBER', 'node:fs', 'readFileAsync', 'src/node.ts:6', 'readFile'],
      ['DEPRECATED_API', 'node:url', 'parse', 'src/node.ts:8', 'Use the WHATWG URL API instead.'],
    ]);
    expect(seven.findings).toEqual(six.findings);
  });
});
