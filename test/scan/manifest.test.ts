import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findManifests, readManifest } from '../../src/scan/manifest.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';

afterAll(removeTrees);

const ROOT = '/project';

function read(json: unknown, relPath = 'package.json') {
  return readManifest(ROOT, relPath, JSON.stringify(json, null, 2));
}

function dep(json: unknown, name: string) {
  return read(json).manifest?.dependencies.find((d) => d.name === name);
}

describe('readManifest: spec kinds', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['a', '^1.2.0', { kind: 'registry', registryName: 'a', range: '^1.2.0' }],
    ['a', '1.2.3', { kind: 'registry', registryName: 'a', range: '1.2.3' }],
    ['a', '>=1 <2 || 3.x', { kind: 'registry', registryName: 'a', range: '>=1 <2 || 3.x' }],
    ['a', 'latest', { kind: 'registry', registryName: 'a', range: 'latest' }],
    ['a', '*', { kind: 'registry', registryName: 'a', range: '*' }],
    ['a', '', { kind: 'registry', registryName: 'a', range: '*' }],
    ['@s/a', '~2.0.0', { kind: 'registry', registryName: '@s/a', range: '~2.0.0' }],
    ['a', 'npm:real@^2.1.0', { kind: 'alias', registryName: 'real', range: '^2.1.0' }],
    ['a', 'npm:real', { kind: 'alias', registryName: 'real', range: '*' }],
    ['a', 'npm:@s/real@1.0.0', { kind: 'alias', registryName: '@s/real', range: '1.0.0' }],
    ['a', 'npm:real@next', { kind: 'alias', registryName: 'real', range: 'next' }],
    ['a', 'user/repo', { kind: 'git' }],
    ['a', 'github:user/repo#v1.0.0', { kind: 'git' }],
    ['a', 'git+https://example.com/r.git', { kind: 'git' }],
    ['a', 'git://github.com/u/r.git#semver:^1', { kind: 'git' }],
    ['a', 'file:../a', { kind: 'file' }],
    ['a', '../a', { kind: 'file' }],
    ['a', 'file:vendor/a-1.0.0.tgz', { kind: 'file' }],
    ['a', 'link:../a', { kind: 'link' }],
    ['a', 'https://example.com/a-1.0.0.tgz', { kind: 'remote' }],
    ['a', 'workspace:*', { kind: 'workspace' }],
    ['a', 'workspace:^', { kind: 'workspace' }],
    ['a', 'not a tag', { kind: 'invalid' }],
    ['a', 'npm:', { kind: 'invalid' }],
    ['a', 'catalog:', { kind: 'registry', registryName: 'a' }],
    ['a', 'catalog:react18', { kind: 'registry', registryName: 'a' }],
    ['Bad Name', '1.0.0', { kind: 'invalid' }],
  ];
  it.each(cases)('%s@%s', (name, spec, expected) => {
    const found = dep({ dependencies: { [name]: spec } }, name);
    expect(found).toMatchObject({ name, spec, field: 'dependencies', manifest: 'package.json', ...expected });
    if (!('registryName' in expected)) expect(found?.registryName).toBeUndefined();
  });
});

