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
 *
 * After an edit (the same key but for some files' text), only the files the edit can reach are
 * checked again (`read` answers `partial`): the changed files and those that import them, directly or not
 * (file-edges.ts). Every other file keeps its findings. A changed file that declares a module or
 * a global, or is a script, can change what any file sees: then everything is checked again.
 */
import { createHash } from 'node:crypto';
import { readFile, statSync } from '../scan/observed-fs.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type CacheKind, DiskCache } from '../cache/disk-cache.js';
import { isRecord } from '../model/json.js';
import { type Finding, isFinding } from '../model/finding.js';
import { listSourceFiles } from '../scan/source-files.js';
import { VERSION } from '../version.js';
import { readPathAliases } from '../scan/tsconfig-aliases.js';
import {
  affectedFiles,
  type AliasTargets,
  type BareName,
  declaresForOthers,
  type FileEdges,
  fileEdges,
} from './file-edges.js';

interface StoredResult {
  key: string;
  /** The key without the source files' texts: what must be the same for a partial reuse. */
  base: string;
  findings: Finding[];
  /** Files the check read beyond the key's, by the hash of their text. */
  others: Record<string, string>;
  /** Each source file the key covers (relative) by the hash of its text. */
  hashes: Record<string, string>;
  edges: FileEdges;
  /** Files whose text declares for others (file-edges.ts, declaresForOthers). */
  declaring: string[];
}

// Bump the version when the member check's verdicts change: the package version alone does not change between builds.
const RESULTS: CacheKind<StoredResult> = {
  name: 'members',
  version: 14,
  // Each finding whole: a damaged one served as the answer would crash the report or mislead it.
  isValid: (s): s is StoredResult =>
    isRecord(s) &&
    typeof s.key === 'string' &&
    Array.isArray(s.findings) &&
    s.findings.every(isFinding) &&
    isRecord(s.others) &&
    Object.values(s.others).every((h) => typeof h === 'string') &&
    typeof s.base === 'string' &&
    isRecord(s.hashes) &&
    Object.values(s.hashes).every((h) => typeof h === 'string') &&
    isRecord(s.edges) &&
    Object.values(s.edges).every((e) => e === '*' || (Array.isArray(e) && e.every((n) => typeof n === 'string'))) &&
    Array.isArray(s.declaring) &&
    s.declaring.every((f) => typeof f === 'string'),
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
  /** What a bare name the files import is: a registry package, a workspace package (its folder), or an alias. */
  bareName?: BareName;
}

interface Fingerprint {
  hash: string;
  /**
   * The files that decide how the sources are compiled rather than what they say: every
   * package.json the scan lists and the tsconfig.json/jsconfig.json of each folder holding
   * sources, or of one above it, present or not (a config created since governs the files below
   * it). A change there re-checks everything.
   */
  configs: string;
  files: Set<string>;
  /** Relative path → hash of its text. */
  hashes: Map<string, string>;
  /** Relative path → text. */
  texts: Map<string, string>;
}

/** A hash of every source file under `root` (as the scan lists them: .gitignore applies), and which files those are. */
async function sourceFingerprint(root: string): Promise<Fingerprint> {
  const list = await listSourceFiles(root);
  const hash = createHash('sha256');
  const hashes = new Map<string, string>();
  const texts = new Map<string, string>();
  // A file or folder that cannot be read (one in a large tree: a dangling link, a socket) is in
  // the key as what it is, so the rest of the tree still gets its cached answer; the scan reports it.
  for (const error of list.errors) hash.update(`!${error.file}\0${error.reason}\0`);
  for (const rel of list.files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(root, rel));
    } catch (err) {
      hash.update(`!${rel}\0${String((err as NodeJS.ErrnoException).code)}\0`);
      hashes.set(rel, `!${String((err as NodeJS.ErrnoException).code)}`);
      continue;
    }
    hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
    hashes.set(rel, hashText(bytes));
    texts.set(rel, bytes.toString('utf8'));
  }
  return {
    hash: hash.digest('hex'),
    configs: await configsHash(root, list.files, ['package.json', ...list.manifests]),
    files: new Set(list.files.map((rel) => path.join(root, rel))),
    hashes,
    texts,
  };
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

