import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cac } from 'cac';
import { SEVERITIES, type Severity } from './model/finding.js';
import type { Report } from './model/report.js';
import { sanitize } from './model/sanitize.js';
import { EXIT, exitCode } from './report/exit-code.js';
import { ConfigError, type Progress, type VerifyOptions, verify } from './verify.js';
import { VERSION } from './version.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where `snippet -` reads from (default: the process's standard input). */
  stdin?: AsyncIterable<Buffer | string>;
}

const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
const MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
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

function engineOption(value: unknown): 'ts6' | 'ts7' {
  if (value === 'ts6' || value === 'ts7') return value;
  throw new UsageError('--engine must be ts6 or ts7');
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

type Options = Record<string, unknown>;
type OptionSpec = [flags: string, description: string, config?: { default?: unknown }];

/** Options every command that checks something shares. */
const CHECK_OPTIONS: OptionSpec[] = [
  [
    '--format <format>',
    'Output format: text, json, sarif (code scanning), github (Actions annotations) or markdown (pull-request comments, job summaries)',
    { default: 'text' },
  ],
  ['--output <file>', 'Write the report to a file instead of standard output'],
  ['--fail-on <severity>', 'Lowest severity that makes the exit code 1: error, warning or info', { default: 'error' }],
];
/** Options of everything that asks the registry (the MCP server included). */
const REGISTRY_OPTIONS: OptionSpec[] = [
  ['--registry <url>', 'Registry to use for unscoped packages (default: from .npmrc)'],
  ['--config <file>', 'Configuration file (default: depverify.config.json or package.json "depverify")'],
  ['--cache-dir <dir>', 'Cache directory (default: the user cache directory, or DEPVERIFY_CACHE_DIR)'],
  ['--cache-ttl <seconds>', 'Use cached registry answers younger than this without asking (default 21600)'],
  ['--no-cache', 'Do not read or write the cache'],
  ['--offline', 'Answer from the cache alone; packages not cached are reported as unknown'],
  ['--refresh', 'Ignore cached answers and ask the registry again'],
  ['--concurrency <n>', 'Registry requests at once (default 16)'],
  ['--timeout <seconds>', 'Time limit for each registry request, retries included (default 30)'],
  [
    '--deadline <seconds>',
    'Time limit for the whole run: whatever is unfinished then is reported as unknown (exit 2); default none',
  ],
  ['--no-types', 'Do not check imported members against type declarations (no tarballs are fetched)'],
  [
    '--engine <engine>',
    'Compiler behind the member check: ts7 (TypeScript 7, native) or ts6 (default: DEPVERIFY_ENGINE, else ts7)',
  ],
];
const OUTPUT_OPTIONS: OptionSpec[] = [
  ['--no-color', 'Plain text output (NO_COLOR is respected too)'],
  ['--quiet', 'No progress line on stderr'],
  [
    '--verbose',
    'List info findings one by one in text output (otherwise counted by code; --fail-on info lists them too)',
  ],
];

/** What the registry options mean for verify() (and verifySnippet()). */
function registryOptions(opts: Options, io: CliIo): Omit<VerifyOptions, 'root'> {
  const ttl = positiveInt(opts.cacheTtl, '--cache-ttl');
  const timeout = positiveInt(opts.timeout, '--timeout');
  const deadline = positiveInt(opts.deadline, '--deadline');
  return {
    ...(opts.registry ? { registry: String(opts.registry) } : {}),
    ...(opts.config ? { config: String(opts.config) } : {}),
    cacheDir: opts.cache === false ? false : opts.cacheDir ? path.resolve(io.cwd, String(opts.cacheDir)) : undefined,
    ...(ttl ? { cacheTtl: ttl * 1000 } : {}),
    ...(timeout ? { timeout: timeout * 1000 } : {}),
    ...(deadline ? { deadline: deadline * 1000 } : {}),
    ...(opts.concurrency !== undefined ? { concurrency: positiveInt(opts.concurrency, '--concurrency') } : {}),
    offline: !!opts.offline,
    ...(opts.types === false ? { types: false } : {}),
    ...(opts.engine !== undefined ? { engine: engineOption(opts.engine) } : {}),
    refresh: !!opts.refresh,
    env: io.env,
  };
}

function colorFor(opts: Options, io: CliIo): boolean {
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false';
  return opts.color !== false && !io.env.NO_COLOR && !opts.output && (forced || !!io.stdout.isTTY);
}

async function readInput(file: string | undefined, io: CliIo): Promise<{ text: string; fileName?: string }> {
  if (file !== undefined && file !== '-')
    return { text: await readFile(path.resolve(io.cwd, file), 'utf8'), fileName: file };
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin ?? process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return { text: Buffer.concat(chunks).toString('utf8') };
}

/** The CLI: parse options → run → output → exit code. Returns the exit code; never exits. */
export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
): Promise<number> {
  const parsed = parseArguments(argv, io);
  if (!parsed) return EXIT.incomplete;
  if (parsed.opts.help || parsed.opts.version) return EXIT.clean;
  if (parsed.command === 'hook') {
    const { hookCommand: runHook } = await import('./cli-guard.js');
    return runHook(String(parsed.args[0]), registryOptions(parsed.opts, io), !!parsed.opts.allowUnknown, io);
  }
  if (parsed.command === 'mcp') return serveMcp(parsed.opts, io);
  const progress = progressReporter(io, !parsed.opts.quiet && !!io.stderr.isTTY);
  let result: number | Checked;
  try {
    result = await run(parsed, io, progress);
  } catch (error) {
    progress.done();
    const known =
      error instanceof UsageError || error instanceof ConfigError || (error as NodeJS.ErrnoException).code === 'ENOENT';
    // Configuration errors quote the project's own files: neutralise them like registry text.
    io.stderr.write(
      `depverify: ${sanitize(known ? (error as Error).message : `internal error: ${(error as Error).stack ?? String(error)}`, 4000)}\n`,
    );
    return EXIT.incomplete;
  }
  progress.done();
  return typeof result === 'number' ? result : output(result, parsed.opts, io);
}

