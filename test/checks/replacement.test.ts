import { describe, expect, it } from 'vitest';
import { replacementIn } from '../../src/checks/replacement.js';

describe('replacementIn', () => {
  it('reads the successor a deprecation message names', () => {
    expect(replacementIn('Use @eslint/config-array instead', '@humanwhocodes/config-array')).toBe(
      '@eslint/config-array',
    );
    expect(replacementIn('This package has been renamed to `new-name`.', 'old')).toBe('new-name');
    expect(replacementIn('deprecated in favour of Zod', 'x')).toBe('zod');
    expect(replacementIn('Please use the native fetch API', 'x')).toBeUndefined();
    expect(
      replacementIn('request has been deprecated, see https://github.example.test/request/issues/3142', 'request'),
    ).toBeUndefined();
    expect(replacementIn('Do not use it. Check out lru-cache', 'inflight')).toBeUndefined();
  });

  it('never names the package itself, a version, or a word that is no package name', () => {
    expect(replacementIn('use pkg 2 instead', 'pkg')).toBeUndefined();
    expect(replacementIn('use v4 of this package', 'pkg')).toBeUndefined();
    expect(replacementIn('switch to 2.0.0', 'pkg')).toBeUndefined();
    expect(replacementIn('superseded by other-pkg.', 'pkg')).toBe('other-pkg');
    expect(replacementIn('replaced by "@scope/next";', 'pkg')).toBe('@scope/next');
  });
});
