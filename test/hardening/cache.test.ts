// The on-disk caches under concurrent writers and damage: an entry is whole or absent, a damaged
// one is refetched (never served, never a crash), and one registry's answer is never served for
// another's.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PackageFacts } from '../../src/model/facts.js';
import { createPopularity } from '../../src/popularity/popularity.js';
import { createRegistryClient, type RegistryClientOptions } from '../../src/registry/client.js';
import { type CacheEntry, FactsCache } from '../../src/registry/facts-cache.js';
import { CORP_REGISTRY, REGISTRY, createMockRegistry, packument } from '../helpers/registry.js';
import { repoRoot } from '../helpers/run-cli.js';

const mock = createMockRegistry();
let cacheDir: string;

beforeAll(() => mock.listen());
afterAll(() => mock.close());
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'depverify-cache-hardening-'));
});
afterEach(async () => {
  mock.reset();
  await rm(cacheDir, { recursive: true, force: true });
});

const client = (extra: Partial<RegistryClientOptions> = {}) =>
  createRegistryClient({
    root: cacheDir,
    npmConfig: { registry: REGISTRY },
    cacheDir,
    retries: 0,
    timeout: 2000,
    ...extra,
  });

/** Every file under the cache directory, relative to it. */
const cacheFiles = async (): Promise<string[]> =>
  (
    (await readdir(cacheDir, { recursive: true, withFileTypes: true })) as Array<{
      isFile(): boolean;
      parentPath: string;
      name: string;
    }>
  )
    .filter((e) => e.isFile())
    .map((e) => path.relative(cacheDir, path.join(e.parentPath, e.name)));

/** A found entry with `count` versions: entries of different sizes, so a torn write would show. */
function entry(name: string, count: number): CacheEntry {
  const versions: PackageFacts['versions'] = {};
  const time: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    versions[`1.${i}.0`] = { license: i % 2 ? 'MIT' : 'ISC', ...(i % 7 ? {} : { deprecated: `old ${i}` }) };
    time[`1.${i}.0`] = Date.UTC(2020, 0, 1) + i * 1000;
  }
  return {
    fetchedAt: Date.now(),
    answer: {
      state: 'found',
      facts: { name, registry: REGISTRY, distTags: { latest: `1.${count - 1}.0` }, versions, time },
    },
  };
}

const versionsOf = (e: CacheEntry | undefined): string[] => Object.keys(e?.answer.facts?.versions ?? {});

