import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { skipRules } from '../../src/config/skip-rules.js';

describe('skip rules', () => {
  const rules = () =>
    skipRules(parseConfig({ internalScopes: ['@acme'], ignore: { packages: ['left-*', 'exact'] } }, 'cfg.json'));

  it('internal scopes (any case) and ignore.packages are skipped, and remembered; other names are not', () => {
    const r = rules();
    expect(['@ACME/core', '@acme/x', 'left-pad', 'exact', 'exactly', 'lodash'].map((n) => r.skip(n))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect([...r.skipped].sort()).toEqual(['@ACME/core', '@acme/x', 'exact', 'left-pad']);
  });

  it('isExcluded asks without remembering; isInternal is the internal scopes only', () => {
    const r = rules();
    expect([r.isExcluded('left-pad'), r.isExcluded('@acme/x'), r.isExcluded('lodash')]).toEqual([true, true, false]);
    expect(r.skipped.size).toBe(0);
    expect([r.isInternal('@acme/x'), r.isInternal('left-pad'), r.isInternal('@acmex/y')]).toEqual([true, false, false]);
  });
});
