/**
 * Hostile tarballs: each is refused or its bad parts ignored, within fixed limits, in memory only.
 * Unit level through readTarballFiles, end to end through verify() and the CLI with msw serving
 * the tarball of a package the project imports.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, Pax } from 'tar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { verify } from '../../src/index.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { fetchTarball, matchesIntegrity } from '../../src/registry/tarball.js';
import { exitCode } from '../../src/report/exit-code.js';
import { DEFAULT_TARBALL_LIMITS, readTarballFiles } from '../../src/members/tarball-files.js';
import { writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { HttpResponse, REGISTRY, createMockRegistry } from '../helpers/registry.js';
import { packageTarball, tarball } from '../helpers/tarball.js';

/** A name no other test or process writes: any file carrying it means something was extracted. */
const MARK = `dv-escape-${randomBytes(4).toString('hex')}`;
const SMALL = { maxUnpackedBytes: 1024 * 1024, maxFileBytes: 64 * 1024, maxEntries: 20 };
const MiB = 1024 * 1024;

/** One gzip member of `size` zero bytes, repeated: `count` MiB unpacked from a few KiB, built in ms. */
function zeroMembers(count: number): Buffer {
  const member = gzipSync(Buffer.alloc(MiB));
  return Buffer.concat(Array.from({ length: count }, () => member));
}

/** A tar header block alone, for hand-built archives. */
function header(entry: { path: string; size: number; type?: string }): Buffer {
  const block = Buffer.alloc(512);
  new Header({
    path: entry.path,
    mode: 0o644,
    size: entry.size,
    type: (entry.type ?? 'File') as never,
    mtime: new Date(0),
  }).encode(block, 0);
  return block;
}

/** A gzip bomb that is a valid tar: one `package/index.d.ts` declaring `mib` MiB of zeros. */
function bomb(mib: number): Buffer {
  return Buffer.concat([gzipSync(header({ path: 'package/index.d.ts', size: mib * MiB })), zeroMembers(mib)]);
}