describe('concurrent writers', () => {
  it('many cache instances writing one key at once: every read is a whole entry, and no temporary file is left', async () => {
    const sizes = [1, 40, 300, 5, 1200, 80, 2, 600];
    const writers = sizes.map(() => new FactsCache(cacheDir));
    const reader = new FactsCache(cacheDir);
    await writers[0]!.write(REGISTRY, 'shared', entry('shared', 3));
    const torn: number[] = [];
    let reads = 0;
    await Promise.all([
      ...writers.flatMap((cache, i) =>
        Array.from({ length: 15 }, () => cache.write(REGISTRY, 'shared', entry('shared', sizes[i]!))),
      ),
      ...Array.from({ length: 200 }, async (_, i) => {
        await new Promise((resolve) => setImmediate(resolve));
        const read = await reader.read(REGISTRY, 'shared');
        reads++;
        // Whole: one of the entries written, never a miss once the first one was in place.
        if (![3, ...sizes].includes(versionsOf(read).length)) torn.push(i);
      }),
    ]);
    expect(reads).toBe(200);
    expect(torn).toEqual([]);
    expect(sizes).toContain(versionsOf(await reader.read(REGISTRY, 'shared')).length);
    expect((await cacheFiles()).filter((f) => !f.endsWith('shared.json'))).toEqual([]);
  });

  it('two depverify processes sharing one cache directory do not corrupt it', async () => {
    // Each child writes the same keys over and over (entries of different sizes), reads them back
    // after every write, and saves a squat memo in the same directory; a torn entry is a miss.
    const script = `
      import { readFileSync, readdirSync } from 'node:fs';
      import path from 'node:path';
      const { FactsCache } = await import(${JSON.stringify(path.join(repoRoot, 'dist/registry/facts-cache.js'))});
      const { createPopularity } = await import(${JSON.stringify(path.join(repoRoot, 'dist/popularity/popularity.js'))});
      const [dir, registry, seed] = process.argv.slice(1);
      const cache = new FactsCache(dir);
      const entry = (name, n) => ({ fetchedAt: Date.now(), answer: { state: 'found', facts: { name, registry, distTags: {},
        versions: Object.fromEntries(Array.from({ length: n }, (_, i) => ['1.' + i + '.0', { license: 'MIT', description: seed }])) } } });
      let misses = 0, memoErrors = 0;
      for (let i = 0; i < 60; i++) {
        const name = 'key-' + (i % 3);
        await cache.write(registry, name, entry(name, 1 + ((i * 37 + Number(seed)) % 500)));
        if (!(await cache.read(registry, 'key-' + ((i + 1) % 3)))?.answer.facts && i >= 3) misses++;
        const memo = createPopularity({ minTargetDownloads: 1000000, memoDir: dir });
        memo.squatCandidates('exprress-' + seed + '-' + i);
        memo.save();
        const memoDir = path.join(dir, 'squat-memo-v1');
        for (const f of readdirSync(memoDir)) if (f.endsWith('.json')) { try { JSON.parse(readFileSync(path.join(memoDir, f), 'utf8')); } catch { memoErrors++; } }
      }
      process.stdout.write(JSON.stringify({ misses, memoErrors }));
    `;
    const child = (seed: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', script, cacheDir, REGISTRY, seed], {
          cwd: cacheDir,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        p.stdout.on('data', (c: Buffer) => (out += c));
        p.stderr.on('data', (c: Buffer) => (err += c));
        p.on('close', (code) => resolve({ code, out, err }));
      });
    const results = await Promise.all([child('1'), child('2')]);
    for (const r of results) {
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toEqual({ misses: 0, memoErrors: 0 });
    }
    const files = await cacheFiles();
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const reader = new FactsCache(cacheDir);
    // Each key holds one child's last write of it, whole: write i of child `seed` has 1 + (i * 37 + seed) % 500 versions.
    for (const [k, name] of ['key-0', 'key-1', 'key-2'].entries()) {
      const lastWrite = (seed: number) => 1 + (((57 + k) * 37 + seed) % 500);
      expect([lastWrite(1), lastWrite(2)], name).toContain(versionsOf(await reader.read(REGISTRY, name)).length);
    }
    const memos = files.filter((f) => f.startsWith('squat-memo-v1'));
    expect(memos).toHaveLength(1);
    const memo = JSON.parse(await readFile(path.join(cacheDir, memos[0]!), 'utf8')) as Record<string, unknown>;
    // Each save writes what that process read plus its own name: the memo holds only the children's
    // names, and ends with the last writer's last one.
    expect(Object.keys(memo).filter((name) => !/^exprress-[12]-\d+$/.test(name))).toEqual([]);
    expect(['exprress-1-59', 'exprress-2-59']).toContain(Object.keys(memo).at(-1));
  }, 30_000);
});

describe('a cache that goes away or cannot be written', () => {
  it('the directory removed under a long-lived client: the next answer is cached again', async () => {
    mock.set('one', packument('one', { versions: { '1.0.0': {} } }));
    mock.set('two', packument('two', { versions: { '1.0.0': {} } }));
    const long = client();
    await long.lookup('one');
    await rm(cacheDir, { recursive: true, force: true });
    expect((await long.lookup('two')).state).toBe('found');
    expect((await cacheFiles()).map((f) => path.basename(f))).toEqual(['two.json']);
  });

  it('a file where the cache directory should be: answers are still right, nothing thrown', async () => {
    const blocked = path.join(cacheDir, 'not-a-dir');
    await writeFile(blocked, 'x');
    mock.set('one', packument('one', { versions: { '1.0.0': {} } }));
    expect((await client({ cacheDir: blocked }).lookup('one')).state).toBe('found');
    expect(await client({ cacheDir: blocked }).lookup('none')).toEqual({ state: 'missing', reason: 'not-found' });
    expect(mock.seen.map((r) => r.name)).toEqual(['one', 'none']);
  });
});

