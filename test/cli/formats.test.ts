import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { RECENTLY, packument } from '../helpers/registry.js';
import { runCli } from '../helpers/run-cli.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

afterAll(removeTrees);

const registry = {
  express: packument('express', { versions: { '4.21.2': {} }, releasedFrom: RECENTLY }),
  dayjs: packument('dayjs', { versions: { '1.11.13': {} }, releasedFrom: RECENTLY }),
  request: packument('request', {
    versions: { '2.88.2': { deprecated: 'request has been deprecated' } },
    releasedFrom: RECENTLY,
  }),
};

/** An invented dependency in package.json, an undeclared import in source, a deprecation. */
const project = () =>
  writeTree({
    'package.json': `${JSON.stringify({ name: 'app', dependencies: { express: '^4.19.2', 'pg-secure-pool': '^1.2.0', request: '^2.88.0' } }, null, 2)}\n`,
    'src/index.ts': "import express from 'express';\nimport dayjs from 'dayjs';\n",
  });

interface SarifRun {
  results: Array<{
    ruleId: string;
    level: string;
    locations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
  }>;
  originalUriBaseIds: Record<string, { uri: string }>;
}

describe('CI output formats from the command line', () => {
  it('--format sarif --output writes a valid SARIF file, prints nothing and keeps the exit code', async () => {
    const dir = await project();
    const json = await runCli([dir, '--format', 'json'], { fixtures: registry });
    const run = await runCli([dir, '--format', 'sarif', '--output', 'depverify.sarif'], {
      fixtures: registry,
      cwd: dir,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('');
    expect(json.code).toBe(1);
    expect(run.code).toBe(json.code);
    const log = JSON.parse(await readFile(path.join(dir, 'depverify.sarif'), 'utf8')) as { runs: SarifRun[] };
    expect(sarifSchemaErrors(log)).toEqual([]);
    const results = log.runs[0]!.results;
    expect(results.map((r) => [r.ruleId, r.level, r.locations?.[0]?.physicalLocation.artifactLocation.uri])).toEqual([
      ['UNLISTED_DEPENDENCY', 'error', 'src/index.ts'],
      ['NOT_FOUND', 'error', 'package.json'],
      ['DEPRECATED', 'warning', 'package.json'],
    ]);
    expect(log.runs[0]!.originalUriBaseIds['%SRCROOT%']?.uri).toMatch(/^file:\/\/.*\/$/);
  });

  it('--format github prints one annotation per location and a summary line', async () => {
    const dir = await project();
    const run = await runCli([dir, '--format', 'github'], { fixtures: registry });
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^::error file=src\/index.ts,line=2,col=19,title=UNLISTED_DEPENDENCY dayjs::dayjs is imported/,
      ),
      expect.stringMatching(
        /^::error file=package.json,line=5,title=NOT_FOUND pg-secure-pool::pg-secure-pool does not exist/,
      ),
      expect.stringMatching(/^::warning file=package.json,line=6,title=DEPRECATED request::/),
      'depverify: 2 errors, 1 warning (4 packages checked)',
    ]);
  });

  it('--package runs give SARIF results without locations and annotations without a file', async () => {
    const run = await runCli(['--package', 'pg-secure-pool', '--format', 'sarif'], { fixtures: registry });
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout) as { runs: SarifRun[] };
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results).toEqual([expect.not.objectContaining({ locations: expect.anything() })]);
    expect(log.runs[0]!.results[0]).toMatchObject({
      ruleId: 'NOT_FOUND',
      properties: { package: 'pg-secure-pool', arguments: ['pg-secure-pool'] },
    });
    const github = await runCli(['--package', 'pg-secure-pool', '--format', 'github'], { fixtures: registry });
    expect(github.stdout).toMatch(/^::error title=NOT_FOUND pg-secure-pool::pg-secure-pool does not exist/);
  });
});
