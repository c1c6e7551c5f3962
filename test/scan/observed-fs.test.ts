/** What a run reads is noted, and whether each note still holds is answered from disk again. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  envValue,
  existsSync,
  holdsUntil,
  lstat,
  noteCacheEntry,
  openWitness,
  readdir,
  readdirSync,
  readFile,
  readFileSync,
  realpath,
  stat,
  statSync,
  stillHolds,
  unnoted,
  Witness,
} from '../../src/scan/observed-fs.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'depverify-observed-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
function folder(files: Record<string, string>): string {
  const dir = path.join(scratch, `d${n++}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Runs `read` with a witness open; its observations. */
async function witnessed(read: () => unknown): Promise<Witness> {
  const witness = new Witness();
  const close = openWitness(witness);
  try {
    await read();
  } finally {
    close();
  }
  return witness;
}

describe('observed fs', () => {
  it('answers like node:fs, and notes nothing while no witness is open', async () => {
    const dir = folder({ 'a.txt': 'hello', 'sub/b.txt': 'x' });
    const witness = new Witness();
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('hello');
    expect((await readFile(path.join(dir, 'a.txt'))).toString()).toBe('hello');
    expect(statSync(path.join(dir, 'none'), { throwIfNoEntry: false })).toBeUndefined();
    expect(() => statSync(path.join(dir, 'none'))).toThrow(/ENOENT/);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'sub']);
    expect(witness.observations).toEqual([]);
  });

  it('notes each kind of read; all hold while nothing changes', async () => {
    const dir = folder({ 'a.txt': 'hello', 'sub/b.txt': 'x', '.npmrc': '' });
    symlinkSync(path.join(dir, 'sub'), path.join(dir, 'link'));
    const witness = await witnessed(async () => {
      readFileSync(path.join(dir, 'a.txt'), 'utf8');
      await readFile(path.join(dir, 'sub/b.txt'));
      await stat(path.join(dir, 'sub'));
      await lstat(path.join(dir, 'link'));
      statSync(path.join(dir, 'missing.json'), { throwIfNoEntry: false });
      existsSync(path.join(dir, 'pnpm-lock.yaml'));
      await readdir(dir, { withFileTypes: true });
      await realpath(path.join(dir, 'link'));
      envValue({ TOKEN: 'one' }, 'TOKEN');
      noteCacheEntry(path.join(dir, '.npmrc'));
    });
    expect(
      witness.observations.map(([kind, subject]) => [
        kind,
        kind === 'env' ? subject : path.relative(dir, subject) || '.',
      ]),
    ).toEqual([
      ['read', 'a.txt'],
      ['read', 'sub/b.txt'],
      ['stat', 'sub'],
      ['lstat', 'link'],
      ['stat', 'missing.json'],
      ['exists', 'pnpm-lock.yaml'],
      ['list', '.'],
      ['real', 'link'],
      ['env', 'TOKEN'],
      ['entry', '.npmrc'],
    ]);
    expect(witness.unusableBecause).toBeUndefined();
    expect(stillHolds(witness.observations, { TOKEN: 'one' })).toBe(true);
    expect(stillHolds(witness.observations, { TOKEN: 'two' })).toBe(false);
  });

  it.each<[string, (dir: string) => void]>([
    ['a read file is edited', (dir) => writeFileSync(path.join(dir, 'a.txt'), 'hellO')],
    ['a file appears where none was', (dir) => writeFileSync(path.join(dir, 'missing.json'), '{}')],
    ['a probed lockfile appears', (dir) => writeFileSync(path.join(dir, 'pnpm-lock.yaml'), '')],
    ['a listed folder gains a file', (dir) => writeFileSync(path.join(dir, 'sub', 'new.ts'), '')],
    ['a stat file changes size', (dir) => writeFileSync(path.join(dir, 'sub', 'b.txt'), 'xx')],
    [
      'a cache entry is rewritten',
      (dir) => utimesSync(path.join(dir, 'entry.json'), new Date(2001, 1, 1), new Date(2001, 1, 1)),
    ],
  ])('a note no longer holds when %s', async (_, change) => {
    const dir = folder({ 'a.txt': 'hello', 'sub/b.txt': 'x', 'entry.json': '{}' });
    const witness = await witnessed(() => {
      readFileSync(path.join(dir, 'a.txt'));
      statSync(path.join(dir, 'missing.json'), { throwIfNoEntry: false });
      existsSync(path.join(dir, 'pnpm-lock.yaml'));
      readdirSync(path.join(dir, 'sub'), { withFileTypes: true });
      statSync(path.join(dir, 'sub', 'b.txt'));
      noteCacheEntry(path.join(dir, 'entry.json'));
    });
    expect(stillHolds(witness.observations, {})).toBe(true);
    change(dir);
    expect(stillHolds(witness.observations, {})).toBe(false);
  });

  it('a file that reads differently within one run makes the run unusable', async () => {
    const dir = folder({ 'a.txt': 'one' });
    const witness = await witnessed(() => {
      readFileSync(path.join(dir, 'a.txt'));
      writeFileSync(path.join(dir, 'a.txt'), 'two');
      readFileSync(path.join(dir, 'a.txt'));
    });
    expect(witness.unusableBecause).toMatch(/a\.txt changed during the run/);
  });

  it('overlapping witnesses each note what either reads; a closed one notes nothing more', async () => {
    const dir = folder({ 'a.txt': 'a', 'b.txt': 'b' });
    const first = new Witness();
    const second = new Witness();
    const closeFirst = openWitness(first);
    const closeSecond = openWitness(second);
    readFileSync(path.join(dir, 'a.txt'));
    closeFirst();
    readFileSync(path.join(dir, 'b.txt'));
    holdsUntil(1000);
    unnoted('something else');
    closeSecond();
    expect(first.observations.map((o) => path.basename(o[1]))).toEqual(['a.txt']);
    expect(second.observations.map((o) => path.basename(o[1]))).toEqual(['a.txt', 'b.txt']);
    expect([first.until, first.unusableBecause]).toEqual([Number.POSITIVE_INFINITY, undefined]);
    expect([second.until, second.unusableBecause]).toEqual([1000, 'something else']);
  });

  it('the earliest moment given is kept', () => {
    const witness = new Witness();
    witness.holdsUntil(5000);
    witness.holdsUntil(3000);
    witness.holdsUntil(4000);
    expect(witness.until).toBe(3000);
  });
});
