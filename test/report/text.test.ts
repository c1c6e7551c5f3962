import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { formatLocation, formatText } from '../../src/report/text.js';
import { runCli } from '../helpers/run-cli.js';
import {
  hostileFinding,
  infoFinding,
  lockfileFinding,
  manifestFinding,
  report as reportOf,
  sourceFinding,
} from '../helpers/report.js';

function report(findings: Finding[]): Report {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  return {
    schemaVersion: 1,
    tool: { name: 'depverify', version: '0.0.0' },
    status: 'findings',
    summary: {
      packages: 3,
      ok: 1,
      finding: 2,
      unknown: 0,
      names: 3,
      skipped: 0,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      manifests: 1,
      sourceFiles: 1,
      imports: 1,
    },
    packages: [],
    findings,
  };
}

const secondInfo: Finding = { ...infoFinding, package: 'ms', code: 'LICENSE_CHANGED' };
const otherInfo: Finding = {
  code: 'MAINTAINER_CHANGED' as Finding['code'],
  severity: 'info',
  package: 'chalk',
  message: 'chalk info',
  locations: [{ file: 'package.json' }],
};

describe('text output of a big project', () => {
  // Findings arrive interleaved: info, warning, error, info, error.
  const mixed = report([infoFinding, lockfileFinding, manifestFinding, secondInfo, sourceFinding, otherInfo]);

  it('prints errors first, then warnings, and counts infos by code', () => {
    const text = formatText(mixed, { color: false });
    const at = (s: string): number => text.indexOf(s);
    expect(at('pg-secure-pool')).toBeGreaterThanOrEqual(0);
    expect(at('pg-secure-pool')).toBeLessThan(at('request'));
    expect(at('dayjs')).toBeLessThan(at('request'));
    // No info is listed one by one...
    expect(text).not.toContain(infoFinding.message);
    expect(text).not.toContain('chalk info');
    // ...they are counted, after the warnings.
    expect(text).toMatch(/3 info findings: LICENSE_CHANGED 2, MAINTAINER_CHANGED 1/);
    expect(at('3 info findings')).toBeGreaterThan(at('request'));
    expect(text).toContain(
      'by code: LICENSE_CHANGED 2, DEPRECATED 1, MAINTAINER_CHANGED 1, NOT_FOUND 1, UNLISTED_DEPENDENCY 1',
    );
  });

  it('lists infos one by one, after the warnings, when verbose', () => {
    const text = formatText(mixed, { color: false, verbose: true });
    expect(text).toContain(infoFinding.message);
    expect(text).toContain('chalk info');
    expect(text.indexOf(infoFinding.message)).toBeGreaterThan(text.indexOf('request'));
    expect(text).not.toContain('info findings:');
  });
});

describe('formatText', () => {
  it('groups findings by package under their severity: message, locations, hint, then the counts', () => {
    const text = formatText(reportOf([manifestFinding, lockfileFinding]), { color: false });
    expect(text).toBe(
      [
        'pg-secure-pool',
        '  ✖ error   NOT_FOUND  pg-secure-pool does not exist on the registry.',
        '      package.json:13 (dependencies.pg-secure-pool)',
        '      → Do not install it.',
        '',
        'request',
        '  ⚠ warning DEPRECATED  request is deprecated: "use something else"',
        '      package-lock.json:120 (node_modules/request)',
        '      package.json:14 (dependencies.request)',
        '',
        'by code: DEPRECATED 1, NOT_FOUND 1',
        '1 error, 1 warning (3 packages checked)',
        '',
      ].join('\n'),
    );
  });

  it('a package with findings of two severities appears in each section; project files have a name', () => {
    const warning: Finding = { ...manifestFinding, code: 'UNMAINTAINED', severity: 'warning', message: 'old' };
    const projectFile: Finding = { ...manifestFinding, package: '', message: 'unreadable', locations: [] };
    const lines = formatText(reportOf([manifestFinding, warning, projectFile]), { color: false }).split('\n');
    expect(lines.filter((l) => !l.startsWith(' ') && l)).toEqual([
      'pg-secure-pool',
      '(project files)',
      'pg-secure-pool',
      'by code: NOT_FOUND 2, UNMAINTAINED 1',
      '2 errors, 1 warning (2 packages checked)',
    ]);
  });

  it('shows maxLocations locations, then how many more', () => {
    const many: Finding = {
      ...sourceFinding,
      locations: Array.from({ length: 7 }, (_, i) => ({ file: `src/f${i}.ts`, line: i + 1 })),
    };
    const text = formatText(reportOf([many]), { color: false, maxLocations: 2 });
    expect(text).toContain('      src/f0.ts:1\n      src/f1.ts:2\n      … and 5 more\n');
    expect(text).not.toContain('src/f2.ts');
    expect(formatText(reportOf([many]), { color: false })).toContain('      src/f4.ts:5\n      … and 2 more\n');
  });

  it('the summary line: clean, skipped and unchanged counts, an incomplete run with what it found', () => {
    const last = (r: Report) => formatText(r, { color: false }).trimEnd().split('\n').at(-1);
    const clean = reportOf([]);
    expect(last(clean)).toBe('✔ no problems found (1 package checked)');
    expect(
      last({ ...clean, summary: { ...clean.summary, skipped: 2, changedSince: 'origin/main', unchanged: 4 } }),
    ).toBe(
      '✔ no problems found (1 package checked, 2 skipped by configuration, 4 unchanged since origin/main skipped)',
    );
    const incomplete = reportOf([manifestFinding, infoFinding], 'incomplete');
    expect(last(incomplete)).toBe(
      'incomplete: some packages or files could not be checked (3 packages checked, 1 could not be checked, 1 error, 1 info)',
    );
  });

  it('neutralises escapes, newlines and workflow commands in everything it prints', () => {
    const text = formatText(reportOf([hostileFinding]), { color: false });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    // Every line is one the formatter wrote: no text starts a line of its own.
    expect(text.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
  });

  it('colours only when asked', () => {
    expect(formatText(reportOf([manifestFinding]), { color: false })).not.toContain('\u001b[');
    expect(formatText(reportOf([manifestFinding]), { color: true })).toContain('\u001b[31m✖ error  \u001b[39m');
  });
});

describe('formatLocation', () => {
  it('file, line and column when known, and the field', () => {
    expect(formatLocation({ file: 'src/a.ts', line: 3, column: 9 })).toBe('src/a.ts:3:9');
    expect(formatLocation({ file: 'package.json', line: 4, field: 'dependencies.x' })).toBe(
      'package.json:4 (dependencies.x)',
    );
    expect(formatLocation({ file: 'tsconfig.json', column: 2 })).toBe('tsconfig.json');
  });
});

describe('--verbose', () => {
  it('is an option of the project command', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toMatch(/--verbose\s+List info findings/);
  });
});
