import { describe, expect, it } from 'vitest';
import type { PackageInput } from '../../src/checks/check.js';
import { checkMaintenance } from '../../src/checks/maintenance.js';
import type { Lookup } from '../../src/model/facts.js';
import type { PackageRequest } from '../../src/model/request.js';
import type { DepverifyConfigInput } from '../../src/config/config.js';
import { distilPackument } from '../../src/registry/distil.js';
import { checkContext, popularity } from '../helpers/model.js';
import { REGISTRY, type PackumentSpec, packument } from '../helpers/registry.js';

const NOW = Date.UTC(2026, 10, 1);
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number): string => new Date(NOW - days * DAY).toISOString();
const yearsAgo = (years: number): string => daysAgo(years * 365);

const manifestAt = (wanted: string, line = 5, file = 'package.json'): PackageRequest => ({
  name: 'pkg',
  wanted,
  source: 'manifest',
  locations: [{ file, line, field: 'dependencies.pkg' }],
});
const lockedManifestAt = (wanted: string, locked: string): PackageRequest => ({ ...manifestAt(wanted), locked });
const lockedAt = (locked: string, line = 9): PackageRequest => ({
  name: 'pkg',
  locked,
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line, field: 'node_modules/pkg' }],
});
const importAt = (file: string, line: number): PackageRequest => ({
  name: 'pkg',
  source: 'import',
  locations: [{ file, line, column: 1 }],
});

const found = (doc: Record<string, unknown>): Lookup => distilPackument('pkg', REGISTRY, doc);

/** One version, published at `at`. */
const releasedAt = (at: string, extra: Partial<PackumentSpec> = {}): Record<string, unknown> =>
  packument('pkg', { versions: { '1.0.0': {} }, time: { '1.0.0': at }, ...extra });

function run(
  doc: Record<string, unknown> | Lookup,
  requests: PackageRequest[],
  maintenance?: DepverifyConfigInput['maintenance'],
) {
  const lookup = 'state' in doc ? (doc as Lookup) : found(doc);
  const input: PackageInput = {
    name: 'pkg',
    lookup,
    requests,
    suggest: () => [],
    popularity: popularity(),
    context: checkContext(maintenance ? { maintenance } : {}, { now: NOW }),
  };
  return checkMaintenance.run(input);
}

