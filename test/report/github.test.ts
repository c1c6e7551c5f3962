import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/github.js';
import {
  commandLineFinding,
  everyKind,
  hostileFinding,
  infoFinding,
  inputErrorFinding,
  locationlessFinding,
  lockfileFinding,
  manifestFinding,
  report,
  sourceFinding,
} from '../helpers/report.js';

const lines = (text: string) => text.replace(/\n$/, '').split('\n');

describe('formatGithub', () => {
  it('a source location gives file, line and column; the hint follows on an escaped new line', () => {
    expect(lines(formatGithub(report([sourceFinding])))[0]).toBe(
      '::error file=src/legacy.cjs,line=3,col=23,title=UNLISTED_DEPENDENCY dayjs::dayjs is imported but not declared in package.json.%0AAdd it with npm install dayjs, or remove the import.',
    );
  });

  it('a manifest location gives its line; a lockfile finding one annotation per location', () => {
    expect(lines(formatGithub(report([manifestFinding])))[0]).toBe(
      '::error file=package.json,line=13,title=NOT_FOUND pg-secure-pool::pg-secure-pool does not exist on the registry.%0ADo not install it.',
    );
    expect(lines(formatGithub(report([lockfileFinding]))).slice(0, 2)).toEqual([
      '::warning file=package-lock.json,line=120,title=DEPRECATED request::request is deprecated: "use something else"',
      '::warning file=package.json,line=14,title=DEPRECATED request::request is deprecated: "use something else"',
    ]);
  });

  it('info is a notice; a finding without a line has a file only, one without locations neither', () => {
    expect(lines(formatGithub(report([infoFinding])))[0]).toMatch(
      /^::notice file=packages\/app\/package.json,line=7,title=LICENSE_CHANGED left-pad::/,
    );
    expect(lines(formatGithub(report([inputErrorFinding])))[0]).toBe(
      '::error file=broken dir/#1 100%25.json,title=INPUT_ERROR::broken dir/#1 100%25.json: unexpected end of JSON input',
    );
    expect(lines(formatGithub(report([locationlessFinding])))[0]).toBe(
      '::error title=NOT_FOUND expresss::expresss does not exist on the registry.',
    );
    // A --package argument is not a file in the repository.
    expect(lines(formatGithub(report([commandLineFinding])))[0]).toBe(
      '::error title=VERSION_NOT_FOUND express::express has no published version matching "^9".',
    );
  });

  it('ends with a plain summary line', () => {
    expect(lines(formatGithub(report(everyKind))).at(-1)).toBe(
      'depverify: 4 errors, 1 warning, 1 notice (6 packages checked)',
    );
    expect(formatGithub(report([]))).toBe('depverify: no problems found (1 package checked)\n');
    expect(lines(formatGithub(report([locationlessFinding], 'incomplete'))).at(-1)).toMatch(
      /^depverify: incomplete, some packages or files could not be checked; 1 error/,
    );
  });

  it('escapes data and properties as the Actions toolkit does', () => {
    expect(escapeData('100% a\r\nb:c,d')).toBe('100%25 a%0D%0Ab:c,d');
    expect(escapeProperty('100% a\r\nb:c,d')).toBe('100%25 a%0D%0Ab%3Ac%2Cd');
    // Escaping `%` first keeps an already escaped-looking sequence literal.
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('hostile text cannot start a workflow command, inject properties or reach the log raw', () => {
    const out = formatGithub(report([hostileFinding]));
    const all = lines(out);
    expect(all).toHaveLength(2);
    expect(all[0]).toMatch(/^::warning file=/);
    expect(all[1]).toMatch(/^depverify: /);
    // Nothing the registry wrote begins a line, so no `::set-output` or `::error` of its own.
    for (const line of all) expect(line).toMatch(/^(::(error|warning|notice) |depverify: )/);
    expect(out).not.toMatch(
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/,
    );
    const [, props, message] = /^::warning (.*?)::(.*)$/.exec(all[0]!) ?? [];
    // Commas and colons inside values are escaped, so the property list has exactly these keys.
    expect(props?.split(',').map((p) => p.split('=')[0])).toEqual(['file', 'line', 'col', 'title']);
    expect(props).toContain('file=src/a%2Cb%3Ac %3A%3Aerror%3A%3Ax.ts');
    expect(props).toContain('title=DEPRECATED evil%2Cpkg%3Ax');
    // A literal `%0A` in registry text stays literal; only our hint separator is a real new line.
    expect(message).toContain('100%250A done');
    expect(message?.split('%0A')).toHaveLength(2);
    expect(message).toContain('::set-output name=token::stolen');
  });

  it('one annotation per location across a whole report', () => {
    const count = everyKind.reduce((n, f) => n + Math.max(1, f.locations.length), 0);
    expect(lines(formatGithub(report(everyKind)))).toHaveLength(count + 1);
  });
});