describe('readTarballFiles on hostile archives', () => {
  it('a gzip bomb stops at the unpacked limit, small limits and the defaults alike', async () => {
    expect(await readTarballFiles(bomb(4), undefined, SMALL)).toEqual({
      ok: false,
      reason: `unpacks to more than ${SMALL.maxUnpackedBytes} bytes`,
    });
    // Not a valid tar at all: plain zeros still count toward the limit before tar sees them.
    expect(await readTarballFiles(zeroMembers(3), undefined, SMALL)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/unpacks to more than/),
    });
    const mib = DEFAULT_TARBALL_LIMITS.maxUnpackedBytes / MiB + 1;
    const before = process.memoryUsage().arrayBuffers;
    const huge = bomb(mib);
    expect(huge.length).toBeLessThan(mib * 2048);
    expect(await readTarballFiles(huge)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/unpacks to more than/),
    });
    // Streamed, not inflated into one buffer: memory never holds the unpacked archive.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(DEFAULT_TARBALL_LIMITS.maxUnpackedBytes / 4);
  });

  it('paths outside the package are skipped and listed, never kept', async () => {
    const escapes = [
      `package/../../${MARK}.d.ts`,
      `../${MARK}.d.ts`,
      `/tmp/${MARK}.d.ts`,
      `C:\\${MARK}.d.ts`,
      `package\\..\\..\\${MARK}.d.ts`,
      `package/./../../${MARK}.d.ts`,
      `${MARK}.d.ts`,
    ];
    const pax = new Pax({ path: `package/../../${MARK}-pax.d.ts`, mtime: new Date(0) }, false).encode();
    const tar = Buffer.concat([
      tarball(
        [
          { path: 'package/package.json', content: '{}' },
          { path: 'package/index.d.ts', content: 'export declare const ok: 1;' },
          ...escapes.map((p) => ({ path: p, content: 'export {};' })),
        ],
        { gzip: false },
      ).subarray(0, -1024),
      pax,
      header({ path: 'package/innocent.d.ts', size: 3 }),
      Buffer.from('x'.padEnd(512, '\0')),
      Buffer.alloc(1024),
    ]);
    const result = await readTarballFiles(gzipSync(tar));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.files.keys()].sort()).toEqual(['index.d.ts', 'package.json']);
    expect(result.paths.sort()).toEqual(['index.d.ts', 'package.json']);
    expect(result.skipped).toHaveLength(escapes.length + 1);
    expect(result.skipped.every((s) => s.includes(MARK) && s.endsWith('(outside the package)'))).toBe(true);
  });

  it('links and devices are skipped and listed, not followed', async () => {
    const result = await readTarballFiles(
      tarball([
        { path: 'package/package.json', content: '{"types":"index.d.ts"}' },
        { path: 'package/index.d.ts', type: 'SymbolicLink', linkpath: '/etc/passwd' },
        { path: 'package/up.d.ts', type: 'SymbolicLink', linkpath: `../../${MARK}` },
        { path: 'package/hard.d.ts', type: 'Link', linkpath: 'package/package.json' },
        { path: 'package/dir', type: 'Directory' },
      ]),
    );
    expect(result.ok && [...result.files.keys()]).toEqual(['package.json']);
    expect(result.ok && result.paths).toEqual(['package.json']);
    expect(result.ok && result.skipped.map((s) => s.replace(/^.*\(/, '('))).toEqual([
      '(SymbolicLink)',
      '(SymbolicLink)',
      '(Link)',
    ]);
  });

  it('an enormous entry: skipped when whole, refused when the archive is cut short', async () => {
    const big = tarball([
      { path: 'package/index.d.ts', content: 'x'.repeat(200 * 1024) },
      { path: 'package/package.json', content: '{}' },
    ]);
    expect(await readTarballFiles(big, undefined, SMALL)).toMatchObject({
      ok: true,
      skipped: [`index.d.ts (${200 * 1024} bytes)`],
      paths: ['index.d.ts', 'package.json'],
    });
    // 10 GB declared, 100 bytes present: nothing of it (or after it) is kept.
    const declared = tarball([
      { path: 'package/package.json', content: '{}' },
      { path: 'package/index.d.ts', content: 'x'.repeat(100), size: 1e10 },
    ]);
    expect(await readTarballFiles(declared)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^malformed tar/),
    });
    // A wanted file under the limit, cut short: refused rather than kept half read.
    const cut = Buffer.concat([header({ path: 'package/index.d.ts', size: 4096 }), Buffer.alloc(1024, 'y')]);
    expect(await readTarballFiles(gzipSync(cut))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^malformed tar/),
    });
  });

  it('too many entries: refused at the limit, whatever their kind', async () => {
    const files = tarball(Array.from({ length: 25 }, (_, i) => ({ path: `package/f${i}.js`, content: '' })));
    expect(await readTarballFiles(files, undefined, SMALL)).toEqual({
      ok: false,
      reason: `more than ${SMALL.maxEntries} entries`,
    });
    const dirs = tarball(
      Array.from({ length: 25 }, (_, i) => ({ path: `package/d${i}/`, type: 'Directory' as const })),
    );
    expect(await readTarballFiles(dirs, undefined, SMALL)).toEqual({
      ok: false,
      reason: `more than ${SMALL.maxEntries} entries`,
    });
    expect(
      await readTarballFiles(
        tarball(Array.from({ length: 20 }, (_, i) => ({ path: `package/f${i}.d.ts`, content: '' }))),
        undefined,
        SMALL,
      ),
    ).toMatchObject({ ok: true });
  });

  it('non-gzip, truncated and corrupt gzip, and gzip of no tar are refused', async () => {
    const good = packageTarball({ 'package.json': '{}', 'index.d.ts': 'export {};'.repeat(500) });
    const notGzip = [
      Buffer.alloc(0),
      Buffer.from('PK\u0003\u0004 a zip'),
      tarball([{ path: 'package/index.d.ts', content: 'x' }], { gzip: false }),
      Buffer.from('BZh91AY&SY'),
      good.subarray(0, 10),
    ];
    for (const data of notGzip) expect(await readTarballFiles(data)).toEqual({ ok: false, reason: 'not a gzip file' });
    expect(await readTarballFiles(good.subarray(0, Math.floor(good.length / 2)))).toEqual({
      ok: false,
      reason: 'truncated gzip',
    });
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 6]! ^= 0xff; // the CRC-32 trailer
    expect(await readTarballFiles(corrupt)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^malformed gzip/),
    });
    expect(await readTarballFiles(gzipSync(Buffer.from('garbage that is not tar')))).toMatchObject({ ok: false });
    expect(await readTarballFiles(gzipSync(Buffer.alloc(0)))).toMatchObject({ ok: false });
  });

  it('an over-long path (pax) is skipped, its listing bounded', async () => {
    const long = `package/${'d/'.repeat(3000)}index.d.ts`;
    const tar = Buffer.concat([
      new Pax({ path: long, mtime: new Date(0) }, false).encode(),
      header({ path: 'package/short.d.ts', size: 1 }),
      Buffer.from('x'.padEnd(512, '\0')),
      Buffer.alloc(1024),
    ]);
    const result = await readTarballFiles(
      gzipSync(
        Buffer.concat([
          tarball([{ path: 'package/package.json', content: '{}' }], { gzip: false }).subarray(0, -1024),
          tar,
        ]),
      ),
    );
    expect(result.ok && result.paths).toEqual(['package.json']);
    expect(result.ok && result.skipped).toEqual([expect.stringMatching(/\(path of 6018 characters\)$/)]);
    expect(result.ok && result.skipped[0]!.length).toBeLessThan(200);
  });

  it('integrity is checked on the bytes themselves, strongest hash first', () => {
    const data = Buffer.from('tarball bytes');
    const sri = (alg: string, bytes: Buffer | string) => `${alg}-${createHash(alg).update(bytes).digest('base64')}`;
    expect(matchesIntegrity(data, sri('sha512', data))).toBe(true);
    expect(matchesIntegrity(data, sri('sha512', 'other'))).toBe(false);
    expect(matchesIntegrity(data, `${sri('sha1', data)} ${sri('sha512', 'other')}`)).toBe(false);
    expect(matchesIntegrity(data, 'md5-AAAA')).toBe(false);
    expect(matchesIntegrity(data, '')).toBe(false);
  });
});

