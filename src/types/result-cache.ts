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
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Finding } from '../model/finding.js';
import { listSourceFiles } from '../scan/source-files.js';
import { VERSION } from '../version.js';

// Bump when the member check's verdicts change: the package version alone does not change between builds.
const FORMAT = 'members-v4';
const TS_VERSION = (createRequire(import.meta.url)('typescript/package.json') as { version: string }).version;

export interface ResultKeyInput {
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
export async function sourceFingerprint(root: string): Promise<{ hash: string; files: Set<string> } | undefined> {
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
    format: FORMAT,
    depverify: VERSION,
    typescript: TS_VERSION,
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

  constructor(cacheDir: string, root: string) {
    const project = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24);
    this.#file = path.join(cacheDir, FORMAT, `${project}.json`);
  }

  /**
   * The findings kept for `key`, if the files the last check read beyond the key's (a generated
   * file .gitignore hides, a module outside the project) are unchanged too.
   */
  async read(key: string): Promise<Finding[] | undefined> {
    try {
      const stored = JSON.parse(await readFile(this.#file, 'utf8')) as { key?: unknown; findings?: unknown; others?: unknown };
      // A damaged or foreign entry is a miss: the check runs again.
      if (stored.key !== key || !Array.isArray(stored.findings) || typeof stored.others !== 'object' || stored.others === null) return undefined;
      for (const [file, hash] of Object.entries(stored.others)) {
        const text = await readFile(file).catch(() => undefined);
        if (!text || hashText(text) !== hash) return undefined;
      }
      return stored.findings as Finding[];
    } catch {
      return undefined;
    }
  }

  /**
   * Atomic (temp file and rename): a concurrent run sees the old entry or the new one, never half.
   * `others`: files the check read that the key does not cover, with their text.
   */
  async write(key: string, findings: Finding[], others: Map<string, string> = new Map()): Promise<void> {
    const temp = `${this.#file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(this.#file), { recursive: true });
      const hashes = Object.fromEntries([...others].map(([file, text]) => [file, hashText(text)]));
      await writeFile(temp, JSON.stringify({ key, findings, others: hashes }));
      await rename(temp, this.#file);
    } catch {
      // A cache that cannot be written costs the next run time, never this run's answer.
      await rm(temp, { force: true });
    }
  }
}
