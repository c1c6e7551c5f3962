import pc from 'picocolors';
import type { Finding, Location, Severity } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { sanitize } from '../model/sanitize.js';

export interface TextOptions {
  color: boolean;
  /** Locations shown per finding before "and N more". */
  maxLocations?: number;
  /** List info findings one by one (`--verbose`, `--fail-on info`); otherwise they are counted by code. */
  verbose?: boolean;
}

export function formatLocation(location: Location): string {
  const position = location.line ? `:${location.line}${location.column ? `:${location.column}` : ''}` : '';
  const field = location.field ? ` (${location.field})` : '';
  return `${location.file}${position}${field}`;
}

const ICON: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];

/** `CODE n` for each code, most frequent first (then by name). */
function countsByCode(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
}

/**
 * Human-readable report: errors first, then warnings, each grouped by package; infos counted by
 * code unless `verbose`; then a line of counts by code and the summary line.
 */
export function formatText(report: Report, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const maxLocations = options.maxLocations ?? 5;
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  const listed = SEVERITY_ORDER.filter((severity) => severity !== 'info' || options.verbose);
  for (const severity of listed) {
    for (const finding of report.findings) {
      if (finding.severity !== severity) continue;
      // A package with findings of two severities appears in each section.
      const key = `${severity}\0${finding.package || '(project files)'}`;
      const group = groups.get(key);
      if (group) group.push(finding);
      else groups.set(key, [finding]);
    }
  }
  for (const [key, findings] of groups) {
    const name = key.slice(key.indexOf('\0') + 1);
    lines.push(c.bold(sanitize(name)));
    for (const finding of findings) {
      const label = paint[finding.severity](`${ICON[finding.severity]} ${finding.severity.padEnd(7)}`);
      lines.push(`  ${label} ${c.dim(finding.code)}  ${sanitize(finding.message)}`);
      for (const location of finding.locations.slice(0, maxLocations))
        lines.push(`      ${c.cyan(sanitize(formatLocation(location)))}`);
      if (finding.locations.length > maxLocations)
        lines.push(c.dim(`      … and ${finding.locations.length - maxLocations} more`));
      if (finding.hint) lines.push(`      ${c.dim('→')} ${sanitize(finding.hint)}`);
    }
    lines.push('');
  }
  const infos = report.findings.filter((f) => f.severity === 'info');
  if (!options.verbose && infos.length) {
    lines.push(
      `${paint.info(`${ICON.info} ${infos.length} info finding${infos.length === 1 ? '' : 's'}`)}: ${countsByCode(infos)} ${c.dim('(--verbose lists them)')}`,
      '',
    );
  }
  if (report.findings.length) lines.push(c.dim(`by code: ${countsByCode(report.findings)}`));
  const s = report.summary;
  const counts = [
    s.errors ? paint.error(`${s.errors} error${s.errors === 1 ? '' : 's'}`) : '',
    s.warnings ? paint.warning(`${s.warnings} warning${s.warnings === 1 ? '' : 's'}`) : '',
    s.infos ? `${s.infos} info` : '',
  ].filter(Boolean);
  const checked = `${s.names} package${s.names === 1 ? '' : 's'} checked`;
  const unchanged = s.changedSince === undefined ? '' : `${s.unchanged ?? 0} unchanged since ${s.changedSince} skipped`;
  const extra = [
    s.skipped ? `${s.skipped} skipped by configuration` : '',
    unchanged,
    s.unknown ? c.red(`${s.unknown} could not be checked`) : '',
  ].filter(Boolean);
  const verdict =
    report.status === 'clean'
      ? c.green('✔ no problems found')
      : report.status === 'incomplete'
        ? c.red('incomplete: some packages or files could not be checked')
        : counts.join(', ');
  lines.push(
    `${verdict} (${[checked, ...extra, ...(report.status === 'incomplete' && counts.length ? counts : [])].join(', ')})`,
  );
  return `${lines.join('\n')}\n`;
}
