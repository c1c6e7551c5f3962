import { describe, expect, it } from 'vitest';
import { checkLockfileDownloads } from '../../src/checks/lockfile-downloads.js';
import type { Lockfile, LockedPackage, ProjectScan } from '../../src/model/references.js';
import { DEFAULT_REGISTRY, YARN_DEFAULT_REGISTRY_HOST } from '../../src/registry/pick-registry.js';
import { projectContext, runProject } from '../helpers/model.js';

const R = 'https://registry.example.test/';
const SHA512 = 'sha512-ZmFrZQ==';

let line = 10;
function entry(name: string, version: string, extra: Partial<LockedPackage> = {}): LockedPackage {
  const bare = name.slice(name.indexOf('/') + 1);
  return {
    name,
    version,
    path: `node_modules/${name}`,
    resolved: `${R}${name}/-/${bare}-${version}.tgz`,
    integrity: SHA512,
    source: 'registry',
    lockfile: 'package-lock.json',
    line: line++,
    ...extra,
  };
}

function run(
  packages: LockedPackage[],
  opts: { format?: Lockfile['format']; registries?: string[]; allowedHosts?: string[] } = {},
) {
  const scan: ProjectScan = {
    root: '/p',
    manifests: [],
    imports: [],
    errors: [],
    sourceFiles: 0,
    lockfile: { path: 'package-lock.json', format: opts.format ?? 'npm', lockfileVersion: 3, packages },
  };
  const context = projectContext(
    opts.allowedHosts ? { lockfile: { allowedHosts: opts.allowedHosts } } : {},
    opts.registries ?? [R],
  );
  return runProject(checkLockfileDownloads, scan, context);
}
const codes = (findings: ReturnType<typeof run>) => findings.map((f) => f.code);

