import { describe, expect, it } from 'vitest';
import type { PackageFacts } from '../../src/model/facts.js';
import type { PackageRequest } from '../../src/model/request.js';
import { resolveVersion } from '../../src/plan/resolve-version.js';
import { found } from '../helpers/package-input.js';
import { type VersionSpec, packument } from '../helpers/registry.js';

function factsOf(versions: Record<string, VersionSpec>, distTags: Record<string, string> = {}): PackageFacts {
  const lookup = found(packument('pkg', { versions, extra: { 'dist-tags': distTags } }));
  if (lookup.state !== 'found') throw new Error(lookup.state);
  return lookup.facts;
}

const wanting = (wanted?: string): PackageRequest => ({
  name: 'pkg',
  ...(wanted === undefined ? {} : { wanted }),
  source: 'manifest',
  locations: [{ file: 'package.json', line: 3 }],
});
const locking = (locked: string, wanted?: string): PackageRequest => ({
  name: 'pkg',
  locked,
  ...(wanted === undefined ? {} : { wanted }),
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line: 9 }],
});

describe('resolveVersion', () => {
  const facts = factsOf(
    { '1.0.0': {}, '1.1.0': {}, '1.2.0': {}, '2.0.0': {}, '3.0.0-beta.1': {} },
    { latest: '1.1.0', next: '3.0.0-beta.1' },
  );

  it('a locked version is taken as it is, when published; the range beside it does not matter', () => {
    expect(resolveVersion(facts, locking('1.0.0', '^2.0.0'))).toEqual({ ok: true, version: '1.0.0', via: 'locked' });
    expect(resolveVersion(facts, locking('1.3.0'))).toEqual({ ok: false, wanted: '1.3.0', via: 'locked' });
  });

  it('a range resolves as npm would: the latest tag when it satisfies, else the highest match', () => {
    expect(resolveVersion(facts, wanting('^1.0.0'))).toEqual({ ok: true, version: '1.1.0', via: 'range' });
    expect(resolveVersion(facts, wanting('>=1.2.0 <3'))).toEqual({ ok: true, version: '2.0.0', via: 'range' });
    expect(resolveVersion(facts, wanting('1.2.0'))).toEqual({ ok: true, version: '1.2.0', via: 'range' });
    expect(resolveVersion(facts, wanting(' ~1.2 '))).toEqual({ ok: true, version: '1.2.0', via: 'range' });
  });

  it('a dist-tag resolves to its version; nothing asked for is latest', () => {
    expect(resolveVersion(facts, wanting('next'))).toEqual({ ok: true, version: '3.0.0-beta.1', via: 'range' });
    expect(resolveVersion(facts, wanting('latest'))).toEqual({ ok: true, version: '1.1.0', via: 'range' });
    expect(resolveVersion(facts, wanting())).toEqual({ ok: true, version: '1.1.0', via: 'latest' });
    expect(resolveVersion(facts, wanting(''))).toEqual({ ok: true, version: '1.1.0', via: 'latest' });
  });

  it('a prerelease is only taken when the range names one', () => {
    expect(resolveVersion(facts, wanting('>=2.0.0'))).toEqual({ ok: true, version: '2.0.0', via: 'range' });
    expect(resolveVersion(facts, wanting('^3.0.0-beta.0'))).toEqual({
      ok: true,
      version: '3.0.0-beta.1',
      via: 'range',
    });
    expect(resolveVersion(facts, wanting('^3.0.0'))).toEqual({ ok: false, wanted: '^3.0.0', via: 'range' });
  });

  it('nothing matching, an unknown tag or a broken range is no version, saying what was wanted', () => {
    expect(resolveVersion(facts, wanting('^9'))).toEqual({ ok: false, wanted: '^9', via: 'range' });
    expect(resolveVersion(facts, wanting('canary'))).toEqual({ ok: false, wanted: 'canary', via: 'range' });
    expect(resolveVersion(facts, wanting('>=>1'))).toEqual({ ok: false, wanted: '>=>1', via: 'range' });
  });

  it('prefers a version that is not deprecated, and takes a deprecated one when nothing else matches', () => {
    const deprecated = factsOf(
      { '1.0.0': {}, '1.1.0': { deprecated: 'broken, use 1.0.0' }, '2.0.0': { deprecated: 'do not use' } },
      { latest: '2.0.0' },
    );
    expect(resolveVersion(deprecated, wanting('^1.0.0'))).toEqual({ ok: true, version: '1.0.0', via: 'range' });
    expect(resolveVersion(deprecated, wanting('^2.0.0'))).toEqual({ ok: true, version: '2.0.0', via: 'range' });
    // The lockfile's version is what is installed, deprecated or not.
    expect(resolveVersion(deprecated, locking('1.1.0'))).toEqual({ ok: true, version: '1.1.0', via: 'locked' });
  });

  it('a package without a latest tag resolves ranges, and nothing for an empty request', () => {
    const untagged = factsOf({ '1.0.0': {}, '1.5.0': {} });
    expect(untagged.distTags).toEqual({});
    expect(resolveVersion(untagged, wanting('^1'))).toEqual({ ok: true, version: '1.5.0', via: 'range' });
    expect(resolveVersion(untagged, wanting())).toMatchObject({ via: 'latest' });
  });

  it('answers the same request of the same facts with the same resolution', () => {
    expect(resolveVersion(facts, wanting('^1.0.0'))).toBe(resolveVersion(facts, wanting('^1.0.0')));
    expect(resolveVersion(facts, locking('1.0.0'))).toBe(resolveVersion(facts, locking('1.0.0', '^1')));
    expect(resolveVersion(facts, locking('1.0.0'))).not.toBe(resolveVersion(facts, wanting('1.0.0')));
  });
});