// End to end: the project imports `hostile`, whose registry serves the tarball under test.
const mock = createMockRegistry();
const scratch = mkdtempSync(path.join(tmpdir(), 'depverify-hostile-tgz-'));
const home = path.join(scratch, 'home');
const cwd = path.join(scratch, 'cwd');
const startCwd = process.cwd();
let caches = 0;
beforeAll(() => {
  mock.listen();
  mkdirSync(home);
  mkdirSync(cwd);
  process.chdir(cwd);
});
afterEach(() => mock.reset());
afterAll(() => {
  process.chdir(startCwd);
  mock.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Serves `data` as `name@version`'s tarball, with its real integrity unless one is given. */
function serve(
  name: string,
  version: string,
  data: Buffer,
  integrity = `sha512-${createHash('sha512').update(data).digest('base64')}`,
): void {
  const tarballUrl = `${REGISTRY}${name}/-/${name}-${version}.tgz`;
  const doc = { name, version, license: 'MIT', dist: { tarball: tarballUrl, integrity } };
  mock.set(
    `${name}/-/${name}-${version}.tgz`,
    () => new HttpResponse(data, { headers: { 'content-type': 'application/octet-stream' } }),
  );
  mock.set(`${name}/${version}`, doc);
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  mock.set(name, {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: { [version]: doc },
    time: { created: ago(400), [version]: ago(60) },
    maintainers: [{ name: 'a' }, { name: 'b' }],
    description: 'fixture',
    repository: { type: 'git', url: `git+https://git.example.test/${name}.git` },
    license: 'MIT',
  });
}

/** Every file under `dir`, with its size: a before/after picture of what a run wrote. */
function snapshot(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = e.isFile() ? statSync(full).size : -1;
    }
  };
  walk(dir);
  return out;
}

const PROJECT = {
  'package.json': JSON.stringify({ name: 'app', dependencies: { hostile: '1.0.0' } }),
  'src/a.ts': "import { ok } from 'hostile';\nconsole.log(ok.length, ok.nope);\n",
};

async function run(): Promise<{
  report: Awaited<ReturnType<typeof verify>>;
  wrote: string[];
  types: Array<Record<string, unknown>>;
}> {
  const root = await writeTree(PROJECT);
  const cacheDir = path.join(scratch, `cache${caches++}`);
  const before = { root: snapshot(root), home: snapshot(home), cwd: snapshot(cwd) };
  const client = createRegistryClient({
    root,
    env: { HOME: home, npm_config_globalconfig: path.join(home, 'none') },
    cacheDir,
    retries: 0,
    timeout: 10_000,
  });
  const report = await verify({ root, client, cacheDir, popularIndex: false });
  // Nothing outside the cache changed; in the cache, only depverify's own JSON records.
  expect({ root: snapshot(root), home: snapshot(home), cwd: snapshot(cwd) }).toEqual(before);
  const wrote = Object.keys(snapshot(cacheDir));
  const cacheRecord = /^(?:facts|decl|members|parses)-v\d+\/(?:[0-9a-f]+\/)?[^/]+\.json$/;
  expect(wrote.filter((f) => !cacheRecord.test(f) || f.includes(MARK))).toEqual([]);
  expect(wrote).toContainEqual(expect.stringMatching(/^facts-v\d+\/[0-9a-f]+\/hostile\.json$/));
  for (const dir of [tmpdir(), path.dirname(root), scratch, '/tmp'])
    expect(readdirSync(dir).filter((f) => f.includes(MARK))).toEqual([]);
  const types = report.findings
    .filter((f) => ['TYPES_UNAVAILABLE', 'TYPES_UNKNOWN', 'INVENTED_MEMBER', 'INVENTED_EXPORT'].includes(f.code))
    .map((f) => ({ code: f.code, severity: f.severity, package: f.package, ...f.details }));
  return { report, wrote, types };
}

