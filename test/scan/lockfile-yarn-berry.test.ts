import { describe, expect, it } from 'vitest';
import { readYarnBerryLockfile } from '../../src/scan/lockfiles/yarn-berry.js';
import { readYarnLockfile } from '../../src/scan/lockfiles/yarn.js';
import { byPath, fixture, lineOf, lineText, rows } from '../helpers/lockfiles.js';

const read = (text: string) => readYarnBerryLockfile('yarn.lock', text);
const meta = (version: string) => `__metadata:\n  version: ${version}\n  cacheKey: 10c0\n`;

describe('yarn berry lockfile written by yarn 4', () => {
  const text = fixture('yarn-berry/yarn.lock');
  const { lockfile, errors } = read(text);
  const packages = lockfile?.packages;

  it('reads registry entries by their resolution, merged descriptors as one entry', () => {
    expect(errors).toEqual([]);
    expect(lockfile).toMatchObject({ path: 'yarn.lock', format: 'yarn-berry', lockfileVersion: 10 });
    expect(packages).toHaveLength(30);
    expect(byPath(packages, 'is-number@npm:^7.0.0, is-number@npm:~7.0.0')).toEqual({
      name: 'is-number',
      version: '7.0.0',
      path: 'is-number@npm:^7.0.0, is-number@npm:~7.0.0',
      source: 'registry',
      lockfile: 'yarn.lock',
      line: lineOf(text, '"is-number@npm:^7.0.0, is-number@npm:~7.0.0":'),
    });
  });

  it('keeps yarn checksums out of integrity', () => {
    expect(text).toContain('checksum: 10c0/');
    expect(packages?.filter((p) => p.integrity !== undefined)).toEqual([]);
  });

  it('reads aliases, patches, workspaces, links, folders and tarball URLs', () => {
    expect(rows(packages).filter((r) => !r[0].startsWith(`${r[1]}@npm:`))).toEqual([
      ['left-pad@https://registry.example.test/left-pad/-/left-pad-1.3.0.tgz', 'left-pad', '1.3.0', 'remote', ''],
      ['lf-app@workspace:.', 'lf-app', '0.0.0-use.local', 'link', 'local'],
      ['lf-util@workspace:*, lf-util@workspace:packages/util', 'lf-util', '0.0.0-use.local', 'link', 'local'],
      ['lf-web@workspace:packages/web', 'lf-web', '0.0.0-use.local', 'link', 'local'],
      ['linked@link:./vendor/linked::locator=lf-app%40workspace%3A.', 'linked', '0.0.0-use.local', 'link', 'local'],
      ['local-dir@file:./vendor/local-dir::locator=lf-app%40workspace%3A.', 'local-dir', '0.1.0', 'link', 'local'],
      ['my-chalk@npm:chalk@^4.1.2', 'chalk', '4.1.2', 'registry', 'alias=my-chalk'],
      // The package a patch applies to is what comes from the registry.
      ['resolve@patch:resolve@npm%3A^1.22.0#optional!builtin<compat/resolve>', 'resolve', '1.22.14', 'registry', ''],
    ]);
    expect(byPath(packages, 'linked@link:./vendor/linked::locator=lf-app%40workspace%3A.')?.resolved).toBe(
      'link:./vendor/linked',
    );
  });

  it('gives each entry the line of its key', () => {
    for (const p of packages ?? []) expect(lineText(text, p.line)).toBe(`${JSON.stringify(p.path)}:`);
  });

  it('is what readYarnLockfile reads a file with __metadata with', async () => {
    expect((await readYarnLockfile('yarn.lock', text)).lockfile?.format).toBe('yarn-berry');
  });
});

