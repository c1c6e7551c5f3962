import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifySnippet } from '../../src/index.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { runCli } from '../helpers/run-cli.js';

const { mock, cacheRoot: cacheDir, client: clientOf } = mockRegistryRuns('snippet-cache');

const DB = {
  'package.json': JSON.stringify({ types: 'index.d.ts' }),
  'index.d.ts':
    'export declare class Pool { query(sql: string): Promise<{ rows: unknown[] }>; }\nexport declare function connect(url: string): Pool;',
};

describe('verifySnippet', () => {
  it('a Markdown answer: install lines pick versions, findings point at block and line in the answer', async () => {
    publish(mock, 'db', {
      '1.0.0': DB,
      '2.0.0': {
        ...DB,
        'index.d.ts': `${DB['index.d.ts']}\nexport declare function connectSecure(url: string): Pool;`,
      },
    });
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
    const client = clientOf(cacheDir, cacheDir);
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
    publish(mock, 'db', {
      '1.0.0': DB,
      '2.0.0': {
        ...DB,
        'index.d.ts': `${DB['index.d.ts']}\nexport declare function connectSecure(url: string): Pool;`,
      },
    });
    const client = clientOf(cacheDir, cacheDir);
    const code = await verifySnippet({
      text: "import { connectSecure } from 'db';\nconnectSecure('x');\n",
      client,
      cacheDir,
      popularIndex: false,
    });
    expect(code.findings).toEqual([]);
    const md = await verifySnippet({
      text: 'Run `npm i db@^7`, then:\n\n```js\nconst db = require("db");\n```\n',
      client,
      cacheDir,
      popularIndex: false,
      types: false,
    });
    expect(md.findings.map((f) => [f.code, f.locations[0]])).toEqual([
      ['VERSION_NOT_FOUND', { file: '<snippet>', line: 1, field: 'npm i db@^7' }],
    ]);
  });
});

describe('verifySnippet: every language and install command', () => {
  it('checks js, jsx, ts, tsx, mjs, cjs and untagged code blocks, skips other languages, and reads yarn, pnpm and bun install lines', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    publish(mock, 'old-req', {
      '2.0.0': { 'package.json': JSON.stringify({ deprecated: 'old-req is deprecated, use db' }) },
    });
    const fence = (lang: string, code: string): string => `\`\`\`${lang}\n${code}\n\`\`\``;
    const answer = [
      'Install:', // 1
      fence('bash', 'yarn add old-req\npnpm add ghost-pnpm\nbun add ghost-bun'), // 2-6
      fence('js', "import db from 'db';\nimport a from 'ghost-js';"), // 7-10
      fence('jsx', "import { h } from 'ghost-jsx';\nexport const A = () => <div>{h}</div>;"), // 11-14
      fence('ts', "import type { T } from 'ghost-ts';\nconst x: T = 1 as never;"), // 15-18
      fence('tsx', "import B from 'ghost-tsx';\nexport const C = (): JSX.Element => <B />;"), // 19-22
      fence('mjs', "export { x } from 'ghost-mjs';"), // 23-25
      fence('cjs', "const old = require('old-req');\nconst y = require('ghost-cjs');"), // 26-29
      fence('', "const z = await import('ghost-untagged');"), // 30-32
      fence('python', 'import ghost_py'), // 33-35
    ].join('\n');
    const client = clientOf(cacheDir, cacheDir);
    const report = await verifySnippet({
      text: answer,
      fileName: 'answer.md',
      client,
      cacheDir,
      popularIndex: false,
      types: false,
    });
    const rows = report.findings.map((f) => [f.code, f.package, f.locations[0]?.line, f.locations[0]?.field]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['DEPRECATED', 'old-req', 3, 'yarn add old-req'],
        ['NOT_FOUND', 'ghost-pnpm', 4, 'pnpm add ghost-pnpm'],
        ['NOT_FOUND', 'ghost-bun', 5, 'bun add ghost-bun'],
        ['NOT_FOUND', 'ghost-js', 9, 'block 2'],
        ['NOT_FOUND', 'ghost-jsx', 12, 'block 3'],
        ['NOT_FOUND', 'ghost-ts', 16, 'block 4'],
        ['NOT_FOUND', 'ghost-tsx', 20, 'block 5'],
        ['NOT_FOUND', 'ghost-mjs', 24, 'block 6'],
        ['NOT_FOUND', 'ghost-cjs', 28, 'block 7'],
        ['NOT_FOUND', 'ghost-untagged', 31, 'block 8'],
      ]),
    );
    expect(rows).toHaveLength(10);
    expect(report.findings.some((f) => f.package?.includes('ghost_py'))).toBe(false);
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
