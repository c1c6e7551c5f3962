import { describe, expect, it } from 'vitest';
import { checkReleaseChanges } from '../../src/checks/release-changes.js';
import { DAY, declared, foundAs, locked, publishedDoc, releaseInput } from '../helpers/release-input.js';

describe('PROVENANCE_LOST and INSTALL_SCRIPT_ADDED', () => {
  const lookup = foundAs(
    publishedDoc('pkg', {
      '1.0.0': { age: 20 * DAY, provenance: true },
      '1.1.0': { age: 10 * DAY, provenance: true },
      '1.2.0': { age: 5 * DAY, scripts: { postinstall: 'node setup.js' } },
    }),
  );

  it('a version without provenance after one with it, naming the last with it', () => {
    const findings = checkReleaseChanges.run(releaseInput(lookup, [locked('1.2.0')]));
    expect(findings.find((f) => f.code === 'PROVENANCE_LOST')).toMatchObject({
      severity: 'warning',
      version: '1.2.0',
      details: { previous: '1.1.0', lastWithProvenance: '1.1.0' },
    });
    expect(checkReleaseChanges.run(releaseInput(lookup, [locked('1.1.0')]))).toEqual([]);
  });

  it('an install script the previous release did not run: a warning, an error on a lockfile change, nothing when allowed', () => {
    const plain = checkReleaseChanges
      .run(releaseInput(lookup, [locked('1.2.0')]))
      .find((f) => f.code === 'INSTALL_SCRIPT_ADDED');
    expect(plain).toMatchObject({ severity: 'warning', details: { previous: '1.1.0' } });
    const changed = checkReleaseChanges
      .run(releaseInput(lookup, [locked('1.2.0')], {}, { changedSince: 'origin/main' }))
      .find((f) => f.code === 'INSTALL_SCRIPT_ADDED');
    expect(changed).toMatchObject({ severity: 'error', details: { changedSince: 'origin/main' } });
    // A manifest range is not a lockfile change, even with --changed-since.
    const declaredOnly = checkReleaseChanges
      .run(releaseInput(lookup, [declared('1.2.0')], {}, { changedSince: 'origin/main' }))
      .find((f) => f.code === 'INSTALL_SCRIPT_ADDED');
    expect(declaredOnly?.severity).toBe('warning');
    const allowed = checkReleaseChanges
      .run(releaseInput(lookup, [locked('1.2.0')], { installScripts: { allow: ['pkg'] } }))
      .map((f) => f.code);
    expect(allowed).toEqual(['PROVENANCE_LOST']);
  });

  it('names the last version with provenance when the one just before had none either', () => {
    const lost = foundAs(
      publishedDoc('pkg', {
        '1.0.0': { age: 20 * DAY, provenance: true },
        '1.1.0': { age: 10 * DAY },
        '1.2.0': { age: 5 * DAY },
      }),
    );
    // 1.1.0 lost it; 1.2.0 follows a release without provenance, so it lost nothing itself.
    expect(checkReleaseChanges.run(releaseInput(lost, [locked('1.1.0')])).map((f) => [f.code, f.details])).toEqual([
      ['PROVENANCE_LOST', { previous: '1.0.0', lastWithProvenance: '1.0.0' }],
    ]);
    expect(checkReleaseChanges.run(releaseInput(lost, [locked('1.2.0')]))).toEqual([]);
  });

  it('one finding per installed version, at every request that installs it; a first release has nothing to compare with', () => {
    const findings = checkReleaseChanges.run(releaseInput(lookup, [declared('^1.2.0'), locked('1.2.0')]));
    expect(findings.map((f) => [f.code, f.locations.map((l) => l.file)])).toEqual([
      ['PROVENANCE_LOST', ['package.json', 'package-lock.json']],
      ['INSTALL_SCRIPT_ADDED', ['package.json', 'package-lock.json']],
    ]);
    const first = foundAs(publishedDoc('pkg', { '1.0.0': { age: DAY, scripts: { install: 'node-gyp rebuild' } } }));
    expect(checkReleaseChanges.run(releaseInput(first, [locked('1.0.0')]))).toEqual([]);
  });
});
