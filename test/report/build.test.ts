import { describe, expect, it } from 'vitest';
import { makeFinding } from '../../src/model/codes.js';
import type { Lookup } from '../../src/model/facts.js';
import type { Finding, Location } from '../../src/model/finding.js';
import type { PackageRequest } from '../../src/model/request.js';
import { type ReportInput, applySeverities, buildReport } from '../../src/report/build.js';
import { parseConfig } from '../../src/config/config.js';
import { distilPackument } from '../../src/registry/distil.js';
import { lockScan, scan, site } from '../helpers/project-scan.js';
import { dep, manifest } from '../helpers/model.js';
import { REGISTRY, type VersionSpec, packument } from '../helpers/registry.js';

const TOOL = { name: 'depverify', version: '0.0.0-test' };

const lookupOf = (name: string, versions: Record<string, VersionSpec>): Lookup =>
  distilPackument(name, REGISTRY, packument(name, { versions }));

const manifestRequest = (name: string, wanted: string, line = 5): PackageRequest => ({
  name,
  wanted,
  source: 'manifest',
  locations: [{ file: 'package.json', line, field: `dependencies.${name}` }],
});
const lockRequest = (name: string, locked: string, line = 9): PackageRequest => ({
  name,
  locked,
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line, field: `node_modules/${name}` }],
});

const finding = (
  code: Finding['code'],
  pkg: string,
  extra: { version?: string; message?: string; locations?: Location[]; severity?: Finding['severity'] } = {},
): Finding =>
  makeFinding(code, {
    package: pkg,
    ...(extra.severity ? { severity: extra.severity } : {}),
    ...(extra.version ? { version: extra.version } : {}),
    message: extra.message ?? `${code} of ${pkg}`,
    locations: extra.locations ?? [{ file: 'package.json', line: 5 }],
  });

function build(input: Partial<ReportInput> & Pick<ReportInput, 'requests' | 'lookups'>) {
  const findings = input.findings ?? [];
  return buildReport({
    tool: TOOL,
    scan: scan([manifest('', [dep('a')])]),
    findings,
    allFindings: input.allFindings ?? findings,
    skipped: 0,
    ...input,
  });
}

describe('applySeverities', () => {
  const config = parseConfig({ severity: { DEPRECATED: 'error', UNMAINTAINED: 'off' } }, 'test');
  const deprecated = finding('DEPRECATED', 'a');
  const unmaintained = finding('UNMAINTAINED', 'a');
  const notFound = finding('NOT_FOUND', 'b');

  it('replaces the severity of a configured code, drops an `off` one, keeps the others as they are', () => {
    const out = applySeverities([deprecated, unmaintained, notFound], config);
    expect(out.map((f) => [f.code, f.severity])).toEqual([
      ['DEPRECATED', 'error'],
      ['NOT_FOUND', 'error'],
    ]);
    expect(deprecated.severity).toBe('warning');
    expect(out[1]).toBe(notFound);
  });
});

