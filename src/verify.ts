/**
 * `verify()`: one run (`verify-run.ts`), or, when nothing that run would read has changed since
 * the last one with the same options, that run's report (`cache/run-memo.ts`). This module loads
 * only what the memo needs: a warm run whose inputs are unchanged loads none of the scan, the
 * registry client or the checks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recallRun, rememberRun, type RunMemo } from './cache/run-memo.js';
import { ConfigError } from './model/errors.js';
import type { Report } from './model/report.js';
import { defaultCacheDir } from './registry/facts-cache.js';
import { openWitness, Witness } from './scan/observed-fs.js';
import type { VerifyOptions } from './verify-run.js';
import { VERSION } from './version.js';

export type { Progress, VerifyOptions } from './verify-run.js';
export { ConfigError };

/** Scan a project (or take package specs), check every package against the registry, report. */
export async function verify(options: VerifyOptions = {}): Promise<Report> {
  const memo = runMemoFor(options);
  if (memo && !options.refresh) {
    const kept = recallRun(memo);
    if (kept) return kept;
  }
  const { runVerify } = await import('./verify-run.js');
  if (!memo) return runVerify(options);
  const witness = new Witness();
  const close = openWitness(witness);
  let report: Report;
  try {
    report = await runVerify(options);
  } finally {
    close();
  }
  await rememberRun(memo, witness, report);
  return report;
}

let buildId: string | null | undefined;

/** The build's identity (`dist/build-id.json`, written by the build); none when run from source. */
function ownBuild(): string | undefined {
  if (buildId === undefined) {
    try {
      const stored: unknown = JSON.parse(readFileSync(new URL('./build-id.json', import.meta.url), 'utf8'));
      buildId = typeof (stored as { id?: unknown }).id === 'string' ? (stored as { id: string }).id : null;
    } catch {
      buildId = null;
    }
  }
  return buildId ?? undefined;
}

/** Variables that decide configuration wholesale; others are noted where read (`${VAR}` in .npmrc, PATH). */
const KEY_VARIABLES =
  /^npm_config_|^(DEPVERIFY_CACHE_DIR|DEPVERIFY_ENGINE|HOME|USERPROFILE|PREFIX|XDG_CACHE_HOME|LOCALAPPDATA)$/i;

/**
 * Where and under what key this run's report may be kept; undefined when it may not: inputs the
 * memo cannot see (a caller's client, fetch or index, git with `changedSince`, a fixed `now`),
 * `offline` (stale answers served on purpose), no cache, snippets' temporary projects.
 */
function runMemoFor(options: VerifyOptions): RunMemo | undefined {
  const build = options.runMemoBuild ?? ownBuild();
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir(env) : options.cacheDir;
  if (
    build === undefined ||
    !cacheDir ||
    options.client ||
    options.fetch ||
    options.npmConfig ||
    (options.popularIndex !== undefined && options.popularIndex !== false) ||
    options.now !== undefined ||
    options.changedSince !== undefined ||
    options.offline ||
    options.keepMemberResults === false
  )
    return undefined;
  const variables = Object.keys(env)
    .filter((name) => KEY_VARIABLES.test(name))
    .sort()
    .map((name) => [name, env[name]]);
  const key = JSON.stringify({
    build,
    version: VERSION,
    node: process.version,
    platform: process.platform,
    execPath: process.execPath,
    root: path.resolve(options.root ?? '.'),
    packages: options.packages ?? null,
    config: options.config ?? null,
    popularIndex: options.popularIndex ?? null,
    types: options.types ?? true,
    engine: options.engine ?? null,
    registry: options.registry ?? null,
    allowedHosts: options.allowedHosts ?? null,
    cacheTtl: options.cacheTtl ?? null,
    maxPackumentBytes: options.maxPackumentBytes ?? null,
    variables,
    // The engine's own fallback reads the process's environment, whatever `env` says.
    processEngine: process.env.DEPVERIFY_ENGINE ?? null,
  });
  return { cacheDir, key, env };
}
