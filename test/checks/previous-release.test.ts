import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { previousRelease } from '../../src/checks/previous-release.js';
import type { PackageFacts } from '../../src/model/facts.js';
import { REGISTRY } from '../helpers/registry.js';
import { DAY, factsOf, foundAs, publishedDoc } from '../helpers/release-input.js';

describe('previousRelease', () => {
  it('is the highest lower version published before; stable versions are compared with stable ones', () => {
    const facts = factsOf(
      foundAs(
        publishedDoc('pkg', {
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
    // A prerelease is compared with prereleases too.
    expect(previousRelease(facts, '2.0.0-rc.2')).toBe('2.0.0-rc.1');
  });

  it('without publish times, the highest lower version; an invalid version has none', () => {
    const facts: PackageFacts = {
      name: 'pkg',
      registry: REGISTRY,
      distTags: {},
      versions: { '1.0.0': {}, '1.1.1': {}, '2.0.0': {} },
    };
    expect(previousRelease(facts, '2.0.0')).toBe('1.1.1');
    expect(previousRelease(facts, 'latest')).toBeUndefined();
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
