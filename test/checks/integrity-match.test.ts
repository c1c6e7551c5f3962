import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkIntegrityMatch } from '../../src/checks/integrity-match.js';
import type { PackageRequest } from '../../src/model/request.js';
import { found, input } from '../helpers/package-input.js';
import { packument } from '../helpers/registry.js';

const sri = (algorithm: 'sha512' | 'sha1', text: string) =>
  `${algorithm}-${createHash(algorithm).update(text).digest('base64')}`;
const PUBLISHED = sri('sha512', 'the published tarball');
const OTHER = sri('sha512', 'another tarball');

/** `pkg` with versions 1.0.0 and 2.0.0, whose registry integrity is `dist` (1.0.0) and PUBLISHED (2.0.0). */
function lookup(dist: Record<string, unknown> = { integrity: PUBLISHED }) {
  const doc = packument('pkg', { versions: { '1.0.0': {}, '2.0.0': {} } }) as {
    versions: Record<string, { dist: Record<string, unknown> }>;
  };
  doc.versions['1.0.0']!.dist = dist;
  doc.versions['2.0.0']!.dist = { integrity: PUBLISHED };
  return found(doc);
}

const lockedWith = (integrity: string | undefined, version = '1.0.0', line = 9): PackageRequest => ({
  name: 'pkg',
  locked: version,
  ...(integrity === undefined ? {} : { integrity }),
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line, field: 'node_modules/pkg' }],
});

const run = (requests: PackageRequest[], l = lookup()) => checkIntegrityMatch.run(input(l, requests));

describe('LOCKFILE_INTEGRITY_MISMATCH', () => {
  it('the registry’s own hash passes, in any list of hashes that holds it', () => {
    expect(run([lockedWith(PUBLISHED)])).toEqual([]);
    expect(run([lockedWith(`${sri('sha1', 'x')} ${PUBLISHED}`)])).toEqual([]);
    expect(run([lockedWith(` ${PUBLISHED}?opt `)])).toEqual([]);
  });

  it('another hash of the same algorithm is an error at the lock entry, naming both', () => {
    const [finding, ...rest] = run([lockedWith(OTHER)]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'LOCKFILE_INTEGRITY_MISMATCH',
      severity: 'error',
      package: 'pkg',
      version: '1.0.0',
      locations: [{ file: 'package-lock.json', line: 9, field: 'node_modules/pkg' }],
      details: { lockfile: OTHER, registry: PUBLISHED.slice(0, 'sha512-'.length + 24) },
    });
    expect(finding!.message).toContain(`(${OTHER.slice(0, 30)}…)`);
  });

  it('one finding per version and lockfile hash, at every entry that has it', () => {
    const findings = run([
      lockedWith(OTHER, '1.0.0', 9),
      lockedWith(OTHER, '1.0.0', 40),
      lockedWith(OTHER, '2.0.0', 60),
    ]);
    expect(findings.map((f) => [f.version, f.locations.map((l) => l.line)])).toEqual([
      ['1.0.0', [9, 40]],
      ['2.0.0', [60]],
    ]);
  });

  it('compares nothing it cannot: another algorithm, no hash, a short one, a manifest range, an unknown version', () => {
    expect(run([lockedWith(sri('sha1', 'anything'))])).toEqual([]);
    expect(run([lockedWith(undefined)])).toEqual([]);
    expect(run([lockedWith('sha512-AAAA')])).toEqual([]);
    expect(run([{ ...lockedWith(OTHER), source: 'manifest' }])).toEqual([]);
    expect(run([lockedWith(OTHER, '9.9.9')])).toEqual([]);
  });

  it('a registry without an integrity, or with sha1 only, for the version: nothing to compare', () => {
    // No integrity for 1.0.0 at all.
    expect(run([lockedWith(OTHER)], lookup({}))).toEqual([]);
    // The registry's shasum is sha1: a sha512 lock entry is not compared with it.
    expect(run([lockedWith(OTHER)], lookup({ shasum: 'ab'.repeat(20) }))).toEqual([]);
    // …but a sha1 lock entry is.
    const sha1 = `sha1-${Buffer.from('cd'.repeat(20), 'hex').toString('base64')}`;
    expect(run([lockedWith(sha1)], lookup({ shasum: 'ab'.repeat(20) })).map((f) => f.code)).toEqual([
      'LOCKFILE_INTEGRITY_MISMATCH',
    ]);
    expect(checkIntegrityMatch.run(input({ state: 'unknown', reason: 'timeout' }, [lockedWith(OTHER)]))).toEqual([]);
  });
});
