import { describe, expect, it } from 'vitest';
import { checkInputErrors } from '../../src/checks/input-errors.js';
import { checkNonRegistry } from '../../src/checks/non-registry.js';
import { checkUnlisted } from '../../src/checks/unlisted.js';
import type { ImportSite, Manifest, ProjectScan } from '../../src/model/references.js';
import { dep, manifest, runProject } from '../helpers/model.js';

const site = (packageName: string, file: string, kind: ImportSite['kind'] = 'import', line = 1): ImportSite => ({
  specifier: packageName,
  packageName,
  kind,
  file,
  line,
  column: 8,
});
const scan = (manifests: Manifest[], imports: ImportSite[] = [], errors: ProjectScan['errors'] = []): ProjectScan => ({
  root: '/p',
  manifests,
  imports,
  errors,
  sourceFiles: imports.length,
});

describe('unlisted dependencies', () => {
  it('reports an import no manifest declares, with every site', () => {
    const findings = runProject(checkUnlisted, scan([manifest('', [dep('express')])], [site('express', 'a.ts'), site('left-padx', 'a.ts', 'import', 3), site('left-padx', 'b.ts', 'require', 7)]));
    expect(findings.map((f) => [f.code, f.package, f.locations.map((l) => `${l.file}:${l.line}`)])).toEqual([
      ['UNLISTED_DEPENDENCY', 'left-padx', ['a.ts:3', 'b.ts:7']],
    ]);
  });

  it('a workspace file may use its own and the root manifest, not a sibling workspace', () => {
    const manifests = [manifest('', [dep('typescript')]), manifest('packages/a', [dep('zod')]), manifest('packages/b', [dep('yup')])];
    const findings = runProject(checkUnlisted, 
      scan(manifests, [site('zod', 'packages/a/x.ts'), site('typescript', 'packages/a/x.ts'), site('yup', 'packages/a/x.ts')]),
    );
    expect(findings.map((f) => f.package)).toEqual(['yup']);
  });

  it('an @types package satisfies a type-only import, not a runtime one', () => {
    const manifests = [manifest('', [dep('@types/estree'), dep('@types/babel__core')])];
    const findings = runProject(checkUnlisted, 
      scan(manifests, [site('estree', 'a.ts', 'import-type'), site('@babel/core', 'a.ts', 'import-type'), site('estree', 'b.ts', 'import')]),
    );
    expect(findings.map((f) => `${f.package} ${f.locations[0]?.file}`)).toEqual(['estree b.ts']);
  });

  it('without a root manifest nothing is unlisted', () => {
    expect(runProject(checkUnlisted, scan([], [site('express', 'a.ts')]))).toEqual([]);
  });
});

describe('non-registry sources', () => {
  it('git and tarball URLs are warnings; file, link and foreign workspace specs are info; own workspaces are fine', () => {
    const findings = runProject(checkNonRegistry, 
      scan([
        manifest('', [
          dep('a', '^1.0.0', { kind: 'git', spec: 'github:user/a', line: 4 }),
          dep('b', '^1.0.0', { kind: 'remote', spec: 'https://example.test/b.tgz' }),
          dep('c', '^1.0.0', { kind: 'file', spec: 'file:../c' }),
          dep('d', '^1.0.0', { kind: 'link', spec: 'link:../d' }),
          dep('own', '^1.0.0', { kind: 'workspace', spec: 'workspace:*' }),
          dep('ext', '^1.0.0', { kind: 'workspace', spec: 'workspace:^' }),
          dep('e'),
        ]),
        manifest('packages/own', [], 'own'),
      ]),
    );
    expect(findings.map((f) => [f.package, f.code, f.severity])).toEqual([
      ['a', 'NON_REGISTRY_SOURCE', 'warning'],
      ['b', 'NON_REGISTRY_SOURCE', 'warning'],
      ['c', 'NON_REGISTRY_SOURCE', 'info'],
      ['d', 'NON_REGISTRY_SOURCE', 'info'],
      ['ext', 'NON_REGISTRY_SOURCE', 'info'],
    ]);
    expect(findings[0]?.locations).toEqual([{ file: 'package.json', line: 4, field: 'dependencies.a' }]);
  });
});

describe('input errors', () => {
  it('every unreadable file becomes INPUT_ERROR, an invalid spec INVALID_SPEC, each with its location', () => {
    const findings = runProject(checkInputErrors, 
      scan([manifest('', [dep('x', '^1.0.0', { kind: 'invalid', spec: '^^1', line: 6 })])], [], [{ file: 'src/bad.ts', line: 2, column: 5, message: 'syntax error' }]),
    );
    expect(findings.map((f) => [f.code, f.locations[0]])).toEqual([
      ['INVALID_SPEC', { file: 'package.json', line: 6, field: 'dependencies.x' }],
      ['INPUT_ERROR', { file: 'src/bad.ts', line: 2, column: 5 }],
    ]);
  });
});

describe('lock entries', () => {
  const lockScan = (packages: NonNullable<ProjectScan['lockfile']>['packages']): ProjectScan => ({
    ...scan([manifest('', [])]),
    lockfile: { path: 'package-lock.json', format: 'npm', lockfileVersion: 3, packages },
  });

  it('git and tarball lock entries are NON_REGISTRY_SOURCE at their lockfile line', () => {
    const findings = runProject(checkNonRegistry, 
      lockScan([
        { name: 'g', version: '1.0.0', path: 'node_modules/g', lockfile: 'package-lock.json', line: 12, source: 'git', resolved: 'git+ssh://git@example.test/g.git#abc' },
        { name: 'r', version: '1.0.0', path: 'node_modules/r', lockfile: 'package-lock.json', line: 20, source: 'remote', resolved: 'https://evil.example.test/r.tgz' },
        { name: 'ok', version: '1.0.0', path: 'node_modules/ok', lockfile: 'package-lock.json', source: 'registry' },
        { name: 'w', version: '1.0.0', path: 'packages/w', lockfile: 'package-lock.json', local: true, source: 'link' },
      ]),
    );
    expect(findings.map((f) => [f.package, f.severity, f.locations[0]?.line])).toEqual([
      ['g', 'warning', 12],
      ['r', 'warning', 20],
    ]);
  });

  it('a lock entry with an impossible name or version is an INPUT_ERROR, not silence', () => {
    const findings = runProject(checkInputErrors, 
      lockScan([
        { name: 'odd', version: '1.0', path: 'node_modules/odd', lockfile: 'package-lock.json', line: 7 },
        { name: '@x/y/../../-/whoami', version: '1.0.0', path: 'node_modules/@x/y', lockfile: 'package-lock.json', line: 9 },
      ]),
    );
    expect(findings.map((f) => [f.code, f.locations[0]?.line])).toEqual([
      ['INPUT_ERROR', 7],
      ['INPUT_ERROR', 9],
    ]);
  });
});
