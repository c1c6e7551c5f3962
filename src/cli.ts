import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cac } from 'cac';
import { SEVERITIES, type Severity } from './model/finding.js';
import type { Report } from './model/report.js';
import { sanitize } from './model/sanitize.js';
import { EXIT, exitCode } from './report/exit-code.js';
import { formatGithub } from './report/github.js';
import { formatJson } from './report/json.js';
import { formatSarif } from './report/sarif.js';
import { formatText } from './report/text.js';
import { ConfigError, type Progress, verify } from './verify.js';
import { VERSION } from './version.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

class UsageError extends Error {}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}`);
}

function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive whole number`);
  return n;
}

function asList(value: unknown, flag: string): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (list.some((item) => typeof item !== 'string' || item === '')) throw new UsageError(`${flag} needs a value`);
  return list as string[];
}

/** A one-line progress counter on stderr, only on a terminal and only once a run takes a moment. */
function progressReporter(io: CliIo, enabled: boolean): { update(p: Progress): void; done(): void } {
  const started = Date.now();
  let shown = false;
  let last = 0;
  return {
    update(p) {
      if (!enabled || p.phase !== 'registry' || Date.now() - started < 400 || Date.now() - last < 100) return;
      last = Date.now();
      shown = true;
      io.stderr.write(`\r\u001b[2Kdepverify: checking packages ${p.done}/${p.total}`);
    },
    done() {
      if (shown) io.stderr.write('\r\u001b[2K');
    },
  };
}

/** The CLI: parse options → verify → format → exit code. Returns the exit code; never exits. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }): Promise<number> {
  const cli = cac('depverify');
  cli
    .command('[dir]', 'Check the packages a project references against the registry')
    .option('--package <spec>', 'Check this package spec (name or name@range) instead of a project; repeatable')
    .option('--format <format>', 'Output format: text, json, sarif (code scanning) or github (Actions annotations)', { default: 'text' })
    .option('--output <file>', 'Write the report to a file instead of standard output')
    .option('--fail-on <severity>', 'Lowest severity that makes the exit code 1: error, warning or info', { default: 'error' })
    .option('--changed-since <ref>', 'Check only lockfile entries, declarations and imports added or changed since this git ref')
    .option('--allowed-hosts <hosts>', 'Comma-separated hosts lockfile entries may download from besides the configured registries; repeatable')
    .option('--registry <url>', 'Registry to use for unscoped packages (default: from .npmrc)')
    .option('--config <file>', 'Configuration file (default: depverify.config.json or package.json "depverify")')
    .option('--cache-dir <dir>', 'Cache directory (default: the user cache directory, or DEPVERIFY_CACHE_DIR)')
    .option('--cache-ttl <seconds>', 'Use cached registry answers younger than this without asking (default 21600)')
    .option('--no-cache', 'Do not read or write the cache')
    .option('--offline', 'Answer from the cache alone; packages not cached are reported as unknown')
    .option('--refresh', 'Ignore cached answers and ask the registry again')
    .option('--concurrency <n>', 'Registry requests at once (default 16)')
    .option('--timeout <seconds>', 'Time limit for each registry request, retries included (default 30)')
    .option('--no-types', 'Do not check imported members against type declarations (no tarballs are fetched)')
    .option('--no-color', 'Plain text output (NO_COLOR is respected too)')
    .option('--quiet', 'No progress line on stderr');
  cli.help();
  cli.version(VERSION);

  let parsed: ReturnType<typeof cli.parse>;
  try {
    parsed = cli.parse(['node', 'depverify', ...argv], { run: false });
    // `run: false` skips cac's own checks; a misspelt flag must not silently change the run.
    cli.matchedCommand?.checkUnknownOptions();
    cli.matchedCommand?.checkOptionValue();
    cli.matchedCommand?.checkUnusedArgs();
  } catch (error) {
    io.stderr.write(`depverify: ${sanitize((error as Error).message)}\n`);
    return EXIT.incomplete;
  }
  const opts = parsed.options;
  if (opts.help || opts.version) return EXIT.clean;
  const progress = progressReporter(io, !opts.quiet && !!io.stderr.isTTY);
  let report: Report;
  let root: string;
  let format: Format;
  let failOn: Severity;
  try {
    if (parsed.args.length > 1) throw new UsageError(`expected at most one directory, got ${parsed.args.length}`);
    format = oneOf(opts.format, FORMATS, '--format');
    failOn = oneOf(opts.failOn, SEVERITIES, '--fail-on');
    const ttl = positiveInt(opts.cacheTtl, '--cache-ttl');
    const timeout = positiveInt(opts.timeout, '--timeout');
    const packages = asList(opts.package, '--package');
    root = path.resolve(io.cwd, String(parsed.args[0] ?? '.'));
    report = await verify({
      root,
      ...(packages.length ? { packages } : {}),
      ...(opts.registry ? { registry: String(opts.registry) } : {}),
      ...(opts.changedSince !== undefined ? { changedSince: String(opts.changedSince) } : {}),
      ...(opts.allowedHosts !== undefined ? { allowedHosts: asList(opts.allowedHosts, '--allowed-hosts').flatMap((h) => h.split(',')).filter(Boolean) } : {}),
      ...(opts.config ? { config: String(opts.config) } : {}),
      cacheDir: opts.cache === false ? false : opts.cacheDir ? path.resolve(io.cwd, String(opts.cacheDir)) : undefined,
      ...(ttl ? { cacheTtl: ttl * 1000 } : {}),
      ...(timeout ? { timeout: timeout * 1000 } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: positiveInt(opts.concurrency, '--concurrency') } : {}),
      offline: !!opts.offline,
      ...(opts.types === false ? { types: false } : {}),
      refresh: !!opts.refresh,
      env: io.env,
      onProgress: progress.update,
    });
  } catch (error) {
    progress.done();
    const known = error instanceof UsageError || error instanceof ConfigError;
    // Configuration errors quote the project's own files: neutralise them like registry text.
    io.stderr.write(`depverify: ${sanitize(known ? (error as Error).message : `internal error: ${(error as Error).stack ?? String(error)}`, 4000)}\n`);
    return EXIT.incomplete;
  }
  progress.done();
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false';
  const color = opts.color !== false && !io.env.NO_COLOR && !opts.output && (forced || !!io.stdout.isTTY);
  const formatters: Record<Format, () => string> = {
    text: () => formatText(report, { color }),
    json: () => formatJson(report),
    sarif: () => formatSarif(report, { root }),
    github: () => formatGithub(report),
  };
  const output = formatters[format]();
  if (opts.output) {
    try {
      await writeFile(path.resolve(io.cwd, String(opts.output)), output);
    } catch (error) {
      io.stderr.write(`depverify: cannot write ${sanitize(String(opts.output))}: ${sanitize((error as Error).message)}\n`);
      return EXIT.incomplete;
    }
  } else {
    io.stdout.write(output);
  }
  return exitCode(report, failOn);
}
