import { writeTree } from '../helpers/fixture.js';
import { recordingClient } from '../helpers/client.js';
import { describe, expect, it, vi } from 'vitest';
import { exitCode, formatJson, formatText, verify } from '../../src/index.js';
import { RECENTLY, packument } from '../helpers/registry.js';

/** A registry client of the caller's own: no network, no msw. */
const clientFrom = recordingClient;

describe('verify() as a library', () => {
  it('uses an injected client, prints nothing and does not exit', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', 'expresss-helper': '^1.0.0' } }),
      'src/a.ts':
        "import express from 'express';\nimport helper from 'expresss-helper';\nimport local from 'app/util';\n",
    });
    const client = clientFrom({
      express: packument('express', { versions: { '4.21.2': {} }, releasedFrom: RECENTLY }),
    });
    const log = vi.spyOn(console, 'log');
    const write = vi.spyOn(process.stdout, 'write');
    const exit = vi.spyOn(process, 'exit');
    const report = await verify({ root, client, popularIndex: false });
    expect(log).not.toHaveBeenCalled();
    expect(write).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
    expect(client.asked.sort()).toEqual(['express', 'expresss-helper']);
    expect(report.findings.map((f) => [f.code, f.package])).toEqual([['NOT_FOUND', 'expresss-helper']]);
    expect(report.packages).toEqual([
      { name: 'express', requested: '^4.0.0', version: '4.21.2', state: 'ok' },
      { name: 'expresss-helper', requested: '^1.0.0', state: 'finding' },
    ]);
    expect(exitCode(report)).toBe(1);
    expect(JSON.parse(formatJson(report))).toEqual(report);
    expect(formatText(report, { color: false })).toContain('NOT_FOUND');
  });

  it('an unknown answer is never ok: the package is unknown and the run incomplete', async () => {
    const report = await verify({
      packages: ['left-pad@^1.3.0'],
      client: clientFrom({ 'left-pad': { state: 'unknown', reason: 'timed out' } }),
      popularIndex: false,
    });
    expect(report.status).toBe('incomplete');
    expect(report.packages).toEqual([{ name: 'left-pad', requested: '^1.3.0', state: 'unknown' }]);
    expect(exitCode(report, 'info')).toBe(2);
  });

  it('a broken manifest is an INPUT_ERROR with its line; the rest of the project is still checked', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/*'], dependencies: { ok: '1.0.0' } }),
      'packages/bad/package.json': '{\n  "name": "bad",\n  "dependencies": {\n    "x": "1.0.0",\n  }\n}\n',
    });
    const client = clientFrom({ ok: packument('ok', { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }) });
    const report = await verify({ root, client, popularIndex: false });
    expect(client.asked).toEqual(['ok']);
    const error = report.findings.find((f) => f.code === 'INPUT_ERROR');
    expect(error?.locations[0]).toMatchObject({ file: 'packages/bad/package.json', line: 5 });
    expect(report.status).toBe('incomplete');
  });

  it.each([['@corp'], ['corp'], ['@corp/*'], ['@Corp/']])(
    'internalScopes %s keeps @corp/* away from every registry',
    async (scope) => {
      const client = clientFrom({});
      const report = await verify({
        packages: ['@corp/secret', 'left-pad'],
        client,
        config: { internalScopes: [scope] },
        popularIndex: false,
      });
      expect(client.asked).toEqual(['left-pad']);
      expect(report.summary.skipped).toBe(1);
    },
  );

  it('turning a code off hides the finding but never makes a missing package ok', async () => {
    const report = await verify({
      packages: ['nope'],
      client: clientFrom({}),
      config: { severity: { NOT_FOUND: 'off' } },
      popularIndex: false,
    });
    expect(report.findings).toEqual([]);
    expect(report.packages).toEqual([{ name: 'nope', state: 'finding' }]);
  });

  it('rejects when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(verify({ packages: ['x'], client: clientFrom({}), signal: controller.signal })).rejects.toThrow(
      'stop',
    );
  });

  it('rejects an invalid package spec and an invalid configuration with ConfigError', async () => {
    await expect(verify({ packages: ['Not A Name'], client: clientFrom({}) })).rejects.toMatchObject({
      name: 'ConfigError',
    });
    const root = await writeTree({ 'depverify.config.json': '{"ignore": {"packages": "x"}}' });
    await expect(verify({ root, client: clientFrom({}) })).rejects.toMatchObject({ name: 'ConfigError' });
  });
});
