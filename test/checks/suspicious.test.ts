import { describe, expect, it } from 'vitest';
import type { PackageInput } from '../../src/checks/check.js';
import { checkSuspicious } from '../../src/checks/suspicious.js';
import type { Lookup } from '../../src/model/facts.js';
import type { PackageRequest } from '../../src/model/request.js';
import type { PopularitySource } from '../../src/popularity/popularity.js';
import { preparePopularity } from '../../src/popularity/prepare.js';
import { isFindingOf, type NameSuggestion, type SquatSignal } from '../../src/model/finding-details.js';
import { popularityQuestions } from '../../src/checks/index.js';
import { distilPackument } from '../../src/registry/distil.js';
import type { DepverifyConfigInput } from '../../src/config/config.js';
import { checkContext, popularity } from '../helpers/model.js';
import { REGISTRY, type VersionSpec, packument } from '../helpers/registry.js';
import * as release from '../helpers/release-input.js';

const NOW = Date.UTC(2026, 10, 1);
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number): Date => new Date(NOW - days * DAY);

/** The popular names the fixtures imitate, with monthly downloads. */
const INDEX: Array<[string, number]> = [
  ['express', 300_000_000],
  ['lodash', 450_000_000],
  ['axios', 370_000_000],
  ['react', 350_000_000],
  ['vue', 30_000_000],
  ['cross-env', 60_000_000],
  ['express-session', 15_000_000],
  ['@babel/core', 540_000_000],
  ['@babel/parser', 500_000_000],
  ['@types/express', 200_000_000],
  ['@tanstack/query-core', 40_000_000],
  // Less used names near popular ones: real packages with users of their own.
  ['expresso', 60_000],
  ['lodash.get', 40_000_000],
  ['express-mid', 9_000],
];

interface Shape {
  versions?: number;
  created?: Date | null;
  repository?: boolean;
  description?: boolean;
  readme?: string;
  maintainers?: number;
  installScript?: boolean;
}

/** A packument in the public registry's format; by default an established, documented package. */
function lookupOf(name: string, shape: Shape = {}): Lookup {
  const count = shape.versions ?? 12;
  const versions: Record<string, VersionSpec> = {};
  for (let i = 0; i < count; i++)
    versions[`1.${i}.0`] = shape.installScript ? { scripts: { postinstall: 'node setup.js' } } : {};
  const doc = packument(name, {
    versions,
    releasedFrom: shape.created ?? daysAgo(1000),
    ...(shape.repository === false ? { repository: null } : {}),
    ...(shape.description === false ? { description: '' } : {}),
    extra: {
      maintainers: Array.from({ length: shape.maintainers ?? 3 }, (_, i) => ({ name: `m${i}` })),
      ...(shape.readme !== undefined ? { readme: shape.readme } : {}),
    },
  });
  if (shape.created === null) delete (doc.time as Record<string, unknown>).created;
  return distilPackument(name, REGISTRY, doc);
}

const request = (name: string): PackageRequest => ({
  name,
  wanted: '*',
  source: 'manifest',
  locations: [{ file: 'package.json', line: 7, field: `dependencies.${name}` }],
});

function run(name: string, shape: Shape = {}, opts: { config?: DepverifyConfigInput; pop?: PopularitySource } = {}) {
  const source = opts.pop ?? popularity(INDEX, opts.config);
  const suggest = (): NameSuggestion[] => [{ name: 'express', downloads: 300_000_000 }];
  const input: PackageInput = {
    name,
    lookup: lookupOf(name, shape),
    requests: [request(name)],
    suggest,
    popularity: source,
    context: checkContext(opts.config, { now: NOW }),
  };
  const findings = checkSuspicious.run(input);
  // A run answers popularity before the checks start: what the check declares it will ask must
  // cover what it asks (an unprepared question throws), and the answers must not change a verdict.
  const prepared = preparePopularity(source, [popularityQuestions(input)]);
  const fromPrepared = checkSuspicious.run({
    ...input,
    popularity: prepared,
    suggest: (n) => (prepared.suggest(n), suggest()),
  });
  expect(fromPrepared).toEqual(findings);
  return findings;
}

const signals = (findings: ReturnType<typeof run>): SquatSignal[] =>
  findings.find((f) => isFindingOf(f, 'SUSPICIOUS_PACKAGE'))?.details?.signals ?? [];
