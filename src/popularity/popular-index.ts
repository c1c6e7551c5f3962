/**
 * The shipped index of npm package names with their monthly downloads (cache/README.md says
 * where it comes from). It answers "how popular is this name" offline; a name absent from it has
 * fewer downloads a month than the snapshot's floor.
 */
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';

export interface PopularIndex {
  size: number;
  /** Monthly downloads, or undefined when the name is not in the index. */
  downloads(name: string): number | undefined;
  /** 1 for the most downloaded name; undefined when the name is not in the index. */
  rank(name: string): number | undefined;
  /** names sorted by downloads desc (then by name, code-unit order) */
  names: readonly string[];
  /** How many names of the index are under `@scope/` (given with its trailing slash or not). */
  scopeSize(scope: string): number;
}

/**
 * Resolved against this module so that it points at the package's data/ both from src/popularity/
 * (tests) and from dist/popularity/ (the build's rootDir is src).
 */
export const DEFAULT_INDEX_FILE = new URL('../../data/popular-packages.tsv.gz', import.meta.url);

let defaultIndex: PopularIndex | undefined;

/**
 * Reads a gzipped `name<TAB>downloads` index, most downloaded first. Throws on a malformed file
 * rather than returning part of it: a truncated index would make real packages look unpopular.
 */
export function loadPopularIndex(file?: string | URL): PopularIndex {
  if (file === undefined && defaultIndex) return defaultIndex;
  const path = file ?? DEFAULT_INDEX_FILE;
  const index = parseIndex(gunzipSync(readFileSync(path)), String(path));
  if (file === undefined) defaultIndex = index;
  return index;
}

const headCache = new Map<number, Array<[string, number]>>();

/**
 * The rows with at least `minDownloads` monthly downloads, read from the start of the default
 * index without inflating the rest: the file is sorted by downloads, so the head of the
 * decompressed stream is the popular names. A million-download floor is about 15,000 rows and
 * costs under 10 ms, against about 100 ms for the whole index.
 */
export function loadPopularHead(minDownloads: number, file?: string | URL): Array<[string, number]> {
  const cached = file === undefined ? headCache.get(minDownloads) : undefined;
  if (cached) return cached;
  const gz = readFileSync(file ?? DEFAULT_INDEX_FILE);
  const source = String(file ?? DEFAULT_INDEX_FILE);
  for (let take = 256 * 1024; ; take *= 2) {
    const whole = take >= gz.length;
    // A sync flush returns everything the given bytes decode to instead of failing at the cut.
    const text = gunzipSync(
      whole ? gz : gz.subarray(0, take),
      whole ? {} : { finishFlush: constants.Z_SYNC_FLUSH },
    ).toString('utf8');
    const rows: Array<[string, number]> = [];
    const lines = text.split('\n');
    if (!whole) lines.pop(); // cut mid-row
    let reached = false;
    for (const line of lines) {
      if (line === '' || line.startsWith('#')) continue;
      const tab = line.indexOf('\t');
      const count = Number(line.slice(tab + 1));
      if (tab <= 0 || !Number.isSafeInteger(count))
        throw new Error(`${source}: expected name<TAB>downloads, got ${JSON.stringify(line.slice(0, 80))}`);
      if (count < minDownloads) {
        reached = true;
        break;
      }
      rows.push([line.slice(0, tab), count]);
    }
    if (reached || whole) {
      if (file === undefined) headCache.set(minDownloads, rows);
      return rows;
    }
  }
}

/** Builds an index from rows in any order; for tests and for callers with their own data. */
export function createPopularIndex(rows: ReadonlyArray<readonly [string, number]>): PopularIndex {
  const sorted = [...rows].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [name, count] of sorted) {
    if (!name || name.startsWith('#') || /[\t\n\r]/.test(name))
      throw new Error(`bad package name ${JSON.stringify(name)}`);
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`bad download count for ${name}: ${count}`);
  }
  // Going through the file format keeps one parser, so tests exercise the shipped code path.
  const text = sorted.map(([name, count]) => `${name}\t${count}\n`).join('');
  return parseIndex(Buffer.from(text, 'utf8'), 'rows');
}

const FNV_OFFSET = -2128831035;
const FNV_PRIME = 16777619;

interface Rows {
  /** The file's bytes, which the offsets below point into. */
  buf: Buffer;
  size: number;
  /** Byte offsets of each name in the buffer, end exclusive. */
  starts: Int32Array;
  ends: Int32Array;
  hashes: Int32Array;
  // Float64 because the top packages already pass 2^31 downloads a month.
  counts: Float64Array;
  sorted: boolean;
}

/**
 * Lookups work on the raw bytes through an open-addressing table: splitting the file into 227k
 * strings and filling a Map took ~300 ms on a 2-core machine; this takes about a third of that,
 * half of it gunzip.
 */
