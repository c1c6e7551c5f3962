import { createPublicKey, verify } from 'node:crypto';
import { makeFinding } from '../model/codes.js';
import type { SigningKey, VersionSignature } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { definePackageCheck } from './check.js';

/** The sha512 token of an SRI string: what npm's registry signs (`name@version:sha512-…`). */
export function sha512Of(integrity: string | undefined): string | undefined {
  return integrity?.split(/\s+/).find((t) => /^sha512-[A-Za-z0-9+/]+={0,2}$/.test(t));
}

type Verdict = { ok: true } | { ok: false; reason: string; keyid?: string };

/** As `npm audit signatures` judges one version: a listed, unexpired key and a valid ECDSA signature. */
function verifySignatures(
  message: string,
  signatures: VersionSignature[],
  keys: SigningKey[],
  publishedAt: number | undefined,
): Verdict {
  let last: Verdict = { ok: false, reason: 'no signature' };
  for (const s of signatures) {
    const key = keys.find((k) => k.keyid === s.keyid);
    if (!key) {
      last = { ok: false, reason: `signed with key ${s.keyid}, which the registry does not list`, keyid: s.keyid };
      continue;
    }
    if (key.expires !== undefined && publishedAt !== undefined && publishedAt > key.expires) {
      last = {
        ok: false,
        reason: `signed with key ${s.keyid}, which expired before this version was published`,
        keyid: s.keyid,
      };
      continue;
    }
    try {
      const publicKey = createPublicKey({ key: Buffer.from(key.key, 'base64'), format: 'der', type: 'spki' });
      if (verify('sha256', Buffer.from(message), publicKey, Buffer.from(s.sig, 'base64'))) return { ok: true };
      last = {
        ok: false,
        reason: `the signature does not match ${message.slice(message.lastIndexOf(':') + 1, message.lastIndexOf(':') + 24)}…`,
        keyid: s.keyid,
      };
    } catch {
      last = { ok: false, reason: `key ${s.keyid} or its signature cannot be read`, keyid: s.keyid };
    }
  }
  return last;
}

/**
 * SIGNATURE_INVALID: a locked version whose registry signature does not verify over the
 * lockfile's own integrity (a tarball other than the one the registry published, or a forged
 * answer). SIGNATURE_MISSING: the registry signs its packages, but not this version. Only
 * lockfile entries with a sha512 integrity are checked: that is what the registry signs.
 */
export const checkSignatures = definePackageCheck({
  name: 'signatures',
  run({ name, lookup, requests, signingKeys }) {
    if (lookup.state !== 'found' || signingKeys?.state !== 'found') return [];
    const findings = new Map<string, Finding>();
    for (const request of requests) {
      const integrity = sha512Of(request.integrity);
      const version = request.locked;
      if (request.source !== 'lockfile' || !integrity || version === undefined || !lookup.facts.versions[version])
        continue;
      const key = `${version}\0${integrity}`;
      const existing = findings.get(key);
      if (existing) {
        existing.locations.push(...request.locations);
        continue;
      }
      const signatures = lookup.facts.signatures?.[version];
      if (!signatures) {
        findings.set(
          key,
          makeFinding('SIGNATURE_MISSING', {
            package: name,
            version,
            message: `${name}@${version} has no registry signature, though the registry signs its packages.`,
            hint: 'Check where the lockfile entry came from; regenerate it from the registry.',
            locations: [...request.locations],
          }),
        );
        continue;
      }
      const verdict = verifySignatures(
        `${name}@${version}:${integrity}`,
        signatures,
        signingKeys.keys,
        lookup.facts.time?.[version],
      );
      if (verdict.ok) continue;
      findings.set(
        key,
        makeFinding('SIGNATURE_INVALID', {
          package: name,
          version,
          message: `${name}@${version}: the registry signature does not verify (${verdict.reason}).`,
          hint: 'Do not install this entry: the locked tarball is not the one the registry signed. Regenerate the lockfile entry and compare the integrity with the registry.',
          locations: [...request.locations],
          details: { reason: verdict.reason, ...(verdict.keyid ? { keyid: verdict.keyid } : {}) },
        }),
      );
    }
    return [...findings.values()];
  },
});
