import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const preload = path.join(repoRoot, 'test/helpers/child-registry.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every registry request the child made. */
  requests: Array<{ host: string; name: string }>;
}

export interface CliRunOptions {
  cwd?: string;
  /** Registry answers by name (or host/name): a packument object or an HTTP status. */
  fixtures?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Run the member check too (default: `--no-types` is passed). */
  types?: boolean;
}

/** Run bin/depverify.js as a user would, with msw answering in the child and no colour. */
/** The command line and environment of a hermetic child: msw preloaded, no user or global npmrc. */
export async function childProcess(
  options: CliRunOptions = {},
): Promise<{ execArgv: string[]; bin: string; env: Record<string, string>; log: string; scratch: string }> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'depverify-cli-'));
  const fixturesFile = path.join(scratch, 'fixtures.json');
  const log = path.join(scratch, 'requests.log');
  await writeFile(fixturesFile, JSON.stringify(options.fixtures ?? {}));
  await writeFile(log, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: scratch,
    // Hermetic: neither the machine's global npmrc nor the user's is read.
    npm_config_globalconfig: path.join(scratch, 'no-global-npmrc'),
    NO_COLOR: '1',
    DEPVERIFY_CACHE_DIR: path.join(scratch, 'cache'),
    npm_config_registry: 'https://registry.example.test/',
    DEPVERIFY_TEST_FIXTURES: fixturesFile,
    DEPVERIFY_TEST_LOG: log,
    ...options.env,
  };
  return { execArgv: ['--import', preload], bin: path.join(repoRoot, 'bin/depverify.js'), env, log, scratch };
}

export async function readRequests(log: string): Promise<Array<{ host: string; name: string }>> {
  return (await readFile(log, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { host: string; name: string });
}

export async function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const { execArgv, bin, env, log, scratch } = await childProcess(options);
  // The child registry serves JSON, not tarballs: member checks are tested in test/members with msw
  // in process, and left out here unless a test asks for them.
  const argv = options.types ? args : [...args, '--no-types'];
  const child = spawn(process.execPath, [...execArgv, bin, ...argv], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const requests = await readRequests(log);
  // The scratch home holds only the run's cache and logs: do not leave one per test in the temp dir.
  await rm(scratch, { recursive: true, force: true });
  return { code, stdout, stderr, requests };
}
