import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MissingReason, PackageFacts } from '../model/facts.js';

/** Bump when the shape of PackageFacts changes: old entries are then ignored, not misread. */
const FORMAT = 'facts-v1';

/** A cached, known answer. Unknown answers are never cached. */
export interface CacheEntry {
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
  answer: { state: 'found'; facts: PackageFacts } | { state: 'missing'; reason: MissingReason; facts?: PackageFacts; unpublishedAt?: string };
}

/** The user's cache directory, as each platform names it; DEPVERIFY_CACHE_DIR overrides. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DEPVERIFY_CACHE_DIR) return env.DEPVERIFY_CACHE_DIR;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'depverify', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'depverify');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'depverify');
}

export class FactsCache {
  readonly #dir: string;
  readonly #made = new Set<string>();

  constructor(cacheDir: string) {
    this.#dir = path.join(cacheDir, FORMAT);
  }

  /** Keyed by registry as well as name, so one registry's answer is never served for another. */
  #file(registry: string, name: string): string {
    const registryKey = createHash('sha256').update(registry).digest('hex').slice(0, 16);
    return path.join(this.#dir, registryKey, `${encodeURIComponent(name)}.json`);
  }

  async read(registry: string, name: string): Promise<CacheEntry | undefined> {
    let text: string;
    try {
      text = await readFile(this.#file(registry, name), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as CacheEntry;
      const facts = entry.answer?.facts;
      // A damaged or foreign entry is a miss: it is refetched and overwritten.
      if (typeof entry.fetchedAt !== 'number' || (facts && (facts.name !== name || facts.registry !== registry))) return undefined;
      if (entry.answer.state !== 'found' && entry.answer.state !== 'missing') return undefined;
      return entry;
    } catch {
      return undefined;
    }
  }

  /** Atomic: written to a temporary file and renamed, so concurrent runs never see half an entry. */
  async write(registry: string, name: string, entry: CacheEntry): Promise<void> {
    const file = this.#file(registry, name);
    const dir = path.dirname(file);
    if (!this.#made.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.#made.add(dir);
    }
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(entry));
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
