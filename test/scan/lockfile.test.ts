import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectScan } from '../../src/model/references.js';
import { LOCKFILE_READERS, readLockfile } from '../../src/scan/lockfile.js';
import { collectRequests } from '../../src/plan/requests.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { fixture } from '../helpers/lockfiles.js';

afterAll(removeTrees);

const npmLock = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/from-npm': { version: '1.0.0' } } });
const pnpmLock = "lockfileVersion: '9.0'\n\npackages:\n\n  from-pnpm@1.0.0:\n    resolution: {integrity: sha512-p}\n";
const yarnClassic = '# yarn lockfile v1\n\n\nfrom-yarn@^1:\n  version "1.0.0"\n';
const yarnBerry =
  '__metadata:\n  version: 8\n\n"from-berry@npm:^1":\n  version: 1.0.0\n  resolution: "from-berry@npm:1.0.0"\n';
const bunLock =
  '{\n  "lockfileVersion": 1,\n  "packages": {\n    "from-bun": ["from-bun@1.0.0", "", {}, "sha512-b"],\n  },\n}\n';
const bunBinary = new Uint8Array([0x23, 0x21, 0x00, 0x01, 0xff]);

describe('readLockfile with several package managers', () => {
  it('tries npm, pnpm, yarn, then bun files, in that order', () => {
    expect(LOCKFILE_READERS.flatMap((r) => r.files)).toEqual([
      'npm-shrinkwrap.json',
      'package-lock.json',
      'pnpm-lock.yaml',
      'yarn.lock',
      'bun.lock',
      'bun.lockb',
    ]);
  });

  it.each([
    [
      { 'package-lock.json': npmLock, 'pnpm-lock.yaml': pnpmLock, 'yarn.lock': yarnClassic, 'bun.lock': bunLock },
      'package-lock.json',
      'npm',
      'from-npm',
    ],
    [
      { 'pnpm-lock.yaml': pnpmLock, 'yarn.lock': yarnBerry, 'bun.lock': bunLock },
      'pnpm-lock.yaml',
      'pnpm',
      'from-pnpm',
    ],
    [{ 'yarn.lock': yarnClassic, 'bun.lock': bunLock }, 'yarn.lock', 'yarn-classic', 'from-yarn'],
    [{ 'yarn.lock': yarnBerry, 'bun.lockb': bunBinary }, 'yarn.lock', 'yarn-berry', 'from-berry'],
    [{ 'bun.lock': bunLock, 'bun.lockb': bunBinary }, 'bun.lock', 'bun', 'from-bun'],
  ])('reads the first present (%#)', async (files, path, format, name) => {
    const { lockfile, errors } = await readLockfile(await writeTree(files));
    expect(errors).toEqual([]);
    expect(lockfile).toMatchObject({ path, format });
    expect(lockfile?.packages.map((p) => [p.name, p.lockfile])).toEqual([[name, path]]);
  });

  it.each([
    ['pnpm@9.1.0', 'pnpm-lock.yaml', 'from-pnpm'],
    ['yarn@1.22.22', 'yarn.lock', 'from-yarn'],
    ['bun@1.1.0', 'bun.lock', 'from-bun'],
    ['npm@10.0.0', 'package-lock.json', 'from-npm'],
  ])('a stale package-lock.json gives way to the lockfile of packageManager %s', async (manager, path, name) => {
    const files = {
      'package.json': JSON.stringify({ name: 'p', packageManager: manager }),
      'package-lock.json': npmLock,
      'pnpm-lock.yaml': pnpmLock,
      'yarn.lock': yarnClassic,
      'bun.lock': bunLock,
    };
    const { lockfile, errors } = await readLockfile(await writeTree(files));
    expect(errors).toEqual([]);
    expect(lockfile?.packages.map((p) => [p.name, p.lockfile])).toEqual([[name, path]]);
  });

  it('a declared manager without its lockfile falls back to the one present', async () => {
    const files = { 'package.json': JSON.stringify({ packageManager: 'pnpm@9.1.0' }), 'yarn.lock': yarnClassic };
    expect((await readLockfile(await writeTree(files))).lockfile?.path).toBe('yarn.lock');
  });

  it('reports a binary bun.lockb alone as unsupported', async () => {
    const { lockfile, errors } = await readLockfile(await writeTree({ 'bun.lockb': bunBinary }));
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ file: 'bun.lockb', reason: 'unsupported-version' })]);
  });

  it('reports a broken file of the first format instead of falling back to the next', async () => {
    const { lockfile, errors } = await readLockfile(
      await writeTree({ 'pnpm-lock.yaml': 'packages: [\n', 'yarn.lock': yarnClassic }),
    );
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ file: 'pnpm-lock.yaml', reason: 'invalid-syntax' })]);
  });
});

describe('requests from other formats', () => {
  it.each([
    ['pnpm/v9.0/pnpm-lock.yaml', 'pnpm-lock.yaml'],
    ['yarn-berry/yarn.lock', 'yarn.lock'],
    ['bun/bun.lock', 'bun.lock'],
  ])('asks the registry only about the registry entries of %s', async (fixturePath, file) => {
    const { lockfile } = await readLockfile(await writeTree({ [file]: fixture(fixturePath) }));
    const scan: ProjectScan = { root: '/p', manifests: [], imports: [], errors: [], sourceFiles: 0 };
    if (lockfile) scan.lockfile = lockfile;
    const names = new Set(collectRequests(scan).map((r) => r.name));
    expect(names).toContain('chalk');
    expect(names).toContain('resolve');
    for (const local of ['my-chalk', 'lf-app', 'lf-util', 'lf-web', 'linked', 'local-dir'])
      expect(names).not.toContain(local);
  });
});
