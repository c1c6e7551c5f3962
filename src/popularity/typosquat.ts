/**
 * Typosquat candidates: the popular names a given name could be mistaken for, by the explicit
 * transformations squatters use (one-character edits, swaps, delimiters, word order, `js`/`node`
 * affixes, scope confusion) rather than a bare edit distance. Built once over the most downloaded
 * names, each lookup is a handful of hash probes, so checking every package of a large lockfile
 * costs milliseconds.
 */
import type { SquatRule } from '../model/finding-details.js';
import { boundedOsa } from './osa.js';

const SQUAT_RULES: Record<SquatRule, true> = {
  swap: true,
  'repeated-character': true,
  'missing-character': true,
  'extra-character': true,
  'substituted-character': true,
  delimiter: true,
  'word-order': true,
  affix: true,
  'scope-typo': true,
  'foreign-scope': true,
};

/** Whether a stored string is one of the rules (a memo written by another version may name others). */
export const isSquatRule = (value: unknown): value is SquatRule =>
  typeof value === 'string' && Object.hasOwn(SQUAT_RULES, value);

export interface SquatCandidate {
  /** The popular name this one resembles. */
  target: string;
  /** Its monthly downloads. */
  downloads: number;
  rule: SquatRule;
}

export interface SquatTargets {
  /** Names the lookup compares against (each with its monthly downloads), most downloaded first. */
  readonly size: number;
  has(name: string): boolean;
  /**
   * Candidates best first (most downloaded); empty for a name that is itself a target.
   * `knownScope` says whether a scope is in use by other packages (default: by a target): a
   * popular name under a scope that is in use, like `@tanstack/react`, is a binding, not a squat.
   */
  candidates(name: string, knownScope?: (scope: string) => boolean): SquatCandidate[];
}

/** Shorter names are a character away from too many others for an edit to mean a typo. */
export const MIN_EDIT_LENGTH = 5;

const PREFIXES = ['js-', 'node-'];
const SUFFIXES = ['-js', '.js', 'js', '-node'];
const DELIMITERS = /[-._]/g;

const split = (name: string): { scope: string; bare: string } => {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0 ? { scope: name.slice(0, slash + 1), bare: name.slice(slash + 1) } : { scope: '', bare: name };
};
const squash = (bare: string): string => bare.toLowerCase().replace(DELIMITERS, '');
const words = (bare: string): string[] => bare.toLowerCase().split(DELIMITERS).filter(Boolean);

const FNV_OFFSET = -2128831035;
const FNV_PRIME = 16777619;

/** FNV-1a over `text`, continuing from `h`. */
function hashText(h: number, text: string): number {
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), FNV_PRIME);
  return h;
}

const BASE = 0x01000193 | 0x2001;
// A const holder, not module-level lets: V8 checks `let` bindings for TDZ on every use.
const scratch = {
  prefix: new Int32Array(64),
  suffix: new Int32Array(64),
  powers: new Int32Array(64),
  keys: new Int32Array(64),
};

/**
 * The keys of `text` and of every text one deletion shorter (a run of equal letters gives one
 * deletion), seeded with `seed` (the scope's key), in `scratch.keys`; returns how many. Two names
 * are one edit or swap apart only if they share such a key (symmetric deletion). The keys are
 * polynomial hashes, so each deletion is O(1) from prefix and suffix sums and no variant string
 * is ever built: building the table over 15,000 popular names takes milliseconds.
 */
function deletionKeys(seed: number, text: string): number {
  const n = text.length;
  if (scratch.prefix.length <= n + 1) {
    const size = 2 * n + 2;
    Object.assign(scratch, {
      prefix: new Int32Array(size),
      suffix: new Int32Array(size),
      powers: new Int32Array(size),
      keys: new Int32Array(size),
    });
  }
  const { prefix, suffix, powers, keys } = scratch;
  powers[0] = 1;
  prefix[0] = seed;
  for (let k = 0; k < n; k++) {
    powers[k + 1] = Math.imul(powers[k]!, BASE);
    prefix[k + 1] = (Math.imul(prefix[k]!, BASE) + text.charCodeAt(k)) | 0;
  }
  suffix[n] = 0;
  for (let k = n - 1; k >= 0; k--) suffix[k] = (Math.imul(text.charCodeAt(k), powers[n - 1 - k]!) + suffix[k + 1]!) | 0;
  let count = 0;
  keys[count++] = mix(prefix[n]!);
  for (let k = 0; k < n; k++) {
    if (k > 0 && text.charCodeAt(k) === text.charCodeAt(k - 1)) continue;
    keys[count++] = mix((Math.imul(prefix[k]!, powers[n - 1 - k]!) + suffix[k + 1]!) | 0);
  }
  return count;
}

