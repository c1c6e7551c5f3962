import { describe, expect, it } from 'vitest';
import { readBunLockfile } from '../../src/scan/lockfiles/bun.js';
import { byPath, fixture, lineOf, lineText, rows } from '../helpers/lockfiles.js';

const read = (text: string) => readBunLockfile('bun.lock', text);

describe('bun.lock written by bun 1.4', () => {
  const text = fixture('bun/bun.lock');
  const { lockfile, errors } = read(text);
  const packages = lockfile?.packages;

  it('reads the trailing-comma JSONC and every package, nested ones under their parent path', () => {
    expect(errors).toEqual([]);
    expect(lockfile).toMatchObject({ path: 'bun.lock', format: 'bun', lockfileVersion: 2 });
    expect(packages).toHaveLength(28);
    expect(rows(packages).filter((r) => r[1] === 'is-number' || r[1] === 'ms')).toEqual([
      ['is-number', 'is-number', '7.0.0', 'registry', ''],
      ['ms', 'ms', '2.1.3', 'registry', ''],
      ['is-odd/is-number', 'is-number', '6.0.0', 'registry', ''],
      ['lf-util/ms', 'ms', '2.0.0', 'registry', ''],
    ]);
    expect(byPath(packages, 'ms')).toEqual({
      name: 'ms',
      version: '2.1.3',
      path: 'ms',
      integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
      source: 'registry',
      lockfile: 'bun.lock',
      line: lineOf(text, '    "ms": ['),
    });
  });

  it('reads aliases, workspaces, links, folders and tarball URLs', () => {
    expect(rows(packages).filter((r) => r[3] !== 'registry' || r[4] !== '')).toEqual([
      ['left-pad', 'left-pad', 'https://registry.example.test/left-pad/-/left-pad-1.3.0.tgz', 'remote', ''],
      ['lf-util', 'lf-util', '1.0.0', 'link', 'local'],
      ['lf-web', 'lf-web', '1.0.0', 'link', 'local'],
      ['linked', 'linked', 'link:./vendor/linked', 'link', 'local'],
      ['local-dir', 'local-dir', 'file:vendor/local-dir', 'link', 'local'],
      ['my-chalk', 'chalk', '4.1.2', 'registry', 'alias=my-chalk'],
    ]);
    expect(byPath(packages, 'left-pad')?.integrity).toMatch(/^sha512-/);
  });

  it('gives each entry the line of its key', () => {
    expect(packages).toHaveLength(28);
    for (const p of packages ?? []) {
      const key = `    ${JSON.stringify(p.path)}: [`;
      expect(lineText(text, p.line)?.slice(0, key.length), p.path).toBe(key);
    }
  });
});

describe('bun.lock protocols', () => {
  const text = `// written by hand
{
  "lockfileVersion": 1, /* block comment, */
  "workspaces": { "": { "name": "app" }, },
  "packages": {
    "g": ["g@git+https://git.example.test/u/g.git#0123abc", {}, "u-g-0123abc"],
    "h": ["h@github:u/h#0123abc", { "dependencies": { "x": "^1" } }, "u-h-0123abc"],
    "r": ["r@https://files.example.test/r-1.0.0.tgz", {}, "sha512-r"],
    "t": ["t@vendor/t-1.0.0.tgz", {}],
    "c": ["c@1.0.0", "https://npm.example.test/c/-/c-1.0.0.tgz", {}, "sha512-c"],
    "p/b": ["b@1.0.0", "", { "bundled": true }, "sha512-b"],
    "@s/a/@s/alias": ["@s/real@2.0.0", "", {}, "sha512-s"], // trailing comment
  },
}
`;

  it('classifies git, GitHub, tarball URL, local tarball and custom registry entries', () => {
    const { lockfile, errors } = read(text);
    expect(errors).toEqual([]);
    expect(rows(lockfile?.packages)).toEqual([
      ['g', 'g', 'git+https://git.example.test/u/g.git#0123abc', 'git', ''],
      ['h', 'h', 'github:u/h#0123abc', 'git', ''],
      ['r', 'r', 'https://files.example.test/r-1.0.0.tgz', 'remote', ''],
      ['t', 't', 'vendor/t-1.0.0.tgz', 'file', ''],
      ['c', 'c', '1.0.0', 'registry', ''],
      ['p/b', 'b', '1.0.0', 'registry', 'bundled'],
      ['@s/a/@s/alias', '@s/real', '2.0.0', 'registry', 'alias=@s/alias'],
    ]);
    const pkgs = lockfile?.packages;
    // The git tag bun keeps is no integrity.
    expect(byPath(pkgs, 'g')?.integrity).toBeUndefined();
    expect(byPath(pkgs, 'r')?.integrity).toBe('sha512-r');
    expect(byPath(pkgs, 'c')?.resolved).toBe('https://npm.example.test/c/-/c-1.0.0.tgz');
    expect(pkgs?.map((p) => p.line)).toEqual([6, 7, 8, 9, 10, 11, 12]);
  });
});

describe('bun.lock errors', () => {
  it('asks for a text lockfile instead of reading bun.lockb', () => {
    const binary = '#!/usr/bin/env bun\nbun-lockfile-format-v0\n\u0000\u0002\u0000';
    const { lockfile, errors } = readBunLockfile('bun.lockb', binary);
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ file: 'bun.lockb', reason: 'unsupported-version' })]);
    expect(errors[0]?.message).toContain('--save-text-lockfile');
  });

  it.each([['3'], ['"1"'], ['null']])('rejects lockfileVersion %s', (value) => {
    const { lockfile, errors } = read(`{\n  "lockfileVersion": ${value},\n  "packages": {},\n}`);
    expect(lockfile).toBeUndefined();
    expect(errors.map((e) => [e.file, e.field, e.line, e.reason])).toEqual([
      ['bun.lock', 'lockfileVersion', 2, 'unsupported-version'],
    ]);
  });

  it('reports broken JSONC with its line', () => {
    const { errors } = read(
      '{\n  "lockfileVersion": 1,\n  "packages": {\n    "a": ["a@1.0.0", "", {}, "sha512-a"]\n    "b": []\n',
    );
    expect(errors).toEqual([expect.objectContaining({ file: 'bun.lock', reason: 'invalid-json', line: 5 })]);
  });

  it('reports malformed entries with their line and reads the rest', () => {
    const text =
      '{\n  "lockfileVersion": 1,\n  "packages": {\n    "a": "a@1.0.0",\n    "b": ["b"],\n    "c": ["c@"],\n    "d": [],\n    "ok": ["ok@1.0.0", "", {}, "sha512-o"],\n  },\n}\n';
    const { lockfile, errors } = read(text);
    expect(lockfile?.packages.map((p) => [p.name, p.line])).toEqual([['ok', 8]]);
    expect(errors.map((e) => [e.file, e.field, e.line, e.reason])).toEqual([
      ['bun.lock', 'packages.a', 4, 'invalid-entry'],
      ['bun.lock', 'packages.b', 5, 'invalid-entry'],
      ['bun.lock', 'packages.c', 6, 'invalid-entry'],
      ['bun.lock', 'packages.d', 7, 'invalid-entry'],
    ]);
  });

  it('reports a packages map of the wrong shape and documents that are not objects', () => {
    expect(read('{ "lockfileVersion": 1,\n "packages": [] }').errors).toEqual([
      expect.objectContaining({ field: 'packages', line: 2, reason: 'wrong-type' }),
    ]);
    expect(read('[]').errors).toEqual([expect.objectContaining({ reason: 'wrong-type' })]);
  });
});
