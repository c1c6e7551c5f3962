import { describe, expect, it } from 'vitest';
import { readPnpmLockfile } from '../../src/scan/lockfiles/pnpm.js';
import { byPath, fixture, lineOf, lineText, rows } from '../helpers/lockfiles.js';

const read = (text: string) => readPnpmLockfile('pnpm-lock.yaml', text);

/** The registry packages of the fixture project, as every pnpm version locks them. */
const REGISTRY: Array<[string, string]> = [
  ['ansi-styles', '4.3.0'],
  ['chalk', '4.1.2'],
  ['color-convert', '2.0.1'],
  ['color-name', '1.1.4'],
  ['es-errors', '1.3.0'],
  ['function-bind', '1.1.2'],
  ['has-flag', '4.0.0'],
  ['hasown', '2.0.4'],
  ['is-core-module', '2.18.0'],
  ['is-number', '6.0.0'],
  ['is-number', '7.0.0'],
  ['is-odd', '3.0.1'],
  ['js-tokens', '4.0.0'],
  ['left-pad', '1.3.0'],
  ['loose-envify', '1.4.0'],
  ['ms', '2.0.0'],
  ['ms', '2.1.3'],
  ['path-parse', '1.0.7'],
  ['react-dom', '18.2.0'],
  ['react', '18.2.0'],
  ['resolve', '1.22.14'],
  ['scheduler', '0.23.2'],
  ['supports-color', '7.2.0'],
  ['supports-preserve-symlinks-flag', '1.0.0'],
];
/** Only reached from devDependencies: 5.x and 6.x mark them `dev: true`, 9.x no longer does. */
const DEV_ONLY = [
  'es-errors',
  'function-bind',
  'hasown',
  'is-core-module',
  'path-parse',
  'resolve',
  'supports-preserve-symlinks-flag',
];
const MS_INTEGRITY = 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==';

describe.each([
  {
    version: '5.4',
    dir: 'v5.4',
    key: (n: string, v: string) => `/${n}/${v}`,
    reactDom: '/react-dom/18.2.0_react@18.2.0',
    localDir: ['file:vendor/local-dir', '0.1.0'],
  },
  {
    version: '6.0',
    dir: 'v6.0',
    key: (n: string, v: string) => `/${n}@${v}`,
    reactDom: '/react-dom@18.2.0(react@18.2.0)',
    localDir: ['file:vendor/local-dir', 'file:vendor/local-dir'],
  },
  {
    version: '9.0',
    dir: 'v9.0',
    key: (n: string, v: string) => `${n}@${v}`,
    reactDom: 'react-dom@18.2.0',
    localDir: ['local-dir@file:vendor/local-dir', 'file:vendor/local-dir'],
  },
])('pnpm lockfile $version written by pnpm', ({ version, dir, key, reactDom, localDir }) => {
  const text = fixture(`pnpm/${dir}/pnpm-lock.yaml`);
  const { lockfile, errors } = read(text);
  const packages = lockfile?.packages;

  it('reads every package once, by its registry name, with integrity and the flags of its version', () => {
    expect(errors).toEqual([]);
    expect(lockfile).toMatchObject({ path: 'pnpm-lock.yaml', format: 'pnpm', lockfileVersion: version });
    const expected = REGISTRY.map(([n, v]) => {
      const flags =
        n === 'is-odd' || (n === 'is-number' && v === '6.0.0')
          ? 'optional'
          : version !== '9.0' && DEV_ONLY.includes(n)
            ? 'dev'
            : '';
      return [n === 'react-dom' ? reactDom : key(n, v), n, v, 'registry', flags];
    });
    const registry = rows(packages).filter((r) => r[3] === 'registry');
    expect(registry).toEqual(expected);
    expect(byPath(packages, key('ms', '2.1.3'))?.integrity).toBe(MS_INTEGRITY);
  });

  it('reads the npm: alias as the real package and the folder dependency as local', () => {
    expect(packages?.some((p) => p.name === 'my-chalk' || p.alias)).toBe(false);
    expect(byPath(packages, key('chalk', '4.1.2'))).toMatchObject({ name: 'chalk', source: 'registry' });
    expect(byPath(packages, localDir[0]!)).toMatchObject({
      name: 'local-dir',
      version: localDir[1],
      source: 'link',
      local: true,
    });
  });

  it("adds the importers' link: dependencies (workspace and linked folder) as local entries", () => {
    expect(rows(packages).filter((r) => r[0].includes('node_modules/'))).toEqual([
      ['node_modules/linked', 'linked', '', 'link', 'local'],
      ['packages/web/node_modules/lf-util', 'lf-util', '', 'link', 'local'],
    ]);
    expect(byPath(packages, 'packages/web/node_modules/lf-util')).toMatchObject({ resolved: 'link:../util' });
  });

  it('gives each entry the line of its key', () => {
    for (const p of packages ?? []) {
      // 5.x writes an importer's dependency on one line: `      linked: link:vendor/linked`.
      const expected = p.path.includes('node_modules/') ? `      ${p.name}:` : `  ${p.path}:`;
      expect(lineText(text, p.line)?.slice(0, expected.length)).toBe(expected);
    }
  });
});

