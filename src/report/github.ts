import { COMMAND_LINE, type Finding, type Location, type Severity } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { sanitize } from '../model/sanitize.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** As the Actions toolkit escapes command data: nothing in it can end the line it is on. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also lose `:` and `,`, which would end the value or the property list. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const positive = (n: number | undefined): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

function command(finding: Finding, location: Location | undefined): string {
  const properties: Array<[string, string]> = [];
  if (location) {
    properties.push(['file', sanitize(location.file, 1000)]);
    if (positive(location.line)) {
      properties.push(['line', String(location.line)]);
      if (positive(location.column)) properties.push(['col', String(location.column)]);
    }
  }
  properties.push(['title', sanitize(`${finding.code} ${finding.package}`, 300)]);
  // Control characters (registry text included) become spaces; the one newline is ours, escaped.
  const message = [finding.message, finding.hint ?? '']
    .map((part) => sanitize(part, 4000))
    .filter(Boolean)
    .join('\n');
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',');
  return `::${COMMAND[finding.severity]} ${list}::${escapeData(message)}`;
}

function summary(report: Report): string {
  const s = report.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const counts = [
    s.errors ? plural(s.errors, 'error') : '',
    s.warnings ? plural(s.warnings, 'warning') : '',
    s.infos ? plural(s.infos, 'notice') : '',
  ]
    .filter(Boolean)
    .join(', ');
  const verdict =
    report.status === 'clean'
      ? 'no problems found'
      : report.status === 'incomplete'
        ? `incomplete, some packages or files could not be checked${counts ? `; ${counts}` : ''}`
        : counts;
  return `depverify: ${verdict} (${plural(s.names, 'package')} checked)`;
}

/**
 * GitHub Actions workflow commands: one annotation per finding location (or one without a file),
 * then a plain summary line. Every line starts with `::<level> ` or `depverify:`, so text from the
 * registry can never start a workflow command of its own.
 */
export function formatGithub(report: Report): string {
  const lines: string[] = [];
  for (const finding of report.findings) {
    // A --package argument is no file in the repository: its annotation has no file either.
    const files = finding.locations.filter((l) => l.file !== COMMAND_LINE);
    if (files.length === 0) lines.push(command(finding, undefined));
    for (const location of files) lines.push(command(finding, location));
  }
  lines.push(summary(report));
  return `${lines.join('\n')}\n`;
}
