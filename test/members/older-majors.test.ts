/** Issue 15 item 12: a name absent at the version checked but present in an earlier major is said to be version drift. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/index.js';
import type { MemberEngine } from '../../src/members/engine.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { memberCheckStats } from '../../src/members/check-types.js';
import { earlierMajors } from '../../src/members/older-majors.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { REGISTRY, createMockRegistry } from '../helpers/registry.js';

const mock = createMockRegistry();
const cacheRoot = mkdtempSync(path.join(tmpdir(), 'depverify-older-'));
let caches = 0;
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(async () => {
  mock.close();
  await removeTrees();
  rmSync(cacheRoot, { recursive: true, force: true });
});
const json = (x: object) => JSON.stringify(x);
const manifest = json({ main: 'index.js', types: 'index.d.ts' });
// The old API: a prompt function on the CommonJS module; the new one: named prompt builders only.
const V8 = {
  'package.json': manifest,
  'index.d.ts':
    'declare const asker: { prompt(q: object[]): Promise<object>; registerPrompt(name: string): void };\nexport = asker;\n',
  'index.js': 'module.exports = {};\n',
};
const V12 = {
  'package.json': manifest,
  'index.d.ts': 'declare const asker: { registerPrompt(name: string): void };\nexport = asker;\n',
  'index.js': 'module.exports = {};\n',
};
const V14 = {
  'package.json': manifest,
  'index.d.ts':
    'export declare function input(q: object): Promise<string>;\nexport declare function select(q: object): Promise<string>;\n',
  'index.js': 'exports.input = () => {};\n',
};

const app = (code: string, file = 'src/a.js') => ({
  'package.json': json({ name: 'app', dependencies: { asker: '14.0.1' } }),
  [file]: code,
});

/** `files`: a tree to write, or the root of one written before (the same project again). */
async function run(files: Record<string, string> | string, opts: { cacheDir?: string; engine?: MemberEngine } = {}) {
  const root = typeof files === 'string' ? files : await writeTree(files);
  const cacheDir = opts.cacheDir ?? path.join(cacheRoot, `c${caches++}`);
  const client = createRegistryClient({ root, npmConfig: { registry: REGISTRY }, cacheDir, retries: 0, timeout: 5000 });
  const report = await verify({
    root,
    client,
    cacheDir,
    popularIndex: false,
    ...(opts.engine ? { engine: opts.engine } : {}),
  });
  return report.findings.filter((f) => f.code === 'INVENTED_MEMBER' || f.code === 'INVENTED_EXPORT');
}

const paths = () => mock.seen.map((r) => r.path);

