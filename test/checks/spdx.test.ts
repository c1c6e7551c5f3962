import { describe, expect, it } from 'vitest';
import { categorize, formatSpdx, leaves, licenseFamily, parseLicense } from '../../src/checks/spdx.js';

/** The expression a licence string parses or is corrected to, else its kind. */
const reading = (raw: string | undefined): string => {
  const parsed = parseLicense(raw);
  return parsed.kind === 'expression' ? formatSpdx(parsed.tree) : parsed.kind;
};

describe('parseLicense', () => {
  it('reads the forms npm documents: nothing, UNLICENSED, SEE LICENSE IN <file>, an SPDX expression', () => {
    expect(parseLicense(undefined)).toEqual({ kind: 'missing' });
    expect(parseLicense('   ')).toEqual({ kind: 'missing' });
    expect(parseLicense('UNLICENSED')).toEqual({ kind: 'unlicensed' });
    expect(parseLicense('unlicenced')).toEqual({ kind: 'unlicensed' });
    expect(parseLicense('SEE LICENSE IN ./docs/EULA.md ')).toEqual({ kind: 'custom', file: './docs/EULA.md' });
    expect(parseLicense('see licence in LICENSE')).toEqual({ kind: 'custom', file: 'LICENSE' });
    expect(parseLicense('MIT')).toEqual({ kind: 'expression', expression: 'MIT', tree: { license: 'MIT' } });
    expect(parseLicense('(MIT OR Apache-2.0)')).toEqual({
      kind: 'expression',
      expression: '(MIT OR Apache-2.0)',
      tree: { left: { license: 'MIT' }, conjunction: 'or', right: { license: 'Apache-2.0' } },
    });
    expect(parseLicense('GPL-2.0+ WITH Classpath-exception-2.0')).toMatchObject({
      kind: 'expression',
      tree: { license: 'GPL-2.0', plus: true, exception: 'Classpath-exception-2.0' },
    });
  });

  it('corrects a legacy name that names one licence, and keeps what was written', () => {
    expect(parseLicense('Apache 2')).toMatchObject({
      kind: 'expression',
      expression: 'Apache-2.0',
      corrected: 'Apache 2',
    });
    expect(parseLicense('GPLv3')).toMatchObject({
      kind: 'expression',
      expression: 'GPL-3.0-or-later',
      corrected: 'GPLv3',
    });
    expect(reading('MIT License')).toBe('MIT');
    expect(reading('Apache License, Version 2.0')).toBe('Apache-2.0');
    expect(reading('New BSD License')).toBe('BSD-3-Clause');
  });

  it('a name several licences answer to is ambiguous, with the guess spdx-correct would make', () => {
    expect(parseLicense('BSD')).toEqual({ kind: 'ambiguous', text: 'BSD', guess: 'BSD-2-Clause' });
    expect(parseLicense('GPL')).toMatchObject({ kind: 'ambiguous', text: 'GPL' });
    for (const qualified of ['MIT-like', 'MIT-style', 'MIT*', 'BSD-3-Clause-like'])
      expect(parseLicense(qualified).kind, qualified).toBe('ambiguous');
    // A correction that kept only part of what was written.
    expect(parseLicense('MIT/Apache-2.0').kind).toBe('ambiguous');
  });

  it('text that names no licence, or names another than the correction, is unparseable', () => {
    expect(parseLicense('Public Domain')).toEqual({ kind: 'unparseable', text: 'Public Domain' });
    // spdx-correct makes "EUPL" the permissive UPL-1.0: not what the text says.
    expect(parseLicense('EUPL')).toEqual({ kind: 'unparseable', text: 'EUPL' });
    expect(parseLicense('all rights reserved, ask us')).toMatchObject({ kind: 'unparseable' });
  });

  it('corrects a compound part by part: an unclear alternative is dropped, an unclear conjunct is not', () => {
    expect(parseLicense('(AFLv2.1 OR BSD)')).toMatchObject({
      kind: 'expression',
      expression: 'AFL-2.1',
      corrected: '(AFLv2.1 OR BSD)',
    });
    // Each part reads as it would alone.
    expect(reading('GPLv2')).toBe('GPL-2.0-only');
    expect(reading('GPLv2 OR MIT')).toBe('(GPL-2.0-only OR MIT)');
    expect(parseLicense('MIT AND BSD').kind).toBe('ambiguous');
    expect(parseLicense('(BSD OR GPL)').kind).not.toBe('expression');
  });

  it('answers the same string with the same reading, parsed once', () => {
    expect(parseLicense('ISC')).toBe(parseLicense('ISC'));
    expect(parseLicense('Apache 2')).toBe(parseLicense('Apache 2'));
  });
});