async function configsHash(root: string, sources: string[], manifests: string[]): Promise<string> {
  const dirs = new Set<string>(['']);
  for (const rel of sources)
    for (let dir = path.posix.dirname(rel); dir !== '.' && !dirs.has(dir); dir = path.posix.dirname(dir)) dirs.add(dir);
  const files = [
    ...new Set([...manifests, ...[...dirs].flatMap((d) => CONFIG_NAMES.map((n) => (d ? `${d}/${n}` : n)))]),
  ];
  const hash = createHash('sha256');
  for (const rel of files.sort()) {
    const bytes = await readFile(path.join(root, rel)).catch(() => undefined);
    hash.update(`${rel}\0${bytes ? hashText(bytes) : '-'}\0`);
  }
  return hash.digest('hex');
}

const hashText = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ResultKey {
  key: string;
  /** The key without the files' texts and which files are checked. */
  base: string;
  /** The files the key covers (absolute). */
  covered: Set<string>;
  fingerprint: Fingerprint;
  bareName: BareName;
  aliasTargets: AliasTargets;
}

export async function resultKey(input: ResultKeyInput): Promise<ResultKey> {
  const fingerprint = await sourceFingerprint(input.root);
  const parts = {
    format: MEMBER_RESULTS_FORMAT,
    depverify: VERSION,
    typescript: TS_VERSION,
    engine: input.engine === 'ts7' ? `ts7@${TS7_VERSION}` : 'ts6',
    // Node's own modules are checked against the running Node too (builtin-members.ts).
    node: process.versions.node,
    fingerprint: fingerprint.hash,
    configs: fingerprint.configs,
    files: input.files.map((f) => path.relative(input.root, f)),
    packages: [...input.packages].sort(),
    checked: [...input.checked].sort(byName),
    unavailable: [...input.unavailable].sort(byName),
  };
  const { fingerprint: _hash, files: _files, ...base } = parts;
  const digest = (value: object): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');
  return {
    key: digest(parts),
    base: digest(base),
    covered: fingerprint.files,
    fingerprint,
    bareName: input.bareName ?? (() => undefined),
    // Read when edges are (a write, a partial check). A change to the configs they come from
    // is a change to `configs` or to the files the check read (`others`): a full check.
    aliasTargets: projectAliases(input.root, fingerprint.hashes.keys()),
  };
}

/**
 * The `paths` aliases each source file sees: its nearest folder's tsconfig or jsconfig (and the
 * configs it references), with the root's as well; an alias's targets are those of both, so
 * an edge is never missing because the wrong one of two was taken.
 */
function projectAliases(root: string, files: Iterable<string>): AliasTargets {
  // What a target may name among the source files: a file, its stem, or a folder of them.
  const named = new Set<string>();
  for (const file of files) {
    named.add(file);
    named.add(file.replace(/\.[^./]+$/, '').replace(/\.d$/, ''));
    for (let i = file.indexOf('/'); i !== -1; i = file.indexOf('/', i + 1)) named.add(file.slice(0, i));
  }
  const isNamed = (target: string): boolean => named.has(target) || named.has(target.replace(/\.[^./]+$/, ''));
  const byDir = new Map<string, ReturnType<typeof readPathAliases>>();
  const aliasesOf = (dir: string): ReturnType<typeof readPathAliases> => {
    let aliases = byDir.get(dir);
    if (!aliases) byDir.set(dir, (aliases = readPathAliases(root, dir)));
    return aliases;
  };
  const nearest = new Map<string, string>();
  const configDirOf = (dir: string): string => {
    let found = nearest.get(dir);
    if (found === undefined) {
      const here = dir === '' || CONFIG_NAMES.some((n) => isFile(path.join(root, dir, n)));
      found = here ? dir : configDirOf(parentOf(dir));
      nearest.set(dir, found);
    }
    return found;
  };
  return (file, specifier) => {
    const found = new Set([
      ...aliasesOf(configDirOf(parentOf(file))).targets(specifier),
      ...aliasesOf('').targets(specifier),
    ]);
    const targets = [...found].map((abs) => path.relative(root, abs).split(path.sep).join('/'));
    // None of them is a source file: the compiler resolves it some other way (node_modules, a
    // catch-all that missed, a generated file). Every target when one is, as it tries them in turn.
    return targets.some(isNamed) ? targets : undefined;
  };
}

/** The folder above a relative, `/`-separated path ('' for the root). */
const parentOf = (rel: string): string => {
  const up = path.posix.dirname(rel);
  return up === '.' ? '' : up;
};

