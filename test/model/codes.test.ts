import { describe, expect, it } from 'vitest';
import { CODE_INFO, makeFinding } from '../../src/model/codes.js';
import type { FindingCode } from '../../src/model/finding.js';

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

  it("puts code and severity first and the fields in their given order, as JSON output shows them", () => {
    const finding = makeFinding('VERSION_NOT_FOUND', { severity: 'warning', package: 'a', version: '1.0.0', message: 'm', hint: 'h', locations: [], details: { wanted: '^2' } });
    expect(Object.keys(finding)).toEqual(['code', 'severity', 'package', 'version', 'message', 'hint', 'locations', 'details']);
    expect(finding).toEqual({ code: 'VERSION_NOT_FOUND', severity: 'warning', package: 'a', version: '1.0.0', message: 'm', hint: 'h', locations: [], details: { wanted: '^2' } });
  });
});
