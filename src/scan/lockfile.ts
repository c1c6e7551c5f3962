import type { InputError, Lockfile } from '../model/references.js';
import { bunLockfileReader } from './lockfiles/bun.js';
import { npmLockfileReader } from './lockfiles/npm.js';
import { MAX_LOCKFILE_BYTES, readText } from './read-text.js';

export interface LockfileRead {
  lockfile?: Lockfile;
  errors: InputError[];
}

/**
 * One lockfile format: the file names it owns, most authoritative first, and a parser that
 * reports problems as errors and never throws.
 */
export interface LockfileReader {
  files: string[];
  read(relPath: string, text: string): LockfileRead | Promise<LockfileRead>;
}

// Every run pays for this module's import graph; the YAML and yarn parsers (@yarnpkg/lockfile
// alone takes ~100 ms to load) are loaded only for projects that have their file.
const pnpmLockfileReader: LockfileReader = {
  files: ['pnpm-lock.yaml'],
  read: async (relPath, text) => (await import('./lockfiles/pnpm.js')).readPnpmLockfile(relPath, text),
};
const yarnLockfileReader: LockfileReader = {
  files: ['yarn.lock'],
  read: async (relPath, text) => (await import('./lockfiles/yarn.js')).readYarnLockfile(relPath, text),
};

/** Tried in order; a new format slots in here. */
export const LOCKFILE_READERS: readonly LockfileReader[] = [
  npmLockfileReader,
  pnpmLockfileReader,
  yarnLockfileReader,
  bunLockfileReader,
];

/** Which reader belongs to each `packageManager` name. */
const MANAGER_READERS: Record<string, LockfileReader> = { npm: npmLockfileReader, pnpm: pnpmLockfileReader, yarn: yarnLockfileReader, bun: bunLockfileReader };

/** The manager `packageManager` in dir's package.json names (`pnpm@9.1.0` → pnpm), if any. */
async function declaredManager(root: string): Promise<string | undefined> {
  const read = await readText(root, 'package.json');
  if (!('text' in read)) return undefined;
  try {
    const field = (JSON.parse(read.text) as { packageManager?: unknown }).packageManager;
    const name = typeof field === 'string' ? field.split('@')[0] : undefined;
    return name && name in MANAGER_READERS ? name : undefined;
  } catch {
    // A broken package.json is reported where manifests are read.
    return undefined;
  }
}

/**
 * Reads the first lockfile present at the root. npm-shrinkwrap.json comes before
 * package-lock.json because npm ignores package-lock.json when both exist; a project with
 * several package managers' lockfiles is read by the one its `packageManager` field names
 * (the manager that installs it, as Corepack decides), else by the first in LOCKFILE_READERS:
 * a stale package-lock.json beside the declared manager's lockfile is not what installs.
 */
export async function readLockfile(
  root: string,
  readers: readonly LockfileReader[] = LOCKFILE_READERS,
): Promise<LockfileRead> {
  const declared = await declaredManager(root);
  const preferred = declared ? MANAGER_READERS[declared] : undefined;
  const ordered = preferred && readers.includes(preferred) ? [preferred, ...readers.filter((r) => r !== preferred)] : readers;
  for (const reader of ordered) {
    for (const file of reader.files) {
      const read = await readText(root, file, MAX_LOCKFILE_BYTES);
      if ('missing' in read) continue;
      if ('error' in read) return { errors: [read.error] };
      const result = await reader.read(file, read.text);
      // A reader that could not read the file says why; a bad byte matters only in one it read.
      return read.encodingError && result.lockfile ? { ...result, errors: [read.encodingError, ...result.errors] } : result;
    }
  }
  return { errors: [] };
}
