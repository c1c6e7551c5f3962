import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRegistryClient, type RegistryClientOptions } from '../../src/registry/client.js';
import {
  CORP_REGISTRY,
  HttpResponse,
  REGISTRY,
  createMockRegistry,
  delay,
  packument,
  securityHolding,
  unpublished,
} from '../helpers/registry.js';

const mock = createMockRegistry();
let cacheDir: string;
let root: string;

beforeAll(() => mock.listen());
afterAll(() => mock.close());
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'depverify-cache-'));
  root = await mkdtemp(path.join(os.tmpdir(), 'depverify-root-'));
});
afterEach(async () => {
  mock.reset();
  await rm(cacheDir, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
});

const client = (extra: Partial<RegistryClientOptions> = {}) =>
  createRegistryClient({ root, npmConfig: { registry: REGISTRY }, cacheDir, retries: 0, timeout: 2000, ...extra });

describe('three-valued lookup', () => {
  it('distils a found packument into facts', async () => {
    mock.set(
      'pg',
      packument('pg', {
        versions: { '8.0.0': {}, '8.1.0': { deprecated: 'use 8.2', scripts: { postinstall: 'x' } } },
        latest: '8.0.0',
      }),
    );
    const lookup = await client().lookup('pg');
    expect(lookup.state).toBe('found');
    if (lookup.state !== 'found') return;
    expect(Object.keys(lookup.facts.versions)).toEqual(['8.0.0', '8.1.0']);
    expect(lookup.facts.versions['8.1.0']).toMatchObject({
      deprecated: 'use 8.2',
      hasInstallScript: true,
      license: 'MIT',
    });
    expect(lookup.facts.distTags.latest).toBe('8.0.0');
    expect(lookup.facts.registry).toBe(REGISTRY);
  });

  it('records the commands of each version: none only when the document has no bin, unknown when the list is not whole', async () => {
    const doc = packument('kit', {
      versions: {
        '1.0.0': {},
        '1.1.0': { bin: 'cli.js' },
        '1.2.0': { bin: { 'bin/kit-a': 'a.js', 'kit-b': 'b.js', dropped: '' } },
        '1.3.0': { bin: ['bin/kit-c.js'] },
        '1.4.0': {},
        '1.5.0': { bin: { 'kit d': 'd.js' } },
      },
    });
    const versions = doc.versions as Record<string, Record<string, unknown>>;
    delete versions['1.1.0']!.name; // named after the packument
    versions['1.4.0']!.directories = { bin: 'bin' }; // only the tarball lists its files
    mock.set('kit', doc);
    for (const answer of [await client().lookup('kit'), await client().lookup('kit')]) {
      expect(mock.seen).toHaveLength(1); // the second answer is the cached one
      if (answer.state !== 'found') throw new Error(answer.state);
      const bins = Object.fromEntries(Object.entries(answer.facts.versions).map(([v, f]) => [v, f.bins]));
      expect(bins).toEqual({
        '1.0.0': [],
        '1.1.0': ['kit'],
        '1.2.0': ['kit-a', 'kit-b'],
        '1.3.0': ['kit-c.js'],
        '1.4.0': undefined,
        '1.5.0': undefined,
      });
    }
  });

  it('404 is missing (not-found)', async () => {
    expect(await client().lookup('no-such-pkg')).toEqual({ state: 'missing', reason: 'not-found' });
  });

  it('an unpublished document and an empty one are missing (unpublished)', async () => {
    mock.set('gone', unpublished('gone'));
    mock.set('empty', { name: 'empty', 'dist-tags': {}, versions: {}, time: {} });
    expect(await client().lookup('gone')).toMatchObject({
      state: 'missing',
      reason: 'unpublished',
      unpublishedAt: '2024-01-01T00:00:00.000Z',
    });
    expect(await client().lookup('empty')).toMatchObject({ state: 'missing', reason: 'unpublished' });
  });

  it('a security holding package is missing (security-holding)', async () => {
    mock.set('evil', securityHolding('evil'));
    expect(await client().lookup('evil')).toMatchObject({ state: 'missing', reason: 'security-holding' });
  });

  it.each([
    [500, /HTTP 500/],
    [503, /HTTP 503/],
    [401, /HTTP 401/],
    [403, /HTTP 403/],
  ])('HTTP %i is unknown with the reason', async (status, reason) => {
    mock.set('flaky', status);
    const lookup = await client().lookup('flaky');
    expect(lookup.state).toBe('unknown');
    if (lookup.state === 'unknown') expect(lookup.reason).toMatch(reason);
  });

  it('a time-out is unknown', async () => {
    mock.set('slow', async () => {
      await delay(3000);
      return HttpResponse.json(packument('slow', { versions: { '1.0.0': {} } }));
    });
    const lookup = await client({ timeout: 200 }).lookup('slow');
    expect(lookup).toMatchObject({ state: 'unknown' });
    if (lookup.state === 'unknown') expect(lookup.reason).toMatch(/timed out|aborted/);
  });

  it.each([
    [
      'invalid JSON',
      () => new HttpResponse('{"name": "bad", "versions": {', { headers: { 'content-type': 'application/json' } }),
    ],
    ['an HTML page', () => new HttpResponse('<html>login</html>', { headers: { 'content-type': 'text/html' } })],
    ['a document without versions', () => HttpResponse.json({ name: 'bad' })],
    ['a document for another name', () => HttpResponse.json(packument('other', { versions: { '1.0.0': {} } }))],
    ['a JSON array', () => HttpResponse.json([1, 2])],
  ])('%s is unknown, not found', async (_what, answer) => {
    mock.set('bad', answer);
    const lookup = await client().lookup('bad');
    expect(lookup.state).toBe('unknown');
    if (lookup.state === 'unknown') expect(lookup.reason).toMatch(/malformed/);
  });

  it('retries a 503 and succeeds within the retry budget', async () => {
    let calls = 0;
    mock.set('retry', () =>
      ++calls < 2
        ? HttpResponse.json({}, { status: 503 })
        : HttpResponse.json(packument('retry', { versions: { '1.0.0': {} } })),
    );
    expect((await client({ retries: 2 }).lookup('retry')).state).toBe('found');
    expect(calls).toBe(2);
  });
});

describe('requests', () => {
  it('asks for a scoped package as @scope%2fname, once for concurrent lookups', async () => {
    mock.set('@acme/tool', packument('@acme/tool', { versions: { '1.0.0': {} } }));
    const c = client();
    const [a, b] = await Promise.all([c.lookup('@acme/tool'), c.lookup('@acme/tool')]);
    expect(a.state).toBe('found');
    expect(b).toBe(a);
    expect(mock.seen.map((r) => r.path)).toEqual(['/@acme%2ftool']);
  });

  it('routes a scope to its own registry with its own token, and nothing else there', async () => {
    await writeFile(
      path.join(root, '.npmrc'),
      [
        `registry=${REGISTRY}`,
        `@corp:registry=${CORP_REGISTRY}`,
        `//npm.corp.example.test/:_authToken=\${CORP_TOKEN}`,
      ].join('\n'),
    );
    mock.set('npm.corp.example.test/@corp/secret', packument('@corp/secret', { versions: { '1.0.0': {} } }));
    mock.set('registry.example.test/lodash', packument('lodash', { versions: { '4.17.21': {} } }));
    const c = createRegistryClient({
      root,
      env: { CORP_TOKEN: 's3cret', HOME: root, npm_config_globalconfig: path.join(root, 'none') },
      cacheDir,
      retries: 0,
    });
    expect((await c.lookup('@corp/secret')).state).toBe('found');
    expect((await c.lookup('lodash')).state).toBe('found');
    const corp = mock.seen.filter((r) => r.host === 'npm.corp.example.test');
    const publicOnes = mock.seen.filter((r) => r.host === 'registry.example.test');
    expect(corp.map((r) => r.name)).toEqual(['@corp/secret']);
    expect(corp[0]?.headers.authorization).toBe('Bearer s3cret');
    expect(publicOnes.map((r) => r.name)).toEqual(['lodash']);
    expect(publicOnes[0]?.headers.authorization).toBeUndefined();
  });

  it('--registry overrides the configured default registry', async () => {
    await writeFile(path.join(root, '.npmrc'), `registry=${CORP_REGISTRY}`);
    mock.set('lodash', packument('lodash', { versions: { '4.17.21': {} } }));
    const c = createRegistryClient({
      root,
      env: { HOME: root, npm_config_globalconfig: path.join(root, 'none') },
      registry: 'https://other.example.test',
      cacheDir,
      retries: 0,
    });
    await c.lookup('lodash');
    expect(mock.seen.map((r) => r.host)).toEqual(['other.example.test']);
  });

  it('an unreadable .npmrc is a configuration error, not a silent fall-back to the default registry', async () => {
    await mkdir(path.join(root, '.npmrc'));
    expect(() =>
      createRegistryClient({ root, env: { HOME: root, npm_config_globalconfig: path.join(root, 'none') }, cacheDir }),
    ).toThrow(/npm configuration/);
  });
});

describe('cache', () => {
  const answerWithEtag = (name: string, counter: { full: number; notModified: number }) => (request: Request) => {
    if (request.headers.get('if-none-match') === '"v1"') {
      counter.notModified++;
      return new HttpResponse(null, { status: 304 });
    }
    counter.full++;
    return HttpResponse.json(packument(name, { versions: { '1.0.0': {} } }), { headers: { etag: '"v1"' } });
  };

  it('answers a fresh entry from disk without a request', async () => {
    const counter = { full: 0, notModified: 0 };
    mock.set('cached', answerWithEtag('cached', counter));
    expect((await client().lookup('cached')).state).toBe('found');
    expect((await client().lookup('cached')).state).toBe('found');
    expect(counter).toEqual({ full: 1, notModified: 0 });
  });

  it('a cached answer reads back equal to the fresh one (versions, times, deprecations)', async () => {
    const doc = packument('roundtrip', {
      versions: {
        '1.0.0': {},
        '1.1.0': { deprecated: 'old' },
        '2.0.0': { license: 'Apache-2.0', types: 'index.d.ts' },
      },
      time: { '2.0.0': 'not a date' },
    });
    mock.set('roundtrip', doc);
    const fresh = await client().lookup('roundtrip');
    mock.seen.length = 0;
    const cached = await client().lookup('roundtrip');
    expect(mock.seen).toEqual([]);
    expect(JSON.parse(JSON.stringify(cached))).toEqual(JSON.parse(JSON.stringify(fresh)));
    if (cached.state !== 'found') throw new Error('expected found');
    expect(cached.facts.time).toEqual({ '1.0.0': Date.UTC(2020, 0, 1), '1.1.0': Date.UTC(2020, 0, 2) });
    expect(cached.facts.versions['2.0.0']).toEqual({ license: 'Apache-2.0', types: 'index.d.ts', bins: [] });
  });

  it('revalidates a stale entry with If-None-Match and keeps it on 304', async () => {
    const counter = { full: 0, notModified: 0 };
    mock.set('stale', answerWithEtag('stale', counter));
    await client().lookup('stale');
    const again = await client({ cacheTtl: 0 }).lookup('stale');
    expect(again.state).toBe('found');
    expect(counter).toEqual({ full: 1, notModified: 1 });
  });

  it('--refresh asks again unconditionally', async () => {
    const counter = { full: 0, notModified: 0 };
    mock.set('fresh', answerWithEtag('fresh', counter));
    await client().lookup('fresh');
    await client({ refresh: true }).lookup('fresh');
    expect(counter).toEqual({ full: 2, notModified: 0 });
  });

  it('--offline answers from the cache and calls a miss unknown, without any request', async () => {
    mock.set('known', packument('known', { versions: { '1.0.0': {} } }));
    await client().lookup('known');
    mock.seen.length = 0;
    expect((await client({ offline: true, cacheTtl: 0 }).lookup('known')).state).toBe('found');
    expect(await client({ offline: true }).lookup('never-seen')).toMatchObject({
      state: 'unknown',
      reason: expect.stringMatching(/offline/),
    });
    expect(mock.seen).toEqual([]);
  });

  it('never caches an unknown answer', async () => {
    mock.set('down', 500);
    expect((await client().lookup('down')).state).toBe('unknown');
    mock.set('down', packument('down', { versions: { '1.0.0': {} } }));
    expect((await client().lookup('down')).state).toBe('found');
  });

  it('keys entries by registry: one registry answer is not served for another', async () => {
    mock.set('registry.example.test/shared', packument('shared', { versions: { '1.0.0': {} } }));
    expect((await client().lookup('shared')).state).toBe('found');
    const other = await client({ npmConfig: { registry: CORP_REGISTRY } }).lookup('shared');
    expect(other).toEqual({ state: 'missing', reason: 'not-found' });
  });

  it('discards a cached missing answer with an unknown reason and refetches', async () => {
    mock.set('odd', packument('odd', { versions: { '1.0.0': {} } }));
    await client().lookup('odd');
    const dir = path.join(cacheDir, 'facts-v9');
    const [registryDir] = await readdir(dir);
    await writeFile(
      path.join(dir, registryDir!, 'odd.json'),
      JSON.stringify({ fetchedAt: Date.now(), answer: { state: 'missing', reason: 'gone-fishing' } }),
    );
    mock.seen.length = 0;
    expect((await client().lookup('odd')).state).toBe('found');
    expect(mock.seen).toHaveLength(1);
  });

  it('discards a corrupted entry and refetches', async () => {
    mock.set('corrupt', packument('corrupt', { versions: { '1.0.0': {} } }));
    await client().lookup('corrupt');
    const dir = path.join(cacheDir, 'facts-v9');
    const [registryDir] = await readdir(dir);
    await writeFile(path.join(dir, registryDir!, 'corrupt.json'), '{"fetchedAt": 1, "answer": {');
    mock.seen.length = 0;
    expect((await client().lookup('corrupt')).state).toBe('found');
    expect(mock.seen).toHaveLength(1);
  });
});

describe('transport details', () => {
  it('a CA bundle becomes one shared TLS context, unless a registry has a client certificate', async () => {
    const { shareCa } = await import('../../src/registry/client.js');
    const { rootCertificates, SecureContext } = await import('node:tls').then((tls) => ({
      ...tls,
      SecureContext: tls.createSecureContext().constructor,
    }));
    const ca = rootCertificates.slice(0, 3);
    const shared = shareCa({ registry: REGISTRY, ca }) as Record<string, unknown>;
    expect(shared.ca).toBeUndefined();
    expect(shared.secureContext).toBeInstanceOf(SecureContext);
    // The same context for every request of the run.
    expect({ ...shared }.secureContext).toBe(shared.secureContext);
    const withCert = { registry: REGISTRY, ca, '//registry.example.test/:certfile': '/x.pem' };
    expect(shareCa(withCert)).toBe(withCert);
    expect(shareCa({ registry: REGISTRY })).toEqual({ registry: REGISTRY });
  });

  it('a tarball of many chunks is read without piling up stream listeners (no warning reaches stderr)', async () => {
    const { publish } = await import('../helpers/publish.js');
    const { randomBytes } = await import('node:crypto');
    // Incompressible content, so the tarball arrives as many chunks.
    const files = {
      'index.d.ts': 'export declare const a: 1;',
      'blob.d.ts': `// ${randomBytes(100_000).toString('base64')}`,
    };
    publish(mock, 'big', { '1.0.0': files });
    const { packageTarball } = await import('../helpers/tarball.js');
    const data = packageTarball({
      ...files,
      'package.json': JSON.stringify({ name: 'big', version: '1.0.0', license: 'MIT' }),
    });
    // Served in 1 KiB pieces, as a network delivers it.
    mock.set('big/-/big-1.0.0.tgz', () => {
      const body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < data.length; i += 1024) controller.enqueue(new Uint8Array(data.subarray(i, i + 1024)));
          controller.close();
        },
      });
      return new HttpResponse(body, {
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      });
    });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const answer = await client().tarball!('big', '1.0.0');
      expect(answer.state).toBe('ok');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
