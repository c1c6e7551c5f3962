/**
 * What a run learns from outside itself, noted so that a later run can tell whether it would learn
 * the same: the bytes of each file read, each listing, stat, real path and existence probe, each
 * environment variable a configuration file names, each cache entry the registry answers came
 * from, and the earliest moment an answer or an age-based verdict goes stale. A run that noted
 * everything it read, and whose notes all still hold, would produce the same report
 * (`cache/run-memo.ts` keeps it).
 *
 * The project's readers (scan, configuration, `.npmrc`, the facts cache) call these functions
 * instead of `node:fs`. They behave like their `node:fs` namesakes; while a `Witness` is open
 * (`openWitness`), each call is also noted in it. With none open they only forward. Runs that
 * overlap in one process each note what any of them reads: more notes, never fewer, so a stale
 * memo is impossible and a needless miss the only cost.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';

/** `read` file bytes · `stat`/`lstat` type and size · `list` a directory · `real` realpath · `exists` · `env` a variable · `entry` a cache file's size and mtime. */
export type ObservationKind = 'read' | 'stat' | 'lstat' | 'list' | 'real' | 'exists' | 'env' | 'entry';
/** What was seen: kind, subject (an absolute path or a variable name), a digest of the answer. */
export type Observation = [kind: ObservationKind, subject: string, seen: string];

export class Witness {
  readonly #seen = new Map<string, Observation>();
  #unusable: string | undefined;
  #until = Number.POSITIVE_INFINITY;

  note(kind: ObservationKind, subject: string, seen: string): void {
    const key = `${kind}\0${subject}`;
    const before = this.#seen.get(key);
    if (!before) this.#seen.set(key, [kind, subject, seen]);
    else if (before[2] !== seen) this.unusable(`${subject} changed during the run`);
  }

  /** This run's result cannot be reused: it depends on something not noted (the first reason stays). */
  unusable(reason: string): void {
    this.#unusable ??= reason;
  }