describe('lockfile downloads: where each entry comes from and how it is verified', () => {
  it('a clean lockfile from the configured registries says nothing, scoped names either way', () => {
    const corp = 'https://npm.corp.example.test/api/npm/';
    expect(
      run(
        [
          entry('left-pad', '1.3.0'),
          entry('@babel/core', '7.26.0'),
          entry('@babel/parser', '7.26.0', { resolved: `${R}@babel%2fparser/-/parser-7.26.0.tgz` }),
          entry('@corp/lib', '1.0.0', { resolved: `${corp}@corp/lib/-/lib-1.0.0.tgz` }),
          // An alias is locked under its real name.
          entry('chalk', '4.1.2', { alias: 'my-chalk', path: 'node_modules/my-chalk' }),
          entry('ws-local', '1.0.0', { local: true, resolved: 'packages/ws-local' }),
        ],
        { registries: [R, corp] },
      ),
    ).toEqual([]);
  });

  it("yarn classic's default host is the default registry's alias, only when no other registry is configured", () => {
    const yarnHost = `https://${YARN_DEFAULT_REGISTRY_HOST}/`;
    const entries = [
      entry('left-pad', '1.3.0', {
        resolved: `${yarnHost}left-pad/-/left-pad-1.3.0.tgz`,
        lockfile: 'yarn.lock',
        path: 'left-pad@^1.3.0',
      }),
    ];
    expect(run(entries, { format: 'yarn-classic', registries: [DEFAULT_REGISTRY] })).toEqual([]);
    // A project with a registry of its own gets nothing from yarn's: that entry is foreign to it.
    const own = run(entries, { format: 'yarn-classic', registries: [R] });
    expect(own.map((f) => [f.code, f.details?.host])).toEqual([['LOCKFILE_FOREIGN_HOST', YARN_DEFAULT_REGISTRY_HOST]]);
  });

  it('a registry-shaped URL on another host is LOCKFILE_FOREIGN_HOST, one finding per host with every entry', () => {
    const evil = 'https://evil.example.test/';
    const findings = run([
      entry('lodash', '4.17.21', { resolved: `${evil}lodash/-/lodash-4.17.21.tgz` }),
      entry('ms', '2.1.3', { resolved: `${evil}ms/-/ms-2.1.3.tgz` }),
      entry('debug', '4.4.0'),
    ]);
    expect(codes(findings)).toEqual(['LOCKFILE_FOREIGN_HOST']);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      package: '',
      details: { host: 'evil.example.test', packages: ['lodash', 'ms'] },
    });
    expect(findings[0]?.locations.map((l) => [l.file, l.field])).toEqual([
      ['package-lock.json', 'node_modules/lodash'],
      ['package-lock.json', 'node_modules/ms'],
    ]);
  });

  it('allowed hosts by name, host:port or URL', () => {
    const mirror = 'https://mirror.example.test:8443/npm/';
    const locked = [entry('ms', '2.1.3', { resolved: `${mirror}ms/-/ms-2.1.3.tgz` })];
    expect(codes(run(locked))).toEqual(['LOCKFILE_FOREIGN_HOST']);
    expect(run(locked, { allowedHosts: ['mirror.example.test:8443'] })).toEqual([]);
    expect(run(locked, { allowedHosts: ['https://mirror.example.test:8443/anything'] })).toEqual([]);
    expect(codes(run(locked, { allowedHosts: ['mirror.example.test'] }))).toEqual(['LOCKFILE_FOREIGN_HOST']);
  });

  it('http is LOCKFILE_INSECURE_URL unless the registry itself is configured with http', () => {
    const plain = entry('ms', '2.1.3', { resolved: 'http://registry.example.test/ms/-/ms-2.1.3.tgz' });
    expect(codes(run([plain]))).toEqual(['LOCKFILE_INSECURE_URL']);
    const local = 'http://localhost:4873/';
    expect(run([entry('ms', '2.1.3', { resolved: `${local}ms/-/ms-2.1.3.tgz` })], { registries: [R, local] })).toEqual(
      [],
    );
    expect(codes(run([entry('x', '1.0.0', { source: 'git', resolved: 'git://git.example.test/x.git#abc' })]))).toEqual([
      'LOCKFILE_INSECURE_URL',
    ]);
  });

  it('a URL for another package, another version or out of the registry path is LOCKFILE_NAME_MISMATCH', () => {
    const cases = [
      entry('lodash', '4.17.21', { resolved: `${R}lodahs/-/lodahs-4.17.21.tgz`, source: 'remote' }),
      entry('lodash', '4.17.21', { resolved: `${R}lodash/-/lodash-4.17.20.tgz` }),
      entry('lodash', '4.17.21', { resolved: `${R}evil/../lodash/-/lodash-4.17.21.tgz` }),
      entry('lodash', '4.17.21', { resolved: `${R}evil/%2E%2E/lodash/-/lodash-4.17.21.tgz` }),
      entry('@scope/pkg', '1.0.0', { resolved: `${R}@other/pkg/-/pkg-1.0.0.tgz` }),
    ];
    for (const c of cases) expect(codes(run([c])), c.resolved).toEqual(['LOCKFILE_NAME_MISMATCH']);
    // A tarball URL that is not registry-shaped is a remote source (NON_REGISTRY_SOURCE), not a mismatch.
    expect(run([entry('x', '1.0.0', { resolved: `${R}downloads/x-latest.tar.gz`, source: 'remote' })])).toEqual([]);
  });

  it('a resolved value that is not an http(s) URL fails closed', () => {
    for (const resolved of ['not a url', 'ftp://registry.example.test/ms/-/ms-2.1.3.tgz', 'https://']) {
      const findings = run([entry('ms', '2.1.3', { resolved })]);
      expect(codes(findings), resolved).toEqual(['LOCKFILE_INVALID_URL']);
    }
  });

  it('integrity: missing is an error, SHA-1 only a warning, any strong hash passes', () => {
    const { integrity: _drop, ...noIntegrity } = entry('a', '1.0.0');
    expect(codes(run([noIntegrity]))).toEqual(['LOCKFILE_INTEGRITY_MISSING']);
    expect(run([entry('a', '1.0.0', { integrity: 'sha1-AAAA' })]).map((f) => [f.code, f.severity])).toEqual([
      ['LOCKFILE_WEAK_INTEGRITY', 'warning'],
    ]);
    expect(run([entry('a', '1.0.0', { integrity: 'sha1-AAAA sha512-BBBB' })])).toEqual([]);
    // yarn classic before 1.10: only the sha1 in the URL fragment.
    const yarnOld = { ...noIntegrity, resolved: `${R}a/-/a-1.0.0.tgz#${'a'.repeat(40)}` };
    expect(codes(run([yarnOld], { format: 'yarn-classic' }))).toEqual(['LOCKFILE_WEAK_INTEGRITY']);
    // Yarn berry's checksums are of its own archives: their absence from `integrity` is normal.
    expect(run([{ ...noIntegrity, resolved: undefined } as LockedPackage], { format: 'yarn-berry' })).toEqual([]);
  });

  it('git, file and bundled entries are for NON_REGISTRY_SOURCE, not integrity', () => {
    expect(
      run([
        entry('g', '1.0.0', {
          source: 'git',
          resolved: 'git+ssh://git@git.example.test/g.git#abc',
          integrity: undefined,
        } as Partial<LockedPackage>),
        entry('f', '1.0.0', { source: 'file', resolved: 'file:../f', integrity: undefined } as Partial<LockedPackage>),
        entry('b', '1.0.0', { bundled: true, resolved: undefined, integrity: undefined } as Partial<LockedPackage>),
      ]),
    ).toEqual([]);
  });
});
