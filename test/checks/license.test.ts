import { describe, expect, it } from 'vitest';
import { checkLicense } from '../../src/checks/license.js';
import type { PackageRequest } from '../../src/model/request.js';
import { distilPackument } from '../../src/registry/distil.js';
import type { DepverifyConfigInput } from '../../src/config/config.js';
import { checkContext, popularity } from '../helpers/model.js';
import { REGISTRY, type VersionSpec, packument } from '../helpers/registry.js';

const at = (wanted: string): PackageRequest => ({
  name: 'pkg',
  wanted,
  source: 'manifest',
  locations: [{ file: 'package.json', line: 4, field: 'dependencies.pkg' }],
});

function run(
  versions: Record<string, VersionSpec>,
  opts: { wanted?: string; project?: string; config?: DepverifyConfigInput; extra?: Record<string, unknown> } = {},
) {
  const lookup = distilPackument('pkg', REGISTRY, packument('pkg', { versions, license: null, extra: opts.extra }));
  const context = checkContext(opts.config, opts.project ? { projectLicense: opts.project } : {});
  return checkLicense.run({
    name: 'pkg',
    lookup,
    requests: [at(opts.wanted ?? '*')],
    suggest: () => [],
    popularity: popularity(),
    context,
  });
}
const codes = (findings: ReturnType<typeof run>) => findings.map((f) => f.code);
const one = (license: unknown, project = 'MIT', config?: DepverifyConfigInput) =>
  run({ '1.0.0': { license } }, { project, ...(config ? { config } : {}) });

