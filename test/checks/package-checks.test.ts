import { describe, expect, it } from 'vitest';
import type { PackageInput } from '../../src/checks/check.js';
import { checkDeprecation } from '../../src/checks/deprecation.js';
import { checkExistence } from '../../src/checks/existence.js';
import { checkVersions } from '../../src/checks/versions.js';
import type { Lookup } from '../../src/model/facts.js';
import type { PackageRequest } from '../../src/model/request.js';
import { distilPackument } from '../../src/registry/distil.js';
import { checkContext, popularity } from '../helpers/model.js';
import { REGISTRY, packument, securityHolding, unpublished } from '../helpers/registry.js';

const manifestAt = (wanted: string, line = 5): PackageRequest => ({
  name: 'pkg',
  wanted,
  source: 'manifest',
  locations: [{ file: 'package.json', line, field: 'dependencies.pkg' }],
});
const lockedAt = (locked: string): PackageRequest => ({
  name: 'pkg',
  locked,
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line: 9, field: 'node_modules/pkg' }],
});

function input(lookup: Lookup, requests: PackageRequest[], suggestions: string[] = []): PackageInput {
  return { name: 'pkg', lookup, requests, suggest: () => suggestions.map((name) => ({ name, downloads: 1000 })), popularity: popularity(), context: checkContext() };
}

const found = (doc: Record<string, unknown>): Lookup => distilPackument('pkg', REGISTRY, doc);

describe('existence', () => {
  it('NOT_FOUND carries every location and the suggestions', () => {
    const [finding, ...rest] = checkExistence.run(input({ state: 'missing', reason: 'not-found' }, [manifestAt('^1.0.0', 3), manifestAt('^1.0.0', 8)], ['pkgs']));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ code: 'NOT_FOUND', severity: 'error', package: 'pkg', details: { suggestions: [{ name: 'pkgs' }] } });
    expect(finding?.locations.map((l) => l.line)).toEqual([3, 8]);
    expect(finding?.message).toContain('pkgs');
  });

  it('UNPUBLISHED and SECURITY_HOLDING from their documents', () => {
    expect(checkExistence.run(input(found(unpublished('pkg')), [manifestAt('*')]))[0]?.code).toBe('UNPUBLISHED');
    expect(checkExistence.run(input(found(securityHolding('pkg')), [manifestAt('*')]))[0]?.code).toBe('SECURITY_HOLDING');
  });

  it('REGISTRY_UNKNOWN says why, sanitised', () => {
    const [finding] = checkExistence.run(input({ state: 'unknown', reason: 'HTTP 500 \u001b[31mred' }, [manifestAt('*')]));
    expect(finding).toMatchObject({ code: 'REGISTRY_UNKNOWN', severity: 'error' });
    expect(finding?.message).not.toContain('\u001b');
    expect(finding?.details?.reason).toContain('HTTP 500');
  });

  it('a found package has no existence finding', () => {
    expect(checkExistence.run(input(found(packument('pkg', { versions: { '1.0.0': {} } })), [manifestAt('*')]))).toEqual([]);
  });
});

describe('versions', () => {
  const doc = packument('pkg', { versions: { '1.0.0': {}, '1.2.0': {}, '2.0.0-beta.1': {} }, latest: '1.2.0', extra: {} });

  it.each(['^1.0.0', '1.2.0', 'latest', '*', '>=1 <2', '2.0.0-beta.1'])('"%s" resolves', (wanted) => {
    expect(checkVersions.run(input(found(doc), [manifestAt(wanted)]))).toEqual([]);
  });

  it.each(['^3.0.0', '1.3.0', 'next', '~0.9.0'])('"%s" is VERSION_NOT_FOUND', (wanted) => {
    const [finding] = checkVersions.run(input(found(doc), [manifestAt(wanted)]));
    expect(finding).toMatchObject({ code: 'VERSION_NOT_FOUND', package: 'pkg', details: { wanted, via: 'range', latest: '1.2.0' } });
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

describe('deprecation', () => {
  it('reports the installed version when only it is deprecated, pointing at latest', () => {
    const doc = packument('pkg', { versions: { '1.0.0': { deprecated: 'security bug, use 1.1' }, '1.1.0': {} }, latest: '1.1.0' });
    const [finding] = checkDeprecation.run(input(found(doc), [lockedAt('1.0.0')]));
    expect(finding).toMatchObject({ code: 'DEPRECATED', severity: 'warning', version: '1.0.0', details: { scope: 'version', latest: '1.1.0' } });
  });

  it('reports the whole package when latest is deprecated', () => {
    const doc = packument('pkg', { versions: { '2.88.2': { deprecated: 'request has been deprecated' } }, latest: '2.88.2' });
    const [finding] = checkDeprecation.run(input(found(doc), [manifestAt('^2.88.0')]));
    expect(finding).toMatchObject({ code: 'DEPRECATED', version: '2.88.2', details: { scope: 'package' } });
  });

  it('follows npm in preferring a non-deprecated version of a range', () => {
    const doc = packument('pkg', { versions: { '1.0.0': {}, '1.1.0': { deprecated: 'broken' } }, latest: '1.0.0' });
    expect(checkDeprecation.run(input(found(doc), [manifestAt('^1.0.0')]))).toEqual([]);
  });

  it('neutralises escape sequences in the message', () => {
    const doc = packument('pkg', { versions: { '1.0.0': { deprecated: 'gone\u001b]8;;http://evil.example.test\u0007click\u001b[2J' } } });
    const [finding] = checkDeprecation.run(input(found(doc), [manifestAt('1.0.0')]));
    expect(finding?.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(finding?.details?.deprecation).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('an empty deprecation string means not deprecated', () => {
    const doc = packument('pkg', { versions: { '1.0.0': { deprecated: '' } } });
    expect(checkDeprecation.run(input(found(doc), [manifestAt('1.0.0')]))).toEqual([]);
  });
});
