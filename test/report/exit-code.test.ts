import { describe, expect, it } from 'vitest';
import { EXIT, exitCode } from '../../src/report/exit-code.js';
import { infoFinding, lockfileFinding, manifestFinding, report } from '../helpers/report.js';

describe('exitCode', () => {
  it('0 for a clean run, 1 for an error finding, 2 for an incomplete run', () => {
    expect(EXIT).toEqual({ clean: 0, findings: 1, incomplete: 2 });
    expect(exitCode(report([]))).toBe(0);
    expect(exitCode(report([manifestFinding]))).toBe(1);
    expect(exitCode(report([], 'incomplete'))).toBe(2);
  });

  it('an incomplete run exits 2 whatever it found and whatever failOn says', () => {
    expect(exitCode(report([manifestFinding], 'incomplete'))).toBe(2);
    expect(exitCode(report([infoFinding], 'incomplete'), 'error')).toBe(2);
  });

  it('fails on findings at or above failOn: error by default, warning and info when asked', () => {
    const warnings = report([lockfileFinding, infoFinding]);
    expect(exitCode(warnings)).toBe(0);
    expect(exitCode(warnings, 'error')).toBe(0);
    expect(exitCode(warnings, 'warning')).toBe(1);
    const infos = report([infoFinding]);
    expect(exitCode(infos, 'warning')).toBe(0);
    expect(exitCode(infos, 'info')).toBe(1);
    expect(exitCode(report([manifestFinding]), 'info')).toBe(1);
  });
});
