import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODE_INFO, makeFinding } from '../../src/model/codes.js';
import { isFindingOf } from '../../src/model/finding-details.js';
import { FINDING_CODES, type Finding, type FindingCode } from '../../src/model/finding.js';
import { formatSarif } from '../../src/report/sarif.js';
import { report } from '../helpers/report.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The rows of README's findings tables (`| code | default | when |`): code to default severity. */
function readmeRows(): Map<string, string> {
  const rows = new Map<string, string>();
  let inTable = false;
  for (const line of readFileSync(path.join(root, 'README.md'), 'utf8').split('\n')) {
    if (line.startsWith('| code | default | when |')) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    const cells = inTable ? /^\| `([^`]+)` \| ([^|]+) \|/.exec(line) : null;
    if (cells) rows.set(cells[1]!, cells[2]!.trim());
  }
  return rows;
}

/** Every source file outside `src/model/`, where the codes are declared rather than produced. */
function producerSources(): { file: string; text: string }[] {
  const dir = path.join(root, 'src');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.split(path.sep).includes('model'))
    .map((f) => ({ file: f, text: readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * A code is produced where a finding is built with it: `makeFinding('CODE', …)`, or, in a file that
 * builds findings from a code held in a variable (`makeFinding(code, …)`), the code as a literal.
 */
function producedCodes(sources: { text: string }[]): Set<string> {
  const produced = new Set<string>();
  for (const { text } of sources) {
    for (const m of text.matchAll(/makeFinding\('([A-Z_]+)'/g)) produced.add(m[1]!);
    if (/makeFinding\([a-z]/.test(text)) for (const m of text.matchAll(/'([A-Z][A-Z0-9_]+)'/g)) produced.add(m[1]!);
  }
  return produced;
}

describe('the table of finding codes', () => {
  it('has an entry in CODE_INFO for every code, with a title and help', () => {
    for (const code of FINDING_CODES) {
      // A title is a short capitalised phrase; help is sentences.
      expect(CODE_INFO[code].title, code).toMatch(/^[A-Z][^\n]{5,80}(?<!\.)$/);
      expect(CODE_INFO[code].help, code).toMatch(/^[\w"`].{20,}\.$/s);
    }
    expect(Object.keys(CODE_INFO).sort()).toEqual([...FINDING_CODES].sort());
  });

  it("has a row for every code in README's findings tables, whose default names the code's severity", () => {
    const rows = readmeRows();
    expect([...rows.keys()].sort()).toEqual([...FINDING_CODES].sort());
    for (const code of FINDING_CODES) {
      expect(rows.has(code), `README lacks a row for ${code}`).toBe(true);
      expect(rows.get(code), code).toContain(CODE_INFO[code].severity);
    }
  });

  it('README lists no code that does not exist', () => {
    const known = new Set<string>(FINDING_CODES);
    const unknown = [...readmeRows().keys()].filter((code) => !known.has(code));
    expect(unknown).toEqual([]);
  });

  it('has a SARIF rule for every code', () => {
    const log = JSON.parse(formatSarif(report([]))) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
    const ids = log.runs[0]!.tool.driver.rules.map((r) => r.id);
    expect(new Set(ids)).toEqual(new Set(FINDING_CODES));
  });

  it('has for every code a place in src/ that builds a finding with it', () => {
    const produced = producedCodes(producerSources());
    const unproduced = FINDING_CODES.filter((code) => !produced.has(code));
    expect(unproduced).toEqual([]);
  });

  it('the producer search is not vacuous: a code in a comment or a set of codes builds nothing', () => {
    const produced = producedCodes([
      { text: "// NOT_FOUND is said elsewhere\nconst UNKNOWN = new Set(['TYPES_UNKNOWN']);" },
      { text: "findings.push(makeFinding('DEPRECATED', { package: name }));" },
      { text: "code = 'SUBPATH_NOT_FOUND';\nfindings.push(makeFinding(code, { package: pkg }));" },
    ]);
    expect([...produced].sort()).toEqual(['DEPRECATED', 'SUBPATH_NOT_FOUND']);
  });
});

describe('makeFinding', () => {
  const fields = { package: 'left-pad', message: 'm', locations: [{ file: 'package.json', line: 3 }] };

  it("takes the code's default severity from CODE_INFO", () => {
    for (const code of ['NOT_FOUND', 'DEPRECATED', 'TYPES_UNAVAILABLE'] satisfies FindingCode[]) {
      expect(makeFinding(code, fields).severity).toBe(CODE_INFO[code].severity);
    }
  });

  it('keeps a severity given for this finding, and leaves the default for an undefined one', () => {
    expect(makeFinding('RELEASE_TOO_NEW', { ...fields, severity: 'error' }).severity).toBe('error');
    expect(makeFinding('RELEASE_TOO_NEW', { ...fields, severity: undefined }).severity).toBe('warning');
  });

  it('puts code and severity first and the fields in their given order, as JSON output shows them', () => {
    const finding = makeFinding('VERSION_NOT_FOUND', {
      severity: 'warning',
      package: 'a',
      version: '1.0.0',
      message: 'm',
      hint: 'h',
      locations: [],
      details: { wanted: '^2', via: 'range' },
    });
    expect(Object.keys(finding)).toEqual([
      'code',
      'severity',
      'package',
      'version',
      'message',
      'hint',
      'locations',
      'details',
    ]);
    expect(finding).toEqual({
      code: 'VERSION_NOT_FOUND',
      severity: 'warning',
      package: 'a',
      version: '1.0.0',
      message: 'm',
      hint: 'h',
      locations: [],
      details: { wanted: '^2', via: 'range' },
    });
  });

  it("checks the details against the code's shape, and passes them on as given", () => {
    const unchecked = [
      // @ts-expect-error VERSION_NOT_FOUND says how the version was asked for (`via`).
      makeFinding('VERSION_NOT_FOUND', { ...fields, details: { wanted: '^2' } }),
      // @ts-expect-error INVALID_SPEC carries no details.
      makeFinding('INVALID_SPEC', { ...fields, details: { reason: 'x' } }),
      // @ts-expect-error LOCKFILE_OUT_OF_SYNC's reason is one of three.
      makeFinding('LOCKFILE_OUT_OF_SYNC', { ...fields, details: { lockfile: 'package-lock.json', reason: 'stale' } }),
    ];
    expect(unchecked.map((f) => f.details)).toEqual([
      { wanted: '^2' },
      { reason: 'x' },
      { lockfile: 'package-lock.json', reason: 'stale' },
    ]);
  });

  it("isFindingOf narrows a finding to its code's details", () => {
    const finding: Finding = makeFinding('REGISTRY_UNSIGNED', { ...fields, details: { registry: 'r' } });
    expect(isFindingOf(finding, 'REGISTRY_UNSIGNED') && finding.details?.registry).toBe('r');
    expect(isFindingOf(finding, 'NOT_FOUND', 'REGISTRY_UNKNOWN')).toBe(false);
  });
});
