/**
 * The squat memo keeps answers, and an answer worked out while the popular index could not be
 * read is not one: a later run with a readable index must work it out again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createPopularity } from '../../src/popularity/popularity.js';

const index = vi.hoisted(() => ({ unreadable: true }));
vi.mock('../../src/popularity/popular-index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/popularity/popular-index.js')>();
  return {
    ...actual,
    loadPopularIndex: (...args: Parameters<typeof actual.loadPopularIndex>) => {
      if (index.unreadable) throw new Error('unreadable index');
      return actual.loadPopularIndex(...args);
    },
  };
});

const dir = mkdtempSync(path.join(tmpdir(), 'depverify-memo-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the squat memo and an index that failed to load', () => {
  it('does not remember candidates worked out without the index', () => {
    index.unreadable = true;
    const failing = createPopularity({ minTargetDownloads: 1_000_000, memoDir: dir });
    // Whether the scope is in use needs the whole index: unknown, so no foreign-scope candidate.
    expect(failing.squatCandidates('@anyone-invented/express')).toEqual([]);
    failing.save();

    index.unreadable = false;
    const readable = createPopularity({ minTargetDownloads: 1_000_000, memoDir: dir });
    expect(readable.squatCandidates('@anyone-invented/express')).toMatchObject([
      { target: 'express', rule: 'foreign-scope' },
    ]);
  });
});
