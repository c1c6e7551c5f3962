import { describe, expect, it } from 'vitest';
import { checkVersions } from '../../src/checks/versions.js';
import { found, input, lockedAt, manifestAt } from '../helpers/package-input.js';
import { packument } from '../helpers/registry.js';

describe('versions', () => {
  const doc = packument('pkg', {
    versions: { '1.0.0': {}, '1.2.0': {}, '2.0.0-beta.1': {} },
    latest: '1.2.0',
    extra: {},
  });

  it.each(['^1.0.0', '1.2.0', 'latest', '*', '>=1 <2', '2.0.0-beta.1'])('"%s" resolves', (wanted) => {
    expect(checkVersions.run(input(found(doc), [manifestAt(wanted)]))).toEqual([]);
  });

  it.each(['^3.0.0', '1.3.0', 'next', '~0.9.0'])('"%s" is VERSION_NOT_FOUND', (wanted) => {
    const [finding] = checkVersions.run(input(found(doc), [manifestAt(wanted)]));
    expect(finding).toMatchObject({
      code: 'VERSION_NOT_FOUND',
      package: 'pkg',
      details: { wanted, via: 'range', latest: '1.2.0' },
    });
  });

  it('a locked version that was never published is VERSION_NOT_FOUND with the version', () => {
    const [finding] = checkVersions.run(input(found(doc), [lockedAt('1.1.0')]));
    expect(finding).toMatchObject({ code: 'VERSION_NOT_FOUND', version: '1.1.0', details: { via: 'locked' } });
  });

  it('merges locations of the same unmatched range', () => {
    const findings = checkVersions.run(input(found(doc), [manifestAt('^9', 2), manifestAt('^9', 7)]));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.locations.map((l) => l.line)).toEqual([2, 7]);
  });
});
