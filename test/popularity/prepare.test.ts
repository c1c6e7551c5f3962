import { describe, expect, it } from 'vitest';
import { preparePopularity } from '../../src/popularity/prepare.js';
import { popularity } from '../helpers/model.js';

const INDEX: Array<[string, number]> = [
  ['express', 300_000_000],
  ['lodash', 450_000_000],
];

describe('preparePopularity', () => {
  it('answers what was asked from the source, the same as the source would', () => {
    const source = popularity(INDEX);
    const prepared = preparePopularity(source, [
      { name: 'expresss', candidates: true, downloads: ['expresss', 'express'], suggestions: true },
    ]);
    expect(prepared.squatCandidates('expresss')).toEqual(source.squatCandidates('expresss'));
    expect(prepared.squatCandidates('expresss').map((c) => c.target)).toEqual(['express']);
    expect(prepared.downloads('express')).toEqual({ count: 300_000_000, source: 'index', inIndex: true });
    expect(prepared.downloads('expresss')).toEqual({ source: 'index', inIndex: false });
    expect(prepared.suggest('expresss')).toEqual([{ name: 'express', downloads: 300_000_000 }]);
  });

  it('an answer nobody asked for throws instead of judging on no evidence', () => {
    const prepared = preparePopularity(popularity(INDEX), [{ name: 'expresss', candidates: true }]);
    expect(() => prepared.downloads('expresss')).toThrow(/downloads of expresss were not prepared/);
    expect(() => prepared.suggest('expresss')).toThrow(/suggestions of expresss were not prepared/);
    expect(() => prepared.squatCandidates('lodahs')).toThrow(/squat candidates of lodahs/);
  });

  it('with no index: no suggestions, no candidates, nothing thrown', () => {
    const source = popularity();
    const prepared = preparePopularity(source, [{ name: 'x', candidates: true, downloads: ['x'], suggestions: true }]);
    expect(prepared.suggest('x')).toEqual([]);
    expect(prepared.squatCandidates('x')).toEqual([]);
  });
});
