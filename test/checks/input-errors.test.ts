import { describe, expect, it } from 'vitest';
import { checkInputErrors } from '../../src/checks/input-errors.js';
import { dep, manifest, runProject } from '../helpers/model.js';
import { lockScan, scan } from '../helpers/project-scan.js';

describe('input errors', () => {
  it('every unreadable file becomes INPUT_ERROR, an invalid spec INVALID_SPEC, each with its location', () => {
    const findings = runProject(
      checkInputErrors,
      scan(
        [manifest('', [dep('x', '^1.0.0', { kind: 'invalid', spec: '^^1', line: 6 })])],
        [],
        [{ file: 'src/bad.ts', line: 2, column: 5, message: 'syntax error' }],
      ),
    );
    expect(findings.map((f) => [f.code, f.locations[0]])).toEqual([
      ['INVALID_SPEC', { file: 'package.json', line: 6, field: 'dependencies.x' }],
      ['INPUT_ERROR', { file: 'src/bad.ts', line: 2, column: 5 }],
    ]);
  });
});

describe('lock entries', () => {
  it('a lock entry with an impossible name or version is an INPUT_ERROR, not silence', () => {
    const findings = runProject(
      checkInputErrors,
      lockScan([
        { name: 'odd', version: '1.0', path: 'node_modules/odd', lockfile: 'package-lock.json', line: 7 },
        {
          name: '@x/y/../../-/whoami',
          version: '1.0.0',
          path: 'node_modules/@x/y',
          lockfile: 'package-lock.json',
          line: 9,
        },
      ]),
    );
    expect(findings.map((f) => [f.code, f.locations[0]?.line])).toEqual([
      ['INPUT_ERROR', 7],
      ['INPUT_ERROR', 9],
    ]);
  });
});
