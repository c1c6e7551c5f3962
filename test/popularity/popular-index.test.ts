import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createPopularIndex, loadPopularIndex } from '../../src/popularity/popular-index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'depverify-popular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function gzFile(text: string): string {
  const file = path.join(dir, `index-${files++}.tsv.gz`);
  writeFileSync(file, gzipSync(text));
  return file;
}

describe('createPopularIndex', () => {
  const index = createPopularIndex([
    ['left-pad', 500],
    ['react', 9_000],
    ['lodash', 9_000],
    ['@types/node', 20_000],
  ]);

  it('orders names by downloads, then by name', () => {
    expect(index.names).toEqual(['@types/node', 'lodash', 'react', 'left-pad']);
    expect(index.size).toBe(4);
  });

  it('answers downloads and a 1-based rank by exact name', () => {
    expect(index.downloads('react')).toBe(9_000);
    expect(index.rank('@types/node')).toBe(1);
    expect(index.rank('react')).toBe(3);
    expect(index.rank('left-pad')).toBe(4);
  });

  it('knows nothing of names it does not hold, prefixes and other cases included', () => {
    for (const name of ['reac', 'reactt', 'React', '@types/nod', 'node', '']) {
      expect(index.downloads(name)).toBeUndefined();
      expect(index.rank(name)).toBeUndefined();
    }
  });

  it('looks up names outside ASCII by their UTF-8 bytes', () => {
    const unicode = createPopularIndex([
      ['ünïcode', 7],
      ['unicode', 8],
    ]);
    expect(unicode.downloads('ünïcode')).toBe(7);
    expect(unicode.downloads('unicode')).toBe(8);
    expect(unicode.names).toEqual(['unicode', 'ünïcode']);
  });

  it('keeps counts past 2^31', () => {
    expect(createPopularIndex([['semver', 2_399_072_936]]).downloads('semver')).toBe(2_399_072_936);
  });

  it('rejects duplicates, bad counts and names the file format cannot hold', () => {
    expect(() =>
      createPopularIndex([
        ['a', 1],
        ['a', 2],
      ]),
    ).toThrow(/duplicate/);
    expect(() => createPopularIndex([['a', -1]])).toThrow(/count/);
    expect(() => createPopularIndex([['a', 1.5]])).toThrow(/count/);
    expect(() => createPopularIndex([['a\tb', 1]])).toThrow(/name/);
    expect(() => createPopularIndex([['#a', 1]])).toThrow(/name/);
  });

  it('is empty for no rows', () => {
    const empty = createPopularIndex([]);
    expect(empty.size).toBe(0);
    expect(empty.names).toEqual([]);
    expect(empty.downloads('a')).toBeUndefined();
  });
});

describe('loadPopularIndex from a file', () => {
  it('skips comments and checks the declared row count', () => {
    const index = loadPopularIndex(gzFile('# a snapshot\n# rows: 2\nbig\t10\nsmall\t3\n'));
    expect(index.names).toEqual(['big', 'small']);
    expect(index.downloads('small')).toBe(3);
  });

  it('reads a last row without a trailing newline', () => {
    expect(loadPopularIndex(gzFile('big\t10\nsmall\t3')).downloads('small')).toBe(3);
  });

  it('sorts a file that is out of order rather than trusting it', () => {
    const index = loadPopularIndex(gzFile('small\t3\nbig\t10\n'));
    expect(index.names).toEqual(['big', 'small']);
    expect(index.rank('big')).toBe(1);
  });

  it('fails loudly on a truncated or malformed file', () => {
    expect(() => loadPopularIndex(gzFile('# rows: 3\nbig\t10\nsmall\t3\n'))).toThrow(/header says 3 rows, found 2/);
    expect(() => loadPopularIndex(gzFile('big\t10\nsmall\n'))).toThrow(/row 2/);
    expect(() => loadPopularIndex(gzFile('big\t10\nsmall\tmany\n'))).toThrow(/row 2/);
    expect(() => loadPopularIndex(gzFile('big\t10\n\t3\n'))).toThrow(/row 2/);
    expect(() => loadPopularIndex(gzFile('big\t10\nbig\t3\n'))).toThrow(/duplicate name big/);
    expect(() => loadPopularIndex(path.join(dir, 'missing.tsv.gz'))).toThrow();
  });
});

describe('the shipped index', () => {
  const index = loadPopularIndex();

  it('is loaded once', () => {
    expect(loadPopularIndex()).toBe(index);
  });

  it('holds the snapshot, most downloaded first', () => {
    expect(index.size).toBeGreaterThan(200_000);
    const { names } = index;
    expect(names).toHaveLength(index.size);
    const outOfOrder = names.filter((name, i) => i > 0 && index.downloads(name)! > index.downloads(names[i - 1]!)!);
    expect(outOfOrder).toEqual([]);
  });

  it('ranks names consistently with the list', () => {
    for (const name of ['lodash', 'react', '@types/node', 'express']) {
      const rank = index.rank(name);
      expect(index.names[rank! - 1], name).toBe(name);
      expect(index.downloads(name)).toBeGreaterThan(1_000_000);
    }
    expect(index.downloads('this-package-name-is-not-in-the-index')).toBeUndefined();
  });
});