interface Parsed {
  command: string | undefined;
  args: readonly string[];
  opts: Options;
}

/** The commands and their options. */
function defineCommands(): ReturnType<typeof cac> {
  const cli = cac('depverify');
  const add = (command: ReturnType<typeof cli.command>, specs: OptionSpec[]): void => {
    for (const [flags, description, config] of specs) command.option(flags, description, config);
  };
  const project = cli
    .command('[dir]', 'Check the packages a project references against the registry')
    .option('--package <spec>', 'Check this package spec (name or name@range) instead of a project; repeatable')
    .option(
      '--changed-since <ref>',
      'Check only lockfile entries, declarations and imports added or changed since this git ref',
    )
    .option(
      '--allowed-hosts <hosts>',
      'Comma-separated hosts lockfile entries may download from besides the configured registries; repeatable',
    );
  const snippetCommand = cli
    .command(
      'snippet [file]',
      'Check a code snippet or a Markdown answer (a file, or standard input with - or no file)',
    )
    .option(
      '--lang <lang>',
      'Treat the input as code in this language (js, jsx, ts, tsx, mjs, cjs, mts, cts) rather than detecting it',
    );
  const mcpCommand = cli.command(
    'mcp',
    'Run a Model Context Protocol server on standard input/output for coding agents',
  );
  const installCommand = cli
    .command(
      'install [...specs]',
      "Check the packages an install would bring in, then run the project's package manager (arguments after -- are passed to it)",
    )
    .alias('i')
    .alias('add')
    .option('--dry-run', 'Check, and print the package-manager command instead of running it')
    .option('--force', 'Run the package manager even when the check found problems (after showing them)')
    .option(
      '--pm <manager>',
      'Package manager to run: npm, pnpm, yarn or bun (default: packageManager in package.json, else the lockfile present, else npm)',
    )
    .option('--dir <dir>', 'Project directory (default: the current directory)');
  const hookCommand = cli
    .command(
      'hook <agent>',
      'Pre-tool-use hook for coding agents (claude): reads the tool call as JSON on standard input, blocks installs and npx runs of packages with errors',
    )
    .option('--allow-unknown', 'Let a command through when a package it names could not be checked');
  for (const command of [project, snippetCommand])
    add(command, [...CHECK_OPTIONS, ...REGISTRY_OPTIONS, ...OUTPUT_OPTIONS]);
  add(installCommand, [
    ['--fail-on <severity>', 'Lowest severity that stops the install: error, warning or info', { default: 'error' }],
    ...REGISTRY_OPTIONS,
    ...OUTPUT_OPTIONS,
  ]);
  add(mcpCommand, REGISTRY_OPTIONS);
  add(hookCommand, REGISTRY_OPTIONS);
  cli.help();
  cli.version(VERSION);
  return cli;
}

/** The command and its options; a usage error is said on stderr and gives undefined. */
function parseArguments(argv: string[], io: CliIo): Parsed | undefined {
  const cli = defineCommands();
  try {
    const parsed = cli.parse(['node', 'depverify', ...argv], { run: false });
    // `run: false` skips cac's own checks; a misspelt flag must not silently change the run.
    cli.matchedCommand?.checkUnknownOptions();
    cli.matchedCommand?.checkOptionValue();
    cli.matchedCommand?.checkUnusedArgs();
    return { command: cli.matchedCommand?.name, args: parsed.args, opts: parsed.options };
  } catch (error) {
    io.stderr.write(`depverify: ${sanitize((error as Error).message)}\n`);
    return undefined;
  }
}

