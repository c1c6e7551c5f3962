import semver from 'semver';
import { describe, expect, it } from 'vitest';
import type { PackageInput } from '../../src/checks/check.js';
import { checkDeprecation } from '../../src/checks/deprecation.js';
import { checkInstallScripts } from '../../src/checks/install-scripts.js';
import { previousRelease } from '../../src/checks/previous-release.js';
import { checkReleaseAge } from '../../src/checks/release-age.js';
import { checkReleaseChanges } from '../../src/checks/release-changes.js';
import { replacementIn } from '../../src/checks/replacement.js';
import { checkSuspicious } from '../../src/checks/suspicious.js';
import type { Lookup, PackageFacts } from '../../src/model/facts.js';
import { isFindingOf } from '../../src/model/finding-details.js';
import type { Finding } from '../../src/model/finding.js';
import type { PackageRequest } from '../../src/model/request.js';
import { distilPackument } from '../../src/registry/distil.js';
import type { DepverifyConfigInput } from '../../src/config/config.js';
import { checkContext, popularity } from '../helpers/model.js';
import { REGISTRY, packument } from '../helpers/registry.js';

/** The signal names of the SUSPICIOUS_PACKAGE findings among `findings`. */
const signalsOf = (findings: Finding[]): string[] =>
  findings.filter((f) => isFindingOf(f, 'SUSPICIOUS_PACKAGE')).flatMap((f) => f.details!.signals.map((s) => s.signal));

const NOW = Date.UTC(2026, 10, 1, 12);
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(NOW - ms).toISOString();

const locked = (version: string, name = 'pkg'): PackageRequest => ({
  name,
  locked: version,
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line: 7, field: `node_modules/${name}` }],
});
const declared = (wanted: string): PackageRequest => ({
  name: 'pkg',
  wanted,
  source: 'manifest',
  locations: [{ file: 'package.json', line: 4, field: 'dependencies.pkg' }],
});

/** A packument whose versions were published at the given ages, with per-version dist extras. */
function doc(
  name: string,
  versions: Record<
    string,
    { age: number; provenance?: boolean; scripts?: Record<string, string>; deprecated?: string }
  >,
  extra: Record<string, unknown> = {},
) {
  const d = packument(name, {
    versions: Object.fromEntries(
      Object.entries(versions).map(([v, s]) => [
        v,
        { ...(s.scripts ? { scripts: s.scripts } : {}), ...(s.deprecated ? { deprecated: s.deprecated } : {}) },
      ]),
    ),
    extra,
  }) as {
    versions: Record<string, { dist: Record<string, unknown> }>;
    time: Record<string, string>;
  };
  for (const [v, s] of Object.entries(versions)) {
    d.time[v] = at(s.age);
    if (s.provenance)
      d.versions[v]!.dist.attestations = {
        url: `${REGISTRY}-/npm/v1/attestations/${name}@${v}`,
        provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
      };
  }
  return d;
}

function input(
  lookup: Lookup,
  requests: PackageRequest[],
  config: DepverifyConfigInput = {},
  extra: { changedSince?: string; rows?: Array<[string, number]> } = {},
): PackageInput {
  const facts = lookup.state === 'found' ? lookup.facts : undefined;
  return {
    name: facts?.name ?? 'pkg',
    lookup,
    requests,
    suggest: () => [],
    popularity: popularity(extra.rows ?? []),
    context: { ...checkContext(config), now: NOW, ...(extra.changedSince ? { changedSince: extra.changedSince } : {}) },
  };
}
const found = (d: unknown, name = 'pkg'): Lookup => distilPackument(name, REGISTRY, d);
const factsOf = (l: Lookup): PackageFacts => (l.state === 'found' ? l.facts : (undefined as never));

