import { describe, expect, it } from 'vitest';
import { formatJson, inertJson } from '../../src/report/json.js';
import { everyKind, hostileFinding, report } from '../helpers/report.js';

describe('formatJson', () => {
  it('is the report itself, indented by two spaces, one newline at the end', () => {
    const r = report(everyKind);
    const text = formatJson(r);
    expect(JSON.parse(text)).toEqual(r);
    expect(text.slice(-2)).toBe('}\n');
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });

  it('escapes what a terminal would act on, and reads back as the same text', () => {
    const r = report([hostileFinding]);
    const text = formatJson(r);
    // No raw control, DEL, C1 or bidi character is left in the document.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/);
    expect(text).toContain('\\u001b[31m');
    expect(text).toContain('\\u007f');
    expect(text).toContain('\\u009b');
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u2066');
    expect(text).toContain('\\u200b');
    expect(JSON.parse(text)).toEqual(r);
  });

  it('inertJson escapes the same characters in any value', () => {
    expect(inertJson({ a: '\u061c\ufeff\u2028' })).toBe('{\n  "a": "\\u061c\\ufeff\\u2028"\n}\n');
    expect(inertJson('plain é')).toBe('"plain é"\n');
  });
});
