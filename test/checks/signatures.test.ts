import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSignatures, sha512Of } from '../../src/checks/signatures.js';
import type { Lookup, SigningKey, SigningKeys } from '../../src/model/facts.js';
import type { PackageRequest } from '../../src/model/request.js';
import { found, input } from '../helpers/package-input.js';
import { packument } from '../helpers/registry.js';

// Key pairs made here: the registry's signing key, and one it does not list.
const registryKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KEYID = 'SHA256:test-registry-key';
const listed = (extra: Partial<SigningKey> = {}): SigningKeys => ({
  state: 'found',
  keys: [
    {
      keyid: KEYID,
      key: registryKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      ...extra,
    },
  ],
});

const sri = (text: string) => `sha512-${createHash('sha512').update(text).digest('base64')}`;
const GOOD = sri('good tarball');
const signed = (integrity: string, key = registryKey.privateKey, version = '1.0.0') =>
  sign('sha256', Buffer.from(`pkg@${version}:${integrity}`), key).toString('base64');

/** `pkg` 1.0.0 with these registry signatures (none: the field is absent), published 2020-01-01. */
function lookup(signatures?: Array<{ keyid: string; sig: string }>): Lookup {
  const doc = packument('pkg', { versions: { '1.0.0': {} } }) as {
    versions: Record<string, { dist: Record<string, unknown> }>;
  };
  doc.versions['1.0.0']!.dist.integrity = GOOD;
  if (signatures) doc.versions['1.0.0']!.dist.signatures = signatures;
  return found(doc);
}

const lockedWith = (integrity: string, line = 9, version = '1.0.0'): PackageRequest => ({
  name: 'pkg',
  locked: version,
  integrity,
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line, field: 'node_modules/pkg' }],
});

const run = (l: Lookup, requests: PackageRequest[], keys: SigningKeys = listed()) =>
  checkSignatures.run({ ...input(l, requests), signingKeys: keys });
const verdicts = (findings: ReturnType<typeof run>) =>
  findings.map((f) => [f.code, f.severity, f.version, f.details?.reason, f.details?.keyid]);

describe('sha512Of', () => {
  it('the sha512 token of an SRI string, if it has a well-formed one', () => {
    expect(sha512Of(`sha1-AAAA ${GOOD}`)).toBe(GOOD);
    expect(sha512Of('sha1-AAAA')).toBeUndefined();
    expect(sha512Of('sha512-not_base64!')).toBeUndefined();
    expect(sha512Of(undefined)).toBeUndefined();
  });
});

describe('SIGNATURE_INVALID and SIGNATURE_MISSING', () => {
  it('a valid signature by a listed key over the lockfile integrity passes', () => {
    expect(run(lookup([{ keyid: KEYID, sig: signed(GOOD) }]), [lockedWith(GOOD)])).toEqual([]);
    // One valid signature among others is enough.
    const two = [
      { keyid: 'SHA256:unlisted', sig: signed(GOOD) },
      { keyid: KEYID, sig: signed(GOOD) },
    ];
    expect(run(lookup(two), [lockedWith(GOOD)])).toEqual([]);
  });

  it('a signature over another integrity, by another key, by an unlisted key or unreadable: invalid, saying why', () => {
    const swapped = sri('another tarball');
    expect(verdicts(run(lookup([{ keyid: KEYID, sig: signed(GOOD) }]), [lockedWith(swapped)]))).toEqual([
      ['SIGNATURE_INVALID', 'error', '1.0.0', `the signature does not match ${swapped.slice(0, 23)}…`, KEYID],
    ]);
    expect(
      verdicts(run(lookup([{ keyid: KEYID, sig: signed(GOOD, otherKey.privateKey) }]), [lockedWith(GOOD)])),
    ).toEqual([['SIGNATURE_INVALID', 'error', '1.0.0', `the signature does not match ${GOOD.slice(0, 23)}…`, KEYID]]);
    expect(verdicts(run(lookup([{ keyid: 'SHA256:unlisted', sig: signed(GOOD) }]), [lockedWith(GOOD)]))).toEqual([
      [
        'SIGNATURE_INVALID',
        'error',
        '1.0.0',
        'signed with key SHA256:unlisted, which the registry does not list',
        'SHA256:unlisted',
      ],
    ]);
    const unreadable: SigningKeys = { state: 'found', keys: [{ keyid: KEYID, key: 'bm90IGEga2V5' }] };
    expect(verdicts(run(lookup([{ keyid: KEYID, sig: signed(GOOD) }]), [lockedWith(GOOD)], unreadable))).toEqual([
      ['SIGNATURE_INVALID', 'error', '1.0.0', `key ${KEYID} or its signature cannot be read`, KEYID],
    ]);
  });

  it('a key that expired before the version was published does not vouch for it', () => {
    const published = lookup([{ keyid: KEYID, sig: signed(GOOD) }]);
    const expiredBefore = listed({ expires: Date.UTC(2019, 0, 1) });
    expect(verdicts(run(published, [lockedWith(GOOD)], expiredBefore))).toEqual([
      [
        'SIGNATURE_INVALID',
        'error',
        '1.0.0',
        `signed with key ${KEYID}, which expired before this version was published`,
        KEYID,
      ],
    ]);
    expect(run(published, [lockedWith(GOOD)], listed({ expires: Date.UTC(2030, 0, 1) }))).toEqual([]);
  });

  it('no signature for the version from a registry that signs: missing, one finding at every entry', () => {
    const findings = run(lookup(), [lockedWith(GOOD, 9), lockedWith(GOOD, 30)]);
    expect(verdicts(findings)).toEqual([['SIGNATURE_MISSING', 'warning', '1.0.0', undefined, undefined]]);
    expect(findings[0]!.locations.map((l) => l.line)).toEqual([9, 30]);
  });

  it('judges nothing without keys, without a sha512 integrity, for a manifest range or an unpublished version', () => {
    const unsigned = lookup();
    expect(checkSignatures.run(input(unsigned, [lockedWith(GOOD)]))).toEqual([]);
    expect(run(unsigned, [lockedWith(GOOD)], { state: 'none', reason: 'no keys endpoint' })).toEqual([]);
    expect(run(unsigned, [lockedWith(GOOD)], { state: 'unknown', reason: 'timeout' })).toEqual([]);
    expect(run(unsigned, [lockedWith('sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=')])).toEqual([]);
    expect(run(unsigned, [{ ...lockedWith(GOOD), source: 'manifest' }])).toEqual([]);
    expect(run(unsigned, [lockedWith(GOOD, 9, '9.9.9')])).toEqual([]);
  });
});