describe('licenseFamily and categorize', () => {
  it.each([
    ['GPL-2.0+', 'GPL-2.0'],
    ['GPL-2.0-or-later', 'GPL-2.0'],
    ['GPL-2.0-only', 'GPL-2.0'],
    ['GPL-2.0', 'GPL-2.0'],
    ['MIT', 'MIT'],
    ['LGPL-3.0-only', 'LGPL-3.0'],
  ])('the family of %s is %s', (id, family) => {
    expect(licenseFamily(id)).toBe(family);
  });

  it.each([
    ['MIT', undefined, 'permissive'],
    ['Apache-2.0', undefined, 'permissive'],
    ['BSD-3-Clause', undefined, 'permissive'],
    ['0BSD', undefined, 'permissive'],
    ['LGPL-2.1-or-later', undefined, 'weak-copyleft'],
    ['MPL-2.0', undefined, 'weak-copyleft'],
    ['EPL-2.0', undefined, 'weak-copyleft'],
    ['CECILL-C', undefined, 'weak-copyleft'],
    ['GPL-3.0-only', undefined, 'strong-copyleft'],
    ['EUPL-1.2', undefined, 'strong-copyleft'],
    ['CECILL-2.1', undefined, 'strong-copyleft'],
    ['GPL-2.0-only', 'Classpath-exception-2.0', 'weak-copyleft'],
    ['GPL-3.0-or-later', 'GCC-exception-3.1', 'weak-copyleft'],
    ['GPL-2.0-only', 'Font-exception-2.0', 'strong-copyleft'],
    ['AGPL-3.0-only', undefined, 'network-copyleft'],
    ['SSPL-1.0', undefined, 'network-copyleft'],
    ['OSL-3.0', undefined, 'network-copyleft'],
    ['BUSL-1.1', undefined, 'other'],
    ['LicenseRef-Proprietary', undefined, 'other'],
  ])('%s (exception %s) is %s', (id, exception, category) => {
    expect(categorize(id, exception)).toBe(category);
  });
});

describe('leaves and formatSpdx', () => {
  const tree = (text: string) => {
    const parsed = parseLicense(text);
    if (parsed.kind !== 'expression') throw new Error(`${text}: ${parsed.kind}`);
    return parsed.tree;
  };

  it('lists every licence of an expression in order, with its plus and exception', () => {
    expect(leaves(tree('MIT OR (Apache-2.0 AND GPL-2.0+ WITH Classpath-exception-2.0)'))).toEqual([
      { license: 'MIT' },
      { license: 'Apache-2.0' },
      { license: 'GPL-2.0', plus: true, exception: 'Classpath-exception-2.0' },
    ]);
  });

  it('writes one spelling per expression: redundant parentheses go, precedence is made explicit', () => {
    expect(formatSpdx(tree('((MIT))'))).toBe('MIT');
    expect(formatSpdx(tree('MIT OR Apache-2.0 AND ISC'))).toBe('(MIT OR (Apache-2.0 AND ISC))');
    expect(formatSpdx(tree('GPL-2.0+ WITH Classpath-exception-2.0'))).toBe('GPL-2.0+ WITH Classpath-exception-2.0');
    expect(formatSpdx(tree('(MIT OR ISC)'))).toBe(formatSpdx(tree('MIT OR ISC')));
  });
});