describe('pnpm lockfile 9.0 protocols', () => {
  const text = `lockfileVersion: '9.0'

catalogs:
  default:
    react:
      specifier: ^18.2.0
      version: 18.2.0

importers:

  .:
    dependencies:
      '@scope/pkg':
        specifier: ^2.0.0
        version: 2.0.0(react@18.2.0)

packages:

  gitdep@https://codeload.github.com/u/gitdep/tar.gz/0123abc:
    resolution: {tarball: https://codeload.github.com/u/gitdep/tar.gz/0123abc}
    version: 1.0.0

  sshdep@git+https://git.example.test/u/sshdep.git#0123abc:
    resolution: {commit: 0123abc, repo: https://git.example.test/u/sshdep.git, type: git}
    version: 2.0.0

  remote@https://files.example.test/remote-1.0.0.tgz:
    resolution: {integrity: sha512-r, tarball: https://files.example.test/remote-1.0.0.tgz}
    version: 1.0.0

  localtar@file:vendor/localtar-1.0.0.tgz:
    resolution: {integrity: sha512-l, tarball: file:vendor/localtar-1.0.0.tgz}
    version: 1.0.0

  custom@1.0.0:
    resolution: {integrity: sha512-c, tarball: https://npm.example.test/custom/-/custom-1.0.0.tgz}

  '@scope/pkg@2.0.0':
    resolution: {integrity: sha512-s}

  patched@1.4.0:
    resolution: {integrity: sha512-p}

snapshots:

  '@scope/pkg@2.0.0(react@18.2.0)':
    optional: true

  '@scope/pkg@2.0.0(react@17.0.2)':
    optional: true

  custom@1.0.0(react@18.2.0):
    optional: true

  custom@1.0.0(react@17.0.2): {}

  patched@1.4.0(patch_hash=47c1481c): {}
`;
  const { lockfile, errors } = read(text);

  it('tells registry, git, tarball URL and local tarball entries apart by their resolution', () => {
    expect(errors).toEqual([]);
    expect(rows(lockfile?.packages)).toEqual([
      ['gitdep@https://codeload.github.com/u/gitdep/tar.gz/0123abc', 'gitdep', '1.0.0', 'git', ''],
      ['sshdep@git+https://git.example.test/u/sshdep.git#0123abc', 'sshdep', '2.0.0', 'git', ''],
      ['remote@https://files.example.test/remote-1.0.0.tgz', 'remote', '1.0.0', 'remote', ''],
      ['localtar@file:vendor/localtar-1.0.0.tgz', 'localtar', '1.0.0', 'file', ''],
      ['custom@1.0.0', 'custom', '1.0.0', 'registry', ''],
      ['@scope/pkg@2.0.0', '@scope/pkg', '2.0.0', 'registry', 'optional'],
      ['patched@1.4.0', 'patched', '1.4.0', 'registry', ''],
    ]);
    const pkgs = lockfile?.packages;
    expect(byPath(pkgs, 'sshdep@git+https://git.example.test/u/sshdep.git#0123abc')?.resolved).toBe(
      'https://git.example.test/u/sshdep.git#0123abc',
    );
    expect(byPath(pkgs, 'remote@https://files.example.test/remote-1.0.0.tgz')).toMatchObject({
      integrity: 'sha512-r',
      resolved: 'https://files.example.test/remote-1.0.0.tgz',
    });
    // A registry whose tarball URLs pnpm cannot derive is still a registry.
    expect(byPath(pkgs, 'custom@1.0.0')?.resolved).toBe('https://npm.example.test/custom/-/custom-1.0.0.tgz');
  });

  it('reads quoted keys with their lines', () => {
    expect(byPath(lockfile?.packages, '@scope/pkg@2.0.0')?.line).toBe(lineOf(text, "  '@scope/pkg@2.0.0':"));
  });
});

describe('pnpm lockfile 5.x and 6.x special keys', () => {
  it("reads 5.x scoped keys with hashed peer suffixes, git entries and a single project's links", () => {
    const text = [
      'lockfileVersion: 5.3',
      '',
      'specifiers:',
      '  linked: link:../linked',
      '',
      'dependencies:',
      '  linked: link:../linked',
      '',
      'packages:',
      '',
      '  /@emotion/react/11.10.0_w5j4k42lgipnm43s3brx6h3c34:',
      '    resolution: {integrity: sha512-e}',
      '    dev: true',
      '',
      '  github.com/u/gitdep/0123abc:',
      '    resolution: {tarball: https://codeload.github.com/u/gitdep/tar.gz/0123abc}',
      '    name: gitdep',
      '    version: 1.0.0',
      '',
    ].join('\n');
    const { lockfile, errors } = read(text);
    expect(errors).toEqual([]);
    expect(lockfile?.lockfileVersion).toBe('5.3');
    expect(rows(lockfile?.packages)).toEqual([
      ['/@emotion/react/11.10.0_w5j4k42lgipnm43s3brx6h3c34', '@emotion/react', '11.10.0', 'registry', 'dev'],
      ['github.com/u/gitdep/0123abc', 'gitdep', '1.0.0', 'git', ''],
      ['node_modules/linked', 'linked', '', 'link', 'local'],
    ]);
    expect(lockfile?.packages.map((p) => p.line)).toEqual([11, 15, 7]);
  });

  it('reads the top-level dependencies of a single-project 6.x file', () => {
    const text =
      "lockfileVersion: '6.0'\n\ndevDependencies:\n  linked:\n    specifier: link:../linked\n    version: link:../linked\n";
    expect(rows(read(text).lockfile?.packages)).toEqual([['node_modules/linked', 'linked', '', 'link', 'local dev']]);
  });
});
