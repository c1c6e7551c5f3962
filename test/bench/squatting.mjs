// What the squatting check adds per 1,000 packages: `node test/bench/squatting.mjs [--runs N]`.
// Plain ESM JavaScript over the built dist/ (run `npm run build` first).
//
// Names: the shared bench lockfile's (npm-lockfile-lint, ../shared/bench next to the repository or
// $DEPVERIFY_BENCH_DIR), as real projects hold them, plus as many typo variants of popular names,
// the case the check exists for. Each measurement is a fresh child process, because what costs is
// the first use in a process (reading the index head, building the targets, loading the index):
//   cold: no memo; every name judged from the index (what a first run pays);
//   warm: the memo a cold run left beside the cache (what every later run pays).
// Reported: median milliseconds per 1,000 names over --runs (default 5).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { lockfileNames } from './recording.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' }, child: { type: 'string' } } });

if (opts.child) {
  // In the child: time createPopularity + the check's popularity questions for every name.
  const { names, memoDir } = JSON.parse(opts.child);
  const start = performance.now();
  const { createPopularity } = await import(pathToFileURL(path.join(repoRoot, 'dist/popularity/popularity.js')).href);
  const { typosquatTargets } = await import(pathToFileURL(path.join(repoRoot, 'dist/checks/suspicious.js')).href);
  const { parseConfig } = await import(pathToFileURL(path.join(repoRoot, 'dist/config/config.js')).href);
  const config = parseConfig({}, 'bench');
  const popularity = createPopularity({ minTargetDownloads: config.squatting.minTargetDownloads, memoDir });
  const context = { config, now: Date.now() };
  let flagged = 0;
  for (const name of names) if (typosquatTargets(name, { popularity, context }).length) flagged++;
  popularity.save();
  process.stdout.write(JSON.stringify({ ms: performance.now() - start, flagged }));
  process.exit(0);
}

const benchDir = process.env.DEPVERIFY_BENCH_DIR ?? path.resolve(repoRoot, '../shared/bench');
const lock = path.join(benchDir, 'npm-lockfile-lint', 'package-lock.json');
if (!existsSync(lock)) {
  console.error(`no bench lockfile at ${lock}`);
  process.exit(2);
}
const real = lockfileNames(lock);
// One deterministic typo per popular name: a doubled last letter.
const typos = real.filter((n) => !n.startsWith('@') && n.length >= 5).map((n) => n + n.at(-1));
const names = [...real, ...typos];
const runs = Number(opts.runs);

const child = (memoDir) => {
  const out = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', JSON.stringify({ names, memoDir })],
    { encoding: 'utf8' },
  );
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cold = [];
const warm = [];
let flagged = 0;
for (let i = 0; i < runs; i++) {
  const memoDir = mkdtempSync(path.join(os.tmpdir(), 'depverify-squat-bench-'));
  try {
    const c = child(memoDir);
    cold.push(c.ms);
    flagged = c.flagged;
    warm.push(child(memoDir).ms);
  } finally {
    rmSync(memoDir, { recursive: true, force: true });
  }
}
const per1000 = (ms) => ((ms / names.length) * 1000).toFixed(1);
console.log(
  `squatting check: ${names.length} names (${real.length} from the lockfile, ${typos.length} typo variants), ${flagged} judged typosquats, median of ${runs}`,
);
console.log(`cold (no memo): ${median(cold).toFixed(1)} ms in all, ${per1000(median(cold))} ms per 1,000 names`);
console.log(`warm (memo):    ${median(warm).toFixed(1)} ms in all, ${per1000(median(warm))} ms per 1,000 names`);