const signalNames = (findings: ReturnType<typeof run>): string[] => signals(findings).map((s) => s.signal);

describe('typosquat rules, each alone on an established package', () => {
  it.each([
    ['expresss', 'express', 'repeated-character'],
    ['expres', 'express', 'missing-character'],
    ['exrpess', 'express', 'swap'],
    ['axois', 'axios', 'swap'],
    ['exprezs', 'express', 'substituted-character'],
    ['lodashq', 'lodash', 'extra-character'],
    ['cross_env', 'cross-env', 'delimiter'],
    ['crossenv', 'cross-env', 'delimiter'],
    ['session-express', 'express-session', 'word-order'],
    ['expressjs', 'express', 'affix'],
    ['node-express', 'express', 'affix'],
    ['express.js', 'express', 'affix'],
    ['@babell/core', '@babel/core', 'scope-typo'],
    ['@someone/express', 'express', 'foreign-scope'],
  ])('%s imitates %s (%s): a warning naming the target', (name, target, rule) => {
    const findings = run(name);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: 'SUSPICIOUS_PACKAGE',
      severity: 'warning',
      package: name,
      details: { suggestions: [target] },
    });
    // Not in the index, so below its floor: evidence, not a reason.
    expect(signals(findings)).toEqual([
      { signal: 'typosquat', target, rule, targetDownloads: INDEX.find(([n]) => n === target)![1] },
      { signal: 'low-downloads', source: 'index' },
    ]);
    expect(findings[0]?.locations).toEqual([{ file: 'package.json', line: 7, field: `dependencies.${name}` }]);
    expect(findings[0]?.message).toContain(target);
  });

  it('never flags a name that is itself popular, or a near name under a scope in use', () => {
    expect(run('expresso')).toEqual([]); // 60,000 a month: popular enough
    expect(run('lodash.get')).toEqual([]);
    expect(run('express')).toEqual([]);
    expect(run('@tanstack/express', {}, { pop: popularity([...INDEX, ['@tanstack/other', 1000]]) })).toEqual([]);
  });

  it("never flags a near name in the target's own scope: only the scope's owners publish there", () => {
    // One letter from @types/express, and word-for-word @tanstack/query-core with an affix: both
    // can only have been published by the scope's owners.
    expect(run('@types/expres')).toEqual([]);
    expect(run('@tanstack/query-core-js')).toEqual([]);
    // A misspelt scope is still someone else's scope.
    expect(run('@babell/core')).toHaveLength(1);
  });

  it('needs the target to be far more popular, and popular in absolute terms', () => {
    // express-mid has 9,000 a month; express-mad is one letter from it, but 9,000 is no target.
    expect(run('express-mad')).toEqual([]);
    // With higher bars for "popular itself", a 5M name next to a 300M one is still only 60 times less used.
    const squatting = { popularDownloads: 1e10, minTargetDownloads: 10_000_000 };
    const pop = popularity([...INDEX, ['expressx', 5_000_000]], { squatting });
    expect(run('expressx', {}, { pop, config: { squatting } })).toEqual([]);
    expect(run('expressx', {}, { pop, config: { squatting: { ...squatting, popularityRatio: 50 } } })).toHaveLength(1);
  });

  it('leaves short names alone: one letter from a three-letter name is another word', () => {
    expect(run('vuee')).toEqual([]);
    expect(run('vux')).toEqual([]);
  });

  it('an allowlisted name is never judged, by name or pattern', () => {
    expect(run('expresss', { installScript: true }, { config: { squatting: { allow: ['expresss'] } } })).toEqual([]);
    expect(run('@babell/core', {}, { config: { squatting: { allow: ['@babell/*'] } } })).toEqual([]);
  });

  it('counts from the downloads endpoint take precedence over the index', () => {
    const pop = popularity(INDEX);
    pop.addDownloads(new Map([['expresss', { state: 'known', downloads: 2_000_000 }]]));
    expect(run('expresss', {}, { pop })).toEqual([]);
    const unknown = popularity(INDEX);
    unknown.addDownloads(new Map([['expresss', { state: 'unknown', reason: 'timed out' }]]));
    expect(run('expresss', {}, { pop: unknown })).toHaveLength(1);
  });
});

