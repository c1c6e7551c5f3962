import { describe, expect, it } from 'vitest';
import { checkReleaseAge } from '../../src/checks/release-age.js';
import { DAY, HOUR, at, declared, foundAs, locked, publishedDoc, releaseInput } from '../helpers/release-input.js';

describe('RELEASE_TOO_NEW and RELEASE_AGE_UNKNOWN', () => {
  const lookup = foundAs(publishedDoc('pkg', { '1.0.0': { age: 30 * DAY }, '1.1.0': { age: 2 * HOUR } }));

  it('without a gate: a warning for a version under 24 hours old, nothing for older ones', () => {
    const [finding, ...rest] = checkReleaseAge.run(releaseInput(lookup, [locked('1.1.0')]));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'RELEASE_TOO_NEW',
      severity: 'warning',
      version: '1.1.0',
      details: { configured: false, ageMinutes: 120, publishedAt: at(2 * HOUR) },
    });
    expect(finding!.message).toContain('2 hours ago');
    expect(checkReleaseAge.run(releaseInput(lookup, [locked('1.0.0')]))).toEqual([]);
  });

  it('a version too new says its verdict changes at the next minute of its age; an old one says nothing', () => {
    const changes: number[] = [];
    const young = foundAs(publishedDoc('pkg', { '1.1.0': { age: 2 * HOUR + 30_000 } }));
    const input = releaseInput(young, [locked('1.1.0')]);
    checkReleaseAge.run({ ...input, context: { ...input.context, changesAt: (t) => changes.push(t) } });
    const published = Date.parse(at(2 * HOUR + 30_000));
    expect(changes).toEqual([published + 121 * 60_000]);
    const old = releaseInput(lookup, [locked('1.0.0')]);
    checkReleaseAge.run({ ...old, context: { ...old.context, changesAt: (t) => changes.push(t) } });
    expect(changes).toHaveLength(1);
  });

  it('with minimumReleaseAge: an error naming the publish time and the gate; excluded packages pass', () => {
    const [finding] = checkReleaseAge.run(releaseInput(lookup, [declared('^1.0.0')], { minimumReleaseAge: '3d' }));
    expect(finding).toMatchObject({
      code: 'RELEASE_TOO_NEW',
      severity: 'error',
      version: '1.1.0',
      details: { minimumReleaseAge: 3 * 24 * 60, configured: true },
    });
    expect(finding!.message).toContain(at(2 * HOUR));
    expect(finding!.locations).toEqual([{ file: 'package.json', line: 4, field: 'dependencies.pkg' }]);
    expect(checkReleaseAge.run(releaseInput(lookup, [locked('1.0.0')], { minimumReleaseAge: 1440 }))).toEqual([]);
    expect(
      checkReleaseAge.run(
        releaseInput(lookup, [locked('1.1.0')], { minimumReleaseAge: '3d', minimumReleaseAgeExclude: ['pkg'] }),
      ),
    ).toEqual([]);
  });

  it('with a gate and no publish time: unknown, not a pass', () => {
    const bare = foundAs({ ...publishedDoc('pkg', { '1.0.0': { age: DAY } }), time: {} });
    expect(
      checkReleaseAge.run(releaseInput(bare, [locked('1.0.0')], { minimumReleaseAge: '1d' })).map((f) => f.code),
    ).toEqual(['RELEASE_AGE_UNKNOWN']);
    expect(checkReleaseAge.run(releaseInput(bare, [locked('1.0.0')]))).toEqual([]);
    // A gate of zero minutes is no gate: a missing time is nothing to report.
    expect(checkReleaseAge.run(releaseInput(bare, [locked('1.0.0')], { minimumReleaseAge: 0 }))).toEqual([]);
  });

  it('one finding per version, at every request that installs it; the wait ends at publish time plus the gate', () => {
    const findings = checkReleaseAge.run(
      releaseInput(lookup, [declared('^1.0.0'), locked('1.1.0')], { minimumReleaseAge: '1w' }),
    );
    expect(findings.map((f) => [f.code, f.version, f.locations.map((l) => `${l.file}:${l.line}`)])).toEqual([
      ['RELEASE_TOO_NEW', '1.1.0', ['package.json:4', 'package-lock.json:7']],
    ]);
    expect(findings[0]!.message).toContain('less than the minimum release age of 7 days');
    expect(findings[0]!.hint).toContain(`Wait until ${at(2 * HOUR - 7 * DAY)}`);
  });

  it('names where the gate came from; a version not published is left to the versions check', () => {
    const [gated] = checkReleaseAge.run(releaseInput(lookup, [locked('1.1.0')], { minimumReleaseAge: '3h' }));
    expect(gated!.message).toContain('published 2 hours ago');
    expect(gated!.message).toContain('minimum release age of 3 hours (test)');
    expect(checkReleaseAge.run(releaseInput(lookup, [locked('9.9.9')], { minimumReleaseAge: 90 }))).toEqual([]);
    expect(checkReleaseAge.run(releaseInput({ state: 'missing', reason: 'not-found' }, [locked('1.1.0')]))).toEqual([]);
  });
});