  /** The result holds at most until `at` (ms since the epoch). */
  holdsUntil(at: number): void {
    if (at < this.#until) this.#until = at;
  }

  /** Why the result cannot be reused, if it cannot. */
  get unusableBecause(): string | undefined {
    return this.#unusable;
  }

  get until(): number {
    return this.#until;
  }

  get observations(): Observation[] {
    return [...this.#seen.values()];
  }
}

const open = new Set<Witness>();

/** Notes every observation of this process in `witness` until the returned function is called. */
export function openWitness(witness: Witness): () => void {
  open.add(witness);
  return () => open.delete(witness);
}

const watching = (): boolean => open.size > 0;

function note(kind: ObservationKind, subject: string, seen: string): void {
  for (const w of open) w.note(kind, subject, seen);
}

/** Every open witness: what was just learnt holds at most until `at`. */
export function holdsUntil(at: number): void {
  for (const w of open) w.holdsUntil(at);
}

/** Every open witness: the run read something these functions cannot note. */
export function unnoted(reason: string): void {
  for (const w of open) w.unusable(reason);
}

const digest = (bytes: Uint8Array | string): string => createHash('sha1').update(bytes).digest('base64');
const failure = (error: unknown): string => `!${(error as NodeJS.ErrnoException).code ?? 'error'}`;
const abs = (p: string): string => path.resolve(p);

function kindOf(info: fs.Stats): string {
  if (info.isFile()) return `f:${info.size}`;
  if (info.isDirectory()) return 'd';
  if (info.isSymbolicLink()) return 'l';
  return 'o';
}

function listing(entries: fs.Dirent[]): string {
  const names = entries.map(
    (e) => `${e.name}/${e.isFile() ? 'f' : e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : 'o'}`,
  );
  return digest(names.sort().join('\n'));
}

/** `fs.readFileSync(file)` or, with 'utf8', its text. */
export function readFileSync(file: string): Buffer;
export function readFileSync(file: string, encoding: 'utf8'): string;
export function readFileSync(file: string, encoding?: 'utf8'): Buffer | string {
  if (!watching()) return encoding ? fs.readFileSync(file, encoding) : fs.readFileSync(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    note('read', abs(file), failure(error));
    throw error;
  }
  note('read', abs(file), digest(bytes));
  return encoding ? bytes.toString('utf8') : bytes;
}

/** `work` on `file`, its answer (or failure) noted as `seen` digests it. */
async function noted<T>(
  kind: ObservationKind,
  file: string,
  work: () => Promise<T>,
  seen: (v: T) => string,
): Promise<T> {
  try {
    const value = await work();
    note(kind, abs(file), seen(value));
    return value;
  } catch (error) {
    note(kind, abs(file), failure(error));
    throw error;
  }
}

export function readFile(file: string): Promise<Buffer> {
  return watching() ? noted('read', file, () => fsp.readFile(file), digest) : fsp.readFile(file);
}

export function statSync(file: string): fs.Stats;
export function statSync(file: string, options: { throwIfNoEntry: false }): fs.Stats | undefined;
export function statSync(file: string, options?: { throwIfNoEntry: false }): fs.Stats | undefined {
  if (!watching()) return options ? fs.statSync(file, options) : fs.statSync(file);
  let info: fs.Stats | undefined;
  try {
    info = fs.statSync(file);
  } catch (error) {
    note('stat', abs(file), failure(error));
    if (options && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  note('stat', abs(file), kindOf(info));
  return info;
}

export function stat(file: string): Promise<fs.Stats> {
  return watching() ? noted('stat', file, () => fsp.stat(file), kindOf) : fsp.stat(file);
}

export function lstat(file: string): Promise<fs.Stats> {
  return watching() ? noted('lstat', file, () => fsp.lstat(file), kindOf) : fsp.lstat(file);
}

export function existsSync(file: string): boolean {
  const there = fs.existsSync(file);
  if (watching()) note('exists', abs(file), there ? '1' : '0');
  return there;
}

/** `fs.readdirSync(dir)` (names) or, with `withFileTypes`, its entries. */
export function readdirSync(dir: string): string[];
export function readdirSync(dir: string, options: { withFileTypes: true }): fs.Dirent[];
export function readdirSync(dir: string, options?: { withFileTypes: true }): string[] | fs.Dirent[] {
  if (!watching()) return options ? fs.readdirSync(dir, options) : fs.readdirSync(dir);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    note('list', abs(dir), failure(error));
    throw error;
  }
  note('list', abs(dir), listing(entries));
  return options ? entries : entries.map((e) => e.name);
}

export function readdir(dir: string, options: { withFileTypes: true }): Promise<fs.Dirent[]> {
  return watching() ? noted('list', dir, () => fsp.readdir(dir, options), listing) : fsp.readdir(dir, options);
}

export function realpath(file: string): Promise<string> {
  return watching()
    ? noted(
        'real',
        file,
        () => fsp.realpath(file),
        (real) => real,
      )
    : fsp.realpath(file);
}

/** `env[name]`, noted. */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (watching()) note('env', name, value === undefined ? '\0' : digest(value));
  return value;
}

/** A cache entry the run's answers came from: it holds while the file is not rewritten. */
export function noteCacheEntry(file: string): void {
  if (!watching()) return;
  note('entry', abs(file), entryState(file));
}

function entryState(file: string): string {
  try {
    const info = fs.statSync(file);
    return `${info.size}:${info.mtimeMs}`;
  } catch (error) {
    return failure(error);
  }
}

/** What the observation's subject answers now, digested as it was when noted. */
function observeAgain(kind: ObservationKind, subject: string, env: NodeJS.ProcessEnv): string {
  try {
    switch (kind) {
      case 'read':
        return digest(fs.readFileSync(subject));
      case 'stat':
        return kindOf(fs.statSync(subject));
      case 'lstat':
        return kindOf(fs.lstatSync(subject));
      case 'list':
        return listing(fs.readdirSync(subject, { withFileTypes: true }));
      case 'real':
        return fs.realpathSync.native(subject);
      case 'exists':
        return fs.existsSync(subject) ? '1' : '0';
      case 'env': {
        const value = env[subject];
        return value === undefined ? '\0' : digest(value);
      }
      case 'entry':
        return entryState(subject);
    }
  } catch (error) {
    return failure(error);
  }
}

/** Whether every observation still holds (`env` is the environment the run read). */
export function stillHolds(observations: readonly Observation[], env: NodeJS.ProcessEnv): boolean {
  for (const [kind, subject, seen] of observations) if (observeAgain(kind, subject, env) !== seen) return false;
  return true;
}
