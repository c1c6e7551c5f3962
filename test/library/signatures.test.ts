import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verify } from '../../src/index.js';
import { writeTree } from '../helpers/fixture.js';
import { REGISTRY, createMockRegistry, packument } from '../helpers/registry.js';

const mock = createMockRegistry();
let cacheDir: string;
beforeAll(() => mock.listen());
afterAll(() => mock.close());
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'depverify-sig-'));
});
afterEach(async () => {
  mock.reset();
  await rm(cacheDir, { recursive: true, force: true });
});

// A key pair made here: the registry's signing key, as its keys endpoint would list it.
const registryKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KEYID = 'SHA256:test-registry-key';
const keysDoc = {
  keys: [
    {
      expires: null,
      keyid: KEYID,
      keytype: 'ecdsa-sha2-nistp256',
      scheme: 'ecdsa-sha2-nistp256',
      key: registryKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    },
  ],
};

const sri = (text: string) => `sha512-${createHash('sha512').update(text).digest('base64')}`;
const signed = (name: string, version: string, integrity: string, key = registryKey.privateKey) =>
  sign('sha256', Buffer.from(`${name}@${version}:${integrity}`), key).toString('base64');

/** A packument whose versions carry the given integrity and signatures. */
function published(
  name: string,
  versions: Record<string, { integrity: string; signatures?: Array<{ keyid: string; sig: string }> }>,
) {
  const doc = packument(name, { versions: Object.fromEntries(Object.keys(versions).map((v) => [v, {}])) }) as {
    versions: Record<string, { dist: Record<string, unknown> }>;
  };
  for (const [v, spec] of Object.entries(versions)) {
    doc.versions[v]!.dist.integrity = spec.integrity;
    if (spec.signatures) doc.versions[v]!.dist.signatures = spec.signatures;
  }
  return doc;
}

async function project(entries: Record<string, { version: string; integrity: string }>) {
  return writeTree({
    'package.json': JSON.stringify({
      name: 'app',
      dependencies: Object.fromEntries(Object.keys(entries).map((n) => [n, '*'])),
    }),
    'package-lock.json': JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: Object.fromEntries(Object.keys(entries).map((n) => [n, '*'])) },
        ...Object.fromEntries(
          Object.entries(entries).map(([n, e]) => [
            `node_modules/${n}`,
            { version: e.version, resolved: `${REGISTRY}${n}/-/${n}-${e.version}.tgz`, integrity: e.integrity },
          ]),
        ),
      },
    }),
  });
}

const run = (root: string) =>
  verify({
    root,
    npmConfig: { registry: REGISTRY },
    cacheDir,
    retries: 0,
    timeout: 2000,
    popularIndex: false,
    types: false,
  });
const codes = (report: Awaited<ReturnType<typeof run>>) =>
  report.findings
    .filter((f) => /SIGNATURE|UNSIGNED|REGISTRY_UNKNOWN/.test(f.code))
    .map((f) => [f.code, f.package, f.severity]);
const keyRequests = () => mock.seen.filter((r) => r.name === '-/npm/v1/keys').length;

