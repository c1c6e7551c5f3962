import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { RECENTLY, packument } from '../helpers/registry.js';
import { childProcess, readRequests, repoRoot } from '../helpers/run-cli.js';

interface ActionFile {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: {
    using: string;
    steps: Array<{ id?: string; run?: string; uses?: string; env?: Record<string, string>; if?: string }>;
  };
}

const action = yaml.load(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as ActionFile;
const registry = { express: packument('express', { versions: { '4.21.2': {} }, releasedFrom: RECENTLY }) };

afterAll(removeTrees);

/** Runs the action's check script as the composite step would, with msw answering in every depverify run. */
async function runStep(dir: string, inputs: Record<string, string>) {
  const { execArgv, env, log } = await childProcess({ fixtures: registry });
  const out = await writeTree({ 'summary.md': '', 'output.txt': '' });
  const stepEnv = {
    ...env,
    NODE_OPTIONS: execArgv.join('='),
    GITHUB_STEP_SUMMARY: path.join(out, 'summary.md'),
    GITHUB_OUTPUT: path.join(out, 'output.txt'),
    DV_SARIF_FILE: path.join(out, 'depverify.sarif'),
    DV_DIRECTORY: dir,
    DV_TYPES: 'false',
    ...inputs,
  };
  const child = spawn('bash', [path.join(repoRoot, 'scripts/action-check.sh')], {
    env: stepEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', () => undefined);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const read = (f: string) => readFileSync(path.join(out, f), 'utf8');
  return {
    code,
    stdout,
    summary: read('summary.md'),
    output: read('output.txt'),
    sarif: () => read('depverify.sarif'),
    requests: await readRequests(log),
  };
}

describe('GitHub Action', () => {
  it('declares the inputs the README documents, and every input the steps use', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual([
      'args',
      'changed-since',
      'directory',
      'fail-on',
      'format',
      'sarif',
      'types',
    ]);
    const text = readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
    const used = [...text.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]!);
    for (const name of used) expect(action.inputs).toHaveProperty([name]);
    expect(action.outputs['exit-code']?.value).toContain('steps.check.outputs.exit-code');
    // Inputs reach the script as environment variables, never spliced into the shell text.
    const check = action.runs.steps.find((s) => s.id === 'check');
    expect(check?.run).not.toMatch(/inputs\./);
    const upload = action.runs.steps.filter((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload).toHaveLength(1);
    expect(upload[0]!.if).toContain("inputs.sarif == 'true'");
  });

  it('annotates, writes a Markdown job summary and SARIF, and fails the step on findings', async () => {
    const dir = await writeTree({
      'package.json': JSON.stringify(
        { name: 'app', dependencies: { express: '^4.0.0', 'pg-secure-pool': '^1.0.0' } },
        null,
        2,
      ),
    });
    const run = await runStep(dir, { DV_SARIF: 'true' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=package\.json,line=\d+,title=NOT_FOUND pg-secure-pool::/m);
    expect(run.summary).toMatch(/^### ❌ depverify: 1 error/);
    expect(run.output).toBe('exit-code=1\n');
    expect(JSON.parse(run.sarif())).toMatchObject({ version: '2.1.0' });
  });

  it('on a pull request checks only what changed since the base commit', async () => {
    const dir = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { 'old-invented-name': '^1.0.0' } }, null, 2),
    });
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.test', '-c', 'commit.gpgsign=false', ...args],
        { encoding: 'utf8' },
      );
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const base = git('rev-parse', 'HEAD').trim();
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'app', dependencies: { 'old-invented-name': '^1.0.0', express: '^4.0.0' } }, null, 2),
    );
    const run = await runStep(dir, { DV_PR_BASE: base, DV_FORMAT: 'text' });
    expect(run.code).toBe(0);
    expect(run.requests.map((r) => r.name)).not.toContain('old-invented-name');
    expect(run.summary).toContain(`Checked only what changed since \`${base}\``);
  });
});

describe('pre-commit hook', () => {
  it('runs depverify when a manifest or lockfile changes, and not for other files', () => {
    const hooks = yaml.load(readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{
      id: string;
      entry: string;
      language: string;
      files: string;
      pass_filenames: boolean;
    }>;
    const hook = hooks.find((h) => h.id === 'depverify');
    expect(hook).toMatchObject({ entry: 'depverify', language: 'node', pass_filenames: false });
    const files = new RegExp(hook!.files);
    for (const f of [
      'package.json',
      'packages/a/package.json',
      'package-lock.json',
      'yarn.lock',
      'pnpm-lock.yaml',
      'bun.lock',
    ])
      expect(files.test(f)).toBe(true);
    for (const f of ['src/index.ts', 'README.md', 'package.json.bak', 'mypackage.json'])
      expect(files.test(f)).toBe(false);
  });
});
