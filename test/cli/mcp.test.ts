import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/index.js';
import { writeTree } from '../helpers/fixture.js';
import { RECENTLY, packument } from '../helpers/registry.js';
import { childProcess, readRequests } from '../helpers/run-cli.js';

// The server runs as agents run it: `depverify mcp` in a child process, driven by the SDK's own
// client over stdio. The child's registry is msw (test/helpers/child-registry.mjs).
const fixtures = {
  express: packument('express', { versions: { '4.21.2': {} }, releasedFrom: RECENTLY }),
  zod: packument('zod', { versions: { '3.23.8': {} }, releasedFrom: RECENTLY }),
};
let client: Client;
let log = '';

beforeAll(async () => {
  const child = await childProcess({ fixtures });
  log = child.log;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...child.execArgv, child.bin, 'mcp', '--no-types'],
    env: child.env,
    stderr: 'pipe',
  });
  client = new Client({ name: 'depverify-test', version: '1.0.0' });
  await client.connect(transport);
}, 30_000);
afterAll(async () => {
  await client?.close();
});

const report = (r: Awaited<ReturnType<Client['callTool']>>): Report => r.structuredContent as unknown as Report;
const text = (r: Awaited<ReturnType<Client['callTool']>>): string =>
  (r.content as Array<{ type: string; text: string }>)[0]!.text;

describe('depverify mcp', () => {
  it('lists its three tools with input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['check_packages', 'check_project', 'check_snippet']);
    expect(tools.find((t) => t.name === 'check_snippet')?.inputSchema.required).toEqual(['code']);
  });

  it('check_snippet: a Markdown answer with an install line and an invented package', async () => {
    const answer = [
      'Install it:',
      '',
      '```sh',
      'npm install express zod@^3',
      '```',
      '',
      '```ts',
      "import express from 'express';",
      "import { retry } from 'express-retry-magic';",
      '```',
      '',
    ].join('\n');
    const result = await client.callTool({ name: 'check_snippet', arguments: { code: answer, fileName: 'answer.md' } });
    const r = report(result);
    expect(r.findings.map((f) => [f.code, f.package, f.locations[0]])).toEqual([
      ['NOT_FOUND', 'express-retry-magic', { file: 'answer.md', line: 9, column: 23, field: 'block 2' }],
    ]);
    expect(text(result)).toMatch(/^1 error, 0 warnings in 3 packages/);
    expect(text(result)).toContain('express-retry-magic does not exist');
    expect((await readRequests(log)).map((q) => q.name).sort()).toEqual(
      expect.arrayContaining(['express', 'express-retry-magic', 'zod']),
    );
  });

  it('check_snippet: a package run with npx or created with npm create is checked like an install line', async () => {
    const answer = [
      '```sh',
      'npx create-express-secure-app my-api',
      'npm create express@^4 web',
      'npx zod@^9',
      '```',
      '',
    ].join('\n');
    const result = await client.callTool({ name: 'check_snippet', arguments: { code: answer, fileName: 'answer.md' } });
    expect(
      report(result)
        .findings.map((f) => [f.code, f.package, f.locations[0]])
        .sort(),
    ).toEqual([
      ['NOT_FOUND', 'create-express', { file: 'answer.md', line: 3, field: 'npm create create-express@^4' }],
      [
        'NOT_FOUND',
        'create-express-secure-app',
        { file: 'answer.md', line: 2, field: 'npx create-express-secure-app' },
      ],
      ['VERSION_NOT_FOUND', 'zod', { file: 'answer.md', line: 4, field: 'npx zod@^9' }],
    ]);
    expect(text(result)).toMatch(/^3 errors, 0 warnings/);
  });

  it('check_packages and check_project return the same report shape as the CLI', async () => {
    const packages = await client.callTool({
      name: 'check_packages',
      arguments: { packages: ['express@^4', 'zod@^9'] },
    });
    expect(report(packages).findings.map((f) => [f.code, f.package])).toEqual([['VERSION_NOT_FOUND', 'zod']]);
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0' } }),
      'src/a.js': "require('express');\n",
    });
    const project = await client.callTool({ name: 'check_project', arguments: { path: root } });
    expect(report(project)).toMatchObject({ schemaVersion: 1, status: 'clean' });
    expect(text(project)).toBe('No problems found in 1 package.');
  });

  it('bad arguments are errors, not crashes, and the server keeps serving', async () => {
    const bad = await client
      .callTool({ name: 'check_packages', arguments: { packages: [] } })
      .catch((error: Error) => ({ isError: true, content: [{ type: 'text', text: error.message }] }));
    expect(bad.isError).toBe(true);
    const notAName = await client.callTool({ name: 'check_packages', arguments: { packages: ['Not A Name!'] } });
    expect(notAName.isError).toBe(true);
    expect(text(notAName)).toMatch(/could not run the check/);
    const missing = await client.callTool({ name: 'check_project', arguments: { path: '/definitely/not/here' } });
    expect(report(missing)).toMatchObject({ status: 'incomplete', findings: [{ code: 'INPUT_ERROR' }] });
    expect(text(missing)).toMatch(/^Could not check everything/);
    expect((await client.listTools()).tools).toHaveLength(3);
  });
});
