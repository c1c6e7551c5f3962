import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
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
export async function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'depverify-cli-'));
  const fixturesFile = path.join(scratch, 'fixtures.json');
  const log = path.join(scratch, 'requests.log');
  await writeFile(fixturesFile, JSON.stringify(options.fixtures ?? {}));
  await writeFile(log, '');
  // The child registry serves JSON, not tarballs: member checks are tested in test/types with msw
  // in process, and left out here unless a test asks for them.
  const argv = options.types ? args : [...args, '--no-types'];
  const child = spawn(process.execPath, ['--import', preload, path.join(repoRoot, 'bin/depverify.js'), ...argv], {
    cwd: options.cwd ?? repoRoot,
    env: {
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
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const requests = (await readFile(log, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { host: string; name: string });
  return { code, stdout, stderr, requests };
}