describe('licence shapes', () => {
  it.each([
    ['MIT', []],
    ['(MIT OR GPL-3.0-only)', []],
    ['(MIT AND GPL-3.0-only)', ['LICENSE_NOT_ALLOWED']],
    ['Apache-2.0 WITH LLVM-exception', []],
    ['GPL-2.0-only WITH Classpath-exception-2.0', ['LICENSE_WEAK_COPYLEFT']],
    ['LGPL-3.0-or-later', ['LICENSE_WEAK_COPYLEFT']],
    ['MPL-2.0', ['LICENSE_WEAK_COPYLEFT']],
    ['EPL-2.0', ['LICENSE_WEAK_COPYLEFT']],
    ['GPL-3.0', ['LICENSE_NOT_ALLOWED']],
    ['GPL-2.0+', ['LICENSE_NOT_ALLOWED']],
    ['AGPL-3.0-only', ['LICENSE_NOT_ALLOWED']],
    ['SSPL-1.0', ['LICENSE_NOT_ALLOWED']],
    ['EUPL-1.2', ['LICENSE_NOT_ALLOWED']],
    ['OSL-3.0', ['LICENSE_NOT_ALLOWED']],
    ['UNLICENSED', ['LICENSE_UNLICENSED']],
    ['SEE LICENSE IN LICENSE.md', ['LICENSE_REVIEW']],
    ['Public Domain', ['LICENSE_REVIEW']],
    ['BUSL-1.1', ['LICENSE_REVIEW']],
    [undefined, ['LICENSE_REVIEW']],
    [{ type: 'MIT', url: 'https://example.test/mit' }, []],
  ])('%j in an MIT project → %j', (license, expected) => {
    expect(codes(one(license))).toEqual(expected);
  });

  it('corrects legacy names and says what was declared', () => {
    const [apache, bsd] = [one('Apache 2'), one('BSD')];
    expect(apache).toEqual([]);
    // "BSD" is 2-clause or 3-clause (or 4): a person decides, depverify does not guess.
    expect(bsd.map((f) => [f.code, f.details?.kind, f.details?.guess])).toEqual([
      ['LICENSE_REVIEW', 'ambiguous', 'BSD-2-Clause'],
    ]);
    expect(one('GPL').map((f) => [f.code, f.details?.kind])).toEqual([['LICENSE_REVIEW', 'ambiguous']]);
    expect(one('New BSD License')).toEqual([]);
    const [gpl] = one('GPLv3');
    expect(gpl).toMatchObject({
      code: 'LICENSE_NOT_ALLOWED',
      details: { license: 'GPL-3.0-or-later', declared: 'GPLv3' },
    });
  });

  it('a legacy licenses array with an ambiguous name is reviewed, not passed by an allow list', () => {
    const findings = run(
      { '1.0.0': { license: undefined } },
      { extra: { licenses: [{ type: 'BSD' }] }, config: { licenses: { allow: ['BSD-2-Clause'] } } },
    );
    expect(findings.map((f) => [f.code, f.details?.kind])).toEqual([['LICENSE_REVIEW', 'ambiguous']]);
  });

  it.each(['MIT-like', 'MIT-style', 'MIT*', 'BSD-3-Clause-like', 'MIT AND Foo', 'MIT/Apache-2.0'])(
    '%j is reviewed, not passed as the licence it resembles',
    (license) => {
      const findings = one(license, 'MIT', { licenses: { allow: ['MIT', 'BSD-3-Clause', 'Apache-2.0'] } });
      expect(findings.map((f) => [f.code, f.details?.kind])).toEqual([['LICENSE_REVIEW', 'ambiguous']]);
    },
  );

  it('a correction to a licence the text does not name is no correction ("EUPL" is not UPL-1.0)', () => {
    expect(one('EUPL', 'MIT', { licenses: { allow: ['UPL-1.0'] } }).map((f) => [f.code, f.details?.kind])).toEqual([
      ['LICENSE_REVIEW', 'unparseable'],
    ]);
    // Unambiguous spellings are still corrected.
    for (const license of [
      'Apache 2.0',
      'Apache License, Version 2.0',
      'MIT License',
      'GPLv2 OR MIT',
      'Boost',
      'MIT/X11',
      'MIT (https://example.test/LICENSE)',
    ]) {
      expect(one(license, 'MIT', { licenses: { allow: ['MIT', 'Apache-2.0', 'BSL-1.0'] } })).toEqual([]);
    }
  });

  it('a compound of legacy names is corrected part by part: an unclear alternative is dropped, an unclear conjunct is reviewed', () => {
    const allowAfl = { licenses: { allow: ['AFL-2.1'] } };
    expect(
      run(
        { '1.0.0': { license: undefined } },
        { extra: { licenses: [{ type: 'AFLv2.1' }, { type: 'BSD' }] }, config: allowAfl },
      ),
    ).toEqual([]);
    // Only BSD was ever a choice: the guess BSD-2-Clause is not taken.
    expect(codes(one('(BSD OR GPL)', 'MIT', { licenses: { allow: ['BSD-2-Clause'] } }))).toEqual(['LICENSE_REVIEW']);
    expect(
      one('MIT AND BSD', 'MIT', { licenses: { allow: ['MIT', 'BSD-2-Clause'] } }).map((f) => f.details?.kind),
    ).toEqual(['ambiguous']);
  });

  it('reads the legacy licenses array as alternatives', () => {
    const findings = run(
      { '1.0.0': { license: undefined } },
      { extra: { licenses: [{ type: 'MIT' }, { type: 'GPL-3.0' }] } },
    );
    expect(findings).toEqual([]);
  });

  it('says which kind of review is needed and where', () => {
    const [finding] = one('SEE LICENSE IN EULA.txt');
    expect(finding).toMatchObject({
      details: { kind: 'custom' },
      version: '1.0.0',
      locations: [{ file: 'package.json', line: 4 }],
    });
    expect(one(undefined)[0]?.details?.kind).toBe('missing');
    expect(one('Public Domain')[0]?.details?.kind).toBe('unparseable');
  });
});

