import pc from 'picocolors';
import type { Finding, Location, Severity } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { sanitize } from '../model/sanitize.js';

export interface TextOptions {
  color: boolean;
  /** Locations shown per finding before "and N more". */
  maxLocations?: number;
}

export function formatLocation(location: Location): string {
  const position = location.line ? `:${location.line}${location.column ? `:${location.column}` : ''}` : '';
  const field = location.field ? ` (${location.field})` : '';
  return `${location.file}${position}${field}`;
}

const ICON: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };

/** Human-readable report: findings grouped by package, then a summary line. */
export function formatText(report: Report, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const maxLocations = options.maxLocations ?? 5;
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const key = finding.package || '(project files)';
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  for (const [name, findings] of groups) {
    lines.push(c.bold(sanitize(name)));
    for (const finding of findings) {
      const label = paint[finding.severity](`${ICON[finding.severity]} ${finding.severity.padEnd(7)}`);
      lines.push(`  ${label} ${c.dim(finding.code)}  ${sanitize(finding.message)}`);
      for (const location of finding.locations.slice(0, maxLocations)) lines.push(`      ${c.cyan(sanitize(formatLocation(location)))}`);
      if (finding.locations.length > maxLocations) lines.push(c.dim(`      … and ${finding.locations.length - maxLocations} more`));
      if (finding.hint) lines.push(`      ${c.dim('→')} ${sanitize(finding.hint)}`);
    }
    lines.push('');
  }
  const s = report.summary;
  const counts = [
    s.errors ? paint.error(`${s.errors} error${s.errors === 1 ? '' : 's'}`) : '',
    s.warnings ? paint.warning(`${s.warnings} warning${s.warnings === 1 ? '' : 's'}`) : '',
    s.infos ? `${s.infos} info` : '',
  ].filter(Boolean);
  const checked = `${s.names} package${s.names === 1 ? '' : 's'} checked`;
  const unchanged = s.changedSince === undefined ? '' : `${s.unchanged ?? 0} unchanged since ${s.changedSince} skipped`;
  const extra = [s.skipped ? `${s.skipped} skipped by configuration` : '', unchanged, s.unknown ? c.red(`${s.unknown} could not be checked`) : ''].filter(Boolean);
  const verdict =
    report.status === 'clean'
      ? c.green('✔ no problems found')
      : report.status === 'incomplete'
        ? c.red('incomplete: some packages or files could not be checked')
        : counts.join(', ');
  lines.push(`${verdict} (${[checked, ...extra, ...(report.status === 'incomplete' && counts.length ? counts : [])].join(', ')})`);
  return `${lines.join('\n')}\n`;
}
