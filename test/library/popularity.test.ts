import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPopularity } from '../../src/popularity/popularity.js';

const dir = mkdtempSync(path.join(tmpdir(), 'depverify-memo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const memoFiles = (memoDir: string) =>
  readdirSync(path.join(memoDir, 'squat-memo-v1')).map((f) => path.join(memoDir, 'squat-memo-v1', f));

describe('the squat memo beside the cache', () => {
  it('remembers candidates and index counts per name, and a later run answers from it', () => {
    const memoDir = path.join(dir, 'a');
    const first = createPopularity({ minTargetDownloads: 1_000_000, memoDir });
    expect(first.squatCandidates('exprress').map((c) => c.target)).toEqual(['express']);
    expect(first.downloads('exprress')).toEqual({ source: 'index', inIndex: false });
    expect(first.downloads('lodash').count).toBeGreaterThan(1_000_000);
    first.save();
    const [file] = memoFiles(memoDir);
    const stored = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, unknown>;
    expect(stored.exprress).toEqual({ c: [['express', expect.any(Number), 'repeated-character']], o: null });

    // Proof that the next run reads it rather than recomputing: an edited entry is what it answers.
    writeFileSync(file!, JSON.stringify({ ...stored, 'left-pad': { c: [['leftpad-target', 5, 'swap']], o: 7 } }));
    const second = createPopularity({ minTargetDownloads: 1_000_000, memoDir });
    expect(second.squatCandidates('left-pad')).toEqual([{ target: 'leftpad-target', downloads: 5, rule: 'swap' }]);
    expect(second.downloads('left-pad')).toEqual({ count: 7, source: 'index', inIndex: true });
  });

  it('an entry naming a rule there is none of is worked out again, not served', () => {
    const memoDir = path.join(dir, 'd');
    const seed = createPopularity({ minTargetDownloads: 1_000_000, memoDir });
    const candidates = seed.squatCandidates('axois');
    seed.save();
    const [file] = memoFiles(memoDir);
    writeFileSync(file!, JSON.stringify({ axois: { c: [['axios', 5, 'invented-rule']] } }));
    expect(createPopularity({ minTargetDownloads: 1_000_000, memoDir }).squatCandidates('axois')).toEqual(candidates);
  });

  it('a damaged memo is recomputed and rewritten', () => {
    const memoDir = path.join(dir, 'b');
    createPopularity({ minTargetDownloads: 1_000_000, memoDir }).save(); // nothing new: nothing written
    const seed = createPopularity({ minTargetDownloads: 1_000_000, memoDir });
    seed.squatCandidates('axois');
    seed.save();
    const [file] = memoFiles(memoDir);
    writeFileSync(file!, '{"truncated');
    const again = createPopularity({ minTargetDownloads: 1_000_000, memoDir });
    expect(again.squatCandidates('axois').map((c) => c.target)).toEqual(['axios']);
    again.save();
    expect(JSON.parse(readFileSync(file!, 'utf8'))).toHaveProperty('axois');
  });

  it('another target floor or a caller-supplied index never shares a memo', () => {
    const memoDir = path.join(dir, 'c');
    const a = createPopularity({ minTargetDownloads: 1_000_000, memoDir });
    a.squatCandidates('axois');
    a.save();
    const b = createPopularity({ minTargetDownloads: 5_000_000, memoDir });
    b.squatCandidates('axois');
    b.save();
    expect(memoFiles(memoDir)).toHaveLength(2);
    const custom = createPopularity({ index: false, minTargetDownloads: 1_000_000, memoDir });
    expect(custom.squatCandidates('axois')).toEqual([]);
  });
});