describe('buildReport', () => {
  it('a run without findings is clean; the summary counts the scan', () => {
    const report = build({
      scan: { ...lockScan([]), imports: [site('a', 'src/x.ts'), site('a', 'src/y.ts')], sourceFiles: 2 },
      requests: [manifestRequest('a', '^1.0.0')],
      lookups: new Map([['a', lookupOf('a', { '1.0.0': {}, '1.2.0': {} })]]),
      skipped: 3,
    });
    expect(report).toMatchObject({ schemaVersion: 1, tool: TOOL, status: 'clean', findings: [] });
    expect(report.summary).toEqual({
      packages: 1,
      ok: 1,
      finding: 0,
      unknown: 0,
      names: 1,
      skipped: 3,
      errors: 0,
      warnings: 0,
      infos: 0,
      manifests: 1,
      lockfile: 'package-lock.json',
      sourceFiles: 2,
      imports: 2,
    });
    expect(report.packages).toEqual([{ name: 'a', requested: '^1.0.0', version: '1.2.0', state: 'ok' }]);
    expect(report.installScripts).toEqual([]);
  });

  it('counts findings by severity once merged; a finding marks its package, of its version only', () => {
    const lookups = new Map([
      ['a', lookupOf('a', { '1.0.0': {}, '2.0.0': {} })],
      ['b', lookupOf('b', { '1.0.0': {} })],
    ]);
    const report = build({
      requests: [lockRequest('a', '1.0.0'), lockRequest('a', '2.0.0', 20), lockRequest('b', '1.0.0', 30)],
      lookups,
      findings: [
        finding('DEPRECATED', 'a', { version: '1.0.0' }),
        finding('LICENSE_CHANGED', 'b', { version: '1.0.0', severity: 'info' }),
        finding('UNMAINTAINED', 'b', { severity: 'info' }),
      ],
    });
    expect(report.status).toBe('findings');
    expect(report.packages).toEqual([
      { name: 'a', version: '1.0.0', state: 'finding' },
      { name: 'a', version: '2.0.0', state: 'ok' },
      { name: 'b', version: '1.0.0', state: 'finding' },
    ]);
    expect(report.summary).toMatchObject({ packages: 3, ok: 1, finding: 2, unknown: 0, names: 2 });
    expect([report.summary.errors, report.summary.warnings, report.summary.infos]).toEqual([0, 1, 2]);
  });

  it('a package state never depends on severity settings: an `off` finding still marks it', () => {
    const off = finding('DEPRECATED', 'a', { version: '1.0.0' });
    const report = build({
      requests: [lockRequest('a', '1.0.0')],
      lookups: new Map([['a', lookupOf('a', { '1.0.0': {} })]]),
      findings: [],
      allFindings: [off],
    });
    expect(report.status).toBe('clean');
    expect(report.findings).toEqual([]);
    expect(report.packages).toEqual([{ name: 'a', version: '1.0.0', state: 'finding' }]);
  });

  it('what could not be checked makes the run incomplete: an unknown lookup, no lookup, a scan error, an unknown code', () => {
    const a = lookupOf('a', { '1.0.0': {} });
    const unknown = build({
      requests: [manifestRequest('a', '^1.0.0'), lockRequest('u', '1.0.0'), manifestRequest('v', '^2')],
      lookups: new Map<string, Lookup>([
        ['a', a],
        ['u', { state: 'unknown', reason: 'timeout' }],
      ]),
    });
    expect(unknown.status).toBe('incomplete');
    expect(unknown.packages).toEqual([
      { name: 'a', requested: '^1.0.0', version: '1.0.0', state: 'ok' },
      { name: 'u', version: '1.0.0', state: 'unknown' },
      { name: 'v', requested: '^2', state: 'unknown' },
    ]);
    expect(unknown.summary).toMatchObject({ ok: 1, unknown: 2 });

    const broken = build({
      scan: { ...scan([manifest('', [])]), errors: [{ file: 'tsconfig.json', message: 'bad' }] },
      requests: [manifestRequest('a', '^1.0.0')],
      lookups: new Map([['a', a]]),
    });
    expect([broken.status, broken.summary.unknown]).toEqual(['incomplete', 0]);

    // RELEASE_AGE_UNKNOWN set to `off`: hidden, and still not clean.
    const hidden = build({
      requests: [lockRequest('a', '1.0.0')],
      lookups: new Map([['a', a]]),
      findings: [],
      allFindings: [finding('RELEASE_AGE_UNKNOWN', 'a', { version: '1.0.0' })],
    });
    expect([hidden.status, hidden.findings]).toEqual(['incomplete', []]);
  });

  it('TYPES_UNKNOWN leaves its version unknown; a missing package with a finding is a finding', () => {
    const report = build({
      requests: [lockRequest('a', '1.0.0'), manifestRequest('gone', '^1')],
      lookups: new Map<string, Lookup>([
        ['a', lookupOf('a', { '1.0.0': {} })],
        ['gone', { state: 'missing', reason: 'not-found' }],
      ]),
      findings: [finding('TYPES_UNKNOWN', 'a', { version: '1.0.0' }), finding('NOT_FOUND', 'gone')],
    });
    expect(report.packages).toEqual([
      { name: 'a', version: '1.0.0', state: 'unknown' },
      { name: 'gone', requested: '^1', state: 'finding' },
    ]);
    expect(report.status).toBe('incomplete');
  });

  it('one entry per name, version and range; entries sorted by name, version, range', () => {
    const report = build({
      requests: [
        manifestRequest('b', '^1.0.0'),
        manifestRequest('a', '~1.1.0'),
        lockRequest('a', '1.1.0'),
        manifestRequest('a', '^1.0.0'),
        manifestRequest('a', '^1.0.0', 12),
        manifestRequest('a', '1.0.0'),
      ],
      lookups: new Map([
        ['a', lookupOf('a', { '1.0.0': {}, '1.1.0': {} })],
        ['b', lookupOf('b', { '1.0.0': {} })],
      ]),
    });
    expect(report.packages.map((p) => `${p.name}@${p.version} ${p.requested ?? '-'}`)).toEqual([
      'a@1.0.0 1.0.0',
      'a@1.1.0 -',
      'a@1.1.0 ^1.0.0',
      'a@1.1.0 ~1.1.0',
      'b@1.0.0 ^1.0.0',
    ]);
  });

  it('merges findings alike, their locations deduplicated and sorted; orders by package, version, location, code', () => {
    const at = (file: string, line: number): Location => ({ file, line });
    const report = build({
      requests: [manifestRequest('a', '^1.0.0')],
      lookups: new Map([['a', lookupOf('a', { '1.0.0': {} })]]),
      findings: [
        finding('UNMAINTAINED', 'z'),
        finding('DEPRECATED', 'a', { version: '1.0.0', locations: [at('src/b.ts', 3)] }),
        finding('DEPRECATED', 'a', { version: '1.0.0', locations: [at('package.json', 5), at('src/b.ts', 3)] }),
        finding('LICENSE_CHANGED', 'a', { version: '1.0.0', locations: [at('package.json', 5)] }),
        finding('DEPRECATED', 'a', { version: '1.0.0', message: 'another message', locations: [at('src/a.ts', 1)] }),
        finding('UNMAINTAINED', 'a'),
      ],
    });
    expect(
      report.findings.map((f) => [f.package, f.version, f.code, f.locations.map((l) => `${l.file}:${l.line}`)]),
    ).toEqual([
      ['a', undefined, 'UNMAINTAINED', ['package.json:5']],
      ['a', '1.0.0', 'DEPRECATED', ['package.json:5', 'src/b.ts:3']],
      ['a', '1.0.0', 'LICENSE_CHANGED', ['package.json:5']],
      ['a', '1.0.0', 'DEPRECATED', ['src/a.ts:1']],
      ['z', undefined, 'UNMAINTAINED', ['package.json:5']],
    ]);
    // Six findings in, five out: counted after merging.
    expect([report.summary.errors, report.summary.warnings, report.summary.infos]).toEqual([0, 5, 0]);
  });

  it('lists locked versions that run install scripts, with whether the allow list lets them', () => {
    const lookups = new Map([
      ['a', lookupOf('a', { '1.0.0': { scripts: { postinstall: 'node x.js' } }, '2.0.0': {} })],
      ['esbuild', lookupOf('esbuild', { '0.20.0': { scripts: { install: 'node install.js' } } })],
    ]);
    const requests = [
      lockRequest('esbuild', '0.20.0'),
      lockRequest('a', '1.0.0'),
      lockRequest('a', '1.0.0', 40),
      lockRequest('a', '2.0.0'),
      manifestRequest('a', '1.0.0'),
    ];
    const kept = build({ scan: lockScan([]), requests, lookups, installScriptsAllow: ['esbuild'] });
    expect(kept.installScripts).toEqual([
      { name: 'a', version: '1.0.0', allowed: false },
      { name: 'esbuild', version: '0.20.0', allowed: true },
    ]);
    const none = build({ scan: lockScan([]), requests, lookups, installScriptsAllow: null });
    expect(none.installScripts).toEqual([
      { name: 'a', version: '1.0.0' },
      { name: 'esbuild', version: '0.20.0' },
    ]);
    // Without a lockfile there is no list at all.
    expect(build({ requests, lookups })).not.toHaveProperty('installScripts');
  });

  it('with --changed-since: the ref, the unchanged count and the lockfile changes', () => {
    const lockfile = { ref: 'origin/main', lockfile: 'package-lock.json', added: [], removed: [], updated: [] };
    const report = build({
      requests: [],
      lookups: new Map(),
      changes: { ref: 'origin/main', unchanged: 7, lockfile },
    });
    expect(report.summary).toMatchObject({ changedSince: 'origin/main', unchanged: 7 });
    expect(report.lockfileChanges).toEqual(lockfile);
    expect(build({ requests: [], lookups: new Map() }).summary).not.toHaveProperty('changedSince');
  });

  it('redacts credentials in URLs anywhere in the report', () => {
    const leaky = finding('NON_REGISTRY_SOURCE', 'a', {
      message: 'a comes from https://user:s3cret@git.example.test/a.git',
      locations: [{ file: 'package.json', line: 5, field: 'dependencies.a' }],
    });
    const report = build({ requests: [], lookups: new Map(), findings: [leaky] });
    expect(report.findings[0]!.message).toBe('a comes from https://***@git.example.test/a.git');
    expect(JSON.stringify(report)).not.toContain('s3cret');
  });
});
