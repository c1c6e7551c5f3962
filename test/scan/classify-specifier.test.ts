import { describe, expect, it } from 'vitest';
import { classifySpecifier, packageNameOf } from '../../src/scan/classify-specifier.js';

describe('classifySpecifier', () => {
  it.each([
    ['fs', 'builtin'],
    ['node:fs', 'builtin'],
    ['fs/promises', 'builtin'],
    ['node:fs/promises', 'builtin'],
    ['node:test', 'builtin'],
    ['node:sqlite', 'builtin'],
    ['.', 'relative'],
    ['..', 'relative'],
    ['./a', 'relative'],
    ['../a/b.js', 'relative'],
    ['/abs/x.js', 'absolute'],
    ['C:\\x\\y.js', 'absolute'],
    ['c:/x.js', 'absolute'],
    ['file:///x.js', 'absolute'],
    ['https://esm.sh/react', 'url'],
    ['http://x.test/a.js', 'url'],
    ['data:text/javascript,export default 1', 'url'],
    ['jsr:@std/path', 'url'],
    ['bun:test', 'url'],
    ['cloudflare:workers', 'url'],
    ['bun', 'builtin'],
    ['@docusaurus/Link', 'invalid'],
    ['@Acme/x', 'invalid'],
    ['virtual:my-module', 'url'],
    ['#internal/x', 'subpath-import'],
    ['#x', 'subpath-import'],
    ['', 'invalid'],
    ['@scope', 'invalid'],
    ['@scope/', 'invalid'],
    ['style-loader!css-loader!./a.css', 'invalid'],
    ['.hidden-pkg', 'invalid'],
    ['_underscore', 'invalid'],
    ['has space', 'invalid'],
    ['node_modules', 'invalid'],
  ])('%s is %s', (specifier, kind) => {
    expect(classifySpecifier(specifier, {}).kind).toBe(kind);
  });

  it.each([
    ['lodash', 'lodash', undefined],
    ['lodash/fp', 'lodash', 'fp'],
    ['lodash/fp/map.js', 'lodash', 'fp/map.js'],
    ['@scope/x', '@scope/x', undefined],
    ['@scope/x/y', '@scope/x', 'y'],
    ['@scope/x/y/z.js', '@scope/x', 'y/z.js'],
    ['test', 'test', undefined],
    ['fs-extra/lib', 'fs-extra', 'lib'],
  ])('%s is package %s with subpath %s', (specifier, name, subpath) => {
    const expected = subpath === undefined ? { kind: 'package', name } : { kind: 'package', name, subpath };
    expect(classifySpecifier(specifier, {})).toEqual(expected);
  });

  it('marks legacy-only names and reads Deno npm: specifiers as self-declared packages', () => {
    expect(classifySpecifier('JSONStream')).toEqual({ kind: 'package', name: 'JSONStream', legacy: true });
    expect(classifySpecifier('npm:lodash@4')).toEqual({ kind: 'package', name: 'lodash', selfDeclared: true });
    expect(classifySpecifier('npm:@types/node@^20/fs')).toEqual({
      kind: 'package',
      name: '@types/node',
      selfDeclared: true,
    });
    expect(classifySpecifier('npm:/chalk')).toEqual({ kind: 'package', name: 'chalk', selfDeclared: true });
    expect(classifySpecifier('npm:preact/hooks')).toEqual({ kind: 'package', name: 'preact', selfDeclared: true });
  });

  it('asks the alias matcher after relative and builtin, before packages', () => {
    const seen: string[] = [];
    const aliases = (s: string): boolean => {
      seen.push(s);
      return s.startsWith('@/') || s === 'fs' || s === 'lodash';
    };
    expect(classifySpecifier('@/lib/x', { aliases }).kind).toBe('alias');
    expect(classifySpecifier('lodash', { aliases }).kind).toBe('alias');
    expect(classifySpecifier('fs', { aliases }).kind).toBe('builtin');
    expect(classifySpecifier('./x', { aliases }).kind).toBe('relative');
    expect(classifySpecifier('react', { aliases }).kind).toBe('package');
    expect(seen).toEqual(['@/lib/x', 'lodash', 'react']);
  });
});

describe('packageNameOf', () => {
  it('names the package of a bare specifier and nothing else', () => {
    expect(packageNameOf('@scope/x/y')).toBe('@scope/x');
    expect(packageNameOf('lodash/fp')).toBe('lodash');
    expect(packageNameOf('node:fs')).toBeUndefined();
    expect(packageNameOf('./x')).toBeUndefined();
    expect(packageNameOf('@scope')).toBeUndefined();
  });
});
