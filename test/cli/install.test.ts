import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { RECENTLY, packument } from '../helpers/registry.js';
import { runCli } from '../helpers/run-cli.js';

const registry = {
  express: packument('express', { versions: { '4.21.2': {}, '5.1.0': {} }, releasedFrom: RECENTLY }),
  zod: packument('zod', { versions: { '3.24.1': {} }, releasedFrom: RECENTLY }),
  flaky: 503,
};

/** A fake package manager on PATH that records its name and arguments, one run a line. */
async function fakeManagers(): Promise<{ bin: string; calls: () => Promise<string[]> }> {
  const bin = await mkdtemp(path.join(os.tmpdir(), 'depverify-pm-'));
  const log = path.join(bin, 'calls.log');
  await writeFile(log, '');
  for (const pm of ['npm', 'pnpm', 'yarn', 'bun']) {
    const script = path.join(bin, pm);
    await writeFile(script, `#!/bin/sh\necho "${pm} $*" >> "${log}"\necho "fake ${pm} ran"\nexit 0\n`);
    await chmod(script, 0o755);
  }
  return { bin, calls: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean) };
}

afterAll(removeTrees);

async function guard(
  args: string[],
  files: Record<string, string> = { 'package.json': '{"name":"app","version":"1.0.0"}' },
) {
  const project = await writeTree(files);
  const pm = await fakeManagers();
  // `types: true` only stops the runner appending --no-types after a `--`; no member check runs for specs.
  const run = await runCli(['install', '--dir', project, ...args], {
    fixtures: registry,
    env: { PATH: `${pm.bin}:${process.env.PATH}` },
    types: true,
  });
  return { ...run, calls: await pm.calls() };
}

describe('depverify install', () => {
  it('checks the specs, then runs the package manager with them and the arguments after --', async () => {
    const run = await guard(['express@^4', 'zod', '--', '--save-exact', '-w', 'api']);
    expect(run.calls).toEqual(['npm install express@^4 zod --save-exact -w api']);
    expect(run.stdout).toContain('fake npm ran');
    expect(run.code).toBe(0);
    expect(run.requests.map((r) => r.name).sort()).toEqual(['express', 'zod']);
  });

  it('runs nothing and exits 1 when a package does not exist', async () => {
    const run = await guard(['express', 'express-secure-session-plus']);
    expect(run.calls).toEqual([]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NOT_FOUND');
    expect(run.stderr).toMatch(/not running `npm install express express-secure-session-plus`.*--force/);
  });

  it('runs nothing and exits 2 when the registry could not answer', async () => {
    const run = await guard(['flaky']);
    expect(run.calls).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('could not be checked');
  });

  it('--dry-run prints the command and runs nothing; --force runs despite findings', async () => {
    const dry = await guard(['zod', '--dry-run']);
    expect(dry.calls).toEqual([]);
    expect(dry.stdout).toContain('would run: npm install zod');
    expect(dry.code).toBe(0);
    const forced = await guard(['no-such-pkg-xyz', '--force']);
    expect(forced.calls).toEqual(['npm install no-such-pkg-xyz']);
    expect(forced.stdout).toContain('NOT_FOUND');
    expect(forced.code).toBe(0);
  });

  it('uses the package manager the project uses: packageManager, then the lockfile; --pm overrides', async () => {
    const byField = await guard(['zod'], {
      'package.json': '{"name":"app","packageManager":"yarn@4.5.0"}',
      'package-lock.json': '{}',
    });
    expect(byField.calls).toEqual(['yarn add zod']);
    const byLock = await guard(['zod'], {
      'package.json': '{"name":"app"}',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    });
    expect(byLock.calls).toEqual(['pnpm add zod']);
    const chosen = await guard(['zod', '--pm', 'bun']);
    expect(chosen.calls).toEqual(['bun add zod']);
  });

  it('with no specs checks the project as it is, then installs it', async () => {
    const bad = await guard([], {
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', 'pg-secure-pool': '^1.0.0' } }),
    });
    expect(bad.calls).toEqual([]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('pg-secure-pool');
    const good = await guard([], {
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0' } }),
    });
    expect(good.calls).toEqual(['npm install']);
    expect(good.code).toBe(0);
  });

  it('has the aliases i and add, and refuses an unknown --pm', async () => {
    const project = await writeTree({ 'package.json': '{"name":"app"}' });
    const pm = await fakeManagers();
    const run = await runCli(['add', 'zod', '--dir', project], {
      fixtures: registry,
      env: { PATH: `${pm.bin}:${process.env.PATH}` },
    });
    expect(await pm.calls()).toEqual(['npm install zod']);
    expect(run.code).toBe(0);
    const wrong = await runCli(['i', 'zod', '--pm', 'pip', '--dir', project], { fixtures: registry });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--pm must be one of npm, pnpm, yarn, bun');
  });
});