describe('newness and emptiness signals', () => {
  it('a typosquat with an install script is an error', () => {
    const findings = run('expresss', { installScript: true });
    expect(findings[0]?.severity).toBe('error');
    expect(signalNames(findings)).toEqual(['typosquat', 'install-script', 'low-downloads']);
    expect(signals(findings)[1]).toEqual({ signal: 'install-script', versions: ['1.11.0'] });
  });

  it('a new package alone is info; with an empty page or no repository a warning', () => {
    const fresh = run('brand-new-thing', { created: daysAgo(3) });
    expect(fresh[0]?.severity).toBe('info');
    expect(signals(fresh)[0]).toEqual({ signal: 'new-package', createdAt: daysAgo(3).toISOString(), days: 3 });
    expect(signalNames(fresh)).toContain('low-downloads');
    expect(run('brand-new-thing', { created: daysAgo(3), repository: false })[0]?.severity).toBe('warning');
    expect(run('brand-new-thing', { created: daysAgo(3), description: false })[0]?.severity).toBe('warning');
    expect(run('brand-new-thing', { created: daysAgo(3), installScript: true })[0]?.severity).toBe('warning');
  });

  it("a new package's age moves on daily: the verdict holds until its next day; an old one's for good", () => {
    const changes: number[] = [];
    const judge = (created: Date): void => {
      checkSuspicious.run({
        name: 'brand-new-thing',
        lookup: lookupOf('brand-new-thing', { created }),
        requests: [request('brand-new-thing')],
        suggest: () => [],
        popularity: popularity(INDEX),
        context: checkContext({}, { now: NOW, changesAt: (t) => changes.push(t) }),
      });
    };
    judge(daysAgo(3.5));
    expect(changes).toEqual([daysAgo(3.5).getTime() + 4 * DAY]);
    judge(daysAgo(1000));
    expect(changes).toHaveLength(1);
  });

  it('days old, an install script and no repository is an error', () => {
    const findings = run('brand-new-thing', {
      created: daysAgo(2),
      versions: 1,
      repository: false,
      description: false,
      installScript: true,
      maintainers: 1,
    });
    expect(findings[0]?.severity).toBe('error');
    expect(signalNames(findings).sort()).toEqual(
      [
        'few-versions',
        'install-script',
        'low-downloads',
        'new-maintainer',
        'new-package',
        'no-description',
        'no-repository',
      ].sort(),
    );
    // Not a typosquat: the "did you mean" comes from the general suggestions.
    expect(findings[0]?.details?.suggestions).toEqual(['express']);
  });

  it('the windows are configuration', () => {
    expect(run('brand-new-thing', { created: daysAgo(40) })).toEqual([]);
    expect(
      run('brand-new-thing', { created: daysAgo(40) }, { config: { squatting: { newPackageDays: 60 } } })[0]?.severity,
    ).toBe('info');
    expect(signalNames(run('brand-new-thing', { created: daysAgo(10), maintainers: 1 }))).not.toContain(
      'new-maintainer',
    );
    expect(signalNames(run('brand-new-thing', { created: daysAgo(5), maintainers: 1 }))).toContain('new-maintainer');
    expect(signalNames(run('brand-new-thing', { created: daysAgo(5), maintainers: 2 }))).not.toContain(
      'new-maintainer',
    );
  });

  it('a readme makes up for a missing description', () => {
    expect(
      signalNames(run('brand-new-thing', { created: daysAgo(3), description: false, readme: '# Thing\nDocs.' })),
    ).not.toContain('no-description');
    expect(
      signalNames(
        run('brand-new-thing', { created: daysAgo(3), description: false, readme: 'ERROR: No README data found!' }),
      ),
    ).toContain('no-description');
  });

  it('an old obscure package with an install script, no repository and few versions is a warning', () => {
    const findings = run('obscure-helper', { versions: 2, repository: false, installScript: true });
    expect(findings[0]?.severity).toBe('warning');
    expect(signals(findings)).toContainEqual({ signal: 'low-downloads', source: 'index' });
    // The same package with users of its own is not.
    expect(
      run(
        'obscure-helper',
        { versions: 2, repository: false, installScript: true },
        { pop: popularity([...INDEX, ['obscure-helper', 20_000]]) },
      ),
    ).toEqual([]);
  });

  it('without a creation time (some mirrors) newness is not judged, and the finding says so', () => {
    expect(run('brand-new-thing', { created: null, repository: false })).toEqual([]);
    const findings = run('expresss', { created: null });
    expect(findings[0]?.details?.notEvaluated).toEqual(['new-package: the registry sent no creation time']);
  });

  it('single signals of established packages say nothing', () => {
    expect(run('plain-package', { repository: false })).toEqual([]);
    expect(run('plain-package', { installScript: true })).toEqual([]);
    expect(run('plain-package', { versions: 1, description: false })).toEqual([]);
  });

  it('missing and unknown packages are for the existence check', () => {
    const input = {
      name: 'expresss',
      lookup: { state: 'unknown', reason: 'timed out' } as Lookup,
      requests: [],
      suggest: () => [],
      popularity: popularity(INDEX),
      context: checkContext({}, { now: NOW }),
    };
    expect(checkSuspicious.run(input)).toEqual([]);
  });
});

