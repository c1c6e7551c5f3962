import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { RECENTLY, packument } from '../helpers/registry.js';
import { childProcess, readRequests } from '../helpers/run-cli.js';

const registry = {
  express: packument('express', { versions: { '4.21.2': {} }, releasedFrom: RECENTLY }),
  'create-vite': packument('create-vite', { versions: { '6.1.0': {} }, releasedFrom: RECENTLY }),
  flaky: 503,
};

/** A PreToolUse input as Claude Code sends it (recorded shape; paths replaced). */
function toolCall(command: string, cwd: string, tool = 'Bash'): string {
  return JSON.stringify({
    session_id: 'f3c1b2a0-5d7e-4c61-9a8b-0e2d4f6a8c10',
    transcript_path: '/home/dev/.claude/projects/app/f3c1b2a0.jsonl',
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input:
      tool === 'Bash'
        ? { command, description: 'Install dependencies' }
        : { file_path: `${cwd}/a.ts`, old_string: 'a', new_string: 'b' },
  });
}

async function hook(stdin: string, args: string[] = []) {
  const { execArgv, bin, env, log } = await childProcess({ fixtures: registry });
  const child = spawn(process.execPath, [...execArgv, bin, 'hook', 'claude', ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, requests: await readRequests(log) };
}

afterAll(removeTrees);

describe('depverify hook claude', () => {
  it('blocks an install of a package that does not exist: exit 2, the reason on stderr', async () => {
    const dir = await writeTree({ 'package.json': '{"name":"app"}' });
    const run = await hook(toolCall('cd . && npm install express express-secure-session-plus', dir));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NOT_FOUND express-secure-session-plus');
    expect(run.stderr).toContain('npm install express express-secure-session-plus');
    expect(run.requests.map((r) => r.name).sort()).toEqual(['express', 'express-secure-session-plus']);
  });

  it('lets other commands and other tools through at once, without a request', async () => {
    const dir = await writeTree({ 'package.json': '{"name":"app"}' });
    for (const input of [toolCall('git status && npm test', dir), toolCall('', dir, 'Edit')]) {
      const run = await hook(input);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.requests).toEqual([]);
    }
  });

  it('checks packages run without installing, and lets real ones and local bins through', async () => {
    const dir = await writeTree({ 'package.json': '{"name":"app"}', 'node_modules/.bin/tsc': '' });
    const real = await hook(toolCall('pnpm dlx create-vite@latest web && npx tsc --init', dir));
    expect(real.code).toBe(0);
    expect(real.requests.map((r) => r.name)).toEqual(['create-vite']);
    const invented = await hook(toolCall('npx create-express-secure-app my-app', dir));
    expect(invented.code).toBe(2);
    expect(invented.stderr).toContain('create-express-secure-app');
  });

  it('checks the manifest a bare install would install, in the directory cd names', async () => {
    const dir = await writeTree({
      'package.json': '{"name":"root"}',
      'web/package.json': JSON.stringify({ name: 'web', dependencies: { express: '^4', 'pg-secure-pool': '^1' } }),
    });
    const run = await hook(toolCall('cd web && npm install', dir));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NOT_FOUND pg-secure-pool');
  });

  it('blocks what could not be checked, unless --allow-unknown', async () => {
    const dir = await writeTree({ 'package.json': '{"name":"app"}' });
    const blocked = await hook(toolCall('npm i flaky', dir));
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain('REGISTRY_UNKNOWN flaky');
    const allowed = await hook(toolCall('npm i flaky', dir), ['--allow-unknown']);
    expect(allowed.code).toBe(0);
  });

  it('input that is not a hook call is an error shown to the user (exit 1), not a silent pass', async () => {
    const run = await hook('this is not json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not the JSON a PreToolUse hook receives');
  });
});