describe('a failed refresh', () => {
  it.each([503, 429])(
    'HTTP %i when a stale entry is due for refresh: unknown, and the entry left exactly as it was',
    async (status) => {
      mock.set('pkg', packument('pkg', { versions: { '1.0.0': {} } }));
      await client().lookup('pkg');
      const [file] = await cacheFiles();
      const before = await readFile(path.join(cacheDir, file!), 'utf8');
      mock.set('pkg', status);
      mock.seen.length = 0;
      expect(await client({ cacheTtl: 0 }).lookup('pkg')).toMatchObject({
        state: 'unknown',
        reason: expect.stringContaining(`HTTP ${status}`),
      });
      expect(mock.seen).toHaveLength(1);
      expect(await readFile(path.join(cacheDir, file!), 'utf8')).toBe(before);
      expect(await cacheFiles()).toEqual([file]);
    },
  );
});

describe('damaged entries', () => {
  /** Caches `pkg` at 1.0.0, damages its entry with `damage`, and returns the entry's path. */
  async function damagedEntry(damage: (text: string) => string): Promise<string> {
    mock.set('pkg', packument('pkg', { versions: { '1.0.0': {} } }));
    expect((await client().lookup('pkg')).state).toBe('found');
    const [file] = (await cacheFiles()).filter((f) => f.endsWith('pkg.json'));
    const full = path.join(cacheDir, file!);
    await writeFile(full, damage(await readFile(full, 'utf8')));
    // The registry has moved on: an answer with 2.0.0 can only have come from asking it again.
    mock.set('pkg', packument('pkg', { versions: { '1.0.0': {}, '2.0.0': {} } }));
    mock.seen.length = 0;
    return full;
  }

  const edit =
    (change: (stored: { fetchedAt: unknown; answer: { state: string; facts?: Record<string, unknown> } }) => void) =>
    (text: string) => {
      const stored = JSON.parse(text);
      change(stored);
      return JSON.stringify(stored);
    };

  it.each<[string, (text: string) => string]>([
    ['truncated', (t) => t.slice(0, Math.floor(t.length / 2))],
    ['empty', () => ''],
    ['garbage bytes', () => '\u0000\uFFFD\u0007garbage{{{'],
    ['JSON null', () => 'null'],
    ['a JSON array', () => '[1,2,3]'],
    ['fetchedAt a string', edit((s) => (s.fetchedAt = 'yesterday'))],
    ['fetchedAt in the far future (fresh forever)', edit((s) => (s.fetchedAt = Date.now() + 365 * 24 * 3600 * 1000))],
    ['an unknown state', edit((s) => (s.answer.state = 'unknown'))],
    ['found without facts', edit((s) => delete s.answer.facts)],
    ['facts for another name', edit((s) => (s.answer.facts!.name = 'other'))],
    ['facts from another registry', edit((s) => (s.answer.facts!.registry = CORP_REGISTRY))],
    ['distTags null', edit((s) => (s.answer.facts!.distTags = null))],
    ['a dist-tag that is not a string', edit((s) => (s.answer.facts!.distTags = { latest: 1 }))],
    ['versionNames not a list', edit((s) => (s.answer.facts!.versionNames = '1.0.0'))],
    ['a version name that is not a string', edit((s) => (s.answer.facts!.versionNames = [1]))],
    ['a version ref out of range', edit((s) => (s.answer.facts!.versionRefs = [5]))],
    ['a version ref that is not an index', edit((s) => (s.answer.facts!.versionRefs = [0.5]))],
    ['a negative version ref', edit((s) => (s.answer.facts!.versionRefs = [-1]))],
    ['versionRefs shorter than versionNames', edit((s) => (s.answer.facts!.versionRefs = []))],
    ['a version table entry that is a string', edit((s) => (s.answer.facts!.versionTable = ['MIT']))],
    ['a licence that is not a string', edit((s) => (s.answer.facts!.versionTable = [{ license: { type: 'MIT' } }]))],
    ['versionTimes of the wrong length', edit((s) => (s.answer.facts!.versionTimes = [1, 2, 3]))],
    ['a description that is not a string', edit((s) => (s.answer.facts!.description = { text: 'x' }))],
  ])('%s: discarded, refetched, and the registry’s answer is served and cached', async (_what, damage) => {
    const file = await damagedEntry(damage);
    const lookup = await client().lookup('pkg');
    expect(mock.seen.map((r) => r.name)).toEqual(['pkg']);
    expect(lookup.state === 'found' && Object.keys(lookup.facts.versions)).toEqual(['1.0.0', '2.0.0']);
    // Overwritten with the new answer: the next run is a cache hit again.
    expect(JSON.parse(await readFile(file, 'utf8')).answer.facts.versionNames).toEqual(['1.0.0', '2.0.0']);
    mock.seen.length = 0;
    expect((await client().lookup('pkg')).state).toBe('found');
    expect(mock.seen).toEqual([]);
  });

  it('a damaged entry is not served offline either: the package is unknown', async () => {
    await damagedEntry((t) => t.slice(0, 10));
    expect(await client({ offline: true }).lookup('pkg')).toMatchObject({ state: 'unknown' });
    expect(mock.seen).toEqual([]);
  });

  it('a damaged squat memo entry is worked out again, not served or crashed on', () => {
    const memoDir = cacheDir;
    const first = createPopularity({ minTargetDownloads: 1_000_000, memoDir });
    const candidates = first.squatCandidates('exprress');
    const count = first.downloads('lodash');
    first.save();
    return readdir(path.join(memoDir, 'squat-memo-v1')).then(async ([file]) => {
      const full = path.join(memoDir, 'squat-memo-v1', file!);
      await writeFile(
        full,
        JSON.stringify({ exprress: { c: 'oops' }, lodash: { o: 'many' }, 'left-pad': { c: [['x', 'y', 'z']] } }),
      );
      const again = createPopularity({ minTargetDownloads: 1_000_000, memoDir });
      expect(again.squatCandidates('exprress')).toEqual(candidates);
      expect(again.downloads('lodash')).toEqual(count);
      // left-pad is no squat of any name: the damaged entry's candidate is not served.
      expect(again.squatCandidates('left-pad')).toEqual([]);
      again.save();
      expect(JSON.parse(await readFile(full, 'utf8')).exprress.c).toEqual(
        candidates.map((c) => [c.target, c.downloads, c.rule]),
      );
    });
  });
});

