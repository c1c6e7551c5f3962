import { describe, expect, it } from 'vitest';
import { checkDeprecation } from '../../src/checks/deprecation.js';
import { found, input, lockedAt, manifestAt } from '../helpers/package-input.js';
import { packument } from '../helpers/registry.js';
import { DAY, foundAs, locked, publishedDoc, releaseInput } from '../helpers/release-input.js';

describe('deprecation', () => {
  it('reports the installed version when only it is deprecated, pointing at latest', () => {
    const doc = packument('pkg', {
      versions: { '1.0.0': { deprecated: 'security bug, use 1.1' }, '1.1.0': {} },
      latest: '1.1.0',
    });
    const [finding] = checkDeprecation.run(input(found(doc), [lockedAt('1.0.0')]));
    expect(finding).toMatchObject({
      code: 'DEPRECATED',
      severity: 'warning',
      version: '1.0.0',
      details: { scope: 'version', latest: '1.1.0' },
    });
  });

  it('reports the whole package when latest is deprecated', () => {
    const doc = packument('pkg', {
      versions: { '2.88.2': { deprecated: 'request has been deprecated' } },
      latest: '2.88.2',
    });
    const [finding] = checkDeprecation.run(input(found(doc), [manifestAt('^2.88.0')]));
    expect(finding).toMatchObject({ code: 'DEPRECATED', version: '2.88.2', details: { scope: 'package' } });
  });

  it('follows npm in preferring a non-deprecated version of a range', () => {
    const doc = packument('pkg', { versions: { '1.0.0': {}, '1.1.0': { deprecated: 'broken' } }, latest: '1.0.0' });
    expect(checkDeprecation.run(input(found(doc), [manifestAt('^1.0.0')]))).toEqual([]);
  });

  it('neutralises escape sequences in the message', () => {
    const doc = packument('pkg', {
      versions: { '1.0.0': { deprecated: 'gone\u001b]8;;http://evil.example.test\u0007click\u001b[2J' } },
    });
    const [finding] = checkDeprecation.run(input(found(doc), [manifestAt('1.0.0')]));
    expect(finding?.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(finding?.details?.deprecation).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('an empty deprecation string means not deprecated', () => {
    const doc = packument('pkg', { versions: { '1.0.0': { deprecated: '' } } });
    expect(checkDeprecation.run(input(found(doc), [manifestAt('1.0.0')]))).toEqual([]);
  });

  it('DEPRECATED names the replacement in details and the hint', () => {
    const lookup = foundAs(
      publishedDoc('pkg', { '1.0.0': { age: 400 * DAY, deprecated: 'Moved to @scope/pkg, please switch.' } }),
    );
    const [finding] = checkDeprecation.run(releaseInput(lookup, [locked('1.0.0')]));
    expect(finding).toMatchObject({ code: 'DEPRECATED', details: { replacement: '@scope/pkg' } });
    expect(finding!.hint).toContain('@scope/pkg');
  });
});