describe('RELEASE_TOO_NEW and RELEASE_AGE_UNKNOWN', () => {
  const lookup = found(doc('pkg', { '1.0.0': { age: 30 * DAY }, '1.1.0': { age: 2 * HOUR } }));

  it('without a gate: a warning for a version under 24 hours old, nothing for older ones', () => {
    const [finding, ...rest] = checkReleaseAge.run(input(lookup, [locked('1.1.0')]));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'RELEASE_TOO_NEW',
      severity: 'warning',
      version: '1.1.0',
      details: { configured: false, ageMinutes: 120, publishedAt: at(2 * HOUR) },
    });
    expect(finding!.message).toContain('2 hours ago');
    expect(checkReleaseAge.run(input(lookup, [locked('1.0.0')]))).toEqual([]);
  });

  it('with minimumReleaseAge: an error naming the publish time and the gate; excluded packages pass', () => {
    const [finding] = checkReleaseAge.run(input(lookup, [declared('^1.0.0')], { minimumReleaseAge: '3d' }));
    expect(finding).toMatchObject({
      code: 'RELEASE_TOO_NEW',
      severity: 'error',
      version: '1.1.0',
      details: { minimumReleaseAge: 3 * 24 * 60, configured: true },
    });
    expect(finding!.message).toContain(at(2 * HOUR));
    expect(finding!.locations).toEqual([{ file: 'package.json', line: 4, field: 'dependencies.pkg' }]);
    expect(checkReleaseAge.run(input(lookup, [locked('1.0.0')], { minimumReleaseAge: 1440 }))).toEqual([]);
    expect(
      checkReleaseAge.run(
        input(lookup, [locked('1.1.0')], { minimumReleaseAge: '3d', minimumReleaseAgeExclude: ['pkg'] }),
      ),
    ).toEqual([]);
  });

  it('with a gate and no publish time: unknown, not a pass', () => {
    const bare = found({ ...doc('pkg', { '1.0.0': { age: DAY } }), time: {} });
    expect(checkReleaseAge.run(input(bare, [locked('1.0.0')], { minimumReleaseAge: '1d' })).map((f) => f.code)).toEqual(
      ['RELEASE_AGE_UNKNOWN'],
    );
    expect(checkReleaseAge.run(input(bare, [locked('1.0.0')]))).toEqual([]);
  });
});

describe('previousRelease', () => {
  it('is the highest lower version published before; stable versions are compared with stable ones', () => {
    const facts = factsOf(
      found(
        doc('pkg', {
          '1.0.0': { age: 10 * DAY },
          '1.1.0': { age: 9 * DAY },
          '2.0.0-rc.1': { age: 8 * DAY },
          '2.0.0': { age: 5 * DAY },
          '1.1.1': { age: DAY },
        }),
      ),
    );
    expect(previousRelease(facts, '2.0.0')).toBe('1.1.0'); // 1.1.1 is a later backport, 2.0.0-rc.1 a prerelease
    expect(previousRelease(facts, '1.1.1')).toBe('1.1.0');
    expect(previousRelease(facts, '1.0.0')).toBeUndefined();
  });

  it('orders as semver does: prereleases, build metadata, a leading v, leading zeros, huge numbers', () => {
    const names = [
      '1.0.0',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      'v1.0.1',
      '1.0.2+build.5',
      '01.0.3',
      '1.0.4-0',
      '1.2.3',
      '1.10.0',
      '1.9.9',
      '10.0.0',
      '9.99.99',
      '99999999999999999999.0.0',
      '2.0.0-rc.1',
      'not-a-version',
      ' 1.1.0 ',
    ];
    const facts: PackageFacts = {
      name: 'pkg',
      registry: REGISTRY,
      distTags: {},
      versions: Object.fromEntries(names.map((n) => [n, {}])),
    };
    const expected = (version: string): string | undefined => {
      const current = semver.parse(version);
      if (!current) return undefined;
      const lower = names
        .map((n) => semver.parse(n))
        .filter(
          (c): c is semver.SemVer =>
            !!c && semver.lt(c, current) && (current.prerelease.length > 0 || c.prerelease.length === 0),
        );
      return lower.sort(semver.rcompare)[0]?.version;
    };
    for (const version of [...names, '1.0.0-beta.3', '1.0.0-rc.0', '2.0.0', '1.9.10', '0.0.1', '1.0.3']) {
      expect(previousRelease(facts, version), version).toBe(expected(version));
    }
    expect(previousRelease(facts, '1.0.0-beta.11')).toBe('1.0.0-beta.2');
    expect(previousRelease(facts, '1.10.0')).toBe('1.9.9');
    expect(previousRelease(facts, '1.0.3')).toBe('1.0.2');
  });
});

