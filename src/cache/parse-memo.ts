/**
 * The import parses of a project's files, kept between runs: parsing every source file is most
 * of a warm scan, and the parser needs the TypeScript compiler (~0.2 s to load). A file's parse
 * is a function of the name it is parsed under, its text and the parser: the entry is keyed by
 * the hash of the text, and the whole memo by the parser's own code and TypeScript's version, so
 * a changed parser never serves an old answer. One entry per project directory, rewritten with
 * the files of the last run only, so it does not grow with edits.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRecord } from '../model/json.js';
import type { ParseMemo } from '../scan/walk-imports.js';
import type { ReadImportsResult } from '../scan/parse-imports.js';
import { type CacheKind, DiskCache } from './disk-cache.js';

interface StoredParses {
  parser: string;
  /** Name parsed under → hash of the text and what it parsed to. */
  files: Record<string, { hash: string; result: ReadImportsResult }>;
}

// Every import and error whole: a damaged entry served as a parse would crash the scan or
// invent an import; it is a miss instead.
const isRawImport = (i: unknown): boolean =>
  isRecord(i) &&
  typeof i.specifier === 'string' &&
  typeof i.kind === 'string' &&
  typeof i.line === 'number' &&
  typeof i.column === 'number';
const isParseError = (e: unknown): boolean =>
  e === undefined || (isRecord(e) && typeof e.file === 'string' && typeof e.message === 'string');
const isParse = (r: unknown): boolean =>
  isRecord(r) &&
  Array.isArray(r.imports) &&
  r.imports.every(isRawImport) &&
  isParseError(r.error) &&
  (r.lostImports === undefined || typeof r.lostImports === 'boolean');

const PARSES: CacheKind<StoredParses> = {
  name: 'parses',
  version: 1,
  isValid: (s): s is StoredParses =>
    isRecord(s) &&
    typeof s.parser === 'string' &&
    isRecord(s.files) &&
    Object.values(s.files).every((f) => isRecord(f) && typeof f.hash === 'string' && isParse(f.result)),
};

/**
 * The parser's identity: its own module's code (as built) and the versions of the parsers it
 * uses. parse-imports.ts imports nothing else of depverify's but types.
 */
function parserIdentity(): string {
  const hash = createHash('sha256');
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of ['../scan/parse-imports.js', '../scan/parse-imports.ts']) {
    try {
      hash.update(readFileSync(path.join(here, candidate)));
      break;
    } catch {
      // The other spelling (sources under test, the build otherwise).
    }
  }
  // What it parses with: TypeScript, and acorn for what TypeScript misreads.
  const require = createRequire(import.meta.url);
  for (const dependency of ['typescript', 'acorn'])
    hash.update(`\0${dependency}@${(require(`${dependency}/package.json`) as { version: string }).version}`);
  return hash.digest('hex');
}

const textHash = (text: string): string => createHash('sha256').update(text).digest('hex');

export class DiskParseMemo implements ParseMemo {
  readonly #store: DiskCache<StoredParses>;
  readonly #file: string;
  readonly #parser = parserIdentity();
  readonly #kept: StoredParses['files'];
  readonly #used: StoredParses['files'] = {};
  #changed = false;

  constructor(cacheDir: string, root: string) {
    this.#store = new DiskCache(cacheDir, PARSES);
    const project = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24);
    this.#file = this.#store.file(`${project}.json`);
    const stored = this.#store.read(this.#file);
    this.#kept = stored && stored.parser === this.#parser ? stored.files : {};
  }

  get(name: string, text: string): ReadImportsResult | undefined {
    const kept = this.#kept[name];
    if (!kept) return undefined;
    const hash = textHash(text);
    if (kept.hash !== hash) return undefined;
    this.#used[name] = kept;
    return structuredClone(kept.result);
  }

  set(name: string, text: string, result: ReadImportsResult): void {
    this.#used[name] = { hash: textHash(text), result: structuredClone(result) };
    this.#changed = true;
  }

  /** Writes the parses of this run's files, when any was new or one kept is no longer used. */
  async save(): Promise<void> {
    if (!this.#changed && Object.keys(this.#used).length === Object.keys(this.#kept).length) return;
    try {
      await this.#store.write(this.#file, { parser: this.#parser, files: this.#used });
    } catch {
      // A cache that cannot be written costs the next run its parses, nothing else.
    }
  }
}
