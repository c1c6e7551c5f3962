import type { InputError, Lockfile } from '../model/references.js';
import { npmLockfileReader } from './lockfiles/npm.js';
import { readText } from './read-text.js';

/** One lockfile format: the file names it owns, most authoritative first, and a pure parser. */
export interface LockfileReader {
  files: string[];
  read(relPath: string, text: string): { lockfile?: Lockfile; errors: InputError[] };
}

/** Tried in order; a new format slots in here. */
export const LOCKFILE_READERS: readonly LockfileReader[] = [npmLockfileReader];

/**
 * Reads the first lockfile present at the root. npm-shrinkwrap.json comes before
 * package-lock.json because npm ignores package-lock.json when both exist.
 */
export async function readLockfile(
  root: string,
  readers: readonly LockfileReader[] = LOCKFILE_READERS,
): Promise<{ lockfile?: Lockfile; errors: InputError[] }> {
  for (const reader of readers) {
    for (const file of reader.files) {
      const read = await readText(root, file);
      if ('missing' in read) continue;
      if ('error' in read) return { errors: [read.error] };
      return reader.read(file, read.text);
    }
  }
  return { errors: [] };
}
