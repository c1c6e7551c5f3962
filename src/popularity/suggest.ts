/**
 * "Did you mean" for a package name that does not exist (or looks like a typosquat): popular
 * names near it in the shipped index, found by the mistakes people and models actually make.
 */
import type { NameSuggestion } from '../model/finding-details.js';
import type { PopularIndex } from './popular-index.js';
import { boundedOsa } from './osa.js';
import { builtinModules } from 'node:module';

/** Node's own module names: the npm package of such a name is a placeholder, never what `@x/path` meant. */
const BUILTIN_NAMES: ReadonlySet<string> = new Set(builtinModules);

type SuggestionReason =
  /** Same name up to letter case: `JSONStream` for `jsonstream`. */
  | 'case'
  /** Same name up to `.`, `-`, `_` or their absence: `lodash-es` for `lodash_es` or `lodashes`. */
  | 'delimiter'
  /** The unscoped name for `@scope/x`, or `x` under a scope one or two edits away. */
  | 'scope'
  /** `x` for `x-js`, `js-x`, `node-x`, `x.js`, `xjs`, and those for `x`. */
  | 'affix'
  /** One adjacent transposition: `lodash` for `lodahs`. */
  | 'swap'
  /** Insertions, deletions, substitutions (and transpositions) in the name after the scope. */
  | 'edit-distance';

/** What a check and a report carry of it is a `NameSuggestion`: the name and its downloads. */
export interface Suggestion extends NameSuggestion {
  reason: SuggestionReason;
  /** Edits between the two names (for `scope`: between the scopes); absent for exact rules. */
  distance?: number;
}

export interface SuggestOptions {
  /** At most this many suggestions (default 3). */
  limit?: number;
  /**
   * Candidates with fewer monthly downloads are dropped unless nothing else matches (default
   * 10,000): a barely used near-namesake is more often another typo than what was meant.
   */
  minDownloads?: number;
}

/** Rules that keep every letter come first; among them the more used name wins. */
const TIER: Record<SuggestionReason, number> = {
  case: 0,
  delimiter: 0,
  scope: 0,
  affix: 0,
  swap: 1,
  'edit-distance': 1,
};

/** A bare name found under this many scopes of the index is generic (`@x/core`, `@x/react`). */
const GENERIC_BARE_SCOPES = 25;

/**
 * A scope with this many popular packages is an organisation's own: a missing name under it
 * (`@ember/service`) is that organisation's module or an invention in its name, never its
 * unscoped namesake (`service`).
 */
const ESTABLISHED_SCOPE = 3;

/** How many more `.`/`-`/`_` a delimiter variant may have than the name asked for. */
const DELIMITER_SLACK = 4;

/** Prefixes and suffixes that name the platform rather than the package. */
const AFFIXES = { prefix: ['js-', 'node-'], suffix: ['-js', '.js', 'js'] } as const;

/**
 * Suggestions best first: names that differ only by convention (case, delimiters, scope, affix)
 * by downloads, then edits by distance and downloads. Never the name itself, and when the name is
 * in the index, only more used names: pointing from a package to a less used one is never the fix.
 */
