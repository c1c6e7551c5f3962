// Registry-pass benchmark of depverify ("depverify end to end"): `npm run bench`.
// Plain ESM JavaScript, Node built-ins only.
//
//   node test/bench/registry-pass.mjs [--record] [--latency MS] [--concurrency N] [--runs N]
//                                     [--json] [--no-build] [--skip-peer]
//
// Input: the shared bench lockfile (npm-lockfile-lint: lockfileVersion 3, npm workspaces), found at
// ../shared/bench/npm-lockfile-lint next to the repository or at $DEPVERIFY_BENCH_DIR.
//
// 1. Recording (once; `--record` forces it): the lockfile's unique package names, fetched as full
//    packuments from the upstream registry (`npm config get registry`), 16 at a time, into
//    .bench/recording/ (gzipped, one file per package, plus index.json with status codes). The
//    same pass runs the npm peer once against a record-on-demand replay so that names npm resolves
//    beyond the lockfile are recorded too.
// 2. Replay: test/bench/replay-server.mjs in a child process on 127.0.0.1 (random port), with
//    --latency ms added before the first byte of each answer. A child, so that its CPU and memory
//    are not in the clients' measurements (the machine's 2 cores are shared either way).
// 3. Measurements, each a separate child Node process timed from spawn to exit (startup included),
//    peak RSS from process.resourceUsage().maxRSS written on exit by test/bench/rss-preload.mjs:
//    floor (plain keep-alive fetch + JSON.parse of every packument, concurrency 16 and 32),
//    depverify cold (fresh --cache-dir), `node -e 0` (Node's own start, the warm run's reference),
//    depverify warm (same cache dir again: the run memo answers), depverify warm on an edited copy
//    of the project (its package.json with one more newline: the memo misses, the facts cache
//    answers), and the peer:
//    `npm install --package-lock-only` from scratch with an empty npm cache. `--runs N` repeats the
//    floor and depverify runs and reports medians (the peer runs once).
// Progress goes to stderr; the table (or, with --json, the results as JSON) to stdout.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  emptyIndex,
  fetchUpstream,
  loadIndex,
  lockfileNames,
  mapLimit,
  saveIndex,
  storeRecord,
  upstreamRegistry,
} from './recording.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const PRELOAD = path.join(here, 'rss-preload.mjs');
const RECORD_CONCURRENCY = 16;
// the CLI under test; DEPVERIFY_BENCH_CLI points the bench at another entry point (testing the harness)
const CLI = process.env.DEPVERIFY_BENCH_CLI
  ? path.resolve(process.env.DEPVERIFY_BENCH_CLI)
  : path.join(repoRoot, 'bin', 'depverify.js');

const { values: opts } = parseArgs({
  options: {
    record: { type: 'boolean', default: false },
    latency: { type: 'string', default: '20' },
    concurrency: { type: 'string' },
    runs: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'skip-peer': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(
    'usage: node test/bench/registry-pass.mjs [--record] [--latency MS] [--concurrency N] [--runs N] [--json] [--no-build] [--skip-peer]',
  );
  process.exit(0);
}
const latency = Number(opts.latency);
const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
const runs = Math.max(1, Number(opts.runs) || 1);
const log = (...args) => console.error(...args);

const benchDir = process.env.DEPVERIFY_BENCH_DIR
  ? path.resolve(process.env.DEPVERIFY_BENCH_DIR)
  : path.resolve(repoRoot, '../shared/bench/npm-lockfile-lint');
const lockPath = path.join(benchDir, 'package-lock.json');
if (!existsSync(lockPath)) {
  console.log(`registry-pass bench: skipped, it needs ../shared/bench (no ${lockPath}; set DEPVERIFY_BENCH_DIR).`);
  process.exit(0);
}

const benchScratch = path.join(repoRoot, '.bench');
const recDir = path.join(benchScratch, 'recording');
const runDir = path.join(benchScratch, 'run');
mkdirSync(runDir, { recursive: true });
const tempDirs = [];
const tempDir = (prefix) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `depverify-bench-${prefix}-`));
  tempDirs.push(dir);
  return dir;
};

