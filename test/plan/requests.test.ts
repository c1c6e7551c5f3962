import { describe, expect, it } from 'vitest';
import type { LockedPackage, ProjectScan } from '../../src/model/references.js';
import { dep, manifest } from '../helpers/model.js';
import { parsePackageArg } from '../../src/plan/package-args.js';
import { collectRequests } from '../../src/plan/requests.js';

const locked = (path: string, name: string, version: string, extra: Partial<LockedPackage> = {}): LockedPackage => ({
  name,
  version,
  path,
  lockfile: 'package-lock.json',
  line: 10,
  ...extra,
});

describe('collectRequests', () => {
  it('pairs a declaration with the lockfile entry Node would resolve, nearest first', () => {
    const scan: ProjectScan = {
      root: '/p',
      manifests: [manifest('', [dep('a', '^1.0.0')]), manifest('packages/x', [dep('a', '^2.0.0')], 'x')],
      imports: [],
      errors: [],
      sourceFiles: 0,
      lockfile: {
        path: 'package-lock.json',
        format: 'npm',
        lockfileVersion: 3,
        packages: [locked('node_modules/a', 'a', '1.2.0'), locked('packages/x/node_modules/a', 'a', '2.1.0')],
      },
    };
    const manifestRequests = collectRequests(scan).filter((r) => r.source === 'manifest');
    expect(manifestRequests.map((r) => [r.locations[0]?.file, r.wanted, r.locked])).toEqual([
      ['package.json', '^1.0.0', '1.2.0'],
      ['packages/x/package.json', '^2.0.0', '2.1.0'],
    ]);
  });

  it('never asks a registry about workspace packages, links or non-registry lock entries', () => {
    const scan: ProjectScan = {
      root: '/p',
      manifests: [
        manifest('', [dep('ws-lib', '^1.0.0'), dep('linked', '^1.0.0')]),
        manifest('packages/ws-lib', [], 'ws-lib'),
      ],
      imports: [{ specifier: 'ws-lib', packageName: 'ws-lib', kind: 'import', file: 'a.ts', line: 1, column: 1 }],
      errors: [],
      sourceFiles: 1,
      lockfile: {
        path: 'package-lock.json',
        format: 'npm',
        lockfileVersion: 3,
        packages: [
          locked('node_modules/ws-lib', 'ws-lib', '1.0.0', { local: true }),
          locked('node_modules/linked', 'linked', '1.0.0', { local: true }),
          locked('node_modules/gitdep', 'gitdep', 'git+ssh://git@example.test/x.git#abc'),
          locked('node_modules/real', 'real', '3.0.0'),
        ],
      },
    };
    expect(collectRequests(scan).map((r) => r.name)).toEqual(['real']);
  });

  it('asks for undeclared imports at latest, and for aliases by their real name', () => {
    const scan: ProjectScan = {
      root: '/p',
      manifests: [
        manifest('', [dep('my-lodash', 'npm:lodash@^4', { kind: 'alias', registryName: 'lodash', range: '^4' })]),
      ],
      imports: [{ specifier: 'left-pad', packageName: 'left-pad', kind: 'require', file: 'a.js', line: 2, column: 9 }],
      errors: [],
      sourceFiles: 1,
    };
    expect(collectRequests(scan).map((r) => [r.name, r.wanted, r.source])).toEqual([
      ['lodash', '^4', 'manifest'],
      ['left-pad', undefined, 'import'],
    ]);
  });
});

describe('collectRequests and stale or foreign lock entries', () => {
  const withLock = (packages: LockedPackage[], deps = [dep('axios', '^9.0.0')]): ProjectScan => ({
    root: '/p',
    manifests: [manifest('', deps)],
    imports: [],
    errors: [],
    sourceFiles: 0,
    lockfile: { path: 'package-lock.json', format: 'npm', lockfileVersion: 3, packages },
  });

  it('a lock entry outside the declared range does not hide the range', () => {
    const requests = collectRequests(withLock([locked('node_modules/axios', 'axios', '1.7.0')]));
    expect(requests.map((r) => [r.source, r.wanted, r.locked])).toEqual([
      ['manifest', '^9.0.0', undefined],
      ['lockfile', undefined, '1.7.0'],
    ]);
  });

  it('bundled, non-registry and malformed entries are never asked for, nor paired', () => {
    const requests = collectRequests(
      withLock(
        [
          locked('node_modules/axios', 'axios', '9.1.0', {
            source: 'remote',
            resolved: 'https://evil.example.test/axios.tgz',
          }),
          locked('node_modules/b/node_modules/inner', 'inner', '1.0.0', { bundled: true }),
          locked('node_modules/odd', 'odd', '1.0'),
          locked('node_modules/@x/y/../../-/whoami', '@x/y/../../-/whoami', '1.0.0'),
        ],
        [dep('axios', '^9.0.0')],
      ),
    );
    expect(requests.map((r) => [r.name, r.locked])).toEqual([['axios', undefined]]);
  });

  it('a workspace whose version does not satisfy the range is installed from the registry', () => {
    const scan: ProjectScan = {
      root: '/p',
      manifests: [
        manifest('', [dep('ws', '^2.0.0'), dep('ws2', '^1.0.0')]),
        { ...manifest('packages/ws', [], 'ws'), version: '1.0.0' },
        { ...manifest('packages/ws2', [], 'ws2'), version: '1.2.0' },
      ],
      imports: [],
      errors: [],
      sourceFiles: 0,
    };
    expect(collectRequests(scan).map((r) => r.name)).toEqual(['ws']);
  });
});

describe('parsePackageArg', () => {
  it.each([
    ['express', 'express', undefined],
    ['express@^5', 'express', '^5'],
    ['@scope/pkg@next', '@scope/pkg', 'next'],
    ['@scope/pkg', '@scope/pkg', undefined],
    ['my-lodash@npm:lodash@^4', 'lodash', '^4'],
  ])('%s', (arg, name, wanted) => {
    const request = parsePackageArg(arg);
    expect([request.name, request.wanted]).toEqual([name, wanted]);
  });
});

describe('parsePackageArg refuses what it cannot check', () => {
  it.each(['foo@github:user/repo', 'foo@file:../foo', 'Not A Name', 'foo@https://example.test/foo.tgz'])(
    '%s',
    (arg) => {
      expect(() => parsePackageArg(arg)).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    },
  );
});
