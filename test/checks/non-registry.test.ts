import { describe, expect, it } from 'vitest';
import { checkNonRegistry } from '../../src/checks/non-registry.js';
import { dep, manifest, runProject } from '../helpers/model.js';
import { lockScan, scan } from '../helpers/project-scan.js';

describe('non-registry sources', () => {
  it('git and tarball URLs are warnings; file, link and foreign workspace specs are info; own workspaces are fine', () => {
    const findings = runProject(
      checkNonRegistry,
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

describe('lock entries', () => {
  it('git and tarball lock entries are NON_REGISTRY_SOURCE at their lockfile line', () => {
    const findings = runProject(
      checkNonRegistry,
      lockScan([
        {
          name: 'g',
          version: '1.0.0',
          path: 'node_modules/g',
          lockfile: 'package-lock.json',
          line: 12,
          source: 'git',
          resolved: 'git+ssh://git@example.test/g.git#abc',
        },
        {
          name: 'r',
          version: '1.0.0',
          path: 'node_modules/r',
          lockfile: 'package-lock.json',
          line: 20,
          source: 'remote',
          resolved: 'https://evil.example.test/r.tgz',
        },
        { name: 'ok', version: '1.0.0', path: 'node_modules/ok', lockfile: 'package-lock.json', source: 'registry' },
        { name: 'w', version: '1.0.0', path: 'packages/w', lockfile: 'package-lock.json', local: true, source: 'link' },
      ]),
    );
    expect(findings.map((f) => [f.package, f.severity, f.locations[0]?.line])).toEqual([
      ['g', 'warning', 12],
      ['r', 'warning', 20],
    ]);
  });
});