const REFUSED: Array<[string, () => Buffer, RegExp]> = [
  ['a gzip bomb', () => bomb(DEFAULT_TARBALL_LIMITS.maxUnpackedBytes / MiB + 1), /unpacks to more than/],
  // One directory header repeated: the count is what matters, and it builds in milliseconds.
  [
    'too many entries',
    () =>
      gzipSync(
        Buffer.concat([
          ...Array<Buffer>(DEFAULT_TARBALL_LIMITS.maxEntries + 1).fill(
            header({ path: 'package/d/', size: 0, type: 'Directory' }),
          ),
          Buffer.alloc(1024),
        ]),
      ),
    /more than \d+ entries/,
  ],
  [
    'an enormous declared entry',
    () => tarball([{ path: 'package/index.d.ts', content: 'x', size: 1e10 }]),
    /malformed tar/,
  ],
  [
    'not gzip',
    () => tarball([{ path: 'package/index.d.ts', content: 'export declare const ok: string;' }], { gzip: false }),
    /not a gzip file/,
  ],
  // Every byte of the tar is there, only the gzip trailer (CRC and length) is cut: still refused.
  [
    'truncated gzip',
    () => packageTarball({ 'index.d.ts': 'export declare const ok: string;' }).subarray(0, -4),
    /truncated gzip/,
  ],
];

describe('hostile tarballs through verify()', () => {
  it.each(REFUSED)('%s: TYPES_UNKNOWN warning with the reason, run incomplete', async (_label, build, reason) => {
    serve('hostile', '1.0.0', build());
    const { report, types } = await run();
    expect(types).toEqual([
      { code: 'TYPES_UNKNOWN', severity: 'warning', package: 'hostile', reason: expect.stringMatching(reason) },
    ]);
    expect(report.status).toBe('incomplete');
    expect(exitCode(report)).toBe(2);
  });

  it('bytes that do not match dist.integrity are refused before they are read', async () => {
    // A bomb with a wrong integrity: refused for the integrity, never inflated.
    serve('hostile', '1.0.0', bomb(300), `sha512-${createHash('sha512').update('other bytes').digest('base64')}`);
    const { report, types, wrote } = await run();
    expect(types).toEqual([
      {
        code: 'TYPES_UNKNOWN',
        severity: 'warning',
        package: 'hostile',
        reason: expect.stringMatching(/does not match its integrity/),
      },
    ]);
    expect(exitCode(report)).toBe(2);
    // Nothing of it is cached: a later run asks again rather than trusting it.
    expect(wrote.filter((f) => f.includes('decl-'))).toEqual([]);
  });

  it('the same through publish(): a corrupt integrity on a well-formed tarball', async () => {
    publish(
      mock,
      'hostile',
      { '1.0.0': { 'package.json': '{"types":"index.d.ts"}', 'index.d.ts': 'export declare const ok: string;' } },
      { corrupt: ['1.0.0'] },
    );
    const { types, report } = await run();
    expect(types).toMatchObject([
      { code: 'TYPES_UNKNOWN', severity: 'warning', reason: expect.stringMatching(/integrity/) },
    ]);
    expect(exitCode(report)).toBe(2);
  });

  it('escaping paths and links beside good declarations: ignored, the package is still checked', async () => {
    serve(
      'hostile',
      '1.0.0',
      tarball([
        { path: 'package/package.json', content: '{"name":"hostile","types":"index.d.ts"}' },
        { path: 'package/index.d.ts', content: 'export declare const ok: string;' },
        { path: `package/../../${MARK}.d.ts`, content: 'export declare const ok: { nope: 1 };' },
        { path: `/tmp/${MARK}.d.ts`, content: 'export {};' },
        { path: 'package/lib.d.ts', type: 'SymbolicLink', linkpath: `../../${MARK}` },
        { path: 'package/hard.d.ts', type: 'Link', linkpath: `../${MARK}` },
      ]),
    );
    const { report, types, wrote } = await run();
    expect(types).toEqual([expect.objectContaining({ code: 'INVENTED_MEMBER', package: 'hostile', name: 'nope' })]);
    expect(report.status).toBe('findings');
    expect(wrote).toContainEqual(expect.stringMatching(/^decl-v\d+\/[0-9a-f]+\/hostile@1\.0\.0\.json$/));
  });
});