describe('readManifest: fields', () => {
  it('reads every dependency field with its line', () => {
    const text = `{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "left-pad": "^1.3.0"
  },
  "devDependencies": { "vitest": "^4" },
  "optionalDependencies": { "fsevents": "^2" },
  "peerDependencies": {
    "react": ">=18"
  },
  "bundleDependencies": ["left-pad"],
  "overrides": { "x": "1" }
}`;
    const { manifest, errors } = readManifest(ROOT, 'package.json', text);
    expect(errors).toEqual([]);
    expect(manifest).toMatchObject({ path: 'package.json', dir: '', name: 'app', version: '1.0.0' });
    expect(manifest?.dependencies.map((d) => [d.field, d.name, d.line])).toEqual([
      ['dependencies', 'left-pad', 5],
      ['devDependencies', 'vitest', 7],
      ['optionalDependencies', 'fsevents', 8],
      ['peerDependencies', 'react', 10],
    ]);
  });

  it('sets dir from the manifest path', () => {
    expect(read({}, 'packages/a/package.json').manifest).toMatchObject({
      path: 'packages/a/package.json',
      dir: 'packages/a',
    });
  });

  it.each([
    [{ license: 'MIT' }, 'MIT'],
    [{ license: { type: 'ISC', url: 'x' } }, 'ISC'],
    [{ licenses: [{ type: 'MIT' }, 'Apache-2.0'] }, '(MIT OR Apache-2.0)'],
    [{ license: 'MIT', licenses: ['GPL-3.0'] }, 'MIT'],
    [{}, undefined],
  ])('license from %j', (json, license) => {
    expect(read(json).manifest?.license).toBe(license);
  });

  it.each([
    [{ workspaces: ['packages/*', 'apps/**'] }, ['packages/*', 'apps/**']],
    [{ workspaces: { packages: ['libs/*'], nohoist: ['**/x'] } }, ['libs/*']],
    [{ workspaces: { nohoist: ['**/x'] } }, []],
    [{}, []],
  ])('workspaces from %j', (json, workspaces) => {
    expect(read(json).manifest?.workspaces).toEqual(workspaces);
  });

  it('reads the commands bin links as npm names them; a bin folder leaves them unknown', () => {
    const bins = (json: Record<string, unknown>) => {
      const m = read(json).manifest!;
      return m.binsUnknown ? 'unknown' : (m.bins ?? []);
    };
    expect(bins({ name: '@s/tool', bin: 'cli.js' })).toEqual(['tool']);
    expect(bins({ bin: 'cli.js' })).toEqual([]);
    expect(bins({ name: 'x', bin: { 'bin/a': 'a.js', b: 'b.js', c: '' } })).toEqual(['a', 'b']);
    expect(bins({ name: 'x', bin: ['bin/run.js'] })).toEqual(['run.js']);
    expect(bins({ name: 'x' })).toEqual([]);
    expect(bins({ name: 'x', directories: { bin: './bin' } })).toBe('unknown');
    expect(bins({ name: 'x', bin: { a: 'a.js' }, directories: { bin: './bin' } })).toEqual(['a']);
  });

  it('reads imports keys', () => {
    expect(read({ imports: { '#internal/*': './src/*.js', '#dep': 'dep' } }).manifest?.importsKeys).toEqual([
      '#internal/*',
      '#dep',
    ]);
  });
});

describe('readManifest: bad input', () => {
  it('reports broken JSON with its line', () => {
    const { manifest, errors } = readManifest(
      ROOT,
      'package.json',
      '{\n  "name": "x",\n  "dependencies": {\n    "a": "1",\n  }\n}',
    );
    expect(manifest).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ file: 'package.json', reason: 'invalid-json', line: 5 })]);
  });

  it('reports a document that is not an object', () => {
    expect(readManifest(ROOT, 'package.json', '[1]').errors).toEqual([
      expect.objectContaining({ reason: 'wrong-type' }),
    ]);
  });

  it('reports wrong types by field and reads the rest', () => {
    const text = `{
  "name": 42,
  "license": ["MIT"],
  "workspaces": "packages/*",
  "imports": [],
  "dependencies": {
    "ok": "^1",
    "bad": 2,
    "nested": { "x": "1" }
  },
  "devDependencies": ["a"],
  "peerDependencies": null,
  "optionalDependencies": { "opt": "1.0.0" }
}`;
    const { manifest, errors } = readManifest(ROOT, 'package.json', text);
    expect(manifest?.name).toBeUndefined();
    expect(manifest?.dependencies.map((d) => d.name)).toEqual(['ok', 'opt']);
    expect(errors.map((e) => [e.field, e.line, e.reason])).toEqual([
      ['name', 2, 'wrong-type'],
      ['license', 3, 'wrong-type'],
      ['workspaces', 4, 'wrong-type'],
      ['imports', 5, 'wrong-type'],
      ['dependencies.bad', 8, 'wrong-type'],
      ['dependencies.nested', 9, 'wrong-type'],
      ['devDependencies', 11, 'wrong-type'],
      ['peerDependencies', 12, 'wrong-type'],
    ]);
  });

  it('reports a binary package.json', () => {
    expect(readManifest(ROOT, 'package.json', '\0\0\0').errors[0]?.reason).toBe('binary');
  });
});

