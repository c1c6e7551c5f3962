import { describe, expect, it } from 'vitest';
import { checkLockfileDownloads } from '../../src/checks/lockfile-downloads.js';
import { checkLockfileSync } from '../../src/checks/lockfile-sync.js';
import { scanProject } from '../../src/scan/project.js';
import { collectRequests } from '../../src/plan/requests.js';
import { writeTree } from '../helpers/fixture.js';
import { fixture } from '../helpers/lockfiles.js';
import { projectContext, runProject } from '../helpers/model.js';

// The project the fixture lockfiles were generated from (test/fixtures/lockfiles/README.md).
const TARBALL = 'https://registry.example.test/left-pad/-/left-pad-1.3.0.tgz';
function project(format: string, overrides: Record<string, string> = {}): Record<string, string> {
  const pnpm9 = format === 'pnpm/v9.0';
  const yarn1 = format === 'yarn-classic';
  return {
    'package.json': JSON.stringify({
      name: 'lf-app',
      private: true,
      workspaces: ['packages/*'],
      dependencies: {
        ms: pnpm9 ? 'catalog:' : '^2.1.3',
        'my-chalk': 'npm:chalk@^4.1.2',
        'left-pad': TARBALL,
        react: '18.2.0',
        'react-dom': '18.2.0',
        'local-dir': 'file:./vendor/local-dir',
        linked: 'link:./vendor/linked',
        ...overrides,
      },
      devDependencies: { 'is-number': '^7.0.0', resolve: '^1.22.0' },
      optionalDependencies: { 'is-odd': '^3.0.1' },
    }),
    'packages/util/package.json': JSON.stringify({ name: 'lf-util', version: '1.0.0', dependencies: { ms: '2.0.0' } }),
    'packages/web/package.json': JSON.stringify({
      name: 'lf-web',
      version: '1.0.0',
      dependencies: { 'lf-util': yarn1 ? '^1.0.0' : 'workspace:*', 'is-number': '~7.0.0' },
    }),
    ...(format.startsWith('pnpm')
      ? { 'pnpm-workspace.yaml': `packages: ['packages/*']\n${pnpm9 ? 'catalog:\n  ms: ^2.1.3\n' : ''}` }
      : {}),
  };
}
const FORMATS: Array<[string, string]> = [
  ['yarn-classic', 'yarn.lock'],
  ['yarn-berry', 'yarn.lock'],
  ['pnpm/v5.4', 'pnpm-lock.yaml'],
  ['pnpm/v6.0', 'pnpm-lock.yaml'],
  ['pnpm/v9.0', 'pnpm-lock.yaml'],
  ['bun', 'bun.lock'],
];

async function scan(format: string, file: string, overrides: Record<string, string> = {}) {
  const root = await writeTree({ ...project(format, overrides), [file]: fixture(`${format}/${file}`) });
  return scanProject(root, { ignore: { packages: [], paths: [] } });
}

describe.each(FORMATS)('%s: declarations paired with what the lockfile installs', (format, file) => {
  it('every declared registry package is asked at its locked version, and nothing is out of sync', async () => {
    const result = await scan(format, file);
    expect(result.errors).toEqual([]);
    const manifestRequests = collectRequests(result).filter((r) => r.source === 'manifest');
    const locked = Object.fromEntries(manifestRequests.map((r) => [`${r.locations[0]?.file} ${r.name}`, r.locked]));
    expect(locked).toMatchObject({
      'package.json ms': '2.1.3',
      'package.json chalk': expect.stringMatching(/^4\./),
      'package.json react': '18.2.0',
      'package.json is-number': '7.0.0',
      'packages/util/package.json ms': '2.0.0',
    });
    expect(runProject(checkLockfileSync, result)).toEqual([]);
  });

  it('a range the lockfile does not satisfy, and a declaration it lacks, are LOCKFILE_OUT_OF_SYNC', async () => {
    const result = await scan(format, file, { ms: '^3.0.0', 'left-pad-two': '^1.0.0' });
    const findings = runProject(checkLockfileSync, result);
    // yarn keys entries by the range as declared: a new range has no entry until the next install.
    const changed = format.startsWith('yarn') ? 'missing' : 'outside-range';
    expect(findings.map((f) => [f.code, f.package, f.details?.reason, f.locations[0]?.file])).toEqual([
      ['LOCKFILE_OUT_OF_SYNC', 'ms', changed, 'package.json'],
      ['LOCKFILE_OUT_OF_SYNC', 'left-pad-two', 'missing', 'package.json'],
    ]);
    // The fixture's package.json is written on one line.
    expect(findings.map((f) => f.locations[0]?.line)).toEqual([1, 1]);
  });

  it('integrity: the generated lockfile passes once its registry is configured, and names the host otherwise', async () => {
    const result = await scan(format, file);
    const clean = runProject(checkLockfileDownloads, result, projectContext({}, ['https://registry.example.test/']));
    // yarn 1 records a tarball URL dependency with only the sha1 in its URL fragment.
    expect(clean.map((f) => [f.code, f.package])).toEqual(
      format === 'yarn-classic' ? [['LOCKFILE_WEAK_INTEGRITY', 'left-pad']] : [],
    );
    const foreign = runProject(checkLockfileDownloads, result, projectContext({}, ['https://other.example.test/']));
    // pnpm writes no URL for a registry package (it even folds the registry tarball URL
    // dependency into one); the other formats name the host.
    const hosts = foreign.filter((f) => f.code === 'LOCKFILE_FOREIGN_HOST').map((f) => f.details?.host);
    expect(hosts).toEqual(format.startsWith('pnpm') ? [] : ['registry.example.test']);
  });
});
