/** Hand-built Reports for the formatter tests: every kind of location, every level, hostile text. */
import { COMMAND_LINE, type Finding } from '../../src/model/finding.js';
import type { Report, ReportStatus } from '../../src/model/report.js';

export const sourceFinding: Finding = {
  code: 'UNLISTED_DEPENDENCY',
  severity: 'error',
  package: 'dayjs',
  message: 'dayjs is imported but not declared in package.json.',
  hint: 'Add it with npm install dayjs, or remove the import.',
  locations: [{ file: 'src/legacy.cjs', line: 3, column: 23 }],
};

export const manifestFinding: Finding = {
  code: 'NOT_FOUND',
  severity: 'error',
  package: 'pg-secure-pool',
  message: 'pg-secure-pool does not exist on the registry.',
  hint: 'Do not install it.',
  locations: [{ file: 'package.json', line: 13, field: 'dependencies.pg-secure-pool' }],
  details: { reason: 'not-found' },
};

export const lockfileFinding: Finding = {
  code: 'DEPRECATED',
  severity: 'warning',
  package: 'request',
  version: '2.88.2',
  message: 'request is deprecated: "use something else"',
  locations: [
    { file: 'package-lock.json', line: 120, field: 'node_modules/request' },
    { file: 'package.json', line: 14, field: 'dependencies.request' },
  ],
};

export const infoFinding: Finding = {
  code: 'LICENSE_CHANGED',
  severity: 'info',
  package: 'left-pad',
  version: '1.3.0',
  message: 'left-pad 1.3.0 is MIT; the latest is ISC.',
  locations: [{ file: 'packages/app/package.json', line: 7, field: 'dependencies.left-pad' }],
};

/** A file the scan could not parse: a location without a line, in a path that needs escaping. */
export const inputErrorFinding: Finding = {
  code: 'INPUT_ERROR',
  severity: 'error',
  package: '',
  message: 'broken dir/#1 100%.json: unexpected end of JSON input',
  locations: [{ file: 'broken dir/#1 100%.json' }],
};

/** As --package mode reports: nowhere in the project to point at. */
export const locationlessFinding: Finding = {
  code: 'NOT_FOUND',
  severity: 'error',
  package: 'expresss',
  message: 'expresss does not exist on the registry.',
  locations: [],
  details: { reason: 'not-found', suggestions: [{ name: 'express' }] },
};

/** What --package reports: the argument, which is no file. */
export const commandLineFinding: Finding = {
  code: 'VERSION_NOT_FOUND',
  severity: 'error',
  package: 'express',
  message: 'express has no published version matching "^9".',
  locations: [{ file: COMMAND_LINE, field: 'express@^9' }],
};

/** Registry and project text crafted to escape: ANSI, OSC, newlines, workflow commands, bidi. */
export const hostileFinding: Finding = {
  code: 'DEPRECATED',
  severity: 'warning',
  package: 'evil,pkg:x',
  message:
    'deprecated: \u001b[31mred\u001b[0m \u001b]0;PWNED\u0007 100%0A done\n::set-output name=token::stolen\r\n::error::fake \u202egnp.exe\u2066 \u007f\u009b2J',
  hint: '::warning::also fake\n%25 \u200b',
  locations: [{ file: 'src/a,b:c\n::error::x.ts', line: 2, column: 5 }],
  details: { deprecated: '\u001b[2J\u202e::notice::x\nnext' },
};

export function report(findings: Finding[], status: ReportStatus = findings.length ? 'findings' : 'clean'): Report {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  const names = new Set(findings.map((f) => f.package).filter(Boolean));
  return {
    schemaVersion: 1,
    tool: { name: 'depverify', version: '0.1.0' },
    status,
    summary: {
      packages: names.size + 1,
      ok: 1,
      finding: names.size,
      unknown: status === 'incomplete' ? 1 : 0,
      names: names.size + 1,
      skipped: 0,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      manifests: 1,
      lockfile: 'package-lock.json',
      sourceFiles: 2,
      imports: 5,
    },
    packages: [],
    findings,
  };
}

export const everyKind = [
  sourceFinding,
  manifestFinding,
  lockfileFinding,
  infoFinding,
  inputErrorFinding,
  locationlessFinding,
];