describe('cache keys', () => {
  const a = packument('same-name', { versions: { '1.0.0': {} } });
  const b = packument('same-name', { versions: { '9.0.0': {} } });

  it('one name from two registries in turn: each registry gets its own answer, from the network and from the cache', async () => {
    mock.set('registry.example.test/same-name', a);
    mock.set('npm.corp.example.test/same-name', b);
    const versions = async (registry: string) => {
      const lookup = await client({ npmConfig: { registry } }).lookup('same-name');
      return lookup.state === 'found' ? [Object.keys(lookup.facts.versions), lookup.facts.registry] : lookup;
    };
    expect(await versions(REGISTRY)).toEqual([['1.0.0'], REGISTRY]);
    expect(await versions(CORP_REGISTRY)).toEqual([['9.0.0'], CORP_REGISTRY]);
    expect(mock.seen.map((r) => r.host)).toEqual(['registry.example.test', 'npm.corp.example.test']);
    mock.seen.length = 0;
    // Both cached, neither served for the other.
    expect(await versions(CORP_REGISTRY)).toEqual([['9.0.0'], CORP_REGISTRY]);
    expect(await versions(REGISTRY)).toEqual([['1.0.0'], REGISTRY]);
    expect(mock.seen).toEqual([]);
  });

  it('the --registry override and a scope routed elsewhere are keyed by the registry asked', async () => {
    mock.set('registry.example.test/same-name', a);
    mock.set('npm.corp.example.test/same-name', 404);
    expect((await client().lookup('same-name')).state).toBe('found');
    // The same name through the override: the default registry's cached answer is not used.
    expect(await client({ registry: CORP_REGISTRY }).lookup('same-name')).toEqual({
      state: 'missing',
      reason: 'not-found',
    });
    expect(mock.seen.map((r) => r.host)).toEqual(['registry.example.test', 'npm.corp.example.test']);
    mock.seen.length = 0;
    expect((await client().lookup('same-name')).state).toBe('found');
    expect(mock.seen).toEqual([]);
  });
});
