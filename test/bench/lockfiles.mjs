// Lockfile benchmark (issue 4): `node test/bench/lockfiles.mjs [--runs N]` after `npm run build`.
//
// For each shared pnpm project (../shared/bench/pnpm-knip and pnpm-attw, or $DEPVERIFY_BENCH_DIR):
//   parse, first call: a fresh Node process imports the scan layer and reads the lockfile once,
//     timed from before the import to the result (what a CLI run pays: module loading included);
//   parse, warm: the same call repeated in that process (the parser alone);
//   full check, warm: `depverify <dir> --offline` with a cache a cold run filled, spawn to exit.
// The cold fill asks the configured registry (npm's configuration), once per cache directory in
// .bench/lockfiles-cache; later runs reuse it. Medians of --runs (default 5).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const CLI = path.join(repoRoot, 'bin', 'depverify.js');
const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' }, child: { type: 'string' } } });

if (opts.child) {
  const start = performance.now();
  const { readLockfile } = await import(pathToFileURL(path.join(repoRoot, 'dist/scan/lockfile.js')).href);
  const first = await readLockfile(opts.child);
  const firstMs = performance.now() - start;
  const warm = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await readLockfile(opts.child);
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({
      firstMs,
      warmMs: warm[2],
      entries: first.lockfile?.packages.length ?? 0,
      errors: first.errors.length,
    }),
  );
  process.exit(0);
}

const benchDir = process.env.DEPVERIFY_BENCH_DIR ?? path.resolve(repoRoot, '../shared/bench');
const runs = Number(opts.runs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const project of ['pnpm-knip', 'pnpm-attw']) {
  const dir = path.join(benchDir, project);
  if (!existsSync(dir)) {
    console.error(`no bench project at ${dir}`);
    process.exit(2);
  }
  const parses = [];
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    parses.push(JSON.parse(out.stdout));
  }
  const cacheDir = path.join(repoRoot, '.bench', 'lockfiles-cache', project);
  mkdirSync(cacheDir, { recursive: true });
  const cli = (extra) => {
    const t = performance.now();
    const out = spawnSync(process.execPath, [CLI, dir, '--cache-dir', cacheDir, '--format', 'json', ...extra], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const ms = performance.now() - t;
    const report = JSON.parse(out.stdout);
    return { ms, code: out.status, report };
  };
  const fill = cli([]);
  if (fill.report.summary.unknown > 0)
    console.error(`${project}: ${fill.report.summary.unknown} packages unknown after the cold fill`);
  const warm = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = cli(['--offline']);
    warm.push(last.ms);
  }
  const s = last.report.summary;
  console.log(
    `${project}: ${parses[0].entries} lockfile entries, ${s.names} names; parse first call ${median(parses.map((p) => p.firstMs)).toFixed(1)} ms, ` +
      `parse warm ${median(parses.map((p) => p.warmMs)).toFixed(1)} ms; full check warm ${(median(warm) / 1000).toFixed(2)} s (exit ${last.code}, ${s.unknown} unknown, ${s.errors} errors, ${s.warnings} warnings)`,
  );
}