export function suggestPackages(name: string, index: PopularIndex, opts: SuggestOptions = {}): Suggestion[] {
  const { limit = 3, minDownloads = 10_000 } = opts;
  const own = index.downloads(name) ?? -1;
  const found = new Map<string, Suggestion>();
  const offer = (candidate: string, reason: SuggestionReason, distance?: number): void => {
    if (candidate === name) return;
    const downloads = index.downloads(candidate);
    if (downloads === undefined || downloads <= own) return;
    const s: Suggestion =
      distance === undefined
        ? { name: candidate, downloads, reason }
        : { name: candidate, downloads, reason, distance };
    const old = found.get(candidate);
    if (!old || compare(s, old) < 0) found.set(candidate, s);
  };

  const { scope, bare } = splitName(name);
  if (bare === '') return [];
  // `fs`, `readline`: what was meant is Node's own module, which needs no package at all.
  if (!scope && BUILTIN_NAMES.has(name)) return [];
  const at = (x: string): string => (scope ? `${scope}/${x}` : x);
  const tables = tablesFor(index);
  const max = maxEdits(bare.length);
  const key = normalise(bare);
  const lower = bare.toLowerCase();
  const visit = (other: string): void => {
    const len = other.length;
    if (len >= key.length && len <= key.length + DELIMITER_SLACK && sameKey(other, key)) {
      offer(at(other), other.toLowerCase() === lower ? 'case' : 'delimiter');
    }
    if (max > 0 && Math.abs(len - bare.length) <= max) {
      const d = boundedOsa(bare, other, max);
      if (d <= max) offer(at(other), d === 1 && isSwap(bare, other) ? 'swap' : 'edit-distance', d);
    }
  };
  if (scope) {
    for (const other of tables.scoped.get(scope) ?? []) visit(other);
    // `@types/x` for an existing x is the usual case, not a confusion; another check owns it.
    // Dropping the scope must be plausible for the name as a whole: `@acme/lodash` may mean
    // lodash, but `@site/static` does not mean a little-used `static`, nor `@std/path` Node's path.
    // A bare name many scopes use (`core`, `react`, `utils`) is a generic part, not a package name.
    // Under an organisation's established scope the bare name is never what was meant.
    if (
      scope !== '@types' &&
      !BUILTIN_NAMES.has(bare) &&
      (tables.scoped.get(scope)?.length ?? 0) < ESTABLISHED_SCOPE &&
      (index.downloads(bare) ?? 0) >= minDownloads &&
      (tables.scopesWith.get(bare) ?? 0) < GENERIC_BARE_SCOPES
    ) {
      offer(bare, 'scope');
    }
    const scopeMax = maxEdits(scope.length - 1);
    for (const other of scopeMax > 0 ? tables.scoped.keys() : []) {
      const d = boundedOsa(scope, other, scopeMax);
      if (d <= scopeMax) offer(`${other}/${bare}`, 'scope', d);
    }
  } else {
    const from = Math.min(key.length, bare.length - max);
    const to = Math.max(key.length + DELIMITER_SLACK, bare.length + max);
    for (let len = Math.max(1, from); len <= to; len++) for (const other of tables.byLength[len] ?? []) visit(other);
  }
  for (const p of AFFIXES.prefix) {
    if (bare.startsWith(p) && bare.length > p.length + 1) offer(at(bare.slice(p.length)), 'affix');
    offer(at(p + bare), 'affix');
  }
  for (const s of AFFIXES.suffix) {
    if (bare.endsWith(s) && bare.length > s.length + 1) offer(at(bare.slice(0, -s.length)), 'affix');
    offer(at(bare + s), 'affix');
  }

  const all = [...found.values()];
  const popular = all.filter((s) => s.downloads >= minDownloads);
  return (popular.length > 0 ? popular : all).sort(compare).slice(0, limit);
}

function compare(a: Suggestion, b: Suggestion): number {
  return (
    TIER[a.reason] - TIER[b.reason] ||
    (TIER[a.reason] === 1 ? (a.distance ?? 0) - (b.distance ?? 0) : 0) ||
    b.downloads - a.downloads ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** Short names are too close to too many others for an edit to mean a typo. */
function maxEdits(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

function splitName(name: string): { scope: string; bare: string } {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0 ? { scope: name.slice(0, slash), bare: name.slice(slash + 1) } : { scope: '', bare: name };
}

function normalise(bare: string): string {
  return bare.toLowerCase().replace(/[-._]/g, '');
}

/** normalise(name) === key, without building the string: most names fail on the first letter. */
function sameKey(name: string, key: string): boolean {
  let k = 0;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c === 45 || c === 46 || c === 95) continue; // - . _
    if (c >= 65 && c <= 90) c += 32;
    if (k >= key.length || c !== key.charCodeAt(k)) return false;
    k++;
  }
  return k === key.length;
}

interface Tables {
  /** Unscoped names by length, in index order. */
  byLength: string[][];
  /** Scoped names without their scope, by scope, in index order; no scope is large. */
  scoped: Map<string, string[]>;
  /** How many scopes have a package of each bare name. */
  scopesWith: Map<string, number>;
}

// Built on the first query and kept with the index, which is never mutated: bucketing 227k
// names costs more than many queries.
const cache = new WeakMap<PopularIndex, Tables>();

function tablesFor(index: PopularIndex): Tables {
  let tables = cache.get(index);
  if (tables) return tables;
  const byLength: string[][] = [];
  const scoped = new Map<string, string[]>();
  const scopesWith = new Map<string, number>();
  for (const name of index.names) {
    const slash = name.charCodeAt(0) === 64 /* @ */ ? name.indexOf('/') : -1;
    if (slash > 0) {
      const scope = name.slice(0, slash);
      const bare = name.slice(slash + 1);
      scopesWith.set(bare, (scopesWith.get(bare) ?? 0) + 1);
      const group = scoped.get(scope);
      if (group) group.push(name.slice(slash + 1));
      else scoped.set(scope, [name.slice(slash + 1)]);
    } else {
      (byLength[name.length] ??= []).push(name);
    }
  }
  tables = { byLength, scoped, scopesWith };
  cache.set(index, tables);
  return tables;
}