describe('a name an earlier major had', () => {
  it('earlier majors: the latest of each, newest first, at most six', () => {
    const listed = [
      '0.9.0',
      '1.0.0',
      '1.4.2',
      '2.0.0',
      '3.1.0',
      '3.2.0-beta.1',
      '4.0.0',
      '5.0.0',
      '6.0.0',
      '7.2.0',
      '8.0.0',
      '8.1.0',
    ];
    const facts = {
      name: 'x',
      registry: REGISTRY,
      distTags: {},
      versions: Object.fromEntries(listed.map((v) => [v, {}])),
    };
    expect(earlierMajors(facts, '8.1.0').map((m) => m.version)).toEqual([
      '7.2.0',
      '6.0.0',
      '5.0.0',
      '4.0.0',
      '3.1.0',
      '2.0.0',
    ]);
    expect(earlierMajors(facts, '3.1.0')).toEqual([
      { major: 2, version: '2.0.0' },
      { major: 1, version: '1.4.2' },
      { major: 0, version: '0.9.0' },
    ]);
    expect(earlierMajors(facts, '0.9.0')).toEqual([]);
    expect(earlierMajors(facts, 'not-a-version')).toEqual([]);
  });

  it('`prompt` through require at 14: exists up to 8, with one more declarations fetch, and none on a warm run', async () => {
    publish(mock, 'asker', { '8.2.6': V8, '12.0.0': V12, '14.0.1': V14 });
    const cacheDir = path.join(cacheRoot, `c${caches++}`);
    const files = await writeTree(
      app("const asker = require('asker');\nasker.prompt([{ name: 'x' }]);\nasker.nope();\n"),
    );
    const found = await run(files, { cacheDir });
    expect(found.map((f) => [f.code, f.details?.name, f.details?.presentIn, f.locations[0]?.line])).toEqual([
      ['INVENTED_MEMBER', 'prompt', { major: 8, version: '8.2.6', typesFrom: 'asker@8.2.6' }, 2],
      ['INVENTED_MEMBER', 'nope', undefined, 3],
    ]);
    const prompt = found[0]!;
    expect(prompt.severity).toBe('error');
    expect(prompt.message).toContain('exists up to asker@8 (8.2.6)');
    expect(prompt.hint).toContain('"^8.2.6"');
    // 14 is the version checked; 12 lacks prompt, 8 has it: each read once (version document, tarball).
    expect(
      paths()
        .filter((p) => p.startsWith('/asker/'))
        .sort(),
    ).toEqual(
      [
        '/asker/-/asker-12.0.0.tgz',
        '/asker/-/asker-14.0.1.tgz',
        '/asker/-/asker-8.2.6.tgz',
        '/asker/12.0.0',
        '/asker/14.0.1',
        '/asker/8.2.6',
      ].sort(),
    );
    // A warm run: the member results are kept, with the explanation; no declarations are fetched.
    mock.seen.length = 0;
    const programs = memberCheckStats.programs;
    const again = await run(files, { cacheDir });
    expect(memberCheckStats.programs).toBe(programs);
    expect(again.map((f) => f.details?.presentIn)).toEqual([
      { major: 8, version: '8.2.6', typesFrom: 'asker@8.2.6' },
      undefined,
    ]);
    expect(paths().filter((p) => p.endsWith('.tgz') || /^\/asker\/\d/.test(p))).toEqual([]);
  });

  it('the major just before: one more declarations fetch only', async () => {
    publish(mock, 'asker', { '8.2.6': V8, '12.0.0': V12, '14.0.1': V14 });
    const found = await run(app("import { registerPrompt } from 'asker';\nregisterPrompt('x');\n", 'src/a.ts'));
    expect(found.map((f) => [f.code, f.details?.name, f.details?.presentIn])).toEqual([
      ['INVENTED_EXPORT', 'registerPrompt', { major: 12, version: '12.0.0', typesFrom: 'asker@12.0.0' }],
    ]);
    expect(
      paths()
        .filter((p) => p.endsWith('.tgz'))
        .sort(),
    ).toEqual(['/asker/-/asker-12.0.0.tgz', '/asker/-/asker-14.0.1.tgz']);
  });

  it('no earlier major has it: the finding is as it was', async () => {
    publish(mock, 'asker', { '8.2.6': V8, '12.0.0': V12, '14.0.1': V14 });
    const found = await run(app("const asker = require('asker');\nasker.nope();\n"));
    expect(found.map((f) => [f.details?.name, f.details?.presentIn, f.message])).toEqual([
      ['nope', undefined, 'asker@14.0.1 has no member nope.'],
    ]);
  });

  it('an earlier major that cannot be read: the finding is unchanged, never past the unread one', async () => {
    publish(mock, 'asker', { '8.2.6': V8, '12.0.0': V12, '14.0.1': V14 });
    mock.set('asker/-/asker-12.0.0.tgz', 500);
    const cacheDir = path.join(cacheRoot, `c${caches++}`);
    const files = await writeTree(app("const asker = require('asker');\nasker.prompt([]);\n"));
    const found = await run(files, { cacheDir });
    expect(found.map((f) => [f.code, f.severity, f.details?.name, f.details?.presentIn, f.message])).toEqual([
      ['INVENTED_MEMBER', 'error', 'prompt', undefined, 'asker@14.0.1 has no member prompt.'],
    ]);
    // 8 (which has prompt) is not looked at past the unread 12; and the answer is not kept.
    expect(paths()).not.toContain('/asker/-/asker-8.2.6.tgz');
    publish(mock, 'asker', { '8.2.6': V8, '12.0.0': V12, '14.0.1': V14 });
    const again = await run(files, { cacheDir });
    expect(again.map((f) => f.details?.presentIn)).toEqual([{ major: 8, version: '8.2.6', typesFrom: 'asker@8.2.6' }]);
  });

  it('an earlier major without declarations: the search stops there, and the answer is kept', async () => {
    // 12 ships no declarations and has no @types: 8's prompt is not claimed past it.
    publish(mock, 'asker', {
      '8.2.6': V8,
      '12.0.0': { 'package.json': json({ main: 'index.js' }), 'index.js': 'module.exports = {};\n' },
      '14.0.1': V14,
    });
    const cacheDir = path.join(cacheRoot, `c${caches++}`);
    const files = await writeTree(app("const asker = require('asker');\nasker.prompt([]);\n"));
    expect((await run(files, { cacheDir })).map((f) => [f.details?.name, f.details?.presentIn])).toEqual([
      ['prompt', undefined],
    ]);
    expect(paths()).not.toContain('/asker/-/asker-8.2.6.tgz');
    // A fact, not a failure: the second run answers from the member results, building no program.
    const programs = memberCheckStats.programs;
    expect((await run(files, { cacheDir })).map((f) => [f.details?.name, f.details?.presentIn])).toEqual([
      ['prompt', undefined],
    ]);
    expect(memberCheckStats.programs).toBe(programs);
  });

  it('an earlier major typed by @types: its @types of the same major is read', async () => {
    // routy 5 ships no declarations (@types/routy 5 has them, re-exporting a package not read
    // here: the name it re-exports is still one it has); routy 7 ships its own.
    publish(mock, 'routy', {
      '5.3.4': { 'package.json': json({ main: 'index.js' }), 'index.js': 'exports.Switch = 1;\n' },
      '7.1.0': {
        'package.json': manifest,
        'index.d.ts': 'export declare function Routes(): null;\n',
        'index.js': 'exports.Routes = 1;\n',
      },
    });
    publish(mock, '@types/routy', {
      '5.1.20': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': "export declare function Switch(): null;\nexport { useHistory } from 'routy-core';\n",
      },
    });
    const found = await run({
      'package.json': json({ name: 'app', dependencies: { routy: '^7.0.0' } }),
      'src/a.ts':
        "import { Switch, Routes, Nothing, useHistory } from 'routy';\nRoutes(); Switch(); Nothing(); useHistory();\n",
    });
    expect(found.map((f) => [f.details?.name, f.details?.presentIn])).toEqual([
      ['Switch', { major: 5, version: '5.3.4', typesFrom: '@types/routy@5.1.20' }],
      ['Nothing', undefined],
      ['useHistory', { major: 5, version: '5.3.4', typesFrom: '@types/routy@5.1.20' }],
    ]);
  });

  it('required from CommonJS at an ESM-only major: the newest major that ships CommonJS and has it', async () => {
    const esm = json({ type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } });
    const DEFAULT = 'declare const asker: { prompt(q: object[]): Promise<object> };\nexport default asker;\n';
    // 12 has prompt too, but is ESM-only as 14 is: no answer for require, and no reason to stop.
    // 10 ships CommonJS compiled from ES modules: require() returns its namespace, where prompt
    // is only under `default`. 8's `export =` object has it.
    const dual = json({ exports: { '.': { types: './index.d.ts', require: './index.cjs', default: './index.mjs' } } });
    publish(mock, 'asker', {
      '8.2.6': V8,
      '10.1.0': {
        'package.json': dual,
        'index.d.ts': DEFAULT,
        'index.cjs': 'exports.default = {};\n',
        'index.mjs': 'export default {};\n',
      },
      '12.0.0': { 'package.json': esm, 'index.d.ts': DEFAULT, 'index.js': 'export default {};\n' },
      '14.0.1': { 'package.json': esm, 'index.d.ts': DEFAULT, 'index.js': 'export default {};\n' },
    });
    const found = await run(app("const asker = require('asker');\nasker.prompt([]);\n"));
    expect(found.map((f) => [f.code, f.details?.name, f.details?.esmOnly, f.details?.presentIn])).toEqual([
      ['INVENTED_MEMBER', 'prompt', true, { major: 8, version: '8.2.6', typesFrom: 'asker@8.2.6' }],
    ]);
    expect(found[0]!.message).toContain('is ESM-only');
    expect(found[0]!.hint).toContain('"^8.2.6"');
  });

  it('the same answer with --engine ts7', async () => {
    publish(mock, 'asker', { '8.2.6': V8, '12.0.0': V12, '14.0.1': V14 });
    const fallbacks = memberCheckStats.ts6Fallbacks;
    const found = await run(app("import * as asker from 'asker';\nasker.prompt([]);\n", 'src/a.ts'), { engine: 'ts7' });
    expect([memberCheckStats.engine, memberCheckStats.ts6Fallbacks - fallbacks]).toEqual(['ts7', 0]);
    expect(found.map((f) => [f.code, f.details?.name, f.details?.presentIn])).toEqual([
      ['INVENTED_EXPORT', 'prompt', { major: 8, version: '8.2.6', typesFrom: 'asker@8.2.6' }],
    ]);
  });
});