describe('fetchTarball limits', () => {
  const options = { config: { registry: REGISTRY }, registry: REGISTRY, timeout: 10_000, retries: 0, maxBytes: 4096 };
  const big = Buffer.alloc(10_000, 1);

  it('a body over the limit is refused, with or without a declared length', async () => {
    // Declared, and streamed in chunks with no length at all.
    const bodies = [
      () => new HttpResponse(big, { headers: { 'content-length': String(big.length) } }),
      () =>
        new HttpResponse(
          new ReadableStream({
            start: (c) => (c.enqueue(big.subarray(0, 3000)), c.enqueue(big.subarray(3000)), c.close()),
          }),
        ),
    ];
    for (const body of bodies) {
      serve('hostile', '1.0.0', big);
      mock.set('hostile/-/hostile-1.0.0.tgz', body);
      expect(await fetchTarball('hostile', '1.0.0', options)).toEqual({
        state: 'unknown',
        reason: expect.stringMatching(/more than 4096/),
      });
    }
  });

  it('a 2xx other than 200 is not a tarball (the HTTP layer would not check its integrity)', async () => {
    const good = packageTarball({ 'index.d.ts': 'export {};' });
    serve('hostile', '1.0.0', good);
    mock.set(
      'hostile/-/hostile-1.0.0.tgz',
      () => new HttpResponse(bomb(1), { status: 203, headers: { 'content-length': String(bomb(1).length) } }),
    );
    expect(await fetchTarball('hostile', '1.0.0', options)).toEqual({
      state: 'unknown',
      reason: expect.stringMatching(/HTTP 203/),
    });
  });

  it('tarball URLs that are not http(s) are never fetched', async () => {
    for (const tarballUrl of [
      'file:///etc/passwd',
      'data:application/gzip;base64,AAAA',
      'ftp://files.example.test/x.tgz',
    ]) {
      serve('hostile', '1.0.0', Buffer.from('x'));
      mock.set('hostile/1.0.0', {
        name: 'hostile',
        version: '1.0.0',
        dist: { tarball: tarballUrl, integrity: 'sha512-AAAA' },
      });
      expect(await fetchTarball('hostile', '1.0.0', options)).toEqual({
        state: 'unknown',
        reason: expect.stringMatching(/not an http\(s\) URL/),
      });
    }
  });

  it('a good tarball within the limits is returned with its integrity, the URL without credentials', async () => {
    const good = packageTarball({ 'index.d.ts': 'export {};' });
    serve('hostile', '1.0.0', good);
    const answer = await fetchTarball('hostile', '1.0.0', { ...options, maxBytes: 1_000_000 });
    expect(answer).toMatchObject({
      state: 'ok',
      tarball: `${REGISTRY}hostile/-/hostile-1.0.0.tgz`,
      integrity: expect.stringMatching(/^sha512-/),
    });
  });
});

describe('hostile tarballs through the CLI', () => {
  it.each([
    ['json', /unpacks to more than/, () => bomb(DEFAULT_TARBALL_LIMITS.maxUnpackedBytes / MiB + 1)],
    ['sarif', /not a gzip file/, () => Buffer.from('plain text, not an archive')],
  ])('exit 2 with the reason in %s output, nothing extracted', async (format, reason, build) => {
    serve('hostile', '1.0.0', build());
    const root = await writeTree(PROJECT);
    const before = snapshot(home);
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      cwd: root,
      env: {
        HOME: home,
        npm_config_globalconfig: path.join(home, 'none'),
        npm_config_registry: REGISTRY,
        DEPVERIFY_CACHE_DIR: path.join(scratch, `cli${caches++}`),
        NO_COLOR: '1',
      },
    };
    expect(await main(['--format', format, '--quiet'], io)).toBe(2);
    expect(JSON.stringify(JSON.parse(stdout))).toMatch(/TYPES_UNKNOWN/);
    expect(stdout).toMatch(reason);
    expect(stderr).toBe('');
    expect(snapshot(home)).toEqual(before);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
