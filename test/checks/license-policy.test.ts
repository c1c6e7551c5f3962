import { describe, expect, it } from 'vitest';
import type { LicensePolicy } from '../../src/config/config.js';
import { judgeExpression } from '../../src/checks/license-policy.js';
import { parseLicense } from '../../src/checks/spdx.js';

const NO_POLICY: LicensePolicy = { allow: [], deny: [], exceptions: [] };

/** The verdict on a licence expression in a project under `project`. */
function judge(expression: string, project: string | undefined = 'MIT', policy: Partial<LicensePolicy> = {}) {
  const parsed = parseLicense(expression);
  if (parsed.kind !== 'expression') throw new Error(`${expression}: ${parsed.kind}`);
  return judgeExpression(parsed.tree, { ...NO_POLICY, ...policy }, project);
}

describe('the default policy, from the project licence', () => {
  it('permissive licences are ok, weak copyleft is said, unknown ones are for review', () => {
    expect(judge('MIT')).toEqual({ verdict: 'ok' });
    expect(judge('MPL-2.0')).toEqual({ verdict: 'weak-copyleft', license: 'MPL-2.0' });
    expect(judge('BUSL-1.1')).toEqual({ verdict: 'review', license: 'BUSL-1.1', category: 'other' });
    expect(judge('GPL-2.0-only WITH Classpath-exception-2.0')).toEqual({
      verdict: 'weak-copyleft',
      license: 'GPL-2.0-only WITH Classpath-exception-2.0',
    });
  });

  it('strong and network copyleft are not allowed in a permissive, proprietary or licence-less project', () => {
    for (const project of ['MIT', 'UNLICENSED', undefined]) {
      expect(judge('GPL-3.0-only', project), String(project)).toEqual({
        verdict: 'not-allowed',
        license: 'GPL-3.0-only',
        why: 'incompatible',
        category: 'strong-copyleft',
      });
      expect(judge('AGPL-3.0-only', project)).toMatchObject({ verdict: 'not-allowed', category: 'network-copyleft' });
    }
  });

  it.each([
    ['GPL-3.0-only', 'GPL-3.0-or-later', 'ok'],
    ['GPL-3.0-only', 'GPL-2.0-or-later', 'ok'],
    ['GPL-3.0-only', 'GPL-2.0+', 'ok'],
    ['GPL-3.0-only', 'GPL-2.0-only', 'not-allowed'],
    ['GPL-3.0-only', 'AGPL-3.0-only', 'not-allowed'],
    ['GPL-2.0-only', 'GPL-3.0-only', 'not-allowed'],
    ['GPL-2.0-or-later', 'GPL-3.0-only', 'ok'],
    ['AGPL-3.0-only', 'GPL-3.0-only', 'ok'],
    ['AGPL-3.0-only', 'AGPL-3.0-or-later', 'ok'],
    ['(MIT OR GPL-3.0-only)', 'GPL-3.0-only', 'ok'],
    ['Apache-2.0', 'GPL-3.0-only', 'not-allowed'],
  ])('a %s project may take in %s: %s', (project, dependency, verdict) => {
    expect(judge(dependency, project).verdict).toBe(verdict);
  });
});

describe('SPDX semantics', () => {
  it('an OR takes its best branch, an AND its worst', () => {
    expect(judge('(GPL-3.0-only OR MIT)')).toEqual({ verdict: 'ok' });
    expect(judge('(BUSL-1.1 OR MPL-2.0)')).toEqual({ verdict: 'weak-copyleft', license: 'MPL-2.0' });
    expect(judge('(MIT AND MPL-2.0)')).toEqual({ verdict: 'weak-copyleft', license: 'MPL-2.0' });
    expect(judge('(BUSL-1.1 AND GPL-3.0-only)')).toMatchObject({ verdict: 'not-allowed', license: 'GPL-3.0-only' });
    expect(judge('(MIT AND (ISC OR GPL-3.0-only))')).toEqual({ verdict: 'ok' });
  });
});

describe('a configured policy', () => {
  it('allow: a licence outside the list is not allowed, whatever its category; entries match by family', () => {
    const allow = ['MIT', '(ISC OR BSD-3-Clause)', 'GPL-3.0-or-later'];
    expect(judge('Apache-2.0', 'MIT', { allow })).toEqual({
      verdict: 'not-allowed',
      license: 'Apache-2.0',
      why: 'not-in-allow-list',
      category: 'permissive',
    });
    expect(judge('BSD-3-Clause', 'MIT', { allow })).toEqual({ verdict: 'ok' });
    // GPL-3.0-only is of the family GPL-3.0-or-later names: allowed, even in an MIT project.
    expect(judge('GPL-3.0-only', 'MIT', { allow })).toEqual({ verdict: 'ok' });
    expect(judge('(Apache-2.0 OR ISC)', 'MIT', { allow })).toEqual({ verdict: 'ok' });
  });

  it('deny: wins over allow and over compatibility; matches the family, never a substring', () => {
    expect(judge('MIT', 'MIT', { allow: ['MIT'], deny: ['MIT'] })).toEqual({
      verdict: 'not-allowed',
      license: 'MIT',
      why: 'denied',
      category: 'permissive',
    });
    expect(judge('GPL-3.0-or-later', 'GPL-3.0-only', { deny: ['GPL-3.0-only'] })).toMatchObject({
      verdict: 'not-allowed',
      why: 'denied',
    });
    expect(judge('LGPL-3.0-only', 'MIT', { deny: ['GPL-3.0-only'] })).toEqual({
      verdict: 'weak-copyleft',
      license: 'LGPL-3.0-only',
    });
    // An entry that is no SPDX expression denies nothing.
    expect(judge('MIT', 'MIT', { deny: ['not a licence at all'] })).toEqual({ verdict: 'ok' });
  });
});