describe('PROVENANCE_LOST and INSTALL_SCRIPT_ADDED', () => {
  const lookup = found(
    doc('pkg', {
      '1.0.0': { age: 20 * DAY, provenance: true },
      '1.1.0': { age: 10 * DAY, provenance: true },
      '1.2.0': { age: 5 * DAY, scripts: { postinstall: 'node setup.js' } },
    }),
  );

  it('a version without provenance after one with it, naming the last with it', () => {
    const findings = checkReleaseChanges.run(input(lookup, [locked('1.2.0')]));
    expect(findings.find((f) => f.code === 'PROVENANCE_LOST')).toMatchObject({
      severity: 'warning',
      version: '1.2.0',
      details: { previous: '1.1.0', lastWithProvenance: '1.1.0' },
    });
    expect(checkReleaseChanges.run(input(lookup, [locked('1.1.0')]))).toEqual([]);
  });

  it('an install script the previous release did not run: a warning, an error on a lockfile change, nothing when allowed', () => {
    const plain = checkReleaseChanges
      .run(input(lookup, [locked('1.2.0')]))
      .find((f) => f.code === 'INSTALL_SCRIPT_ADDED');
    expect(plain).toMatchObject({ severity: 'warning', details: { previous: '1.1.0' } });
    const changed = checkReleaseChanges
      .run(input(lookup, [locked('1.2.0')], {}, { changedSince: 'origin/main' }))
      .find((f) => f.code === 'INSTALL_SCRIPT_ADDED');
    expect(changed).toMatchObject({ severity: 'error', details: { changedSince: 'origin/main' } });
    // A manifest range is not a lockfile change, even with --changed-since.
    const declaredOnly = checkReleaseChanges
      .run(input(lookup, [declared('1.2.0')], {}, { changedSince: 'origin/main' }))
      .find((f) => f.code === 'INSTALL_SCRIPT_ADDED');
    expect(declaredOnly?.severity).toBe('warning');
    const allowed = checkReleaseChanges
      .run(input(lookup, [locked('1.2.0')], { installScripts: { allow: ['pkg'] } }))
      .map((f) => f.code);
    expect(allowed).toEqual(['PROVENANCE_LOST']);
  });

  it('INSTALL_SCRIPT_NOT_ALLOWED only when an allow list is kept', () => {
    expect(checkInstallScripts.run(input(lookup, [locked('1.2.0')]))).toEqual([]);
    expect(
      checkInstallScripts
        .run(input(lookup, [locked('1.2.0')], { installScripts: { allow: ['esbuild'] } }))
        .map((f) => [f.code, f.version]),
    ).toEqual([['INSTALL_SCRIPT_NOT_ALLOWED', '1.2.0']]);
    expect(checkInstallScripts.run(input(lookup, [locked('1.2.0')], { installScripts: { allow: ['p*'] } }))).toEqual(
      [],
    );
  });
});

describe('deprecation as evidence', () => {
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

  it('DEPRECATED names the replacement in details and the hint', () => {
    const lookup = found(
      doc('pkg', { '1.0.0': { age: 400 * DAY, deprecated: 'Moved to @scope/pkg, please switch.' } }),
    );
    const [finding] = checkDeprecation.run(input(lookup, [locked('1.0.0')]));
    expect(finding).toMatchObject({ code: 'DEPRECATED', details: { replacement: '@scope/pkg' } });
    expect(finding!.hint).toContain('@scope/pkg');
  });

  it('a new package whose only version is deprecated in favour of a popular one is a squat signal', () => {
    const created = { time: { created: at(3 * DAY) } };
    const squat = doc(
      'expresss-session',
      { '1.0.0': { age: 3 * DAY, deprecated: 'use express-session instead' } },
      created,
    );
    (squat.time as Record<string, string>).created = at(3 * DAY);
    const [finding] = checkSuspicious.run(
      input(
        found(squat, 'expresss-session'),
        [locked('1.0.0', 'expresss-session')],
        {},
        { rows: [['express-session', 2_000_000]] },
      ),
    );
    expect(finding).toMatchObject({ code: 'SUSPICIOUS_PACKAGE', details: { suggestions: ['express-session'] } });
    expect(signalsOf([finding!])).toContain('deprecated-for-popular');
    // The same message on an old package, or pointing at an unknown name, is no signal.
    const old = doc('old-pkg', { '1.0.0': { age: 900 * DAY, deprecated: 'use express-session instead' } });
    (old.time as Record<string, string>).created = at(900 * DAY);
    const signals = checkSuspicious.run(
      input(found(old, 'old-pkg'), [locked('1.0.0', 'old-pkg')], {}, { rows: [['express-session', 2_000_000]] }),
    );
    expect(signalsOf(signals)).not.toContain('deprecated-for-popular');
  });
});
