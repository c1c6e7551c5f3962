// Replay registry for the registry-pass benchmark (plain ESM, Node built-ins only).
//
//   node test/bench/replay-server.mjs --recording DIR [--latency MS] [--port N] [--upstream URL]
//
// Serves `GET /<name>` (scoped as `@scope%2fname`, `%2F` or a plain `/`) from the recording with
// `content-type: application/json`, an ETag (sha1 of the body) and 304 for a matching
// If-None-Match; 404 for unknown names. `--latency` (default 20 ms) is added to every request
// before the first byte. Keep-alive is on. Bodies are served uncompressed, whatever the Accept
// header (like the development mirror: full packuments only).
// With `--upstream URL` (only in a record pass) a name missing from the recording is fetched from
// the upstream once, stored and served ("record on demand").
// Control (for the harness): GET /-/bench/stats[?reset=1], GET /-/bench/flush (saves the index).
// When started as a script it prints one JSON line {"port",...} on stdout once listening.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { emptyIndex, fetchUpstream, loadIndex, saveIndex, storeRecord } from './recording.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const PACKAGE_NAME = /^(?:@[^/@\s]+\/)?[^/@\s.][^/\s]*$/;

function newStats() {
  return {
    requests: 0,
    byStatus: {},
    bytesSent: 0,
    maxInFlight: 0,
    names: new Set(),
    missing: new Map(), // path → count, for names absent from the recording (not recorded 404s)
    recorded404: 0,
    accept: new Map(),
    userAgents: new Map(),
    recordedOnDemand: [],
    cpu: process.cpuUsage(),
  };
}

function statsJson(s) {
  const top = (m, n = 20) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).slice(0, n));
  const cpu = process.cpuUsage(s.cpu);
  return {
    serverCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    requests: s.requests,
    byStatus: s.byStatus,
    bytesSent: s.bytesSent,
    maxInFlight: s.maxInFlight,
    uniqueNames: s.names.size,
    recorded404: s.recorded404,
    missingCount: [...s.missing.values()].reduce((a, b) => a + b, 0),
    missing: top(s.missing, 50),
    accept: top(s.accept),
    userAgents: top(s.userAgents, 5),
    recordedOnDemand: s.recordedOnDemand,
  };
}

function decodeName(pathname) {
  const raw = pathname.slice(1).replace(/%2f/gi, '/');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function etagMatches(header, etag) {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

export async function startReplayServer({
  recording,
  latency = 20,
  port = 0,
  upstream = null,
  upstreamConcurrency = 16,
}) {
  const t0 = performance.now();
  const index = loadIndex(recording) ?? emptyIndex();
  const bodies = new Map(); // name → { body, etag }
  const notFound = new Set();
  let totalBytes = 0;
  const addEntry = (name, entry, body) => {
    if (entry.status === 200) {
      const etag = `"${entry.sha1 ?? createHash('sha1').update(body).digest('hex')}"`;
      bodies.set(name, { body, etag });
      totalBytes += body.length;
    } else if (entry.status === 404) {
      notFound.add(name);
    }
  };
  for (const [name, entry] of Object.entries(index.names)) {
    if (entry.status !== 200) {
      addEntry(name, entry);
      continue;
    }
    const body = gunzipSync(readFileSync(path.join(recording, 'packuments', entry.file)));
    addEntry(name, entry, body);
  }
  const loadMs = performance.now() - t0;

  let stats = newStats();
  let inFlight = 0;
  let dirty = false;

  // record on demand (record pass only)
  const pending = new Map();
  let upstreamActive = 0;
  const upstreamQueue = [];
  const acquire = () =>
    upstreamActive < upstreamConcurrency
      ? (upstreamActive++, Promise.resolve())
      : new Promise((resolve) => upstreamQueue.push(resolve));
  const release = () => {
    const next = upstreamQueue.shift();
    if (next) next();
    else upstreamActive--;
  };
  const recordOnDemand = (name) => {
    if (!pending.has(name)) {
      pending.set(
        name,
        (async () => {
          await acquire();
          try {
            const result = await fetchUpstream(upstream, name);
            if (result.status !== 200 && result.status !== 404) return null; // not stored; retried next time
            const entry = storeRecord(recording, index, name, result, 'on-demand');
            addEntry(name, entry, result.body);
            dirty = true;
            stats.recordedOnDemand.push(name);
            return bodies.get(name) ?? null;
          } finally {
            release();
            pending.delete(name);
          }
        })(),
      );
    }
    return pending.get(name);
  };

  const flush = () => {
    if (!dirty) return false;
    index.recordedAt = new Date().toISOString();
    saveIndex(recording, index);
    dirty = false;
    return true;
  };

  const server = http.createServer(async (req, res) => {
    const q = req.url.indexOf('?');
    const pathname = q === -1 ? req.url : req.url.slice(0, q);
    if (pathname.startsWith('/-/bench/')) {
      let out;
      if (pathname === '/-/bench/stats') {
        out = statsJson(stats);
        if (req.url.includes('reset=1')) stats = newStats();
      } else if (pathname === '/-/bench/flush') {
        out = { saved: flush(), names: Object.keys(index.names).length };
      } else {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.stringify(out);
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }

    const s = stats;
    s.requests++;
    inFlight++;
    if (inFlight > s.maxInFlight) s.maxInFlight = inFlight;
    res.on('close', () => inFlight--);
    const accept = req.headers.accept ?? '(none)';
    s.accept.set(accept, (s.accept.get(accept) ?? 0) + 1);
    const ua = req.headers['user-agent'] ?? '(none)';
    s.userAgents.set(ua, (s.userAgents.get(ua) ?? 0) + 1);
    const send = (status, headers, body) => {
      s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
      res.writeHead(status, headers);
      if (body && req.method !== 'HEAD') {
        s.bytesSent += body.length;
        res.end(body);
      } else res.end();
    };

    if (latency > 0) await sleep(latency);

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, { 'content-type': 'application/json' }, Buffer.from('{"error":"method not allowed"}'));
      return;
    }
    const name = decodeName(pathname);
    s.names.add(name);
    let hit = bodies.get(name);
    if (!hit && !notFound.has(name) && upstream && PACKAGE_NAME.test(name)) {
      hit = await recordOnDemand(name);
    }
    if (!hit) {
      if (notFound.has(name)) s.recorded404++;
      else s.missing.set(pathname, (s.missing.get(pathname) ?? 0) + 1);
      send(404, { 'content-type': 'application/json' }, Buffer.from('{"error":"Not found"}'));
      return;
    }
    if (etagMatches(req.headers['if-none-match'], hit.etag)) {
      send(304, { etag: hit.etag });
      return;
    }
    send(200, { 'content-type': 'application/json', 'content-length': hit.body.length, etag: hit.etag }, hit.body);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

  return {
    port: server.address().port,
    packuments: bodies.size,
    notFound: notFound.size,
    totalBytes,
    loadMs,
    flush,
    async close() {
      flush();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      recording: { type: 'string' },
      latency: { type: 'string', default: '20' },
      port: { type: 'string', default: '0' },
      upstream: { type: 'string' },
    },
  });
  if (!values.recording) {
    console.error('usage: replay-server.mjs --recording DIR [--latency MS] [--port N] [--upstream URL]');
    process.exit(2);
  }
  const replay = await startReplayServer({
    recording: path.resolve(values.recording),
    latency: Number(values.latency),
    port: Number(values.port),
    upstream: values.upstream ?? null,
  });
  const stop = async () => {
    await replay.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const { close, flush, ...info } = replay;
  process.stdout.write(`${JSON.stringify({ ...info, pid: process.pid })}\n`);
}
