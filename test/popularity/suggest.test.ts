import { describe, expect, it } from 'vitest';
import { createPopularIndex, loadPopularIndex } from '../../src/popularity/popular-index.js';
import { suggestPackages } from '../../src/popularity/suggest.js';

const index = createPopularIndex([
  ['express', 30_000_000],
  ['express-ws', 900_000],
  ['expresss', 3_000],
  ['lodash', 45_000_000],
  ['lodash-es', 10_000_000],
  ['react', 25_000_000],
  ['typescript', 50_000_000],
  ['chalk', 170_000_000],
  ['chart.js', 3_000_000],
  ['moment', 12_000_000],
  ['momentjs', 35_000],
  ['vue', 5_000_000],
  ['@types/node', 100_000_000],
  ['@types/express', 20_000_000],
  ['@types/react', 20_000_000],
  ['@babel/core', 55_000_000],
  ['@babel/cli', 5_000_000],
  ['rarely-used', 600],
  ['rarely-usd', 500],
]);

const names = (name: string, opts?: Parameters<typeof suggestPackages>[2]): string[] =>
  suggestPackages(name, index, opts).map((s) => s.name);

describe('suggestPackages', () => {
  it('finds a typo one edit away', () => {
    expect(suggestPackages('exprss', index)[0]).toEqual({
      name: 'express',
      downloads: 30_000_000,
      reason: 'edit-distance',
      distance: 1,
    });
  });

  it('counts an adjacent transposition as one edit, and says so', () => {
    expect(suggestPackages('lodahs', index)[0]).toEqual({
      name: 'lodash',
      downloads: 45_000_000,
      reason: 'swap',
      distance: 1,
    });
    expect(suggestPackages('raect', index)[0]).toMatchObject({ name: 'react', reason: 'swap' });
  });

  it('allows two edits from 8 characters, one from 4, none below', () => {
    expect(suggestPackages('typscrpt', index)[0]).toMatchObject({ name: 'typescript', distance: 2 });
    expect(names('exprxxs')).toEqual([]); // 7 characters, two edits from express
    expect(names('vuw')).toEqual([]); // 3 characters, one edit from vue
  });

  it('matches names that differ only in delimiters', () => {
    for (const typo of ['lodash_es', 'lodashes', 'lodash.es', 'lodash--es']) {
      expect(suggestPackages(typo, index)[0], typo).toEqual({
        name: 'lodash-es',
        downloads: 10_000_000,
        reason: 'delimiter',
      });
    }
  });

  it('matches names that differ only in case', () => {
    expect(suggestPackages('React', index)[0]).toMatchObject({ name: 'react', reason: 'case' });
  });

  it('drops an invented scope', () => {
    expect(suggestPackages('@acme/lodash', index)[0]).toMatchObject({ name: 'lodash', reason: 'scope' });
  });

  it('does not call @types/x a scope confusion for x, but fixes typos within @types', () => {
    expect(names('@types/reactt')).toEqual(['@types/react']);
    expect(suggestPackages('@types/expres', index)[0]).toMatchObject({
      name: '@types/express',
      reason: 'edit-distance',
      distance: 1,
    });
  });

  it('finds siblings in the same scope', () => {
    expect(suggestPackages('@babel/croe', index)[0]).toMatchObject({ name: '@babel/core', reason: 'swap' });
  });

  it('fixes a typo in the scope itself', () => {
    expect(suggestPackages('@tpyes/node', index)[0]).toEqual({
      name: '@types/node',
      downloads: 100_000_000,
      reason: 'scope',
      distance: 1,
    });
  });

  it('strips and adds js and node affixes', () => {
    for (const typo of ['chalk-js', 'js-chalk', 'node-chalk', 'chalk.js', 'chalkjs']) {
      expect(suggestPackages(typo, index)[0], typo).toMatchObject({ name: 'chalk', reason: 'affix' });
    }
    expect(suggestPackages('chart', index)[0]).toMatchObject({ name: 'chart.js', reason: 'affix' });
  });

  it('ranks exact rules by downloads, before any edit', () => {
    expect(suggestPackages('moment.js', index).map((s) => [s.name, s.reason])).toEqual([
      ['moment', 'affix'],
      ['momentjs', 'delimiter'],
    ]);
    expect(names('lodashes')).toEqual(['lodash-es', 'lodash']);
  });

  it('ranks edits by distance, then downloads', () => {
    expect(suggestPackages('expressw', index).map((s) => [s.name, s.distance])).toEqual([
      ['express', 1],
      ['express-ws', 2],
    ]);
  });

  it('never suggests the name itself, nor a less used name than one in the index', () => {
    expect(names('express')).toEqual([]);
    expect(names('expresss')).toEqual(['express', 'express-ws']);
  });

  it('returns at most limit suggestions, 3 by default', () => {
    const many = createPopularIndex(
      ['abcde', 'abcdf', 'abcdg', 'abcdh', 'abcdi'].map((n, i) => [n, 100_000 + i] as const),
    );
    expect(suggestPackages('abcdz', many)).toHaveLength(3);
    expect(suggestPackages('abcdz', many, { limit: 1 }).map((s) => s.name)).toEqual(['abcdi']);
  });

  it('prefers popular candidates, and falls back to rare ones when nothing else matches', () => {
    expect(names('rarely-usde')).toEqual(['rarely-used', 'rarely-usd']);
    expect(names('expres-ws')).toEqual(['express-ws', 'express']); // expresss is two edits away too, but rare
    expect(names('expres-ws', { minDownloads: 0 })).toEqual(['express-ws', 'express', 'expresss']);
  });

  it('keeps indexes apart', () => {
    const other = createPopularIndex([['lodahs', 1_000_000]]);
    expect(names('lodahs')).toEqual(['lodash']);
    expect(suggestPackages('lodash', other).map((s) => s.name)).toEqual(['lodahs']);
  });

  it('returns nothing for an empty name or one with nothing near it', () => {
    expect(names('')).toEqual([]);
    expect(names('@acme/')).toEqual([]);
    expect(names('completely-unrelated-name')).toEqual([]);
  });
});

