import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySnippet } from '../../src/index.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { publish } from '../helpers/publish.js';
import { REGISTRY, createMockRegistry } from '../helpers/registry.js';
import { runCli } from '../helpers/run-cli.js';

const mock = createMockRegistry();
const cacheDir = mkdtempSync(path.join(tmpdir(), 'depverify-snippet-cache-'));
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => {
  mock.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const DB = {
  'package.json': JSON.stringify({ types: 'index.d.ts' }),
  'index.d.ts': 'export declare class Pool { query(sql: string): Promise<{ rows: unknown[] }>; }\nexport declare function connect(url: string): Pool;',
};

describe('verifySnippet', () => {
  it('a Markdown answer: install lines pick versions, findings point at block and line in the answer', async () => {
    publish(mock, 'db', { '1.0.0': DB, '2.0.0': { ...DB, 'index.d.ts': `${DB['index.d.ts']}\nexport declare function connectSecure(url: string): Pool;` } });
    const answer = [
      'First install the driver:',
      '',
      '```sh',
      'npm install db@^1',
      '```',
      '',
      'Then connect:',
      '',
      '```ts',
      "import { connect, connectSecure } from 'db';",
      "import { magic } from 'db-magic-helpers';",
      "const pool = connect('postgres://localhost');",
      "await pool.queryOne('select 1');",
      '```',
    ].join('\n');
    const client = createRegistryClient({ root: cacheDir, npmConfig: { registry: REGISTRY }, cacheDir, retries: 0 });
    const report = await verifySnippet({ text: answer, fileName: 'answer.md', client, cacheDir, popularIndex: false });
    expect(report.findings.map((f) => [f.code, f.package, f.version ?? null, f.locations[0]])).toEqual([
      // db@^1 from the install line: connectSecure only came in 2.0.0.
      ['INVENTED_EXPORT', 'db', '1.0.0', { file: 'answer.md', line: 10, column: 19, field: 'block 2' }],
      ['INVENTED_MEMBER', 'db', '1.0.0', { file: 'answer.md', line: 13, column: 12, field: 'block 2' }],
      ['NOT_FOUND', 'db-magic-helpers', null, { file: 'answer.md', line: 11, column: 23, field: 'block 2' }],
    ]);
    expect(report.summary).toMatchObject({ manifests: 0, sourceFiles: 1 });
  });

  it('plain code is checked at the latest versions, and an impossible install version points at its line', async () => {
    publish(mock, 'db', { '1.0.0': DB, '2.0.0': { ...DB, 'index.d.ts': `${DB['index.d.ts']}\nexport declare function connectSecure(url: string): Pool;` } });
    const client = createRegistryClient({ root: cacheDir, npmConfig: { registry: REGISTRY }, cacheDir, retries: 0 });
    const code = await verifySnippet({ text: "import { connectSecure } from 'db';\nconnectSecure('x');\n", client, cacheDir, popularIndex: false });
    expect(code.findings).toEqual([]);
    const md = await verifySnippet({ text: 'Run `npm i db@^7`, then:\n\n```js\nconst db = require("db");\n```\n', client, cacheDir, popularIndex: false, types: false });
    expect(md.findings.map((f) => [f.code, f.locations[0]])).toEqual([['VERSION_NOT_FOUND', { file: '<snippet>', line: 1, field: 'npm i db@^7' }]]);
  });
});

describe('depverify snippet (CLI)', () => {
  it('reads a Markdown file and exits 1 on findings, with the same formats as projects', async () => {
    const { writeTree } = await import('../helpers/fixture.js');
    const dir = await writeTree({ 'answer.md': "```js\nimport nope from 'not-a-real-pkg-xyz';\n```\n" });
    const run = await runCli(['snippet', path.join(dir, 'answer.md'), '--format', 'json'], { fixtures: {} });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: Array<{ code: string; locations: Array<{ line: number }> }> };
    expect(report.findings.map((f) => [f.code, f.locations[0]?.line])).toEqual([['NOT_FOUND', 2]]);
    const bad = await runCli(['snippet', path.join(dir, 'answer.md'), '--lang', 'python']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lang must be one of/);
  });
});
