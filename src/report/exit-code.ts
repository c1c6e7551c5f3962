import { type Severity, compareSeverity } from '../model/finding.js';
import type { Report } from '../model/report.js';

export const EXIT = { clean: 0, findings: 1, incomplete: 2 } as const;

/**
 * 2 when anything was left unchecked (a run that could not check something never exits 0),
 * else 1 when a finding is at or above `failOn`, else 0.
 */
export function exitCode(report: Report, failOn: Severity = 'error'): number {
  if (report.status === 'incomplete') return EXIT.incomplete;
  return report.findings.some((f) => compareSeverity(f.severity, failOn) >= 0) ? EXIT.findings : EXIT.clean;
}
