import { afterAll, describe, expect, it } from 'vitest';
import type { LockedPackage } from '../../src/model/references.js';
import { readLockfile } from '../../src/scan/lockfile.js';
import { readNpmLockfile } from '../../src/scan/lockfiles/npm.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';

afterAll(removeTrees);

const reg = (name: string, version: string) => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return `https://registry.example.test/${name}/-/${base}-${version}.tgz`;
};

function read(json: unknown) {
  return readNpmLockfile('package-lock.json', JSON.stringify(json, null, 2));
}

function byPath(packages: LockedPackage[] | undefined, path: string) {
  return packages?.find((p) => p.path === path);
}

/** The 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('npm lockfile v1', () => {
  const json = {
    name: 'app',
    lockfileVersion: 1,
    requires: true,
    dependencies: {
      'left-pad': { version: '1.3.0', resolved: reg('left-pad', '1.3.0'), integrity: 'sha512-x' },
      pad: { version: 'npm:left-pad@1.1.0', resolved: reg('left-pad', '1.1.0'), dev: true },
      '@s/a': {
        version: '2.0.0',
        resolved: reg('@s/a', '2.0.0'),
        optional: true,
        requires: { b: '^1.0.0' },
        dependencies: {
          b: {
            version: '1.0.0',
            resolved: reg('b', '1.0.0'),
            bundled: true,
            dependencies: { c: { version: '3.0.0' } },
          },
        },
      },
      g: { version: 'git+https://github.com/u/g.git#0123456789abcdef', from: 'git+https://github.com/u/g.git' },
      h: { version: 'github:u/h#abcdef' },
      local: { version: 'file:../local' },
      tar: { version: 'file:vendor/tar-1.0.0.tgz' },
      remote: { version: 'https://example.com/remote-1.0.0.tgz' },
    },
  };
  const text = JSON.stringify(json, null, 2);
  const { lockfile, errors } = readNpmLockfile('package-lock.json', text);

  it('reads the tree with install paths and flags', () => {
    expect(errors).toEqual([]);
    expect(lockfile).toMatchObject({ path: 'package-lock.json', format: 'npm', lockfileVersion: 1 });
    expect(lockfile?.packages.map((p) => p.path)).toEqual([
      'node_modules/left-pad',
      'node_modules/pad',
      'node_modules/@s/a',
      'node_modules/@s/a/node_modules/b',
      'node_modules/@s/a/node_modules/b/node_modules/c',
      'node_modules/g',
      'node_modules/h',
      'node_modules/local',
      'node_modules/tar',
      'node_modules/remote',
    ]);
    expect(byPath(lockfile?.packages, 'node_modules/left-pad')).toEqual({
      name: 'left-pad',
      version: '1.3.0',
      resolved: reg('left-pad', '1.3.0'),
      integrity: 'sha512-x',
      path: 'node_modules/left-pad',
      lockfile: 'package-lock.json',
      line: lineOf(text, '"left-pad": {'),
      source: 'registry',
    });
    expect(byPath(lockfile?.packages, 'node_modules/@s/a')).toMatchObject({
      name: '@s/a',
      optional: true,
      source: 'registry',
    });
    expect(byPath(lockfile?.packages, 'node_modules/@s/a/node_modules/b')).toMatchObject({ name: 'b', bundled: true });
  });

  it('reads npm: aliases as the real package', () => {
    expect(byPath(lockfile?.packages, 'node_modules/pad')).toMatchObject({
      name: 'left-pad',
      alias: 'pad',
      version: '1.1.0',
      dev: true,
      source: 'registry',
    });
  });

  it('marks sources written in the version', () => {
    const sources = Object.fromEntries(lockfile?.packages.map((p) => [p.path.slice(13), [p.source, p.local]]) ?? []);
    expect(sources).toMatchObject({
      g: ['git', undefined],
      h: ['git', undefined],
      local: ['link', true],
      tar: ['file', undefined],
      remote: ['remote', undefined],
    });
    expect(byPath(lockfile?.packages, 'node_modules/g')?.version).toBe(json.dependencies.g.version);
  });

  it('gives nested entries the line of their key', () => {
    const c = byPath(lockfile?.packages, 'node_modules/@s/a/node_modules/b/node_modules/c');
    expect(c?.line).toBe(lineOf(text, '"c": {'));
  });
});

describe('npm lockfile v2 and v3', () => {
  const packages = {
    '': { name: 'app', version: '1.0.0', workspaces: ['packages/*'], dependencies: { 'left-pad': '^1' } },
    'node_modules/left-pad': { version: '1.3.0', resolved: reg('left-pad', '1.3.0'), integrity: 'sha512-y' },
    'node_modules/@s/a': { version: '2.0.0', resolved: reg('@s/a', '2.0.0'), dev: true },
    'node_modules/@s/a/node_modules/b': { version: '1.0.0', resolved: reg('b', '1.0.0'), inBundle: true },
    'node_modules/pad': { name: 'left-pad', version: '1.1.0', resolved: reg('left-pad', '1.1.0'), devOptional: true },
    'node_modules/@x/alias': { name: '@y/real', version: '3.0.0', resolved: reg('@y/real', '3.0.0'), optional: true },
    'node_modules/ws-a': { resolved: 'packages/a', link: true },
    'node_modules/outside': { resolved: '../outside', link: true },
    'node_modules/g': { version: '1.0.0', resolved: 'git+ssh://git@github.com/u/g.git#0123456789abcdef' },
    'node_modules/remote': { version: '1.0.0', resolved: 'https://example.com/files/remote.tgz' },
    'node_modules/tar': { version: '1.0.0', resolved: 'file:vendor/tar-1.0.0.tgz' },
    'node_modules/no-resolved': { version: '4.0.0' },
    'packages/a': { name: 'ws-a', version: '0.1.0', dependencies: { c: '^1' } },
    'packages/a/node_modules/c': { version: '1.2.0', resolved: reg('c', '1.2.0') },
  };

  it.each([3, 2])('reads the packages map of v%i', (lockfileVersion) => {
    const text = JSON.stringify(
      { name: 'app', lockfileVersion, requires: true, packages, dependencies: { ignored: { version: '9.9.9' } } },
      null,
      2,
    );
    const { lockfile, errors } = readNpmLockfile('package-lock.json', text);
    expect(errors).toEqual([]);
    expect(lockfile?.lockfileVersion).toBe(lockfileVersion);
    const rows = lockfile?.packages.map((p) => [p.path, p.name, p.version, p.alias, p.source, p.local]);
    expect(rows).toEqual([
      ['node_modules/left-pad', 'left-pad', '1.3.0', undefined, 'registry', undefined],
      ['node_modules/@s/a', '@s/a', '2.0.0', undefined, 'registry', undefined],
      ['node_modules/@s/a/node_modules/b', 'b', '1.0.0', undefined, 'registry', undefined],
      ['node_modules/pad', 'left-pad', '1.1.0', 'pad', 'registry', undefined],
      ['node_modules/@x/alias', '@y/real', '3.0.0', '@x/alias', 'registry', undefined],
      ['node_modules/ws-a', 'ws-a', '0.1.0', undefined, 'link', true],
      ['node_modules/outside', 'outside', '', undefined, 'link', true],
      ['node_modules/g', 'g', '1.0.0', undefined, 'git', undefined],
      ['node_modules/remote', 'remote', '1.0.0', undefined, 'remote', undefined],
      ['node_modules/tar', 'tar', '1.0.0', undefined, 'file', undefined],
      ['node_modules/no-resolved', 'no-resolved', '4.0.0', undefined, 'registry', undefined],
      ['packages/a', 'ws-a', '0.1.0', undefined, 'link', true],
      ['packages/a/node_modules/c', 'c', '1.2.0', undefined, 'registry', undefined],
    ]);
    const pkgs = lockfile?.packages;
    expect(byPath(pkgs, 'node_modules/left-pad')).toMatchObject({
      integrity: 'sha512-y',
      resolved: reg('left-pad', '1.3.0'),
    });
    expect(byPath(pkgs, 'node_modules/@s/a')).toMatchObject({ dev: true });
    expect(byPath(pkgs, 'node_modules/@s/a/node_modules/b')).toMatchObject({ bundled: true });
    expect(byPath(pkgs, 'node_modules/pad')).toMatchObject({ devOptional: true });
    expect(byPath(pkgs, 'node_modules/@x/alias')).toMatchObject({ optional: true });
    for (const p of pkgs ?? []) expect(p.line).toBe(lineOf(text, `"${p.path}": {`));
  });

  it('falls back to the dependencies tree of a v2 file without packages', () => {
    const { lockfile } = read({ lockfileVersion: 2, dependencies: { a: { version: '1.0.0' } } });
    expect(lockfile?.packages.map((p) => [p.path, p.version])).toEqual([['node_modules/a', '1.0.0']]);
  });
});

describe('npm lockfile errors', () => {
  it.each([['4'], ['0'], ['"3"'], ['null']])('rejects lockfileVersion %s', (value) => {
    const { lockfile, errors } = readNpmLockfile(
      'package-lock.json',
      `{\n  "name": "x",\n  "lockfileVersion": ${value}\n}`,
    );
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'package-lock.json',
        line: 3,
        reason: 'unsupported-version',
        field: 'lockfileVersion',
      }),
    ]);
  });

  it('rejects a lockfile without lockfileVersion', () => {
    const { lockfile, errors } = read({ name: 'x', dependencies: {} });
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ reason: 'unsupported-version' })]);
    expect(errors[0]?.line).toBeUndefined();
  });

  it('reports malformed entries with their line and reads the rest', () => {
    const text = `{
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "x" },
    "node_modules/ok": { "version": "1.0.0" },
    "node_modules/str": "1.0.0",
    "node_modules/noversion": { "resolved": "https://r/x/-/x-1.0.0.tgz" },
    "node_modules/numversion": { "version": 1 },
    "node_modules/ok2": { "version": "2.0.0" }
  }
}`;
    const { lockfile, errors } = readNpmLockfile('package-lock.json', text);
    expect(lockfile?.packages.map((p) => p.name)).toEqual(['ok', 'ok2']);
    expect(errors.map((e) => [e.field, e.line, e.reason])).toEqual([
      ['packages.node_modules/str', 6, 'invalid-entry'],
      ['packages.node_modules/noversion', 7, 'invalid-entry'],
      ['packages.node_modules/numversion', 8, 'invalid-entry'],
    ]);
  });

  it('reports malformed v1 entries and still reads their nested dependencies', () => {
    const text =
      '{\n "lockfileVersion": 1,\n "dependencies": {\n  "a": {\n   "dependencies": { "b": { "version": "1.0.0" } }\n  },\n  "c": [],\n  "d": { "version": "1.0.0", "dependencies": 5 }\n }\n}';
    const { lockfile, errors } = readNpmLockfile('npm-shrinkwrap.json', text);
    expect(lockfile?.packages.map((p) => [p.path, p.line])).toEqual([
      ['node_modules/a/node_modules/b', 5],
      ['node_modules/d', 8],
    ]);
    expect(errors.map((e) => [e.file, e.field, e.line, e.reason])).toEqual([
      ['npm-shrinkwrap.json', 'dependencies.a', 4, 'invalid-entry'],
      ['npm-shrinkwrap.json', 'dependencies.c', 7, 'invalid-entry'],
      ['npm-shrinkwrap.json', 'dependencies.d.dependencies', 8, 'wrong-type'],
    ]);
  });

  it('reports a v3 file without a packages map', () => {
    const { lockfile, errors } = read({ lockfileVersion: 3, packages: [] });
    expect(lockfile?.packages).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ field: 'packages', reason: 'wrong-type', line: 3 })]);
  });

  it('reports broken JSON and non-object documents', () => {
    expect(
      readNpmLockfile('package-lock.json', '{\n  "lockfileVersion": 3,\n  "packages": {\n').errors[0],
    ).toMatchObject({ reason: 'invalid-json', line: 4 });
    expect(readNpmLockfile('package-lock.json', 'null').errors[0]).toMatchObject({ reason: 'wrong-type' });
  });
});

describe('readLockfile', () => {
  const lock = (name: string) =>
    JSON.stringify({ lockfileVersion: 3, packages: { [`node_modules/${name}`]: { version: '1.0.0' } } });

  it('prefers npm-shrinkwrap.json over package-lock.json', async () => {
    const root = await writeTree({
      'package-lock.json': lock('from-lock'),
      'npm-shrinkwrap.json': lock('from-shrinkwrap'),
    });
    const { lockfile, errors } = await readLockfile(root);
    expect(errors).toEqual([]);
    expect(lockfile?.path).toBe('npm-shrinkwrap.json');
    expect(lockfile?.packages.map((p) => [p.name, p.lockfile])).toEqual([['from-shrinkwrap', 'npm-shrinkwrap.json']]);
  });

  it('reads package-lock.json alone', async () => {
    const root = await writeTree({ 'package-lock.json': lock('a') });
    expect((await readLockfile(root)).lockfile?.path).toBe('package-lock.json');
  });

  it('returns no lockfile and no error when there is none', async () => {
    const root = await writeTree({ 'package.json': '{}' });
    expect(await readLockfile(root)).toEqual({ errors: [] });
  });

  it('reports an unreadable lockfile instead of falling back', async () => {
    const root = await writeTree({ 'npm-shrinkwrap.json/x': '', 'package-lock.json': lock('a') });
    const { lockfile, errors } = await readLockfile(root);
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ file: 'npm-shrinkwrap.json', reason: 'unreadable' })]);
  });

  it('takes other readers in order', async () => {
    const root = await writeTree({ 'custom.lock': 'x', 'package-lock.json': lock('a') });
    const custom = {
      files: ['custom.lock'],
      read: (relPath: string) => ({ errors: [{ file: relPath, message: 'custom' }] }),
    };
    expect((await readLockfile(root, [custom])).errors[0]?.file).toBe('custom.lock');
  });
});