async function serveMcp(opts: Options, io: CliIo): Promise<number> {
  try {
    const { runMcpServer } = await import('./mcp.js');
    await runMcpServer(registryOptions(opts, io));
    return EXIT.clean;
  } catch (error) {
    io.stderr.write(`depverify: ${sanitize((error as Error).message, 4000)}\n`);
    return EXIT.incomplete;
  }
}

/** A report of a project or a snippet, with how to show it. */
interface Checked {
  report: Report;
  root: string;
  format: Format;
  failOn: Severity;
}

/** install, snippet or a project check: install gives its exit code, the others their report. */
async function run(
  { command, args, opts }: Parsed,
  io: CliIo,
  progress: { update(p: Progress): void },
): Promise<number | Checked> {
  // `install` prints text for the person at the terminal; its result is the package manager's run.
  const format = command === 'install' ? 'text' : oneOf(opts.format, FORMATS, '--format');
  const failOn = oneOf(opts.failOn, SEVERITIES, '--fail-on');
  const base = { ...registryOptions(opts, io), onProgress: progress.update };
  if (command === 'install') {
    const { installCommand: runInstall } = await import('./cli-guard.js');
    const manager = opts.pm === undefined ? undefined : oneOf(opts.pm, MANAGERS, '--pm');
    return runInstall(
      {
        base,
        root: path.resolve(io.cwd, String(opts.dir ?? '.')),
        specs: args.map(String),
        passThrough: ((opts['--'] as unknown[] | undefined) ?? []).map(String),
        ...(manager ? { manager } : {}),
        failOn,
        dryRun: !!opts.dryRun,
        force: !!opts.force,
        color: colorFor(opts, io),
        verbose: !!opts.verbose,
      },
      io,
    );
  }
  if (command === 'snippet') {
    const [{ parseLang }, { verifySnippet }] = await Promise.all([
      import('./scan/read-snippet.js'),
      import('./verify-snippet.js'),
    ]);
    if (args.length > 1) throw new UsageError(`expected at most one file, got ${args.length}`);
    const lang = opts.lang === undefined ? undefined : parseLang(String(opts.lang));
    if (opts.lang !== undefined && !lang)
      throw new UsageError('--lang must be one of js, jsx, ts, tsx, mjs, cjs, mts, cts');
    const input = await readInput(args[0], io);
    return {
      report: await verifySnippet({ ...base, ...input, ...(lang ? { lang } : {}) }),
      root: io.cwd,
      format,
      failOn,
    };
  }
  if (args.length > 1) throw new UsageError(`expected at most one directory, got ${args.length}`);
  const packages = asList(opts.package, '--package');
  const root = path.resolve(io.cwd, String(args[0] ?? '.'));
  const report = await verify({
    ...base,
    root,
    ...(packages.length ? { packages } : {}),
    ...(opts.changedSince !== undefined ? { changedSince: String(opts.changedSince) } : {}),
    ...(opts.allowedHosts !== undefined
      ? {
          allowedHosts: asList(opts.allowedHosts, '--allowed-hosts')
            .flatMap((h) => h.split(','))
            .filter(Boolean),
        }
      : {}),
  });
  return { report, root, format, failOn };
}

/** The report in its format, to --output or stdout; the exit code. */
async function output({ report, root, format, failOn }: Checked, opts: Options, io: CliIo): Promise<number> {
  const color = colorFor(opts, io);
  // Only the formatter asked for is loaded (SARIF's rule table, colours: a run prints one format).
  const formatters: Record<Format, () => Promise<string>> = {
    text: async () =>
      (await import('./report/text.js')).formatText(report, { color, verbose: !!opts.verbose || failOn === 'info' }),
    json: async () => (await import('./report/json.js')).formatJson(report),
    sarif: async () => (await import('./report/sarif.js')).formatSarif(report, { root }),
    github: async () => (await import('./report/github.js')).formatGithub(report),
    markdown: async () => (await import('./report/markdown.js')).formatMarkdown(report),
  };
  const text = await formatters[format]();
  if (opts.output) {
    try {
      await writeFile(path.resolve(io.cwd, String(opts.output)), text);
    } catch (error) {
      io.stderr.write(
        `depverify: cannot write ${sanitize(String(opts.output))}: ${sanitize((error as Error).message)}\n`,
      );
      return EXIT.incomplete;
    }
  } else {
    io.stdout.write(text);
  }
  return exitCode(report, failOn);
}
