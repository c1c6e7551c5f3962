// Recording helpers for the registry-pass benchmark (plain ESM, Node built-ins only).
//
// Layout of <repo>/.bench/recording/ (gitignored scratch):
//   index.json                 { version, recordedAt, peerRecorded, names: { <name>: entry } }
//   packuments/<file>.json.gz  the packument body exactly as the upstream registry sent it, gzipped
// entry = { status, bytes, file?, sha1?, source: 'lockfile' | 'on-demand', error? }
// No registry host name is ever written: the upstream comes from `npm config get registry` at
// record time and is only held in memory.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const INDEX_VERSION = 1;

/** `@scope/name` → `@scope%2fname`, as npm requests scoped packuments. */
export function encodeName(name) {
  return name.startsWith('@') ? name.replace('/', '%2f') : name;
}

/** File name (inside packuments/) for a package name. */
export function packumentFile(name) {
  return `${encodeURIComponent(name)}.json.gz`;
}

/**
 * Unique package names of an npm lockfile (v2/v3 `packages`): every entry under node_modules,
 * named by its `name` field (aliases) or the last `node_modules/` segment of its key; `link`
 * entries and workspace folders are skipped.
 */
export function lockfileNames(lockPath) {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  const names = new Set();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || entry.link) continue;
    const at = key.lastIndexOf('node_modules/');
    if (at === -1) continue; // workspace folder
    names.add(entry.name ?? key.slice(at + 'node_modules/'.length));
  }
  return [...names].sort();
}

export function emptyIndex() {
  return { version: INDEX_VERSION, recordedAt: null, peerRecorded: false, names: {} };
}

export function loadIndex(dir) {
  const file = path.join(dir, 'index.json');
  if (!existsSync(file)) return null;
  try {
    const index = JSON.parse(readFileSync(file, 'utf8'));
    return index.version === INDEX_VERSION ? index : null;
  } catch {
    return null;
  }
}

export function saveIndex(dir, index) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'index.json');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(index, null, 1)}\n`);
  renameSync(tmp, file);
}

/** Store one fetched answer (body kept only for 200) and add it to the index (not saved). */
export function storeRecord(dir, index, name, { status, body, error }, source) {
  const entry = { status, bytes: body ? body.length : 0, source };
  if (status === 200 && body) {
    const file = packumentFile(name);
    mkdirSync(path.join(dir, 'packuments'), { recursive: true });
    const target = path.join(dir, 'packuments', file);
    writeFileSync(`${target}.tmp`, gzipSync(body, { level: 6 }));
    renameSync(`${target}.tmp`, target);
    entry.file = file;
    entry.sha1 = createHash('sha1').update(body).digest('hex');
  }
  if (error) entry.error = error;
  index.names[name] = entry;
  return entry;
}

/** The upstream registry, from npm's configuration (never hard-coded, never stored). */
export function upstreamRegistry(cwd) {
  const out = execFileSync('npm', ['config', 'get', 'registry'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  const url = new URL(out);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fetch one full packument from the upstream registry, with retries on network errors, 429 and
 * 5xx. Returns { status, body?: Buffer, error? }. A 200 body is checked to be complete JSON.
 */
export async function fetchUpstream(upstream, name, { attempts = 4, timeoutMs = 120_000 } = {}) {
  let last;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(500 * 2 ** attempt);
    try {
      const res = await fetch(new URL(encodeName(name), upstream), {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status === 200) {
        JSON.parse(body.toString('utf8')); // throws on a truncated document → retry
        return { status: 200, body };
      }
      if (res.status === 404) return { status: 404 };
      last = { status: res.status, error: `HTTP ${res.status}` };
      if (res.status !== 429 && res.status < 500) return last;
    } catch (err) {
      last = { status: 0, error: String(err?.cause?.code ?? err?.name ?? err) };
    }
  }
  return last;
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function mapLimit(items, limit, fn) {
  let next = 0;
  const results = new Array(items.length);
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
