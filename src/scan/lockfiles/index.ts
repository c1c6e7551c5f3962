import { readBunLockfile } from './bun.js';
import { readNpmLockfile } from './npm.js';
import type { LockfileReader } from './reader.js';

/**
 * Every lockfile format, tried in this order when the project's `packageManager` names none of
 * them; a new format is a reader module and one entry here. Every run pays for this module's
 * imports: the YAML and yarn parsers (@yarnpkg/lockfile alone takes ~100 ms to load) are loaded
 * only for projects that have their file.
 */
export const LOCKFILE_READERS: readonly LockfileReader[] = [
  { manager: 'npm', files: ['npm-shrinkwrap.json', 'package-lock.json'], read: readNpmLockfile },
  {
    manager: 'pnpm',
    files: ['pnpm-lock.yaml'],
    read: async (relPath, text) => (await import('./pnpm.js')).readPnpmLockfile(relPath, text),
  },
  {
    manager: 'yarn',
    files: ['yarn.lock'],
    read: async (relPath, text) => (await import('./yarn.js')).readYarnLockfile(relPath, text),
  },
  // bun reads bun.lock when both are there.
  { manager: 'bun', files: ['bun.lock', 'bun.lockb'], read: readBunLockfile },
];
