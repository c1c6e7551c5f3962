/**
 * The member check's findings, kept per project between runs. The checker is the expensive part
 * of a run (seconds, where everything else is well under one), and its answer is a function of
 * the project's source files, the declarations it checked against and the checker itself; when
 * none of those changed, the last answer is the answer.
 *
 * The key hashes every source file the scan would read (any change anywhere re-checks the whole
 * project: types flow between a project's files, so a file's findings can change when another
 * file does), the declaration packages by name and version (published versions never change),
 * where each checked package's types came from, and the versions of depverify and TypeScript.
 * One entry per project directory, overwritten, so the cache does not grow with edits.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type CacheKind, DiskCache } from '../cache/disk-cache.js';
import { isRecord } from '../model/json.js';
import { type Finding, isFinding } from '../model/finding.js';
import { listSourceFiles } from '../scan/source-files.js';
import { VERSION } from '../version.js';

interface StoredResult {
  key: string;
  findings: Finding[];
  /** Files the check read beyond the key's, by the hash of their text. */
  others: Record<string, string>;
}

// Bump the version when the member check's verdicts change: the package version alone does not change between builds.
const RESULTS: CacheKind<StoredResult> = {
  name: 'members',
  version: 12,
  // Each finding whole: a damaged one served as the answer would crash the report or mislead it.
  isValid: (s): s is StoredResult =>
    isRecord(s) &&
    typeof s.key === 'string' &&
    Array.isArray(s.findings) &&
    s.findings.every(isFinding) &&
    isRecord(s.others) &&
    Object.values(s.others).every((h) => typeof h === 'string'),
};
export const MEMBER_RESULTS_FORMAT = `${RESULTS.name}-v${RESULTS.version}`;
const TS_VERSION = (createRequire(import.meta.url)('typescript/package.json') as { version: string }).version;
const TS7_VERSION = (() => {
  try {
    return (createRequire(import.meta.url)('typescript7/package.json') as { version: string }).version;
  } catch {
    return 'absent';
  }
})();

export interface ResultKeyInput {
  /** The compiler that answered (its version is in the key too). */
  engine?: string;
  root: string;
  /** Files checked, absolute. */
  files: string[];
  /** Every declaration package in the program, as `name@version`. */
  packages: string[];
  /** Checked package → where its types came from. */
  checked: Map<string, { version: string; typesFrom: string }>;
  /** Declaration packages that could not be had, with why: the program was checked without them. */
  unavailable: Map<string, string>;
}

/** A hash of every source file under `root` (as the scan lists them: .gitignore applies), and which files those are; undefined if one cannot be read. */
async function sourceFingerprint(root: string): Promise<{ hash: string; files: Set<string> } | undefined> {
  const list = await listSourceFiles(root);
  const hash = createHash('sha256');
  // A file or folder that cannot be read (one in a large tree: a dangling link, a socket) is in
  // the key as what it is, so the rest of the tree still gets its cached answer; the scan reports it.
  for (const error of list.errors) hash.update(`!${error.file}\0${error.reason}\0`);
  for (const rel of list.files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(root, rel));
    } catch (err) {
      hash.update(`!${rel}\0${String((err as NodeJS.ErrnoException).code)}\0`);
      continue;
    }
    hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
  }
  return { hash: hash.digest('hex'), files: new Set(list.files.map((rel) => path.join(root, rel))) };
}

const hashText = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ResultKey {
  key: string;
  /** The files the key covers (absolute). */
  covered: Set<string>;
}

export async function resultKey(input: ResultKeyInput): Promise<ResultKey | undefined> {
  const fingerprint = await sourceFingerprint(input.root);
  if (!fingerprint) return undefined;
  const parts = {
    format: MEMBER_RESULTS_FORMAT,
    depverify: VERSION,
    typescript: TS_VERSION,
    engine: input.engine === 'ts7' ? `ts7@${TS7_VERSION}` : 'ts6',
    // Node's own modules are checked against the running Node too (builtin-members.ts).
    node: process.versions.node,
    fingerprint: fingerprint.hash,
    files: input.files.map((f) => path.relative(input.root, f)),
    packages: [...input.packages].sort(),
    checked: [...input.checked].sort(byName),
    unavailable: [...input.unavailable].sort(byName),
  };
  return { key: createHash('sha256').update(JSON.stringify(parts)).digest('hex'), covered: fingerprint.files };
}

export class MemberResultCache {
  readonly #file: string;
  readonly #store: DiskCache<StoredResult>;

  constructor(cacheDir: string, root: string) {
    const project = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24);
    this.#store = new DiskCache(cacheDir, RESULTS);
    this.#file = this.#store.file(`${project}.json`);
  }

  /**
   * The findings kept for `key`, if the files the last check read beyond the key's (a generated
   * file .gitignore hides, a module outside the project) are unchanged too.
   */
  async read(key: string): Promise<Finding[] | undefined> {
    // A damaged or foreign entry is a miss: the check runs again.
    const stored = this.#store.read(this.#file);
    if (!stored || stored.key !== key) return undefined;
    for (const [file, hash] of Object.entries(stored.others)) {
      const text = await readFile(file).catch(() => undefined);
      if (!text || hashText(text) !== hash) return undefined;
    }
    return stored.findings;
  }

  /**
   * Atomic: a concurrent run sees the old entry or the new one, never half.
   * `others`: files the check read that the key does not cover, with their text.
   */
  async write(key: string, findings: Finding[], others: Map<string, string> = new Map()): Promise<void> {
    const hashes = Object.fromEntries([...others].map(([file, text]) => [file, hashText(text)]));
    await this.#store.write(this.#file, { key, findings, others: hashes });
  }
}