describe('registry signatures of locked versions', () => {
  const good = sri('good tarball');

  it('a valid signature over the lockfile integrity passes; the keys are asked once, then cached', async () => {
    mock.set('-/npm/v1/keys', keysDoc);
    mock.set(
      'alpha',
      published('alpha', {
        '1.0.0': { integrity: good, signatures: [{ keyid: KEYID, sig: signed('alpha', '1.0.0', good) }] },
      }),
    );
    const root = await project({ alpha: { version: '1.0.0', integrity: good } });
    const first = await run(root);
    expect(codes(first)).toEqual([]);
    expect(first.status).toBe('findings');
    expect(keyRequests()).toBe(1);
    // Warm: facts and keys from the cache, the signature decoded from the stored facts.
    const second = await run(root);
    expect(codes(second)).toEqual([]);
    expect(keyRequests()).toBe(1);
    expect(mock.seen.filter((r) => r.name === 'alpha')).toHaveLength(1);
  });

  it('a swapped integrity, a foreign key, or a signature by another key: SIGNATURE_INVALID at the lock entry', async () => {
    const swapped = sri('another tarball');
    mock.set('-/npm/v1/keys', keysDoc);
    mock.set(
      'alpha',
      published('alpha', {
        '1.0.0': { integrity: good, signatures: [{ keyid: KEYID, sig: signed('alpha', '1.0.0', good) }] },
      }),
    );
    mock.set(
      'beta',
      published('beta', {
        '1.0.0': { integrity: good, signatures: [{ keyid: 'SHA256:unlisted', sig: signed('beta', '1.0.0', good) }] },
      }),
    );
    mock.set(
      'gamma',
      published('gamma', {
        '1.0.0': {
          integrity: good,
          signatures: [{ keyid: KEYID, sig: signed('gamma', '1.0.0', good, otherKey.privateKey) }],
        },
      }),
    );
    const root = await project({
      alpha: { version: '1.0.0', integrity: swapped },
      beta: { version: '1.0.0', integrity: good },
      gamma: { version: '1.0.0', integrity: good },
    });
    const report = await run(root);
    expect(codes(report)).toEqual([
      ['SIGNATURE_INVALID', 'alpha', 'error'],
      ['SIGNATURE_INVALID', 'beta', 'error'],
      ['SIGNATURE_INVALID', 'gamma', 'error'],
    ]);
    const alpha = report.findings.find((f) => f.code === 'SIGNATURE_INVALID' && f.package === 'alpha');
    expect(alpha?.locations[0]).toMatchObject({ file: 'package-lock.json', field: 'node_modules/alpha' });
    expect(report.findings.find((f) => f.package === 'beta' && f.code === 'SIGNATURE_INVALID')?.details).toMatchObject({
      keyid: 'SHA256:unlisted',
    });
  });

  it('a signing registry without a signature for the version: SIGNATURE_MISSING; a sha1-only entry is not judged', async () => {
    mock.set('-/npm/v1/keys', keysDoc);
    mock.set('alpha', published('alpha', { '1.0.0': { integrity: good } }));
    mock.set('old', published('old', { '1.0.0': { integrity: good } }));
    const report = await run(
      await project({
        alpha: { version: '1.0.0', integrity: good },
        old: { version: '1.0.0', integrity: 'sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
      }),
    );
    expect(codes(report)).toEqual([['SIGNATURE_MISSING', 'alpha', 'warning']]);
  });

  it('a registry that does not sign is noted once, never an error', async () => {
    mock.set('alpha', published('alpha', { '1.0.0': { integrity: good } }));
    mock.set('beta', published('beta', { '1.0.0': { integrity: good } }));
    const report = await run(
      await project({ alpha: { version: '1.0.0', integrity: good }, beta: { version: '1.0.0', integrity: good } }),
    );
    expect(codes(report)).toEqual([['REGISTRY_UNSIGNED', '', 'info']]);
    expect(report.status).toBe('findings');
  });

  it('keys that cannot be fetched while there are signatures to verify: unknown, the run incomplete', async () => {
    mock.set('-/npm/v1/keys', 503);
    mock.set(
      'alpha',
      published('alpha', {
        '1.0.0': { integrity: good, signatures: [{ keyid: KEYID, sig: signed('alpha', '1.0.0', good) }] },
      }),
    );
    const report = await run(await project({ alpha: { version: '1.0.0', integrity: good } }));
    expect(codes(report)).toEqual([['REGISTRY_UNKNOWN', '', 'error']]);
    expect(report.status).toBe('incomplete');
  });

  it('the keys entry is replaced, never written through: a link at its place leaves its target alone', async () => {
    mock.set('-/npm/v1/keys', keysDoc);
    mock.set(
      'alpha',
      published('alpha', {
        '1.0.0': { integrity: good, signatures: [{ keyid: KEYID, sig: signed('alpha', '1.0.0', good) }] },
      }),
    );
    const root = await project({ alpha: { version: '1.0.0', integrity: good } });
    await run(root);
    const dir = path.join(cacheDir, 'keys-v1');
    const [entry] = await readdir(dir);
    const outside = path.join(cacheDir, 'not-a-cache-file.txt');
    await writeFile(outside, 'keep me');
    await rm(path.join(dir, entry!));
    await symlink(outside, path.join(dir, entry!));
    expect(codes(await run(root))).toEqual([]);
    expect(keyRequests()).toBe(2);
    expect(await readFile(outside, 'utf8')).toBe('keep me');
    expect(JSON.parse(await readFile(path.join(dir, entry!), 'utf8'))).toMatchObject({ answer: { state: 'found' } });
  });
});