describe('default policy from the project licence', () => {
  it.each([
    ['MIT', 'GPL-3.0-only', 'LICENSE_NOT_ALLOWED'],
    ['Apache-2.0', 'GPL-3.0-only', 'LICENSE_NOT_ALLOWED'],
    ['Apache-2.0', 'MPL-2.0', 'LICENSE_WEAK_COPYLEFT'],
    ['UNLICENSED', 'GPL-2.0-or-later', 'LICENSE_NOT_ALLOWED'],
    ['UNLICENSED', 'AGPL-3.0-only', 'LICENSE_NOT_ALLOWED'],
    ['GPL-3.0-only', 'GPL-3.0-or-later', undefined],
    ['GPL-3.0-only', 'GPL-2.0-or-later', undefined],
    ['GPL-3.0-only', 'GPL-2.0-only', 'LICENSE_NOT_ALLOWED'],
    ['GPL-3.0-only', 'AGPL-3.0-only', 'LICENSE_NOT_ALLOWED'],
    ['AGPL-3.0-only', 'AGPL-3.0-or-later', undefined],
    ['AGPL-3.0-only', 'GPL-3.0-only', undefined],
    ['GPL-2.0-or-later', 'GPL-3.0-only', undefined],
    ['(MIT OR GPL-3.0-only)', 'GPL-3.0-only', undefined],
  ])('a %s project with a %s dependency → %s', (project, dependency, expected) => {
    expect(one(dependency, project)[0]?.code).toBe(expected);
  });

  it('MIT, ISC, BSD and Apache dependencies pass in every project', () => {
    for (const project of ['MIT', 'Apache-2.0', 'GPL-3.0-only', 'UNLICENSED']) {
      for (const dependency of ['MIT', 'ISC', 'BSD-3-Clause', 'Apache-2.0', '0BSD'])
        expect(one(dependency, project)).toEqual([]);
    }
  });
});

describe('policy', () => {
  it('allow: anything outside it is not allowed; an OR passes when one branch is allowed', () => {
    const config = { licenses: { allow: ['MIT', 'ISC'] } };
    expect(one('Apache-2.0', 'MIT', config)[0]).toMatchObject({
      code: 'LICENSE_NOT_ALLOWED',
      details: { reason: 'not-in-allow-list' },
    });
    expect(one('(Apache-2.0 OR ISC)', 'MIT', config)).toEqual([]);
    expect(one('GPL-3.0-only', 'MIT', { licenses: { allow: ['MIT', 'GPL-3.0-or-later'] } })).toEqual([]);
  });

  it('deny: matches the licence family, never a substring', () => {
    const config = { licenses: { deny: ['GPL-3.0-only'] } };
    expect(one('GPL-3.0-or-later', 'GPL-3.0-only', config)[0]).toMatchObject({
      code: 'LICENSE_NOT_ALLOWED',
      details: { reason: 'denied' },
    });
    expect(codes(one('LGPL-3.0-only', 'MIT', config))).toEqual(['LICENSE_WEAK_COPYLEFT']);
    expect(one('(GPL-3.0-only OR MIT)', 'MIT', config)).toEqual([]);
  });

  it('exceptions by name or name@range, with a reason', () => {
    const versions = { '1.0.0': { license: 'GPL-3.0-only' }, '2.0.0': { license: 'GPL-3.0-only' } };
    const config = { licenses: { exceptions: [{ package: 'pkg@^1', reason: 'internal tool, never distributed' }] } };
    expect(run(versions, { wanted: '^1.0.0', project: 'MIT', config })).toEqual([]);
    expect(codes(run(versions, { wanted: '^2.0.0', project: 'MIT', config }))).toEqual(['LICENSE_NOT_ALLOWED']);
  });
});

describe('relicensing', () => {
  it('a spelling change is no relicensing; a permissive-to-permissive one is info', () => {
    // Only the ambiguous name is reported; naming the clause count later is no relicensing.
    expect(
      run({ '1.0.0': { license: 'BSD' }, '2.0.0': { license: 'BSD-2-Clause' } }, { wanted: '^1.0.0' }).map(
        (f) => f.code,
      ),
    ).toEqual(['LICENSE_REVIEW']);
    expect(run({ '1.0.0': { license: '(MIT)' }, '2.0.0': { license: 'MIT' } }, { wanted: '^1.0.0' })).toEqual([]);
    const [change] = run({ '1.0.0': { license: 'ISC' }, '2.0.0': { license: 'BlueOak-1.0.0' } }, { wanted: '^1.0.0' });
    expect(change).toMatchObject({ code: 'LICENSE_CHANGED', severity: 'info', details: { stricter: false } });
  });

  it('reports a licence that changed between the installed version and latest, judging the installed one', () => {
    const versions = { '1.0.0': { license: 'MIT' }, '2.0.0': { license: 'BUSL-1.1' } };
    const findings = run(versions, { wanted: '^1.0.0', project: 'MIT' });
    expect(findings.map((f) => [f.code, f.severity, f.version, f.details?.to])).toEqual([
      ['LICENSE_CHANGED', 'warning', '1.0.0', 'BUSL-1.1'],
    ]);
  });
});