describe('suggestPackages against the shipped index', () => {
  const shipped = loadPopularIndex();
  const top = (name: string) => suggestPackages(name, shipped)[0];

  it.each([
    ['expresss', 'express', 'edit-distance'],
    ['lodahs', 'lodash', 'swap'],
    ['reqeust', 'request', 'swap'],
    ['axois', 'axios', 'swap'],
    ['jsonwebtokn', 'jsonwebtoken', 'edit-distance'],
    ['lodash_es', 'lodash-es', 'delimiter'],
    ['socketio', 'socket.io', 'delimiter'],
    ['react-dom-js', 'react-dom', 'affix'],
    ['@types/expres', '@types/express', 'edit-distance'],
    ['@babel/croe', '@babel/core', 'swap'],
    ['@tpyes/node', '@types/node', 'scope'],
  ])('%s → %s (%s)', (typo, want, reason) => {
    expect(top(typo)).toMatchObject({ name: want, reason });
  });
});

describe('suggestions plausible for the whole name', () => {
  const shipped = loadPopularIndex();
  it('does not drop a scope to reach a little-used or built-in name', () => {
    expect(suggestPackages('@site/static', shipped).map((s) => s.name)).not.toContain('static');
    expect(suggestPackages('@std/path', shipped).map((s) => s.name)).not.toContain('path');
    expect(suggestPackages('@std/assert', shipped).map((s) => s.name)).not.toContain('assert');
    // `core` is a package, but so many scopes have a `core` that the bare name means nothing alone.
    expect(suggestPackages('@fresh/core', shipped).map((s) => s.name)).not.toContain('core');
  });
  it("does not drop an organisation's established scope, nor suggest anything for a built-in's name", () => {
    // @ember has its own packages: `@ember/service` is an Ember module (of ember-source), never `service`.
    expect(suggestPackages('@ember/service', shipped).map((s) => s.name)).not.toContain('service');
    expect(suggestPackages('@ember/component', shipped).map((s) => s.name)).not.toContain('component');
    // `npm install fs` means Node's fs: no npm package is the fix.
    expect(suggestPackages('fs', shipped)).toEqual([]);
    expect(suggestPackages('readline', shipped)).toEqual([]);
  });
  it('still drops an invented scope before a popular name', () => {
    expect(suggestPackages('@acme/lodash', shipped)[0]).toMatchObject({ name: 'lodash', reason: 'scope' });
  });
});