const isFile = (abs: string): boolean => statSync(abs, { throwIfNoEntry: false })?.isFile() === true;

/** What an edit left to check: the files to check again (absolute), and the findings of the others. */
export interface PartialResult {
  recheck: Set<string>;
  kept: Finding[];
  others: Record<string, string>;
}

export class MemberResultCache {
  readonly #file: string;
  readonly #store: DiskCache<StoredResult>;

  readonly #root: string;

  constructor(cacheDir: string, root: string) {
    this.#root = path.resolve(root);
    const project = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24);
    this.#store = new DiskCache(cacheDir, RESULTS);
    this.#file = this.#store.file(`${project}.json`);
  }

  /**
   * The findings kept for `key`, if the files the last check read beyond the key's (a generated
   * file .gitignore hides, a module outside the project) are unchanged too; or, after an edit,
   * what is left to check (`partial`).
   */
  async read(key: ResultKey): Promise<{ findings: Finding[] } | { partial: PartialResult } | undefined> {
    // A damaged or foreign entry is a miss: the check runs again.
    const stored = this.#store.read(this.#file);
    if (!stored || (stored.key !== key.key && stored.base !== key.base) || !(await othersUnchanged(stored)))
      return undefined;
    if (stored.key === key.key) return { findings: stored.findings };
    const partial = this.#partial(stored, key);
    return partial ? { partial } : undefined;
  }

  /**
   * After an edit: the files to check again and the kept findings of the rest, when the last
   * entry differs from `key` only in source texts that no other file depends on without
   * importing them; else undefined (everything is checked).
   */
  #partial(stored: StoredResult, key: ResultKey): PartialResult | undefined {
    const { hashes, texts } = key.fingerprint;
    const changed = new Set<string>();
    for (const [rel, hash] of hashes) if (stored.hashes[rel] !== hash) changed.add(rel);
    for (const rel of Object.keys(stored.hashes)) if (!hashes.has(rel)) changed.add(rel);
    const declaring = new Set(stored.declaring);
    for (const rel of changed) {
      const text = texts.get(rel);
      if (
        declaring.has(rel) ||
        (text !== undefined && declaresForOthers(rel, text)) ||
        (hashes.has(rel) && text === undefined)
      )
        return undefined;
    }
    const edges = {
      ...stored.edges,
      ...fileEdges(
        new Map([...changed].flatMap((rel) => (texts.has(rel) ? [[rel, texts.get(rel)!] as const] : []))),
        key.bareName,
        key.aliasTargets,
      ),
    };
    const dirty = affectedFiles(edges, hashes.keys(), changed);
    // A finding without a place cannot be split by file: everything is checked.
    if (stored.findings.some((f) => f.locations.length === 0)) return undefined;
    const kept: Finding[] = [];
    for (const f of stored.findings) {
      const locations = f.locations.filter((l) => hashes.has(l.file) && !dirty.has(l.file));
      if (locations.length) kept.push({ ...f, locations });
    }
    return { recheck: new Set([...dirty].map((rel) => path.join(this.#root, rel))), kept, others: stored.others };
  }

  /**
   * Atomic: a concurrent run sees the old entry or the new one, never half.
   * `others`: files the check read that the key does not cover, with their text.
   */
  async write(
    key: ResultKey,
    findings: Finding[],
    others: Map<string, string> = new Map(),
    keptOthers: Record<string, string> = {},
  ): Promise<void> {
    const { hashes, texts } = key.fingerprint;
    await this.#store.write(this.#file, {
      key: key.key,
      base: key.base,
      findings,
      others: { ...keptOthers, ...Object.fromEntries([...others].map(([file, text]) => [file, hashText(text)])) },
      hashes: Object.fromEntries(hashes),
      edges: fileEdges(texts, key.bareName, key.aliasTargets),
      declaring: [...texts].filter(([rel, text]) => declaresForOthers(rel, text)).map(([rel]) => rel),
    });
  }
}

/** Whether the files the last check read beyond the key's (a generated file .gitignore hides, a module outside the project) are unchanged. */
async function othersUnchanged(stored: StoredResult): Promise<boolean> {
  for (const [file, hash] of Object.entries(stored.others)) {
    const text = await readFile(file).catch(() => undefined);
    if (!text || hashText(text) !== hash) return false;
  }
  return true;
}
