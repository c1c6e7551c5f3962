import path from 'node:path';
import { writeTree } from '../helpers/fixture.js';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { RECENTLY, packument } from '../helpers/registry.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';

const example = path.join(repoRoot, 'examples/ai-generated-app');

/** The registry as the public one would answer for the example project. */
const exampleRegistry = {
  axios: packument('axios', { versions: { '1.6.0': {}, '1.7.9': {} }, releasedFrom: RECENTLY }),
  dotenv: packument('dotenv', { versions: { '16.4.5': {}, '16.4.7': {} }, releasedFrom: RECENTLY }),
  express: packument('express', {
    versions: { '4.19.2': {}, '4.21.2': {}, '5.0.0': {} },
    latest: '5.0.0',
    releasedFrom: RECENTLY,
  }),
  pg: packument('pg', { versions: { '8.11.3': {}, '8.13.1': {} }, releasedFrom: RECENTLY }),
  request: packument('request', {
    versions: {
      '2.88.2': { deprecated: 'request has been deprecated, see https://github.com/request/request/issues/3142' },
    },
    releasedFrom: RECENTLY,
  }),
  dayjs: packument('dayjs', { versions: { '1.11.13': {} }, releasedFrom: RECENTLY }),
  '@types/express': packument('@types/express', { versions: { '4.17.21': {} }, releasedFrom: RECENTLY }),
  typescript: packument('typescript', { versions: { '5.4.5': {}, '5.6.3': {} }, releasedFrom: RECENTLY }),
};

