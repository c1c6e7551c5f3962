/**
 * What every on-disk cache of depverify shares: a folder named by the cache's name and format
 * version (bumped when the stored shape changes, so old entries are ignored rather than misread),
 * entries read as JSON and kept only when their shape checks out (a damaged entry is a miss,
 * never a crash or a wrong answer), and atomic writes (a temporary file renamed over the entry,
 * so a concurrent run sees the old entry or the new one, never half). Temporary files of killed
 * runs are swept once per folder. A cache that cannot be written costs the next run time, never
 * this run's answer.
 *
 * Each cache states only its name, version and schema (the `isValid` check); the key, the file
 * layout under the folder and any encoding are its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sweepStaleTemps } from './stale-temps.js';

export interface CacheKind<T> {
  /** The folder's name, before its version: `facts` → `facts-v7`. */
  name: string;
  version: number;
  /** The stored shape: what does not pass is a miss. */
  isValid(stored: unknown): stored is T;
}

export class DiskCache<T> {
  /** The cache's own folder: `<cacheDir>/<name>-v<version>`. */
  readonly dir: string;
  readonly #kind: CacheKind<T>;
  readonly #made = new Set<string>();

  constructor(cacheDir: string, kind: CacheKind<T>) {
    this.dir = path.join(cacheDir, `${kind.name}-v${kind.version}`);
    this.#kind = kind;
  }

  /** An entry's file: `segments` under the cache's folder. */
  file(...segments: string[]): string {
    return path.join(this.dir, ...segments);
  }

  /**
   * The entry, if it is there and of the stated shape. Synchronous on purpose: entries are
   * small, and a warm run reads many, where the promise API's thread pool round trip costs more
   * than the read.
   */
  read(file: string): T | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const stored: unknown = JSON.parse(text);
      return this.#kind.isValid(stored) ? stored : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes the entry atomically; `strict`: a failure is thrown (default: swallowed). */
  async write(file: string, value: T, strict = false): Promise<void> {
    const text = JSON.stringify(value);
    const dir = path.dirname(file);
    try {
      if (!this.#made.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.#made.add(dir);
        // Temporary files of runs killed mid-write would otherwise stay forever.
        await sweepStaleTemps(dir);
      }
      try {
        await writeAtomically(file, text);
      } catch (error) {
        // The folder was removed under a long-lived process (a cache clean beside an MCP server).
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
        await mkdir(dir, { recursive: true });
        await writeAtomically(file, text);
      }
    } catch (error) {
      if (strict) throw error;
    }
  }

  /** The same, synchronously (for a save at the end of a run that must not be awaited); never throws. */
  writeSync(file: string, value: T): boolean {
    const temp = tempName(file);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temp, JSON.stringify(value));
      renameSync(temp, file);
      return true;
    } catch {
      try {
        rmSync(temp, { force: true });
      } catch {
        // No folder to leave a temporary file in (ENOTDIR): nothing to remove.
      }
      return false;
    }
  }
}

const tempName = (file: string): string => `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = tempName(file);
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