describe('maintenance', () => {
  /** The moments the check says its verdict next changes, for a release `days` ago. */
  function changesFor(days: number, maintenance: DepverifyConfigInput['maintenance']): number[] {
    const changes: number[] = [];
    checkMaintenance.run({
      name: 'pkg',
      lookup: found(releasedAt(new Date(NOW - days * DAY).toISOString())),
      requests: [manifestAt('^1.0.0')],
      suggest: () => [],
      popularity: popularity(),
      context: checkContext({ maintenance }, { now: NOW, changesAt: (t) => changes.push(t) }),
    });
    return changes;
  }

  it('with thresholds out of order, the next change is the nearest one ahead', () => {
    // Warning from day 365, info (left at its default) from day 730.
    expect(changesFor(364, { warnAfterDays: 365 })).toEqual([NOW - 364 * DAY + 365 * DAY]);
  });

  it('says when its verdict next changes: the first threshold, then each new day of the count', () => {
    const at = (days: number) => changesFor(days, { infoAfterDays: 100, warnAfterDays: 200 }).at(-1);
    // 30 days: nothing until day 100.
    expect(at(30)).toBe(NOW - 30 * DAY + 100 * DAY);
    // 150.25 days: info, and the message's count moves on at day 151.
    expect(at(150.25)).toBe(NOW - 150.25 * DAY + 151 * DAY);
  });

  it('a recent release says nothing', () => {
    expect(run(releasedAt(daysAgo(30)), [manifestAt('^1.0.0')])).toEqual([]);
  });

  it('3 years without a release is info under the default policy', () => {
    const findings = run(releasedAt(yearsAgo(3)), [manifestAt('^1.0.0')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'UNMAINTAINED', severity: 'info', package: 'pkg' });
  });

  it('5 years without a release is a warning', () => {
    const [finding] = run(releasedAt(yearsAgo(5)), [manifestAt('^1.0.0')]);
    expect(finding).toMatchObject({ code: 'UNMAINTAINED', severity: 'warning' });
    expect(finding?.message).toContain('5 years');
    expect(finding?.message).toContain(yearsAgo(5).slice(0, 10));
    expect(finding?.hint).toBe(
      'Check git+https://git.example.test/pkg.git for recent activity and open issues before relying on it; a small, finished package can be fine without releases.',
    );
  });

  it('is an error past errorAfterDays when the policy sets it', () => {
    const [finding] = run(releasedAt(yearsAgo(10)), [manifestAt('^1.0.0')], { errorAfterDays: 8 * 365 });
    expect(finding?.severity).toBe('error');
  });

  it('the default policy never errors', () => {
    const [finding] = run(releasedAt(yearsAgo(10)), [manifestAt('^1.0.0')]);
    expect(finding?.severity).toBe('warning');
  });

  it('follows custom thresholds', () => {
    const doc = releasedAt(daysAgo(100));
    expect(run(doc, [manifestAt('^1.0.0')], { infoAfterDays: 90, warnAfterDays: 180 })[0]?.severity).toBe('info');
    expect(run(doc, [manifestAt('^1.0.0')], { infoAfterDays: 30, warnAfterDays: 60 })[0]?.severity).toBe('warning');
    expect(run(doc, [manifestAt('^1.0.0')], { infoAfterDays: 200, warnAfterDays: 400 })).toEqual([]);
  });

  it('a backport on an old major counts as a recent release', () => {
    const doc = packument('pkg', {
      versions: { '1.0.0': {}, '2.0.0': {}, '1.0.1': {} },
      latest: '2.0.0',
      time: { '1.0.0': yearsAgo(7), '2.0.0': yearsAgo(6), '1.0.1': daysAgo(20) },
    });
    expect(run(doc, [manifestAt('^2.0.0')])).toEqual([]);
  });

  it('says nothing about a package only the lockfile names (a transitive dependency)', () => {
    expect(run(releasedAt(yearsAgo(10)), [lockedAt('1.0.0'), lockedAt('1.0.0', 30)])).toEqual([]);
  });

  it('an import without a declaration counts as direct use', () => {
    const [finding] = run(releasedAt(yearsAgo(5)), [importAt('src/a.ts', 3)]);
    expect(finding?.locations).toEqual([{ file: 'src/a.ts', line: 3, column: 1 }]);
  });

  it('says nothing without time.created, however old the times look (a mirror that fakes them)', () => {
    const doc = releasedAt(yearsAgo(10));
    delete (doc.time as Record<string, unknown>).created;
    expect(run(doc, [manifestAt('^1.0.0')])).toEqual([]);
  });

  it('says nothing when no version has a publish time', () => {
    const doc = releasedAt('not a date');
    expect(run(doc, [manifestAt('^1.0.0')])).toEqual([]);
    const noTime = releasedAt(yearsAgo(10));
    delete noTime.time;
    expect(run(noTime, [manifestAt('^1.0.0')])).toEqual([]);
  });

  it('says nothing about packages that were not found', () => {
    expect(run({ state: 'missing', reason: 'not-found' }, [manifestAt('^1.0.0')])).toEqual([]);
    expect(run({ state: 'unknown', reason: 'HTTP 500' }, [manifestAt('^1.0.0')])).toEqual([]);
  });

  it('details: last release, its age, the installed version and the repository', () => {
    const doc = packument('pkg', {
      versions: { '1.0.0': {}, '1.1.0': {} },
      time: { '1.0.0': daysAgo(3000), '1.1.0': daysAgo(2000) },
      repository: { type: 'git', url: 'git+https://git.example.test/pkg.git' },
    });
    const [finding] = run(doc, [lockedManifestAt('^1.0.0', '1.0.0')]);
    expect(finding?.details).toEqual({
      lastRelease: daysAgo(2000),
      daysSinceLastRelease: 2000,
      installedVersion: '1.0.0',
      installedReleasedAt: daysAgo(3000),
      repository: 'git+https://git.example.test/pkg.git',
    });
    expect(finding?.hint).toContain('git.example.test');
  });

  it('details name the installed version furthest behind when direct requests differ', () => {
    const doc = packument('pkg', {
      versions: { '1.0.0': {}, '2.0.0': {} },
      time: { '1.0.0': yearsAgo(9), '2.0.0': yearsAgo(6) },
      repository: null,
    });
    const [finding] = run(doc, [manifestAt('^2.0.0', 4), manifestAt('^1.0.0', 6, 'packages/a/package.json')]);
    expect(finding?.details).toMatchObject({ installedVersion: '1.0.0', lastRelease: yearsAgo(6) });
    expect(finding?.details).not.toHaveProperty('repository');
  });

  it('sanitises the repository from the registry', () => {
    const [finding] = run(releasedAt(yearsAgo(5), { repository: 'https://git.example.test/pkg\u001b[2J' }), [
      manifestAt('^1.0.0'),
    ]);
    expect(finding?.hint).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(finding?.details?.repository).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('one finding per package, located only at the direct requests', () => {
    const findings = run(releasedAt(yearsAgo(5)), [
      lockedAt('1.0.0'),
      manifestAt('^1.0.0', 7),
      importAt('src/b.ts', 2),
      manifestAt('1.0.0', 3, 'packages/a/package.json'),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.locations.map((l) => l.file)).toEqual(['package.json', 'packages/a/package.json', 'src/b.ts']);
    expect(findings[0]?.locations.some((l) => l.file === 'package-lock.json')).toBe(false);
  });
});
