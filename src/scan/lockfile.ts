import { LOCKFILE_READERS } from './lockfiles/index.js';
import type { LockfileRead, LockfileReader } from './lockfiles/reader.js';
import { MAX_LOCKFILE_BYTES, readText } from './read-text.js';

export { LOCKFILE_READERS, type LockfileRead, type LockfileReader };

/** The manager `packageManager` in dir's package.json names (`pnpm@9.1.0` → pnpm), if any. */
async function declaredManager(root: string): Promise<LockfileReader['manager']> {
  const read = await readText(root, 'package.json');
  if (!('text' in read)) return undefined;
  try {
    const field = (JSON.parse(read.text) as { packageManager?: unknown }).packageManager;
    const name = typeof field === 'string' ? field.split('@')[0] : undefined;
    return name ? LOCKFILE_READERS.find((r) => r.manager === name)?.manager : undefined;
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
  const preferred = declared ? readers.find((r) => r.manager === declared) : undefined;
  const ordered = preferred ? [preferred, ...readers.filter((r) => r !== preferred)] : readers;
  for (const reader of ordered) {
    for (const file of reader.files) {
      const read = await readText(root, file, MAX_LOCKFILE_BYTES);
      if ('missing' in read) continue;
      if ('error' in read) return { errors: [read.error] };
      const result = await reader.read(file, read.text);
      // A reader that could not read the file says why; a bad byte matters only in one it read.
      return read.encodingError && result.lockfile
        ? { ...result, errors: [read.encodingError, ...result.errors] }
        : result;
    }
  }
  return { errors: [] };
}
