import type { InputError, InputErrorReason, LockedPackage, LockedSource } from '../../model/references.js';
import type { KeyLines } from '../json-lines.js';

/** What a reader accumulates: entries and per-entry errors, with the key lines of the file. */
export interface ReadContext {
  file: string;
  lines: KeyLines;
  packages: LockedPackage[];
  errors: InputError[];
}

/** The JSON readers' object test and type, under the names the YAML and yarn readers use. */
export { isRecord, type JsonObject as Fields } from '../../model/json.js';

/**
 * An error located at a key path of the file, the path as `field`: the line of that key, or of
 * the nearest enclosing key whose line is known (only entry keys are indexed).
 */
export function entryError(
  ctx: Pick<ReadContext, 'file' | 'lines'>,
  keyPath: string[],
  reason: InputErrorReason,
  message: string,
): InputError {
  let line: number | undefined;
  for (let n = keyPath.length; n > 0 && line === undefined; n--) line = ctx.lines.lineOf(keyPath.slice(0, n));
  return { file: ctx.file, ...(line === undefined ? {} : { line }), field: keyPath.join('.'), reason, message };
}

/**
 * A lockfile version the reader does not know, at the key that holds it. Every reader checks its
 * version against a list of the ones it knows (or maps it to a known layout) before reading an
 * entry, and refuses the others rather than guess their layout.
 */
export function unsupportedVersion(
  ctx: Pick<ReadContext, 'file' | 'lines'>,
  keyPath: string[],
  shown: string,
  label = 'lockfileVersion',
): InputError {
  return entryError(ctx, keyPath, 'unsupported-version', `unsupported ${label} ${shown}`);
}

export interface EntryFields {
  /** Defaults to the last key of the entry's key path. */
  path?: string;
  name: string;
  version: string;
  source: LockedSource;
  resolved?: string | undefined;
  integrity?: string | undefined;
  alias?: string | undefined;
  dev?: boolean;
  optional?: boolean;
  bundled?: boolean;
}

/**
 * Adds the entry at `keyPath`. Links and folders are the project's own (`local`); unset flags
 * stay absent, as the npm reader leaves them.
 */
export function addEntry(ctx: ReadContext, keyPath: string[], fields: EntryFields): LockedPackage {
  const path = fields.path ?? keyPath[keyPath.length - 1]!;
  const pkg: LockedPackage = { name: fields.name, version: fields.version, path, lockfile: ctx.file };
  const line = ctx.lines.lineOf(keyPath);
  if (line !== undefined) pkg.line = line;
  if (fields.resolved) pkg.resolved = fields.resolved;
  if (fields.integrity) pkg.integrity = fields.integrity;
  if (fields.alias && fields.alias !== fields.name) pkg.alias = fields.alias;
  if (fields.dev) pkg.dev = true;
  if (fields.optional) pkg.optional = true;
  if (fields.bundled) pkg.bundled = true;
  if (fields.source === 'link') pkg.local = true;
  pkg.source = fields.source;
  ctx.packages.push(pkg);
  return pkg;
}

/** The installed name at the end of a `parent/child` path whose parts may be scoped. */
export function lastName(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash === -1) return path;
  const before = path.lastIndexOf('/', slash - 1);
  const scope = path.slice(before + 1, slash);
  return scope.startsWith('@') ? path.slice(before + 1) : path.slice(slash + 1);
}

/**
 * A value as a message shows it: a short scalar as JSON, anything else by its type. It never
 * throws (JSON.stringify overflows the stack on deeply nested arrays) and is never long.
 */
export function shownValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? '(an array)' : `(${typeof value})`;
}