/** Spreads a polynomial hash into the low bits the table indexes by (murmur3's finaliser). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The delimiter key: lower case, `-`, `.`, `_` left out. */
function hashSquashed(h: number, text: string): number {
  for (let k = 0; k < text.length; k++) {
    let c = text.charCodeAt(k);
    if (c === 45 || c === 46 || c === 95) continue;
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h;
}

/**
 * The word-order key: a sum of word hashes, so any order of the same words gives the same key;
 * 0 for a name of fewer than two words, which has no other order.
 */
function hashWords(h: number, text: string): number {
  let sum = 0;
  let count = 0;
  let w = FNV_OFFSET;
  for (let k = 0; k <= text.length; k++) {
    let c = k < text.length ? text.charCodeAt(k) : 45;
    if (c === 45 || c === 46 || c === 95) {
      if (w !== FNV_OFFSET) {
        // Mixed before summing: plain FNV values of short words are too alike.
        w = Math.imul(w ^ (w >>> 15), 0x2c1b3c6d);
        sum = (sum + (w ^ (w >>> 12))) | 0;
        count++;
      }
      w = FNV_OFFSET;
      continue;
    }
    if (c >= 65 && c <= 90) c += 32;
    w = Math.imul(w ^ c, FNV_PRIME);
  }
  return count < 2 ? 0 : Math.imul(h ^ sum, FNV_PRIME) ^ count || 1;
}

/**
 * Many rows per 32-bit key, open addressing over typed arrays. Keys are hashes, so a hit is only
 * a candidate: callers compare the actual names. No string is built for a variant, which is what
 * makes the table over 15,000 names take milliseconds instead of a third of a second.
 */
class HashMultiTable {
  readonly #keys: Int32Array;
  readonly #rows: Int32Array;
  readonly #mask: number;

  constructor(capacity: number) {
    const size = 1 << (32 - Math.clz32(Math.max(16, capacity * 2) - 1));
    this.#keys = new Int32Array(size);
    this.#rows = new Int32Array(size);
    this.#mask = size - 1;
  }

  add(key: number, row: number): void {
    let slot = key & this.#mask;
    while (this.#rows[slot] !== 0) slot = (slot + 1) & this.#mask;
    this.#keys[slot] = key;
    this.#rows[slot] = row + 1;
  }

  /** Adds the rows stored under `key` to `out`. */
  collect(key: number, out: Set<number>): void {
    const keys = this.#keys;
    const rows = this.#rows;
    const mask = this.#mask;
    for (let slot = key & mask; rows[slot] !== 0; slot = (slot + 1) & mask)
      if (keys[slot] === key) out.add(rows[slot]! - 1);
  }
}

const wordsKey = (bare: string): string => words(bare).sort().join(' ');

/**
 * Builds the lookup over `rows` (name, monthly downloads). Only names long enough for an edit to
 * be a typo get deletion variants; every name gets the delimiter, word-order and exact keys.
 */
export function buildSquatTargets(rows: ReadonlyArray<readonly [string, number]>): SquatTargets {
  const sorted = [...rows].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const names = sorted.map((r) => r[0]);
  const downloads = sorted.map((r) => r[1]);
  const parts = names.map(split);
  const exact = new Map<string, number>();
  const squashed = new HashMultiTable(names.length);
  const reordered = new HashMultiTable(names.length);
  let variants = 0;
  for (const { bare } of parts) variants += bare.length >= MIN_EDIT_LENGTH ? bare.length + 1 : 0;
  // Long enough names under their deletion keys, seeded with the scope so scopes never mix.
  const deletions = new HashMultiTable(variants);
  const scopes = new Set<string>();
  const scopeDeletions = new Map<string, string[]>();
  const scopeHashes = new Map<string, number>();
  const scopeHash = (scope: string): number => {
    let h = scopeHashes.get(scope);
    if (h === undefined) scopeHashes.set(scope, (h = hashText(FNV_OFFSET, scope)));
    return h;
  };
  names.forEach((name, i) => {
    exact.set(name, i);
    const { scope, bare } = parts[i]!;
    if (scope && !scopes.has(scope)) {
      scopes.add(scope);
      for (const variant of deletionVariants(scope)) {
        const list = scopeDeletions.get(variant);
        if (list) list.push(scope);
        else scopeDeletions.set(variant, [scope]);
      }
    }
    const h = scopeHash(scope);
    squashed.add(hashSquashed(h, bare), i);
    const w = hashWords(h, bare);
    if (w !== 0) reordered.add(w, i);
    if (bare.length >= MIN_EDIT_LENGTH) {
      const count = deletionKeys(h, bare);
      for (let k = 0; k < count; k++) deletions.add(scratch.keys[k]!, i);
    }
  });

  return {
    size: names.length,
    has: (name) => exact.has(name),
    candidates(name, knownScope = (scope) => scopes.has(scope)) {
      if (exact.has(name)) return [];
      const found = new Map<number, SquatRule>();
      const offer = (i: number | undefined, rule: SquatRule): void => {
        if (i !== undefined && names[i] !== name && !found.has(i)) found.set(i, rule);
      };
      const { scope, bare } = split(name);
      if (!bare) return [];
      const inScope = (i: number): boolean => parts[i]!.scope === scope;
      const h = scopeHash(scope);

      const key = squash(bare);
      const hits = new Set<number>();
      squashed.collect(hashSquashed(h, bare), hits);
      for (const i of hits) if (inScope(i) && squash(parts[i]!.bare) === key) offer(i, 'delimiter');
      const w = hashWords(h, bare);
      if (w !== 0) {
        const sortedWords = wordsKey(bare);
        hits.clear();
        reordered.collect(w, hits);
        for (const i of hits) if (inScope(i) && wordsKey(parts[i]!.bare) === sortedWords) offer(i, 'word-order');
      }
      for (const p of PREFIXES) {
        if (bare.startsWith(p)) offer(exact.get(scope + bare.slice(p.length)), 'affix');
        offer(exact.get(scope + p + bare), 'affix');
      }
      for (const s of SUFFIXES) {
        if (bare.endsWith(s)) offer(exact.get(scope + bare.slice(0, -s.length)), 'affix');
        offer(exact.get(scope + bare + s), 'affix');
      }
      if (scope) {
        if (exact.has(bare) && !knownScope(scope)) offer(exact.get(bare), 'foreign-scope');
        // `@babell/core`: the same name under a popular scope one edit away.
        if (scope.length - 2 >= MIN_EDIT_LENGTH - 1) {
          const near = new Set<string>();
          for (const variant of deletionVariants(scope))
            for (const other of scopeDeletions.get(variant) ?? []) near.add(other);
          for (const other of near)
            if (other !== scope && boundedOsa(scope, other, 1) === 1) offer(exact.get(other + bare), 'scope-typo');
        }
      }
      // Last, so that a name both an edit and a delimiter change away is named by the clearer rule.
      if (bare.length >= MIN_EDIT_LENGTH - 1) {
        hits.clear();
        const count = deletionKeys(h, bare);
        for (let k = 0; k < count; k++) deletions.collect(scratch.keys[k]!, hits);
        for (const i of hits) {
          const other = parts[i]!.bare;
          if (inScope(i) && boundedOsa(bare, other, 1) === 1) offer(i, classifyEdit(bare, other));
        }
      }
      return [...found]
        .sort((a, b) => a[0] - b[0])
        .map(([i, rule]) => ({ target: names[i]!, downloads: downloads[i]!, rule }));
    },
  };
}

/** The word itself and every word one deletion shorter (a run of equal letters gives one). */
function deletionVariants(word: string): string[] {
  const out = [word];
  for (let k = 0; k < word.length; k++) {
    if (k > 0 && word[k] === word[k - 1]) continue;
    out.push(word.slice(0, k) + word.slice(k + 1));
  }
  return out;
}

/** Which one-character edit turns `target` into `name` (they are known to be one apart). */
function classifyEdit(name: string, target: string): SquatRule {
  if (name.length === target.length) {
    let i = 0;
    while (name[i] === target[i]) i++;
    return name[i] === target[i + 1] && name[i + 1] === target[i] ? 'swap' : 'substituted-character';
  }
  if (name.length < target.length) return 'missing-character';
  let i = 0;
  while (i < target.length && name[i] === target[i]) i++;
  // name[i] is the added character; a repeat when it doubles a neighbour.
  return name[i] === name[i - 1] || name[i] === name[i + 1] ? 'repeated-character' : 'extra-character';
}
