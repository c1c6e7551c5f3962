import type { InputError, Lockfile } from '../../model/references.js';

export interface LockfileRead {
  lockfile?: Lockfile;
  errors: InputError[];
}

/**
 * One lockfile format: the package manager that installs from it (the `packageManager` name), the
 * file names it owns, most authoritative first, and a parser that reports problems as errors and
 * never throws. Every format is one entry of LOCKFILE_READERS (lockfiles/index.ts).
 */
export interface LockfileReader {
  /** Absent for a format no `packageManager` value names (a caller's own reader). */
  manager?: 'npm' | 'pnpm' | 'yarn' | 'bun';
  files: readonly string[];
  read(relPath: string, text: string): LockfileRead | Promise<LockfileRead>;
}
