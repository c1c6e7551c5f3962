import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { formatText } from '../../src/report/text.js';
import { runCli } from '../helpers/run-cli.js';
import { infoFinding, lockfileFinding, manifestFinding, sourceFinding } from '../helpers/report.js';

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

describe('--verbose', () => {
  it('is an option of the project command', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toMatch(/--verbose\s+List info findings/);
  });
});