describe('findManifests', () => {
  const pkg = (name: string) => JSON.stringify({ name, version: '1.0.0' });

  it('returns nothing, and no error, without a root package.json', async () => {
    const root = await writeTree({ 'src/index.ts': '' });
    expect(await findManifests(root)).toEqual({ manifests: [], errors: [] });
  });

  it('reads only the root when there are no workspaces', async () => {
    const root = await writeTree({ 'package.json': pkg('root'), 'packages/a/package.json': pkg('a') });
    const { manifests } = await findManifests(root);
    expect(manifests.map((m) => m.path)).toEqual(['package.json']);
  });

  it('expands globs, `**`, and negations, in order', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({
        name: 'root',
        workspaces: ['packages/*', '!packages/skip', 'apps/**', './tools/cli/', 'libs/{x,y}', '!apps/web/**'],
      }),
      'packages/b/package.json': pkg('b'),
      'packages/a/package.json': pkg('a'),
      'packages/skip/package.json': pkg('skip'),
      'packages/no-manifest/index.js': '',
      'packages/.hidden/package.json': pkg('hidden'),
      'packages/a/node_modules/dep/package.json': pkg('dep'),
      'apps/package.json': pkg('apps'),
      'apps/site/package.json': pkg('site'),
      'apps/group/deep/package.json': pkg('deep'),
      'apps/web/package.json': pkg('web'),
      'apps/web/inner/package.json': pkg('web-inner'),
      'apps/node_modules/x/package.json': pkg('x'),
      'tools/cli/package.json': pkg('cli'),
      'libs/x/package.json': pkg('x'),
      'libs/z/package.json': pkg('z'),
    });
    const { manifests, errors } = await findManifests(root);
    expect(errors).toEqual([]);
    expect(manifests.map((m) => m.path)).toEqual([
      'package.json',
      'apps/package.json',
      'apps/group/deep/package.json',
      'apps/site/package.json',
      'libs/x/package.json',
      'packages/a/package.json',
      'packages/b/package.json',
      'tools/cli/package.json',
    ]);
    expect(manifests.find((m) => m.dir === 'packages/a')?.name).toBe('a');
  });

  it('does not follow symlinks', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ workspaces: ['packages/*', 'more/**'] }),
      'outside/package.json': pkg('o'),
    });
    await mkdir(path.join(root, 'packages'));
    await mkdir(path.join(root, 'more'));
    await symlink(path.join(root, 'outside'), path.join(root, 'packages', 'linked'), 'dir');
    await symlink(path.join(root, 'outside'), path.join(root, 'more', 'linked'), 'dir');
    await symlink(root, path.join(root, 'more', 'loop'), 'dir');
    const { manifests } = await findManifests(root);
    expect(manifests.map((m) => m.path)).toEqual(['package.json']);
  });

  it('reports broken members and patterns leaving the root, and reads the rest', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ workspaces: ['packages/*', '../elsewhere/*'] }),
      'packages/a/package.json': pkg('a'),
      'packages/broken/package.json': '{\n  "name": "broken",\n',
    });
    const { manifests, errors } = await findManifests(root);
    // The broken member is still a workspace (so its name is never asked of a registry), unreadable.
    expect(manifests.map((m) => [m.path, m.unreadable ?? false])).toEqual([
      ['package.json', false],
      ['packages/a/package.json', false],
      ['packages/broken/package.json', true],
    ]);
    expect(errors.map((e) => [e.file, e.reason, e.line])).toEqual([
      ['package.json', 'invalid-entry', undefined],
      ['packages/broken/package.json', 'invalid-json', 3],
    ]);
  });

  it('returns no manifests when the root package.json is broken', async () => {
    const root = await writeTree({ 'package.json': '{"workspaces": [' });
    const { manifests, errors } = await findManifests(root);
    expect(manifests).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ file: 'package.json', reason: 'invalid-json', line: 1 })]);
  });

  it('resolves file: specs of members against their own directory without touching disk', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'packages/a/package.json': JSON.stringify({ name: 'a', dependencies: { b: 'file:../b', c: 'workspace:*' } }),
    });
    const { manifests } = await findManifests(root);
    expect(manifests[1]?.dependencies.map((d) => [d.manifest, d.name, d.kind])).toEqual([
      ['packages/a/package.json', 'b', 'file'],
      ['packages/a/package.json', 'c', 'workspace'],
    ]);
  });
});

describe('pnpm-workspace.yaml', () => {
  it('adds its packages globs as workspaces', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'mono' }),
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - '!apps/skip'\ncatalog:\n  react: ^18.0.0\n",
      'apps/web/package.json': JSON.stringify({ name: '@corp/web', dependencies: { '@corp/ui': 'workspace:*' } }),
      'apps/skip/package.json': JSON.stringify({ name: 'skip' }),
    });
    const { manifests, errors } = await findManifests(root);
    expect(errors).toEqual([]);
    expect(manifests.map((m) => m.name)).toEqual(['mono', '@corp/web']);
  });

  it('broken YAML is an input error with its line; package.json workspaces still count', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'mono', workspaces: ['libs/*'] }),
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n bad: [\n',
      'libs/a/package.json': JSON.stringify({ name: 'a' }),
    });
    const { manifests, errors } = await findManifests(root);
    expect(manifests.map((m) => m.name)).toEqual(['mono', 'a']);
    expect(errors).toMatchObject([{ file: 'pnpm-workspace.yaml', line: expect.any(Number) }]);
  });
});
