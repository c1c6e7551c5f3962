import { describe, expect, it } from 'vitest';
import { verifySnippet } from '../../src/index.js';
import { RECENTLY, packument } from '../helpers/registry.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, cacheRoot: cacheDir, client: clientOf } = mockRegistryRuns('snippet-recovery');

const client = () => clientOf(cacheDir, false);
const check = (text: string) =>
  verifySnippet({ text, fileName: 'answer.md', client: client(), cacheDir: false, popularIndex: false, types: false });

describe('answers that are cut off, or mix other text into code', () => {
  it('a block cut off after its imports: the imports are checked and the syntax error is a warning', async () => {
    mock.set('express', packument('express', { versions: { '4.21.2': {} }, releasedFrom: RECENTLY }));
    const answer = [
      'Here is the server:',
      '',
      '```js',
      "import express from 'express';",
      "import helmet from 'helmet-secure-pro';",
      'const app = express();',
      "app.get('/', (req, res) => {",
      '  res.send(',
    ].join('\n');
    const report = await check(answer);
    expect(report.status).toBe('findings');
    expect(report.findings.map((f) => [f.code, f.severity, f.package]).sort()).toEqual([
      ['NOT_FOUND', 'error', 'helmet-secure-pro'],
      ['SYNTAX_ERROR', 'warning', ''],
    ]);
    expect(report.findings.find((f) => f.code === 'SYNTAX_ERROR')?.locations[0]).toMatchObject({
      file: 'answer.md',
      field: 'block 1',
    });
  });

  it('a block cut off inside an import: that import is lost, so the run is incomplete', async () => {
    mock.set('express', packument('express', { versions: { '4.21.2': {} }, releasedFrom: RECENTLY }));
    const report = await check(['```ts', "import express from 'express';", "import { z } from 'zo"].join('\n'));
    expect(report.status).toBe('incomplete');
    expect(report.findings.map((f) => f.code)).toContain('INPUT_ERROR');
  });

  it('an install line pasted into a JavaScript block is read as one, and the block still parses', async () => {
    mock.set('express', packument('express', { versions: { '4.21.2': {} }, releasedFrom: RECENTLY }));
    const report = await check(
      ['```javascript', 'npm install express express-guard-plus', "const express = require('express');", '```'].join(
        '\n',
      ),
    );
    expect(report.status).toBe('findings');
    expect(report.findings.map((f) => [f.code, f.package, f.locations[0]?.line])).toEqual([
      ['NOT_FOUND', 'express-guard-plus', 2],
    ]);
  });
});

describe("install lines for Node's own modules", () => {
  it('npm install readline is a warning that the built-in needs no install', async () => {
    mock.set('readline', packument('readline', { versions: { '1.3.0': {} }, releasedFrom: RECENTLY }));
    mock.set('bcrypt', packument('bcrypt', { versions: { '5.1.1': {} }, releasedFrom: RECENTLY }));
    const report = await check(
      ['```sh', 'npm install readline bcrypt', '```', '```js', "const readline = require('readline');", '```'].join(
        '\n',
      ),
    );
    const builtin = report.findings.filter((f) => f.code === 'BUILTIN_INSTALLED');
    expect(builtin.map((f) => [f.package, f.severity, f.locations[0]])).toEqual([
      ['readline', 'warning', { file: 'answer.md', line: 2, field: 'npm install readline' }],
    ]);
    expect(report.summary.warnings).toBe(1);
  });
});
