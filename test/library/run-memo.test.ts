/**
 * The run memo: a run whose inputs all still hold gets the previous report without a scan or a
 * lookup; any change to what it read, an expired answer, another option or an incomplete report
 * runs it again.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Report, type VerifyOptions, verify } from '../../src/index.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { openWitness, Witness } from '../../src/scan/observed-fs.js';
import { writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { RECENTLY, REGISTRY, createMockRegistry, packument } from '../helpers/registry.js';

const mock = createMockRegistry();
const scratch = mkdtempSync(path.join(tmpdir(), 'depverify-run-memo-'));
const home = path.join(scratch, 'home');
mkdirSync(home);
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => {
  mock.close();
  rmSync(scratch, { recursive: true, force: true });
});

let caches = 0;
const newCache = (): string => path.join(scratch, `cache${caches++}`);
const published = (name: string, versions = ['1.0.0']) =>
  mock.set(
    name,
    packument(name, { versions: Object.fromEntries(versions.map((v) => [v, {}])), releasedFrom: RECENTLY }),
  );

function run(root: string, cacheDir: string, extra: Partial<VerifyOptions> = {}): Promise<Report> {
  return verify({
    root,
    cacheDir,
    registry: REGISTRY,
    env: { HOME: home },
    popularIndex: false,
    types: false,
    retries: 0,
    timeout: 2000,
    runMemoBuild: 'test-build',
    ...extra,
  });
}

/** The memo's one entry: read it, or rewrite what it keeps. */
function kept(cacheDir: string): { read(): { until: number; report: Report }; write(value: unknown): void } {
  const dir = path.join(cacheDir, 'runs-v1');
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  const file = path.join(dir, files[0]!);
  return {
    read: () => JSON.parse(readFileSync(file, 'utf8')) as { until: number; report: Report },
    write: (value) => writeFileSync(file, JSON.stringify(value)),
  };
}

/** Marks the kept report, so that a run answered from the memo is told apart from one that ran. */
function markKept(cacheDir: string): void {
  const entry = kept(cacheDir);
  const stored = entry.read();
  stored.report.summary.sourceFiles = 4242;
  entry.write(stored);
}

const names = (report: Report): string[] => report.packages.map((p) => p.name);
const manifest = (deps: Record<string, string>): string => JSON.stringify({ name: 'app', dependencies: deps });