describe('yarn berry protocols', () => {
  const text = `${meta('6')}
"gitdep@https://github.com/u/gitdep.git#v1":
  version: 1.0.0
  resolution: "gitdep@https://github.com/u/gitdep.git#commit=0123abc"

"hosted@git+https://git.example.test/u/hosted#main":
  version: 1.1.0
  resolution: "hosted@git+https://git.example.test/u/hosted#commit=0123abc"

"selfhost@https://git.example.test/u/selfhost#main":
  version: 1.2.0
  resolution: "selfhost@https://git.example.test/u/selfhost#commit=0123abc"

"portal@portal:../portal::locator=app%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "portal@portal:../portal::locator=app%40workspace%3A."

"gen@exec:./gen.js::locator=app%40workspace%3A.":
  version: 0.0.0
  resolution: "gen@exec:./gen.js#./gen.js::hash=abc&locator=app%40workspace%3A."

"tar@file:./vendor/tar-1.0.0.tgz::locator=app%40workspace%3A.":
  version: 1.0.0
  resolution: "tar@file:./vendor/tar-1.0.0.tgz::locator=app%40workspace%3A."

"pg@patch:pg@https%3A//github.com/u/pg.git%23v1#./pg.patch::locator=app%40workspace%3A.":
  version: 8.0.0
  resolution: "pg@patch:pg@https%3A//github.com/u/pg.git%23commit=0123abc#./pg.patch::version=8.0.0&hash=abc"

"typescript@patch:typescript@^4.9.0#~builtin<compat/typescript>":
  version: 4.9.5
  resolution: "typescript@patch:typescript@npm%3A4.9.5#~builtin<compat/typescript>::version=4.9.5&hash=1d3c1d"

"chalk@npm:^4.1.2, my-chalk@npm:chalk@^4.1.2":
  version: 4.1.2
  resolution: "chalk@npm:4.1.2"

"@scope/x@npm:1.0.0":
  version: 1.0.0
  resolution: "@scope/x@npm:1.0.0"
`;

  it('classifies every protocol; patch: is the package it patches', () => {
    const { lockfile, errors } = read(text);
    expect(errors).toEqual([]);
    expect(lockfile?.lockfileVersion).toBe(6);
    expect(lockfile?.packages.map((p) => [p.name, p.version, p.source, p.local ?? false, p.alias])).toEqual([
      ['gitdep', '1.0.0', 'git', false, undefined],
      ['hosted', '1.1.0', 'git', false, undefined],
      ['selfhost', '1.2.0', 'git', false, undefined],
      ['portal', '0.0.0-use.local', 'link', true, undefined],
      ['gen', '0.0.0', 'remote', false, undefined],
      ['tar', '1.0.0', 'file', false, undefined],
      ['pg', '8.0.0', 'git', false, undefined],
      ['typescript', '4.9.5', 'registry', false, undefined],
      // One of the merged descriptors is the real name: nothing is installed under another.
      ['chalk', '4.1.2', 'registry', false, undefined],
      ['@scope/x', '1.0.0', 'registry', false, undefined],
    ]);
    expect(lockfile?.packages.find((p) => p.name === 'gitdep')?.resolved).toBe(
      'https://github.com/u/gitdep.git#commit=0123abc',
    );
  });
});

describe('yarn berry errors', () => {
  it.each([['3'], ['11'], ['x'], ['{}']])('rejects __metadata.version %s', (version) => {
    const { lockfile, errors } = read(`# yarn\n\n${meta(version)}`);
    expect(lockfile).toBeUndefined();
    expect(errors.map((e) => [e.file, e.field, e.line, e.reason])).toEqual([
      ['yarn.lock', '__metadata.version', 4, 'unsupported-version'],
    ]);
  });

  it.each([['4'], ['8'], ['10']])('reads __metadata.version %s', (version) => {
    expect(read(meta(version)).lockfile).toMatchObject({ lockfileVersion: Number(version), packages: [] });
  });

  it('reports broken YAML with its line', () => {
    const { lockfile, errors } = read(`${meta('8')}\n"a@npm:^1":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0\n`);
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ file: 'yarn.lock', reason: 'invalid-syntax' })]);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(7);
  });

  it('reports entries without a version or resolution and reads the rest', () => {
    const text = `${meta('8')}\n"a@npm:^1":\n  resolution: "a@npm:1.0.0"\n\n"b@npm:^1":\n  version: 1.0.0\n\n"c@npm:^1": c\n\n"d@npm:^1":\n  version: 1.0.0\n  resolution: "d@npm:1.0.0"\n`;
    const { lockfile, errors } = read(text);
    expect(lockfile?.packages.map((p) => [p.name, p.line])).toEqual([['d', 13]]);
    expect(errors.map((e) => [e.file, e.field, e.line, e.reason])).toEqual([
      ['yarn.lock', 'a@npm:^1', 5, 'invalid-entry'],
      ['yarn.lock', 'b@npm:^1', 8, 'invalid-entry'],
      ['yarn.lock', 'c@npm:^1', 11, 'invalid-entry'],
    ]);
  });
});
