import { describe, expect, it } from 'vitest';
import { checkLockfileSync } from '../../src/checks/lockfile-sync.js';
import type { LockedPackage, Manifest, ProjectScan } from '../../src/model/references.js';
import { dep, manifest, runProject } from '../helpers/model.js';
import { scan } from '../helpers/project-scan.js';

const entry = (name: string, version: string, path = `node_modules/${name}`): LockedPackage => ({
  name,
  version,
  path,
  source: 'registry',
  lockfile: 'package-lock.json',
});

/** A project of these manifests and an npm lockfile of these entries. */
const project = (manifests: Manifest[], packages: LockedPackage[]): ProjectScan => ({
  ...scan(manifests),
  lockfile: { path: 'package-lock.json', format: 'npm', lockfileVersion: 3, packages },
});

const sync = (s: ProjectScan) =>
  runProject(checkLockfileSync, s).map((f) => [f.code, f.severity, f.package, f.locations, f.details]);

describe('LOCKFILE_OUT_OF_SYNC', () => {
  it('nothing when every installed declaration is locked inside its range', () => {
    const root = manifest('', [dep('a', '^1.0.0'), dep('b', '~2.1.0', { field: 'devDependencies' })]);
    expect(sync(project([root], [entry('a', '1.4.0'), entry('b', '2.1.3')]))).toEqual([]);
  });

  it('a declaration the lockfile lacks, and one locked outside its range, at the declaration', () => {
    const root = manifest('', [dep('a', '^2.0.0', { line: 6 }), dep('gone', '^1.0.0', { line: 7 })]);
    expect(sync(project([root], [entry('a', '1.4.0')]))).toEqual([
      [
        'LOCKFILE_OUT_OF_SYNC',
        'error',
        'a',
        [{ file: 'package.json', line: 6, field: 'dependencies.a' }],
        { lockfile: 'package-lock.json', reason: 'outside-range', locked: '1.4.0', range: '^2.0.0' },
      ],
      [
        'LOCKFILE_OUT_OF_SYNC',
        'error',
        'gone',
        [{ file: 'package.json', line: 7, field: 'dependencies.gone' }],
        { lockfile: 'package-lock.json', reason: 'missing' },
      ],
    ]);
  });

  it('an alias locked as another package than it names', () => {
    const alias = dep('lodash', 'npm:lodash-es@^4.0.0', { kind: 'alias', registryName: 'lodash-es', range: '^4.0.0' });
    const findings = runProject(checkLockfileSync, project([manifest('', [alias])], [entry('lodash', '4.17.21')]));
    expect(findings.map((f) => [f.package, f.details])).toEqual([
      ['lodash-es', { lockfile: 'package-lock.json', reason: 'other-package', locked: 'lodash@4.17.21' }],
    ]);
    expect(findings[0]!.message).toBe('lodash is declared as lodash-es but package-lock.json locks lodash@4.17.21.');
    expect(
      runProject(
        checkLockfileSync,
        project([manifest('', [alias])], [entry('lodash-es', '4.17.21', 'node_modules/lodash')]),
      ),
    ).toEqual([]);
  });

  it('peers, git and file specs, workspace packages and standalone projects are not the lockfile’s to cover', () => {
    const root = manifest('', [
      dep('react', '^18.0.0', { field: 'peerDependencies' }),
      dep('tool', 'github:someone/tool', { kind: 'git', registryName: undefined, range: undefined }),
      dep('web', '^1.0.0'),
    ]);
    const web = { ...manifest('packages/web', [], 'web'), version: '1.2.0' };
    const example: Manifest = { ...manifest('examples/demo', [dep('left-pad', '^1.0.0')]), standalone: true };
    expect(sync(project([root, web, example], []))).toEqual([]);
    // A workspace version outside the range is a registry package the lockfile lacks.
    const old = { ...web, version: '0.9.0' };
    expect(sync(project([root, old], [])).map((f) => [f[2], (f[4] as { reason: string }).reason])).toEqual([
      ['web', 'missing'],
    ]);
  });

  it('a workspace declaration is paired with its own nested entry first, and reported at its manifest', () => {
    const ws = manifest(
      'packages/app',
      [dep('a', '^2.0.0', { manifest: 'packages/app/package.json', line: 3 })],
      'app',
    );
    const nested = entry('a', '2.1.0', 'packages/app/node_modules/a');
    expect(sync(project([manifest('', []), ws], [entry('a', '1.0.0'), nested]))).toEqual([]);
    expect(sync(project([manifest('', []), ws], [entry('a', '1.0.0')]))).toEqual([
      [
        'LOCKFILE_OUT_OF_SYNC',
        'error',
        'a',
        [{ file: 'packages/app/package.json', line: 3, field: 'dependencies.a' }],
        { lockfile: 'package-lock.json', reason: 'outside-range', locked: '1.0.0', range: '^2.0.0' },
      ],
    ]);
  });

  it('without a lockfile there is nothing to be out of sync with', () => {
    expect(runProject(checkLockfileSync, scan([manifest('', [dep('a')])]))).toEqual([]);
  });
});