describe('depverify CLI', () => {
  it('reports the example project: exit 1, stable JSON with codes and locations', async () => {
    const run = await runCli([example, '--format', 'json'], { fixtures: exampleRegistry });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'depverify' }, status: 'findings' });
    const codes = report.findings.map((f) => `${f.code} ${f.package}`);
    expect(codes).toEqual([
      'VERSION_NOT_FOUND axios',
      'NOT_FOUND axios-retry-interceptor-plus',
      'UNLISTED_DEPENDENCY axios-retry-interceptor-plus',
      'UNLISTED_DEPENDENCY dayjs',
      'NOT_FOUND pg-secure-pool',
      'DEPRECATED request',
    ]);
    const notFound = report.findings.find((f) => f.package === 'pg-secure-pool');
    expect(notFound?.locations).toEqual([{ file: 'package.json', line: 13, field: 'dependencies.pg-secure-pool' }]);
    const unlisted = report.findings.find((f) => f.code === 'UNLISTED_DEPENDENCY' && f.package === 'dayjs');
    expect(unlisted?.locations).toEqual([{ file: 'src/legacy.cjs', line: 3, column: 23 }]);
    expect(report.packages.find((p) => p.name === 'express')).toEqual({
      name: 'express',
      requested: '^4.19.2',
      version: '4.21.2',
      state: 'ok',
    });
    expect(report.packages.find((p) => p.name === 'pg-secure-pool')).toMatchObject({ state: 'finding' });
    expect(report.summary).toMatchObject({ unknown: 0, errors: 5, warnings: 1, sourceFiles: 2 });
  });

  it('text output groups by package, shows locations and fixes, and has no colour under NO_COLOR', async () => {
    const run = await runCli([example], { fixtures: exampleRegistry });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/\u001b/);
    expect(run.stdout).toMatch(/^pg-secure-pool$/m);
    expect(run.stdout).toContain('NOT_FOUND');
    expect(run.stdout).toContain('package.json:13 (dependencies.pg-secure-pool)');
    expect(run.stdout).toContain('src/server.ts:4:27');
  });

  it('exits 0 on a clean project and asks only for its packages', async () => {
    const dir = await writeTree({
      'package.json': JSON.stringify({ name: 'clean', dependencies: { express: '^4.19.2' } }),
      'index.js': "import express from 'express';\nimport fs from 'node:fs';\nimport './local.js';\n",
    });
    const run = await runCli([dir, '--format', 'json'], { fixtures: exampleRegistry });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).status).toBe('clean');
    expect(run.requests.map((r) => r.name)).toEqual(['express']);
    expect(run.requests.map((r) => r.host)).toEqual(['registry.example.test']);
  });

  it('exits 2 when a package cannot be checked, and still checks the others', async () => {
    const dir = await writeTree({
      'package.json': JSON.stringify({ dependencies: { express: '^4.0.0', pg: '^8.0.0', 'pg-secure-pool': '1.0.0' } }),
    });
    const run = await runCli([dir, '--format', 'json', '--timeout', '5'], {
      fixtures: { ...exampleRegistry, pg: 500 },
    });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.status).toBe('incomplete');
    expect(report.packages.map((p) => [p.name, p.state])).toEqual([
      ['express', 'ok'],
      ['pg', 'unknown'],
      ['pg-secure-pool', 'finding'],
    ]);
    expect(report.findings.find((f) => f.package === 'pg')).toMatchObject({
      code: 'REGISTRY_UNKNOWN',
      details: { reason: expect.stringMatching(/500/) },
    });
  });

  it('--package checks names about to be installed, without a project', async () => {
    const run = await runCli(['--package', 'express@^4', '--package', 'expresss', '--format', 'json'], {
      fixtures: exampleRegistry,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.map((f) => f.code)).toEqual(['NOT_FOUND']);
    expect(report.findings[0]?.details?.suggestions).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'express' })]),
    );
  });

  it('--fail-on warning turns a deprecation into exit 1', async () => {
    const dir = await writeTree({ 'package.json': JSON.stringify({ dependencies: { request: '^2.88.0' } }) });
    expect((await runCli([dir], { fixtures: exampleRegistry })).code).toBe(0);
    expect((await runCli([dir, '--fail-on', 'warning'], { fixtures: exampleRegistry })).code).toBe(1);
  });

  it('--offline with an empty cache makes no request and exits 2', async () => {
    const dir = await writeTree({ 'package.json': JSON.stringify({ dependencies: { express: '^4.0.0' } }) });
    const run = await runCli([dir, '--offline', '--format', 'json'], { fixtures: exampleRegistry });
    expect(run.code).toBe(2);
    expect(run.requests).toEqual([]);
  });

  it('usage and configuration errors exit 2 with a message', async () => {
    const bad = await runCli(['--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format');
    const dir = await writeTree({
      'package.json': '{}',
      'depverify.config.json': JSON.stringify({ severity: { NOPE: 'off' } }),
    });
    const config = await runCli([dir]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('NOPE');
  });

  it('unknown flags, missing values and extra arguments are usage errors, never ignored', async () => {
    for (const args of [['--packages', 'evil-pkg'], ['--offlien'], ['--package'], ['--output'], ['a', 'b']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.requests).toEqual([]);
    }
  });

  it('neutralises escape sequences from the project configuration in error messages', async () => {
    const dir = await writeTree({ 'package.json': JSON.stringify({ depverify: { '\u001b]0;PWNED\u0007': 1 } }) });
    const run = await runCli([dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('FORCE_COLOR=0 does not force colour', async () => {
    const dir = await writeTree({ 'package.json': JSON.stringify({ dependencies: { request: '^2.88.0' } }) });
    const plain = await runCli([dir], { fixtures: exampleRegistry, env: { FORCE_COLOR: '0', NO_COLOR: '' } });
    expect(plain.stdout).not.toMatch(/\u001b/);
    const forced = await runCli([dir], { fixtures: exampleRegistry, env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(forced.stdout).toMatch(/\u001b\[/);
  });

  it('trust signals end to end: a GPL dependency in an MIT project and a package idle for years', async () => {
    const dir = await writeTree({
      'package.json': JSON.stringify({
        name: 'app',
        license: 'MIT',
        dependencies: { 'gpl-lib': '^1.0.0', 'old-lib': '^1.0.0' },
      }),
    });
    const fixtures = {
      'gpl-lib': packument('gpl-lib', { versions: { '1.0.0': { license: 'GPL-3.0-only' } }, releasedFrom: RECENTLY }),
      'old-lib': packument('old-lib', { versions: { '1.0.0': {} }, releasedFrom: new Date(Date.UTC(2019, 0, 1)) }),
    };
    const run = await runCli([dir, '--format', 'json'], { fixtures });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.map((f) => [f.code, f.severity, f.package])).toEqual([
      ['LICENSE_NOT_ALLOWED', 'error', 'gpl-lib'],
      ['UNMAINTAINED', 'warning', 'old-lib'],
    ]);
  });

  it('squatting end to end: a typosquat of a popular name with an install script fails the run', async () => {
    const dir = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { expresss: '^1.0.0', 'fresh-lib': '^0.1.0' } }),
    });
    const days = (n: number) => new Date(Date.now() - n * 24 * 60 * 60 * 1000);
    const fixtures = {
      expresss: packument('expresss', {
        versions: { '1.0.0': { scripts: { postinstall: 'node x.js' } } },
        releasedFrom: RECENTLY,
      }),
      'fresh-lib': packument('fresh-lib', { versions: { '0.1.0': {} }, releasedFrom: days(4), repository: null }),
    };
    const run = await runCli([dir, '--format', 'json'], { fixtures });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.map((f) => [f.code, f.severity, f.package])).toEqual([
      ['SUSPICIOUS_PACKAGE', 'error', 'expresss'],
      ['SUSPICIOUS_PACKAGE', 'warning', 'fresh-lib'],
    ]);
    expect(report.findings[0]?.details?.suggestions).toEqual(['express']);
    const text = await runCli([dir, '--no-color'], { fixtures });
    expect(text.stdout).toContain('SUSPICIOUS_PACKAGE');
    expect(text.stdout).toContain('Did you mean express?');
  });

  it('configuration: internal scopes are never sent, severities apply', async () => {
    const dir = await writeTree({
      'package.json': JSON.stringify({
        dependencies: { '@corp/secret': '^1.0.0', request: '^2.88.0' },
        depverify: { internalScopes: ['@corp'], severity: { DEPRECATED: 'error' } },
      }),
    });
    const run = await runCli([dir, '--format', 'json'], { fixtures: exampleRegistry });
    expect(run.code).toBe(1);
    expect(run.requests.map((r) => r.name)).toEqual(['request']);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.map((f) => [f.code, f.severity])).toEqual([['DEPRECATED', 'error']]);
    expect(report.summary.skipped).toBe(1);
  });
});
