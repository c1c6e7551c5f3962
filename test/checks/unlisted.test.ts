import { describe, expect, it } from 'vitest';
import { checkUnlisted } from '../../src/checks/unlisted.js';
import { dep, manifest, runProject } from '../helpers/model.js';
import { scan, site } from '../helpers/project-scan.js';

describe('unlisted dependencies', () => {
  it('reports an import no manifest declares, with every site', () => {
    const findings = runProject(
      checkUnlisted,
      scan(
        [manifest('', [dep('express')])],
        [site('express', 'a.ts'), site('left-padx', 'a.ts', 'import', 3), site('left-padx', 'b.ts', 'require', 7)],
      ),
    );
    expect(findings.map((f) => [f.code, f.package, f.locations.map((l) => `${l.file}:${l.line}`)])).toEqual([
      ['UNLISTED_DEPENDENCY', 'left-padx', ['a.ts:3', 'b.ts:7']],
    ]);
  });

  it('a workspace file may use its own and the root manifest, not a sibling workspace', () => {
    const manifests = [
      manifest('', [dep('typescript')]),
      manifest('packages/a', [dep('zod')]),
      manifest('packages/b', [dep('yup')]),
    ];
    const findings = runProject(
      checkUnlisted,
      scan(manifests, [
        site('zod', 'packages/a/x.ts'),
        site('typescript', 'packages/a/x.ts'),
        site('yup', 'packages/a/x.ts'),
      ]),
    );
    expect(findings.map((f) => f.package)).toEqual(['yup']);
  });

  it('an @types package satisfies a type-only import, not a runtime one', () => {
    const manifests = [manifest('', [dep('@types/estree'), dep('@types/babel__core')])];
    const findings = runProject(
      checkUnlisted,
      scan(manifests, [
        site('estree', 'a.ts', 'import-type'),
        site('@babel/core', 'a.ts', 'import-type'),
        site('estree', 'b.ts', 'import'),
      ]),
    );
    expect(findings.map((f) => `${f.package} ${f.locations[0]?.file}`)).toEqual(['estree b.ts']);
  });

  it('without a root manifest nothing is unlisted', () => {
    expect(runProject(checkUnlisted, scan([], [site('express', 'a.ts')]))).toEqual([]);
  });
});