describe('squatting configuration and facts', () => {
  it('validates every key and rejects unknown ones', async () => {
    const { parseConfig } = await import('../../src/config/config.js');
    const parsed = parseConfig(
      { squatting: { allow: ['@corp/*'], newPackageDays: 14, downloadsUrl: 'https://downloads.example.test/point/' } },
      'cfg',
    );
    expect(parsed.squatting).toMatchObject({
      allow: ['@corp/*'],
      newPackageDays: 14,
      popularityRatio: 100,
      downloadsUrl: 'https://downloads.example.test/point/',
    });
    for (const bad of [
      { newPackageDays: -1 },
      { fewVersions: 'two' },
      { allow: 'x' },
      { downloadsUrl: 'ftp://x' },
      { typo: 1 },
    ]) {
      expect(() => parseConfig({ squatting: bad }, 'cfg'), JSON.stringify(bad)).toThrow(/squatting/);
    }
  });

  it('readme presence is read from the packument, and absent when the registry sends none', () => {
    const facts = (extra: Record<string, unknown>) => {
      const lookup = distilPackument('pkg', REGISTRY, packument('pkg', { versions: { '1.0.0': {} }, extra }));
      return lookup.state === 'found' ? lookup.facts.readme : 'not found';
    };
    expect(facts({ readme: '# pkg' })).toBe(true);
    expect(facts({ readme: '' })).toBe(false);
    expect(facts({ readme: 'ERROR: No README data found!' })).toBe(false);
    expect(facts({})).toBeUndefined();
  });
});

describe('deprecation as evidence', () => {
  it('a new package whose only version is deprecated in favour of a popular one is a squat signal', () => {
    const { DAY: day, at, foundAs, locked, publishedDoc, releaseInput } = release;
    const created = { time: { created: at(3 * day) } };
    const squat = publishedDoc(
      'expresss-session',
      { '1.0.0': { age: 3 * day, deprecated: 'use express-session instead' } },
      created,
    );
    squat.time.created = at(3 * day);
    const [finding] = checkSuspicious.run(
      releaseInput(
        foundAs(squat, 'expresss-session'),
        [locked('1.0.0', 'expresss-session')],
        {},
        { rows: [['express-session', 2_000_000]] },
      ),
    );
    expect(finding).toMatchObject({ code: 'SUSPICIOUS_PACKAGE', details: { suggestions: ['express-session'] } });
    expect((finding!.details!.signals as Array<{ signal: string }>).map((s) => s.signal)).toContain(
      'deprecated-for-popular',
    );
    // The same message on an old package, or pointing at an unknown name, is no signal.
    const old = publishedDoc('old-pkg', { '1.0.0': { age: 900 * day, deprecated: 'use express-session instead' } });
    old.time.created = at(900 * day);
    const signals = checkSuspicious.run(
      releaseInput(
        foundAs(old, 'old-pkg'),
        [locked('1.0.0', 'old-pkg')],
        {},
        { rows: [['express-session', 2_000_000]] },
      ),
    );
    expect(
      signals.flatMap((f) => (f.details!.signals as Array<{ signal: string }>).map((s) => s.signal)),
    ).not.toContain('deprecated-for-popular');
  });
});