/** Environment for measured children: without npm's npm_* variables (`npm run` sets e.g.
 * npm_config_local_prefix, which would point a child npm at this repository). */
function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ...extra };
}

/** Spawn and time a child (spawn → exit), with peak RSS from the preload. */
async function runTimed(label, command, args, { cwd = repoRoot, env = {}, nodeOptionsPreload = false } = {}) {
  const rssFile = path.join(runDir, `${label}.rss`);
  rmSync(rssFile, { force: true });
  const e = childEnv({ ...env, DEPVERIFY_BENCH_RSS_FILE: rssFile });
  if (nodeOptionsPreload) e.NODE_OPTIONS = `${e.NODE_OPTIONS ?? ''} --import=${pathToFileURL(PRELOAD).href}`.trim();
  const t0 = performance.now();
  const child = spawn(command, args, { cwd, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  const { code, signal } = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const wall = (performance.now() - t0) / 1000;
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = Buffer.concat(err).toString('utf8');
  writeFileSync(path.join(runDir, `${label}.stdout`), stdout);
  writeFileSync(path.join(runDir, `${label}.stderr`), stderr);
  let rssKB = null;
  let cpu = null;
  if (existsSync(rssFile)) {
    const lines = readFileSync(rssFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number));
    const own = lines.find(([pid]) => pid === child.pid) ?? lines.sort((a, b) => b[1] - a[1])[0];
    rssKB = own[1];
    cpu = (own[2] + own[3]) / 1e6;
  }
  return { label, code, signal, wall, cpu, rssMB: rssKB === null ? null : rssKB / 1024, stdout, stderr };
}

// ---------------------------------------------------------------- replay server (child process)
async function startReplay({ latency, upstream = null }) {
  const args = [path.join(here, 'replay-server.mjs'), '--recording', recDir, '--latency', String(latency)];
  if (upstream) args.push('--upstream', upstream);
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (l) => resolve(l));
    child.once('exit', (code) => reject(new Error(`replay server exited (${code}) before listening`)));
  });
  const info = JSON.parse(line);
  const base = `http://127.0.0.1:${info.port}/`;
  const control = async (p) => (await fetch(`${base}-/bench/${p}`)).json();
  return {
    ...info,
    base,
    stats: (reset = true) => control(`stats${reset ? '?reset=1' : ''}`),
    flush: () => control('flush'),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

// ---------------------------------------------------------------- peer: npm install --package-lock-only
function npmCli() {
  const found = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  return realpathSync(found); // …/npm/bin/npm-cli.js
}

/** Copy the bench's package.json files (root + workspaces, no lockfile) to a temp dir outside the repo. */
function peerProject() {
  const dir = tempDir('peer');
  const walk = (rel) => {
    for (const ent of readdirSync(path.join(benchDir, rel), { withFileTypes: true })) {
      if (ent.name === 'node_modules') continue;
      const r = path.join(rel, ent.name);
      if (ent.isDirectory()) walk(r);
      else if (ent.name === 'package.json') {
        mkdirSync(path.join(dir, rel), { recursive: true });
        cpSync(path.join(benchDir, r), path.join(dir, r));
      }
    }
  };
  walk('.');
  return dir;
}

async function runPeer(label, base) {
  const project = peerProject();
  const cache = tempDir('npm-cache');
  const rcDir = tempDir('npmrc');
  const userrc = path.join(rcDir, 'user-npmrc');
  const globalrc = path.join(rcDir, 'global-npmrc');
  writeFileSync(userrc, '');
  writeFileSync(globalrc, '');
  const args = [
    npmCli(),
    'install',
    '--package-lock-only',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    `--registry=${base}`,
    `--cache=${cache}`,
    `--prefix=${project}`,
    `--userconfig=${userrc}`,
    `--globalconfig=${globalrc}`,
  ];
  const r = await runTimed(label, process.execPath, args, { cwd: project, nodeOptionsPreload: true });
  const lock = path.join(project, 'package-lock.json');
  r.lockEntries = existsSync(lock) ? Object.keys(JSON.parse(readFileSync(lock, 'utf8')).packages ?? {}).length : null;
  r.ok = r.code === 0 && r.lockEntries !== null;
  rmSync(cache, { recursive: true, force: true });
  return r;
}

// ---------------------------------------------------------------- recording
async function ensureRecording(names) {
  let index = opts.record ? null : loadIndex(recDir);
  const missing = index ? names.filter((n) => ![200, 404].includes(index.names[n]?.status)) : names;
  if (index && missing.length === 0 && index.peerRecorded) return { index, recorded: false };

  const upstream = upstreamRegistry(repoRoot);
  if (!index) {
    rmSync(recDir, { recursive: true, force: true });
    index = emptyIndex();
  }
  if (missing.length) {
    log(
      `recording ${missing.length} packuments from the upstream registry (npm config), ${RECORD_CONCURRENCY} at a time…`,
    );
    const t0 = performance.now();
    let done = 0;
    let bytes = 0;
    await mapLimit(missing, RECORD_CONCURRENCY, async (name) => {
      const result = await fetchUpstream(upstream, name);
      const entry = storeRecord(recDir, index, name, result, 'lockfile');
      bytes += entry.bytes;
      if (++done % 100 === 0 || done === missing.length)
        log(
          `  ${done}/${missing.length}, ${(bytes / 1e6).toFixed(1)} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
    });
    index.recordedAt = new Date().toISOString();
    index.peerRecorded = false;
    saveIndex(recDir, index);
    const failed = missing.filter((n) => ![200, 404].includes(index.names[n].status));
    if (failed.length)
      log(
        `  ${failed.length} failed (not 200/404), e.g. ${failed
          .slice(0, 5)
          .map((n) => `${n}: ${index.names[n].error}`)
          .join(', ')}`,
      );
  }
  if (!opts['skip-peer']) {
    log(
      'record pass: npm peer against a record-on-demand replay (latency 0), to record names npm resolves beyond the lockfile…',
    );
    const replay = await startReplay({ latency: 0, upstream });
    await replay.stats(true);
    const peer = await runPeer('record-peer', replay.base);
    const stats = await replay.stats(true);
    await replay.flush();
    await replay.stop();
    index = loadIndex(recDir);
    log(
      `  npm exit ${peer.code} in ${peer.wall.toFixed(1)} s, ${stats.requests} requests, ${stats.recordedOnDemand.length} names recorded on demand, ${stats.missingCount} unanswerable`,
    );
    if (peer.ok) {
      index.peerRecorded = true;
      saveIndex(recDir, index);
    } else log(`  npm failed in the record pass; see ${path.join(runDir, 'record-peer.stderr')}`);
  }
  return { index, recorded: true };
}

function recordingSummary(index, names) {
  const entries = Object.values(index.names);
  const lockEntries = names.map((n) => index.names[n]).filter(Boolean);
  const sum = (list) => list.reduce((a, e) => a + e.bytes, 0);
  let diskBytes = 0;
  for (const e of entries) if (e.file) diskBytes += statSync(path.join(recDir, 'packuments', e.file)).size;
  return {
    lockfileNames: names.length,
    lockfile200: lockEntries.filter((e) => e.status === 200).length,
    lockfile404: lockEntries.filter((e) => e.status === 404).length,
    lockfileFailed: names.length - lockEntries.filter((e) => e.status === 200 || e.status === 404).length,
    lockfileBytes: sum(lockEntries),
    onDemand: entries.filter((e) => e.source === 'on-demand').length,
    total: entries.length,
    total200: entries.filter((e) => e.status === 200).length,
    totalBytes: sum(entries),
    gzipBytesOnDisk: diskBytes,
    peerRecorded: !!index.peerRecorded,
  };
}

// ---------------------------------------------------------------- depverify build and runs
function newestMtime(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const ent of readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, ent)));
  return m;
}

function ensureBuilt() {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const sources = Math.max(
    newestMtime(path.join(repoRoot, 'src')),
    ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => statSync(path.join(repoRoot, f)).mtimeMs),
  );
  let built = { ran: false, ok: true };
  if (
    !opts['no-build'] &&
    !process.env.DEPVERIFY_BENCH_CLI &&
    (!existsSync(cli) || newestMtime(path.join(repoRoot, 'dist')) < sources)
  ) {
    log('dist/ is stale: npm run build…');
    const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8', env: childEnv() });
    built = {
      ran: true,
      ok: r.status === 0,
      output: `${r.stdout}${r.stderr}`.trim().split('\n').slice(-20).join('\n'),
    };
    if (!built.ok) log(`build failed:\n${built.output}`);
  }
  const help = spawnSync(process.execPath, [CLI, '--help'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: childEnv(),
  });
  built.cliWorks = help.status === 0;
  if (!built.cliWorks) built.cliError = `${help.stderr || help.stdout}`.trim().split('\n').slice(0, 6).join('\n');
  return built;
}

function depverifyArgs(base, cacheDir, root = benchDir) {
  const args = [
    '--import',
    pathToFileURL(PRELOAD).href,
    CLI,
    root,
    '--registry',
    base,
    '--cache-dir',
    cacheDir,
    '--format',
    'json',
  ];
  if (concurrency !== undefined) args.push('--concurrency', String(concurrency));
  return args;
}

function parseReport(stdout) {
  try {
    const report = JSON.parse(stdout);
    const packages = Array.isArray(report.packages) ? report.packages : [];
    const states = {};
    for (const p of packages) states[p.state ?? '(none)'] = (states[p.state ?? '(none)'] ?? 0) + 1;
    const unknownNames = packages.filter((p) => p.state === 'unknown').map((p) => p.name);
    return {
      summary: report.summary ?? null,
      packages: packages.length,
      states,
      unknown: unknownNames.length,
      unknownNames: unknownNames.slice(0, 20),
    };
  } catch (err) {
    return { parseError: String(err).slice(0, 200) };
  }
}

async function runDepverify(label, replay, cacheDir, root = benchDir) {
  await replay.stats(true);
  const r = await runTimed(label, process.execPath, depverifyArgs(replay.base, cacheDir, root));
  r.replay = await replay.stats(true);
  r.report = parseReport(r.stdout);
  return r;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------- main
const names = lockfileNames(lockPath);
log(`bench: ${benchDir} (${names.length} unique package names)`);
const { index, recorded } = await ensureRecording(names);
const rec = recordingSummary(index, names);
log(
  `recording: ${rec.lockfile200} packuments + ${rec.lockfile404} 404 for the lockfile's ${rec.lockfileNames} names, ` +
    `${(rec.lockfileBytes / 1e6).toFixed(1)} MB; with ${rec.onDemand} on-demand names for the peer: ${rec.total200} packuments, ` +
    `${(rec.totalBytes / 1e6).toFixed(1)} MB (${(rec.gzipBytesOnDisk / 1e6).toFixed(1)} MB gzipped on disk)${recorded ? ' [recorded now]' : ' [cached]'}`,
);

const namesFile = path.join(runDir, 'names.json');
writeFileSync(namesFile, JSON.stringify(names));
const build = ensureBuilt();
if (!build.cliWorks) log(`depverify CLI not usable yet (node bin/depverify.js --help failed): ${build.cliError}`);

const replay = await startReplay({ latency });
log(
  `replay: ${replay.base} (child pid ${replay.pid}), ${replay.packuments} packuments loaded in ${Math.round(replay.loadMs)} ms, latency ${latency} ms`,
);

const results = {
  latency,
  concurrency: concurrency ?? null,
  runs,
  cores: os.cpus().length,
  loadavgBefore: os.loadavg(),
  recording: rec,
  build,
  rows: {},
};
if (results.loadavgBefore[0] > 1)
  log(
    `note: load average ${results.loadavgBefore.map((l) => l.toFixed(2)).join(' ')} on ${results.cores} cores before measuring; wall times will be noisy`,
  );
try {
  // floor
  // fetch (the floor of record) at 16, 32 and --concurrency; node:http at 16 for comparison
  const floorRuns = [...new Set([16, 32, ...(concurrency !== undefined ? [concurrency] : [])])].map((c) => [
    'fetch',
    c,
  ]);
  floorRuns.push(['http', concurrency ?? 16]);
  for (const [client, c] of floorRuns) {
    const key = client === 'fetch' ? `floor@${c}` : `floor ${client}@${c}`;
    const list = [];
    for (let i = 0; i < runs; i++) {
      await replay.stats(true);
      const r = await runTimed(`floor-${client}-${c}-${i + 1}`, process.execPath, [
        '--import',
        pathToFileURL(PRELOAD).href,
        path.join(here, 'floor-client.mjs'),
        '--base',
        replay.base,
        '--names',
        namesFile,
        '--concurrency',
        String(c),
        '--client',
        client,
      ]);
      r.replay = await replay.stats(true);
      try {
        r.inner = JSON.parse(r.stdout);
      } catch {
        r.inner = {};
      }
      list.push(r);
      const inner = r.inner;
      log(
        `${key} #${i + 1}: ${r.wall.toFixed(2)} s (inner ${inner.innerMs} ms, cpu ${r.cpu?.toFixed(2)} s), ${inner.ok} ok / ${inner.notFound} 404 / ${inner.other} other, ${r.rssMB?.toFixed(0)} MB RSS`,
      );
    }
    results.rows[key] = {
      wall: median(list.map((r) => r.wall)),
      walls: list.map((r) => r.wall),
      cpu: median(list.map((r) => r.cpu ?? 0)),
      rssMB: median(list.map((r) => r.rssMB ?? 0)),
      codes: list.map((r) => r.code),
      requests: list[0].replay.requests,
      maxInFlight: Math.max(...list.map((r) => r.replay.maxInFlight)),
      serverCpu: median(list.map((r) => r.replay.serverCpuMs / 1000)),
      client: list[list.length - 1].inner,
    };
  }

  // depverify cold and warm
  if (build.cliWorks) {
    const cold = [];
    const warm = [];
    const edited = [];
    const start = [];
    for (let i = 0; i < runs; i++) {
      const cacheDir = tempDir('cache');
      const c = await runDepverify(`depverify-cold-${i + 1}`, replay, cacheDir);
      log(
        `depverify cold #${i + 1}: ${c.wall.toFixed(2)} s, exit ${c.code}, ${c.rssMB?.toFixed(0)} MB RSS, ${c.replay.requests} requests ${JSON.stringify(c.replay.byStatus)} (max ${c.replay.maxInFlight} in flight), ${c.report.unknown ?? '?'} unknown${c.replay.missingCount ? `; asked for names not in the recording: ${Object.keys(c.replay.missing).join(' ')}` : ''}`,
      );
      // Node's own start, paired with each warm run: the warm target is a ratio to it.
      const n = await runTimed(`node-e0-${i + 1}`, process.execPath, [
        '--import',
        pathToFileURL(PRELOAD).href,
        '-e',
        '0',
      ]);
      log(`node -e 0 #${i + 1}: ${n.wall.toFixed(2)} s, cpu ${n.cpu?.toFixed(2)} s`);
      start.push(n);
      const w = await runDepverify(`depverify-warm-${i + 1}`, replay, cacheDir);
      log(
        `depverify warm #${i + 1}: ${w.wall.toFixed(2)} s, exit ${w.code}, ${w.rssMB?.toFixed(0)} MB RSS, ${w.replay.requests} requests ${JSON.stringify(w.replay.byStatus)}, ${w.report.unknown ?? '?'} unknown`,
      );
      // The same project with its manifest edited (a copy, so the shared bench stays as it is):
      // the run memo cannot answer, the facts cache does. What a warm run costs when it must work.
      const copy = tempDir('edited');
      cpSync(benchDir, copy, { recursive: true });
      writeFileSync(path.join(copy, 'package.json'), `${readFileSync(path.join(copy, 'package.json'), 'utf8')}\n`);
      const e = await runDepverify(`depverify-edited-${i + 1}`, replay, cacheDir, copy);
      log(
        `depverify warm, manifest edited #${i + 1}: ${e.wall.toFixed(2)} s, exit ${e.code}, ${e.rssMB?.toFixed(0)} MB RSS, ${e.replay.requests} requests, ${e.report.unknown ?? '?'} unknown`,
      );
      rmSync(copy, { recursive: true, force: true });
      cold.push(c);
      warm.push(w);
      edited.push(e);
      rmSync(cacheDir, { recursive: true, force: true });
    }
    for (const [key, list] of [
      ['depverify cold', cold],
      ['depverify warm', warm],
      ['depverify warm, edited', edited],
    ]) {
      const last = list[list.length - 1];
      results.rows[key] = {
        wall: median(list.map((r) => r.wall)),
        walls: list.map((r) => r.wall),
        cpu: median(list.map((r) => r.cpu ?? 0)),
        rssMB: median(list.map((r) => r.rssMB ?? 0)),
        serverCpu: median(list.map((r) => r.replay.serverCpuMs / 1000)),
        rssMBs: list.map((r) => r.rssMB),
        codes: list.map((r) => r.code),
        requests: median(list.map((r) => r.replay.requests)),
        maxInFlight: Math.max(...list.map((r) => r.replay.maxInFlight)),
        replay: last.replay,
        report: last.report,
        stderrTail:
          last.code >= 2 || last.code === null ? last.stderr.trim().split('\n').slice(-15).join('\n') : undefined,
      };
    }
    results.rows['node -e 0'] = {
      wall: median(start.map((r) => r.wall)),
      walls: start.map((r) => r.wall),
      cpu: median(start.map((r) => r.cpu ?? 0)),
      rssMB: median(start.map((r) => r.rssMB ?? 0)),
      codes: start.map((r) => r.code),
    };
    // Per pair (each warm run over the node -e 0 just before it), then the median: load moves both.
    const pairs = warm.map((w, i) => ({ wall: w.wall / start[i].wall, cpu: (w.cpu ?? 0) / (start[i].cpu || 1) }));
    results.rows['depverify warm'].overStart = {
      wall: median(pairs.map((p) => p.wall)),
      cpu: median(pairs.map((p) => p.cpu)),
    };
    const editedPairs = edited.map((e, i) => ({
      wall: e.wall / start[i].wall,
      cpu: (e.cpu ?? 0) / (start[i].cpu || 1),
    }));
    results.rows['depverify warm, edited'].overStart = {
      wall: median(editedPairs.map((p) => p.wall)),
      cpu: median(editedPairs.map((p) => p.cpu)),
    };
  }

  // peer
  if (!opts['skip-peer']) {
    await replay.stats(true);
    const p = await runPeer('peer', replay.base);
    const stats = await replay.stats(true);
    results.rows.peer = {
      wall: p.wall,
      cpu: p.cpu,
      rssMB: p.rssMB,
      serverCpu: stats.serverCpuMs / 1000,
      code: p.code,
      ok: p.ok,
      lockEntries: p.lockEntries,
      requests: stats.requests,
      maxInFlight: stats.maxInFlight,
      missing: stats.missing,
      missingCount: stats.missingCount,
      stderrTail: p.ok ? undefined : p.stderr.trim().split('\n').slice(-15).join('\n'),
    };
    log(
      `peer (npm install --package-lock-only): ${p.wall.toFixed(1)} s, exit ${p.code}, ${p.rssMB?.toFixed(0)} MB RSS, ${stats.requests} requests, ${p.lockEntries} lock entries${stats.missingCount ? `, ${stats.missingCount} requests for names not in the recording` : ''}`,
    );
  }
} finally {
  await replay.stop();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}

// ---------------------------------------------------------------- report
results.loadavgAfter = os.loadavg();
const ref = results.rows[`floor@${concurrency ?? 16}`];
const peer = results.rows.peer?.ok ? results.rows.peer : null;
for (const row of Object.values(results.rows)) {
  row.vsFloor = ref ? row.wall / ref.wall : null;
  row.peerOver = peer ? peer.wall / row.wall : null;
}
const cold = results.rows['depverify cold'];
const warm = results.rows['depverify warm'];
const peakRss =
  cold && warm ? Math.max(cold.rssMB ?? 0, warm.rssMB ?? 0, ...(cold.rssMBs ?? []), ...(warm.rssMBs ?? [])) : null;
results.targets = {
  'cold <= 1.5x floor': cold ? { value: cold.vsFloor, pass: cold.vsFloor <= 1.5 } : null,
  'peer/cold >= 10x': cold && peer ? { value: cold.peerOver, pass: cold.peerOver >= 10 } : null,
  'warm < 0.5 s': warm ? { value: warm.wall, pass: warm.wall < 0.5 } : null,
  'warm <= 2.5x node -e 0 (wall, median of pairs)': warm?.overStart
    ? { value: warm.overStart.wall, pass: warm.overStart.wall <= 2.5 }
    : null,
  'peak RSS < 300 MB': peakRss !== null ? { value: peakRss, pass: peakRss < 300 } : null,
};

if (opts.json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const fmt = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));
  const rows = [
    ['name', 'wall s', 'this/floor', 'peer/this', 'peak RSS MB', 'cpu s', 'replay cpu s', 'requests', 'note'],
  ];
  for (const [name, r] of Object.entries(results.rows)) {
    let note = '';
    if (r.report) {
      note = r.report.parseError
        ? `bad JSON: ${r.report.parseError}`
        : `exit ${r.codes.join('/')}, ${r.report.unknown} unknown`;
      if (r.replay.missingCount)
        note += `, ${r.replay.missingCount} not in recording (${Object.keys(r.replay.missing).slice(0, 3).join(' ')})`;
    }
    if (name === 'peer') note = r.ok ? `exit 0, ${r.lockEntries} lock entries` : `FAILED (exit ${r.code})`;
    if (name.startsWith('floor')) note = `${r.client?.ok ?? '?'} ok, ${r.client?.notFound ?? '?'} 404`;
    if (r.overStart)
      note += `; ${r.overStart.wall.toFixed(2)}x node -e 0 by wall, ${r.overStart.cpu.toFixed(2)}x by cpu`;
    rows.push([
      name,
      fmt(r.wall),
      fmt(r.vsFloor),
      fmt(r.peerOver, 1),
      fmt(r.rssMB, 0),
      fmt(r.cpu),
      fmt(r.serverCpu),
      String(r.requests ?? '-'),
      note,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(
    `\nregistry pass: ${rec.lockfileNames} names, ${(rec.lockfileBytes / 1e6).toFixed(1)} MB of packuments, replay latency ${latency} ms` +
      `${concurrency !== undefined ? `, depverify --concurrency ${concurrency}` : ''}${runs > 1 ? `, median of ${runs} depverify runs` : ''}\n`,
  );
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 || i === 8 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  console.log(
    `\nwall: spawn to exit of a separate Node process (startup included); cpu: user+system of that process; replay cpu: the replay server child during the run. ` +
      `floor@N: fetch + JSON.parse at concurrency N (reference: floor@${concurrency ?? 16}); floor http: node:http for comparison. ` +
      `Load average before/after: ${results.loadavgBefore.map((l) => l.toFixed(2)).join(' ')} / ${results.loadavgAfter.map((l) => l.toFixed(2)).join(' ')} (${results.cores} cores).\n`,
  );
  if (!build.cliWorks)
    console.log(`depverify not measured: the CLI does not work yet (${build.cliError?.split('\n')[0]})`);
  for (const [name, t] of Object.entries(results.targets)) {
    if (t) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${name}: ${t.value.toFixed(2)}`);
    else console.log(`n/a   ${name}`);
  }
}