describe('run memo', () => {
  it('an unchanged project is answered from the memo: no scan, no lookup, the same report', async () => {
    published('left');
    const root = await writeTree({ 'package.json': manifest({ left: '^1.0.0' }) });
    const cacheDir = newCache();
    const first = await run(root, cacheDir);
    expect(names(first)).toEqual(['left']);
    expect(mock.seen.map((r) => r.name)).toEqual(['left']);
    mock.seen.length = 0;
    const again = await run(root, cacheDir);
    expect(again).toEqual(first);
    expect(mock.seen).toEqual([]);
    markKept(cacheDir);
    expect((await run(root, cacheDir)).summary.sourceFiles).toBe(4242);
  });

  it.each<[string, (root: string) => void, string[]]>([
    [
      'a manifest edited',
      (root) => writeFileSync(path.join(root, 'package.json'), manifest({ left: '^1.0.0', right: '^1.0.0' })),
      ['left', 'right'],
    ],
    [
      'a workspace folder added',
      (root) => {
        mkdirSync(path.join(root, 'packages', 'b'), { recursive: true });
        writeFileSync(path.join(root, 'packages', 'b', 'package.json'), manifest({ right: '^1.0.0' }));
      },
      ['left', 'right'],
    ],
    [
      'a source file added',
      (root) => writeFileSync(path.join(root, 'packages', 'a', 'index.js'), "require('right');\n"),
      ['left', 'right'],
    ],
    [
      'a configuration file added',
      (root) =>
        writeFileSync(path.join(root, 'depverify.config.json'), JSON.stringify({ ignore: { packages: ['left'] } })),
      [],
    ],
  ])('%s: the project is checked again', async (_, change, expected) => {
    published('left');
    published('right');
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/a/package.json': manifest({ left: '^1.0.0' }),
    });
    const cacheDir = newCache();
    expect(names(await run(root, cacheDir))).toEqual(['left']);
    markKept(cacheDir);
    change(root);
    const after = await run(root, cacheDir);
    expect(after.summary.sourceFiles).not.toBe(4242);
    expect(names(after)).toEqual(expected);
  });

  it('another option, another memo; without a build identity nothing is kept', async () => {
    published('left');
    const root = await writeTree({ 'package.json': manifest({ left: '^1.0.0' }) });
    const cacheDir = newCache();
    await run(root, cacheDir);
    markKept(cacheDir);
    const other = await run(root, cacheDir, { config: { licenses: { allow: ['MIT'] } } });
    expect(other.summary.sourceFiles).not.toBe(4242);
    expect(readdirSync(path.join(cacheDir, 'runs-v1'))).toHaveLength(2);
    const fromSource = newCache();
    await run(root, fromSource, { runMemoBuild: undefined });
    expect(readdirSync(fromSource)).not.toContain('runs-v1');
  });

  it('an incomplete report is not kept: the next run asks again', async () => {
    mock.set('left', 503);
    const root = await writeTree({ 'package.json': manifest({ left: '^1.0.0' }) });
    const cacheDir = newCache();
    expect((await run(root, cacheDir)).status).toBe('incomplete');
    published('left');
    mock.seen.length = 0;
    const after = await run(root, cacheDir);
    expect(after.status).toBe('clean');
    expect(mock.seen.map((r) => r.name)).toEqual(['left']);
  });

  it('an unknown answer makes the run unusable, whatever its report made of it', async () => {
    mock.set('flaky', 503);
    const witness = new Witness();
    const close = openWitness(witness);
    try {
      const client = createRegistryClient({
        root: home,
        registry: REGISTRY,
        env: { HOME: home },
        cacheDir: newCache(),
        retries: 0,
        timeout: 2000,
      });
      expect((await client.lookup('flaky')).state).toBe('unknown');
    } finally {
      close();
    }
    expect(witness.unusableBecause).toMatch(/flaky is unknown/);
  });

  it('a kept report lasts only as long as its answers: a missing name ten minutes', async () => {
    published('left');
    const root = await writeTree({ 'package.json': manifest({ left: '^1.0.0', 'no-such-thing': '^1.0.0' }) });
    const cacheDir = newCache();
    const before = Date.now();
    await run(root, cacheDir);
    const entry = kept(cacheDir);
    const { until } = entry.read();
    expect(until).toBeGreaterThan(before + 9 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
    // Past it, the run is made again (from the facts cache, if those are still fresh).
    markKept(cacheDir);
    entry.write({ ...entry.read(), until: Date.now() - 1 });
    expect((await run(root, cacheDir)).summary.sourceFiles).not.toBe(4242);
  });

  it('a version published minutes ago holds the report for at most a minute', async () => {
    mock.set(
      'fresh',
      packument('fresh', { versions: { '1.0.0': {} }, releasedFrom: new Date(Date.now() - 5 * 60_000) }),
    );
    const root = await writeTree({ 'package.json': manifest({ fresh: '1.0.0' }) });
    const cacheDir = newCache();
    const report = await run(root, cacheDir);
    expect(report.findings.map((f) => f.code)).toContain('RELEASE_TOO_NEW');
    expect(kept(cacheDir).read().until).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('refresh asks the registry again and keeps what it answers', async () => {
    published('left');
    const root = await writeTree({ 'package.json': manifest({ left: '^1.0.0' }) });
    const cacheDir = newCache();
    await run(root, cacheDir);
    markKept(cacheDir);
    published('left', ['1.0.0', '1.1.0']);
    mock.seen.length = 0;
    const refreshed = await run(root, cacheDir, { refresh: true });
    expect(mock.seen.map((r) => r.name)).toEqual(['left']);
    expect(refreshed.packages[0]?.version).toBe('1.1.0');
    expect((await run(root, cacheDir)).packages[0]?.version).toBe('1.1.0');
  });

  it('a variable an .npmrc names is part of what the run read', async () => {
    published('left');
    const root = await writeTree({
      'package.json': manifest({ left: '^1.0.0' }),
      '.npmrc': 'registry=${DEPVERIFY_TEST_REGISTRY}\n',
    });
    const cacheDir = newCache();
    const env = (registry: string) => ({ HOME: home, DEPVERIFY_TEST_REGISTRY: registry });
    await run(root, cacheDir, { registry: undefined, env: env(REGISTRY) });
    mock.seen.length = 0;
    await run(root, cacheDir, { registry: undefined, env: env(REGISTRY) });
    expect(mock.seen).toEqual([]);
    await run(root, cacheDir, { registry: undefined, env: env('https://other.example.test/') });
    expect(mock.seen.map((r) => r.host)).toEqual(['other.example.test']);
  });

  it('with the member check: kept once its results are, and an edited source runs it again', async () => {
    publish(mock, 'typed', {
      '1.0.0': {
        'package.json': JSON.stringify({ types: 'index.d.ts' }),
        'index.d.ts': 'export declare function hello(): string;\n',
      },
    });
    const root = await writeTree({
      'package.json': manifest({ typed: '^1.0.0' }),
      'index.ts': "import { hello, goodbye } from 'typed';\nhello();\n",
    });
    const cacheDir = newCache();
    const withTypes = { types: true, engine: 'ts6' as const };
    const first = await run(root, cacheDir, withTypes);
    expect(first.findings.map((f) => f.code)).toContain('INVENTED_EXPORT');
    // The first run checked a program (TypeScript's reads): not kept. The second answered from
    // the member results: kept.
    expect(readdirSync(cacheDir)).not.toContain('runs-v1');
    expect(await run(root, cacheDir, withTypes)).toEqual(first);
    markKept(cacheDir);
    expect((await run(root, cacheDir, withTypes)).summary.sourceFiles).toBe(4242);
    writeFileSync(path.join(root, 'index.ts'), "import { hello } from 'typed';\nhello();\n");
    const edited = await run(root, cacheDir, withTypes);
    expect(edited.findings.map((f) => f.code)).not.toContain('INVENTED_EXPORT');
  });
});
