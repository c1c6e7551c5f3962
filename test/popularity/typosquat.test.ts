import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { boundedOsa } from '../../src/popularity/osa.js';
import { loadPopularHead, loadPopularIndex } from '../../src/popularity/popular-index.js';
import { MIN_EDIT_LENGTH, buildSquatTargets } from '../../src/popularity/typosquat.js';

const dir = mkdtempSync(path.join(tmpdir(), 'depverify-squat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadPopularHead', () => {
  it('returns exactly the rows at or above the floor, in index order, from a partly inflated file', () => {
    // Big enough that the first 256 KiB of gzip do not reach the floor, so the read must grow.
    const rows = Array.from(
      { length: 120_000 },
      (_, i) => [`pkg-${(i * 7919).toString(36)}-${i}`, 10_000_000 - i * 50] as const,
    );
    const file = path.join(dir, 'big.tsv.gz');
    writeFileSync(file, gzipSync(`# rows: ${rows.length}\n${rows.map(([n, c]) => `${n}\t${c}\n`).join('')}`));
    const floor = 10_000_000 - 100_000 * 50;
    const head = loadPopularHead(floor, file);
    expect(head).toHaveLength(100_001);
    expect(head[0]).toEqual(rows[0]);
    expect(head.at(-1)).toEqual(rows[100_000]);
    // A floor below every row reads the whole file.
    expect(loadPopularHead(0, file)).toHaveLength(rows.length);
  });

  it('agrees with the whole shipped index', () => {
    const index = loadPopularIndex();
    const head = loadPopularHead(1_000_000);
    const expected = index.names.filter((n) => index.downloads(n)! >= 1_000_000);
    expect(head.map(([n]) => n)).toEqual(expected);
    expect(head).toEqual(expected.map((n) => [n, index.downloads(n)]));
  });

  it('refuses a malformed row rather than returning part of the index', () => {
    const file = path.join(dir, 'bad.tsv.gz');
    writeFileSync(file, gzipSync('a\t100\nb\tlots\n'));
    expect(() => loadPopularHead(1, file)).toThrow(/expected name<TAB>downloads/);
  });
});

describe('buildSquatTargets', () => {
  it('finds every one-edit neighbour that brute force finds, and nothing else (shipped index sample)', () => {
    const index = loadPopularIndex();
    const head = loadPopularHead(1_000_000);
    const targets = buildSquatTargets(head);
    const unscoped = head.map(([n]) => n).filter((n) => !n.startsWith('@') && n.length >= MIN_EDIT_LENGTH);
    // Names below the floor, every 97th: the kind of name a lockfile holds.
    const queries = index.names
      .filter((n, i) => i % 97 === 0 && !n.startsWith('@') && (index.downloads(n) ?? 0) < 1_000_000)
      .slice(0, 400);
    const editRules = new Set([
      'swap',
      'repeated-character',
      'missing-character',
      'extra-character',
      'substituted-character',
    ]);
    for (const query of queries) {
      if (query.length < MIN_EDIT_LENGTH - 1) continue;
      const found = targets
        .candidates(query)
        .filter((c) => editRules.has(c.rule))
        .map((c) => c.target)
        .sort();
      const other = new Set(
        targets
          .candidates(query)
          .filter((c) => !editRules.has(c.rule))
          .map((c) => c.target),
      );
      const brute = unscoped.filter((t) => boundedOsa(query, t, 1) === 1 && !other.has(t)).sort();
      expect(found, query).toEqual(brute);
    }
  });

  it('classifies the rule and keeps scopes apart', () => {
    const targets = buildSquatTargets([
      ['express', 300_000_000],
      ['@babel/core', 500_000_000],
      ['@babel/parser', 500_000_000],
      ['@types/node', 400_000_000],
      ['@types/react', 300_000_000],
      ['node', 1_000_000],
    ]);
    expect(targets.candidates('@babel/parsers')).toEqual([
      { target: '@babel/parser', downloads: 500_000_000, rule: 'extra-character' },
    ]);
    expect(targets.candidates('@babel/parser')).toEqual([]);
    // Too short for an edit to mean a typo.
    expect(targets.candidates('@babel/cores')).toEqual([]);
    // An edit never crosses scopes.
    expect(targets.candidates('@other/parsers')).toEqual([]);
    expect(targets.candidates('expresss')).toHaveLength(1);
    expect(targets.candidates('@types/expresss')).toEqual([]);
    expect(targets.candidates('@types/reactt').map((c) => c.rule)).toEqual(['repeated-character']);
    expect(targets.candidates('@tpyes/node').map((c) => [c.target, c.rule])).toEqual([
      ['@types/node', 'scope-typo'],
      ['node', 'foreign-scope'],
    ]);
    // A popular unscoped name under a scope: asked of the caller, default "in use by a target".
    expect(targets.candidates('@acme/express', () => false).map((c) => c.rule)).toEqual(['foreign-scope']);
    expect(targets.candidates('@acme/express', () => true)).toEqual([]);
    expect(targets.candidates('@types/express')).toEqual([]);
  });

  it('orders candidates most downloaded first', () => {
    const targets = buildSquatTargets([
      ['colors', 40_000_000],
      ['color', 60_000_000],
      ['colorx', 2_000_000],
    ]);
    expect(targets.candidates('colorss').map((c) => c.target)).toEqual(['colors']);
    expect(targets.candidates('colorz').map((c) => c.target)).toEqual(['color', 'colors', 'colorx']);
  });
});

describe('false-positive guard over the shipped index (names only)', () => {
  it('gives none of the 5,000 most downloaded names an error-level SUSPICIOUS_PACKAGE', async () => {
    // The worst facts a popular package could have that do not alone make an error: old, with an
    // install script, no repository, no description, one version. Then only the name can tip a
    // finding into an error, which is what this guards.
    const { checkSuspicious } = await import('../../src/checks/suspicious.js');
    const { createPopularity } = await import('../../src/popularity/popularity.js');
    const { checkContext } = await import('../helpers/model.js');
    const { distilPackument } = await import('../../src/registry/distil.js');
    const { REGISTRY, packument } = await import('../helpers/registry.js');
    const index = loadPopularIndex();
    const context = checkContext();
    const popularity = createPopularity({ index, minTargetDownloads: context.config.squatting.minTargetDownloads });
    const top = index.names.slice(0, 5000);
    const severities = new Map<string, string>();
    for (const name of top) {
      const doc = packument(name, {
        versions: { '1.0.0': { scripts: { install: 'node-gyp rebuild' } } },
        description: '',
        releasedFrom: new Date(Date.UTC(2019, 0, 1)),
      });
      const lookup = distilPackument(name, REGISTRY, doc);
      const [finding] = checkSuspicious.run({ name, lookup, requests: [], suggest: () => [], popularity, context });
      if (finding) severities.set(name, finding.severity);
    }
    expect([...severities].filter(([, s]) => s === 'error')).toEqual([]);
    // And on names alone no warning either: the bar for "itself popular" sits far below rank 5,000.
    expect([...severities]).toEqual([]);
  });
});