function parseIndex(input: Buffer, source: string): PopularIndex {
  const rows = scanRows(input, source);
  const { buf, size, starts, ends, hashes, counts } = rows;
  const nameAt = (r: number): string => buf.toString('utf8', starts[r], ends[r]);
  if (!rows.sorted) {
    return createPopularIndex(Array.from({ length: size }, (_, r) => [nameAt(r), counts[r]!] as const));
  }
  const table = buildTable(rows, source);
  const mask = table.length - 1;

  const find = (name: string): number | undefined => {
    const bytes = /^[\x00-\x7f]*$/.test(name) ? undefined : Buffer.from(name, 'utf8');
    const n = bytes ? bytes.length : name.length;
    let h = FNV_OFFSET;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ (bytes ? bytes[k]! : name.charCodeAt(k)), FNV_PRIME);
    for (let slot = h & mask, o = table[slot]!; o !== 0; slot = (slot + 1) & mask, o = table[slot]!) {
      const r = o - 1;
      const s = starts[r]!;
      if (hashes[r] !== h || ends[r]! - s !== n) continue;
      let k = 0;
      while (k < n && buf[s + k] === (bytes ? bytes[k] : name.charCodeAt(k))) k++;
      if (k === n) return r;
    }
    return undefined;
  };

  let names: string[] | undefined;
  let scopes: Map<string, number> | undefined;
  return {
    scopeSize(scope) {
      if (!scopes) {
        // Read off the bytes: only scoped rows make a string, and only of their scope.
        scopes = new Map();
        for (let r = 0; r < size; r++) {
          const s = starts[r]!;
          if (buf[s] !== 64) continue;
          const slash = buf.indexOf(47, s);
          if (slash < 0 || slash >= ends[r]!) continue;
          const key = buf.toString('utf8', s, slash);
          scopes.set(key, (scopes.get(key) ?? 0) + 1);
        }
      }
      return scopes.get(scope.replace(/\/$/, '')) ?? 0;
    },
    size,
    get names(): readonly string[] {
      // Made on first use only: lookups need no strings, and most runs never list the names.
      if (!names) {
        const text = isAscii(buf) ? buf.toString('latin1') : undefined;
        names = new Array<string>(size);
        for (let r = 0; r < size; r++) names[r] = text ? text.slice(starts[r], ends[r]) : nameAt(r);
      }
      return names;
    },
    downloads(name) {
      const r = find(name);
      return r === undefined ? undefined : counts[r];
    },
    rank(name) {
      const r = find(name);
      return r === undefined ? undefined : r + 1;
    },
  };
}

function scanRows(input: Buffer, source: string): Rows {
  // The loops below stop only at a newline, which saves a bounds check per byte.
  const buf = input.at(-1) === 10 ? input : Buffer.concat([input, Buffer.from('\n')]);
  // Local, not module-level: V8 checks module bindings for TDZ on every use, which cost a third
  // of this loop's time. Likewise the capacity: a row is at least 4 bytes but about 26 in practice,
  // and growing the arrays mid-loop deoptimises it, so start big and trim at the end.
  const TAB = 9;
  const NL = 10;
  const HASH = 35;
  let cap = Math.max(16, buf.length >>> 3);
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let hashes = new Int32Array(cap);
  let counts = new Float64Array(cap);
  let size = 0;
  let declared: number | undefined;
  let sorted = true;
  const len = buf.length;
  let i = 0;
  while (i < len) {
    let c = buf[i]!;
    if (c === NL) {
      i++;
      continue;
    }
    if (c === HASH) {
      const end = buf.indexOf(NL, i);
      const m = /^#\s*rows:\s*(\d+)/.exec(buf.toString('utf8', i, end));
      if (m) declared = Number(m[1]);
      i = end + 1;
      continue;
    }
    const start = i;
    let h = -2128831035; // FNV_OFFSET, inlined for the reason above
    while (c !== TAB && c !== NL) {
      h = Math.imul(h ^ c, 16777619);
      c = buf[++i]!;
    }
    const end = i;
    let count = 0;
    let digits = 0;
    if (c === TAB) {
      c = buf[++i]!;
      while (c !== NL) {
        const d = c - 48;
        if (d < 0 || d > 9) {
          digits = 0;
          break;
        }
        count = count * 10 + d;
        digits++;
        c = buf[++i]!;
      }
    }
    if (digits === 0 || end === start) throw new Error(`${source}: row ${size + 1}: expected name<TAB>downloads`);
    i++;
    if (size === cap) {
      cap *= 2;
      starts = grow(starts, cap);
      ends = grow(ends, cap);
      hashes = grow(hashes, cap);
      counts = grow(counts, cap);
    }
    if (size > 0 && count > counts[size - 1]!) sorted = false;
    starts[size] = start;
    ends[size] = end;
    hashes[size] = h;
    counts[size] = count;
    size++;
  }
  if (declared !== undefined && declared !== size) {
    throw new Error(`${source}: header says ${declared} rows, found ${size}`);
  }
  return {
    buf,
    size,
    sorted,
    starts: starts.slice(0, size),
    ends: ends.slice(0, size),
    hashes: hashes.slice(0, size),
    counts: counts.slice(0, size),
  };
}

/** Slot values are row + 1 so that 0 can mean empty. */
function buildTable({ buf, size, starts, ends, hashes }: Rows, source: string): Int32Array {
  const mask = (1 << (32 - Math.clz32(size * 2 + 1))) - 1;
  const table = new Int32Array(mask + 1);
  for (let r = 0; r < size; r++) {
    const h = hashes[r]!;
    const s = starts[r]!;
    const e = ends[r]!;
    let slot = h & mask;
    for (let o = table[slot]!; o !== 0; o = table[slot]!) {
      const q = o - 1;
      if (hashes[q] === h && ends[q]! - starts[q]! === e - s && buf.compare(buf, starts[q], ends[q], s, e) === 0) {
        throw new Error(`${source}: duplicate name ${buf.toString('utf8', s, e)}`);
      }
      slot = (slot + 1) & mask;
    }
    table[slot] = r + 1;
  }
  return table;
}

function grow<T extends Int32Array | Float64Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
