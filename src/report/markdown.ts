/**
 * `--format markdown`: a report for pull-request comments and CI job summaries. A headline with
 * the verdict, findings by package in one table (errors first), and, with `--changed-since`, what
 * the change did to the locked packages. Registry text is untrusted: control characters are
 * removed and Markdown's own characters escaped, so a package's message cannot break the table
 * or inject links and HTML.
 */
import { COMMAND_LINE, compareSeverity, type Finding, type Severity } from '../model/finding.js';
import type { LockfileChanges, Report } from '../model/report.js';
import { sanitize } from '../model/sanitize.js';
import { formatLocation } from './text.js';

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

/** Text safe inside a table cell: one line, no pipes, no markup. */
export function escapeCell(text: string, max = 500): string {
  return sanitize(text, max)
    .replace(/[\\`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`)
    .replace(/\s+/g, ' ')
    .trim();
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function headline(report: Report): string {
  const s = report.summary;
  const counts = [
    s.errors ? plural(s.errors, 'error') : '',
    s.warnings ? plural(s.warnings, 'warning') : '',
    s.infos ? `${s.infos} info` : '',
  ].filter(Boolean);
  const checked = plural(s.names, 'package') + ' checked';
  if (report.status === 'clean') return `### ✅ depverify: no problems found (${checked})`;
  if (report.status === 'incomplete') {
    const unknown = s.unknown ? `, ${s.unknown} could not be checked` : '';
    return `### ⚠️ depverify: incomplete${counts.length ? ` (${counts.join(', ')})` : ''}: some packages or files could not be checked (${checked}${unknown})`;
  }
  return `### ${s.errors ? '❌' : '⚠️'} depverify: ${counts.join(', ')} (${checked})`;
}

function where(finding: Finding): string {
  const shown = finding.locations.slice(0, 3).map((l) => `\`${sanitize(formatLocation(l), 200).replace(/`/g, "'")}\``);
  const more = finding.locations.length > 3 ? ` and ${finding.locations.length - 3} more` : '';
  return shown.join(', ').replace(/\|/g, '\\|') + more;
}

function findingsTable(findings: Finding[]): string[] {
  const sorted = [...findings].sort(
    (a, b) =>
      compareSeverity(b.severity, a.severity) || a.package.localeCompare(b.package) || a.code.localeCompare(b.code),
  );
  const rows = sorted.map((f) => {
    const what = escapeCell(f.message) + (f.hint ? `<br>→ ${escapeCell(f.hint)}` : '');
    const pkg = f.package ? `\`${sanitize(f.package, 214).replace(/[`|]/g, '')}\`` : '(project files)';
    return `| ${ICON[f.severity]} ${f.severity} | ${pkg} | \`${f.code}\` | ${what} | ${f.locations[0]?.file === COMMAND_LINE ? 'command line' : where(f)} |`;
  });
  return ['| Severity | Package | Code | Finding | Where |', '| --- | --- | --- | --- | --- |', ...rows];
}

function changesSection(changes: LockfileChanges): string[] {
  const name = (n: string): string => `\`${sanitize(n, 214).replace(/[`|]/g, '')}\``;
  const list = (versions: string[]): string => versions.map((v) => escapeCell(v, 100)).join(', ');
  const lines = [
    `#### Locked packages changed since \`${sanitize(changes.ref, 100).replace(/`/g, '')}\` (${sanitize(changes.lockfile, 200)})`,
    '',
  ];
  const total = changes.added.length + changes.removed.length + changes.updated.length;
  if (total === 0) return [...lines, 'No package was added, removed or updated.'];
  lines.push(
    `${changes.added.length} added, ${changes.removed.length} removed, ${changes.updated.length} updated.`,
    '',
  );
  lines.push('| Change | Package | Versions |', '| --- | --- | --- |');
  for (const a of changes.added) lines.push(`| added | ${name(a.name)} | ${list(a.versions)} |`);
  for (const u of changes.updated) lines.push(`| updated | ${name(u.name)} | ${list(u.from)} → ${list(u.to)} |`);
  for (const r of changes.removed) lines.push(`| removed | ${name(r.name)} | ${list(r.versions)} |`);
  return lines;
}

export function formatMarkdown(report: Report): string {
  const lines = [headline(report), ''];
  if (report.findings.length) lines.push(...findingsTable(report.findings), '');
  if (report.summary.changedSince !== undefined) {
    lines.push(
      `Checked only what changed since \`${sanitize(report.summary.changedSince, 100).replace(/`/g, '')}\`; ${report.summary.unchanged ?? 0} unchanged references skipped.`,
      '',
    );
  }
  if (report.lockfileChanges) lines.push(...changesSection(report.lockfileChanges), '');
  return `${lines.join('\n').trimEnd()}\n`;
}
