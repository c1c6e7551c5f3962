import { describe, expect, it } from 'vitest';
import { readPnpmLockfile } from '../../src/scan/lockfiles/pnpm.js';

const read = (text: string) => readPnpmLockfile('pnpm-lock.yaml', text);
const summary = (errors: Array<{ file: string; field?: string; line?: number; reason?: string }>) =>
  errors.map((e) => [e.file, e.field, e.line, e.reason]);

describe('pnpm lockfile errors', () => {
  it.each([["'7.0'"], ["'4.0'"], ['10'], ['next'], ["''"]])('rejects lockfileVersion %s', (value) => {
    const { lockfile, errors } = read(`# pnpm\nlockfileVersion: ${value}\npackages: {}\n`);
    expect(lockfile).toBeUndefined();
    expect(summary(errors)).toEqual([['pnpm-lock.yaml', 'lockfileVersion', 2, 'unsupported-version']]);
  });

  it('rejects a file without lockfileVersion', () => {
    const { lockfile, errors } = read('packages: {}\n');
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ reason: 'unsupported-version', field: 'lockfileVersion' })]);
    expect(errors[0]?.line).toBeUndefined();
  });

  it('reports broken YAML with its line', () => {
    const text = "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: x\n  b@1.0.0: {}\n";
    const { lockfile, errors } = read(text);
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ file: 'pnpm-lock.yaml', reason: 'invalid-syntax' })]);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(4);
  });

  it('reports binary files and documents that are not mappings', () => {
    expect(read("lockfileVersion: '9.0'\0").errors[0]).toMatchObject({ reason: 'binary' });
    expect(read('- a\n- b\n').errors[0]).toMatchObject({ reason: 'wrong-type' });
    expect(read('').errors[0]).toMatchObject({ reason: 'wrong-type' });
  });

  it('reports malformed entries with their line and field and reads the rest', () => {
    const text = [
      "lockfileVersion: '6.0'", // 1
      '',
      'packages:', // 3
      '  /ok@1.0.0:', // 4
      '    resolution: {integrity: sha512-a}',
      '  /scalar@1.0.0: 5', // 6
      '  github.com/u/noversion/0123abc:', // 7
      '    resolution: {tarball: https://codeload.github.com/u/noversion/tar.gz/0123abc}',
      '    name: noversion',
      '  /noname:', // 10
      '    resolution: {integrity: sha512-b}',
      '  /badres@1.0.0:', // 12
      '    resolution: sha512-c',
      '  /numversion@1.0.0:', // 14
      '    name: numversion',
      '    version: 1.5',
      '  /ok2@2.0.0:', // 17
      '    resolution: {integrity: sha512-d}',
      '',
    ].join('\n');
    const { lockfile, errors } = read(text);
    expect(lockfile?.packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['ok', '1.0.0', 4],
      ['ok2', '2.0.0', 17],
    ]);
    expect(summary(errors)).toEqual([
      ['pnpm-lock.yaml', 'packages./scalar@1.0.0', 6, 'invalid-entry'],
      ['pnpm-lock.yaml', 'packages.github.com/u/noversion/0123abc', 7, 'invalid-entry'],
      ['pnpm-lock.yaml', 'packages./noname', 10, 'invalid-entry'],
      ['pnpm-lock.yaml', 'packages./badres@1.0.0.resolution', 12, 'wrong-type'],
      ['pnpm-lock.yaml', 'packages./numversion@1.0.0', 14, 'invalid-entry'],
    ]);
  });

  it('reports sections of the wrong shape and goes on with the others', () => {
    const text =
      "lockfileVersion: '9.0'\nimporters:\n  .: 5\n  web:\n    dependencies: [a]\npackages: [a]\nsnapshots:\n  x@1.0.0: 5\n";
    const { lockfile, errors } = read(text);
    expect(lockfile?.packages).toEqual([]);
    expect(summary(errors)).toEqual([
      ['pnpm-lock.yaml', 'snapshots.x@1.0.0', 8, 'invalid-entry'],
      ['pnpm-lock.yaml', 'packages', 6, 'wrong-type'],
      ['pnpm-lock.yaml', 'importers..', 3, 'invalid-entry'],
      ['pnpm-lock.yaml', 'importers.web.dependencies', 5, 'wrong-type'],
    ]);
  });

  it('reads the lockfile document of a file that starts with an environment document', () => {
    const text = [
      '---', // 1
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    configDependencies: {}',
      '',
      '---', // 7
      "lockfileVersion: '9.0'",
      '',
      'packages:', // 10
      '',
      '  ms@2.1.3:', // 12
      '    resolution: {integrity: sha512-m}',
      '',
    ].join('\n');
    const { lockfile, errors } = read(text);
    expect(errors).toEqual([]);
    expect(lockfile?.packages.map((p) => [p.name, p.version, p.line])).toEqual([['ms', '2.1.3', 12]]);
  });
});
