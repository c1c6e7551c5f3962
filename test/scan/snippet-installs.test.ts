import { describe, expect, it } from 'vitest';
import { readSnippet } from '../../src/scan/read-snippet.js';

const md = (...lines: string[]) => lines.join('\n');
const installs = (text: string) =>
  readSnippet(text, { fileName: 'answer.md' }).installs.map((i) => [i.spec, i.command, i.line]);

describe('package names wherever answers put them', () => {
  it('npx, pnpm dlx, yarn dlx and bunx in shell blocks name packages (the first word, or -p values)', () => {
    const text = md(
      '```bash',
      'npx create-express-secure-app my-api',
      'pnpm dlx -p @scope/gen gen init',
      'yarn dlx cowsay hi',
      'bunx --bun vite',
      '```',
    );
    expect(installs(text)).toEqual([
      ['create-express-secure-app', 'npx', 2],
      ['@scope/gen', 'pnpm dlx', 3],
      ['cowsay', 'yarn dlx', 4],
      ['vite', 'bunx', 5],
    ]);
  });

  it('an install command as the first line of a JavaScript block: read, and blanked so the code parses', () => {
    const s = readSnippet(
      md('```javascript', 'npm install express helmet', "const express = require('express');", '```'),
      { fileName: 'a.md' },
    );
    expect(s.installs.map((i) => [i.spec, i.line, i.block])).toEqual([
      ['express', 2, 1],
      ['helmet', 2, 1],
    ]);
    expect(s.blocks[0]?.code.split('\n')).toEqual(['', "const express = require('express');"]);
  });

  it('// npm install comments in code, and install commands quoted in prose', () => {
    const text = md(
      'First run \'npm install readline bcrypt\', then "yarn add zod".', // 1
      '',
      '```ts',
      '// npm install openai-helpers-pro', // 4
      "import OpenAI from 'openai';",
      '```',
    );
    expect(installs(text)).toEqual([
      ['readline', 'npm install', 1],
      ['bcrypt', 'npm install', 1],
      ['zod', 'yarn add', 1],
      ['openai-helpers-pro', 'npm install', 4],
    ]);
    // Prose that mentions a package manager without quoting a command names nothing.
    expect(installs('You can npm install it later, or use yarn if you prefer.')).toEqual([]);
  });

  it('package.json blocks: their dependencies are declarations, at their lines', () => {
    const text = md(
      '```json',
      '{',
      '  "name": "app",',
      '  "dependencies": {',
      '    "express": "^4.19.0",',
      '    "express-validator-pro": "latest",',
      '    "local": "file:../local"',
      '  }',
      '}',
      '```',
    );
    expect(installs(text)).toEqual([
      ['express@^4.19.0', 'package.json', 5],
      ['express-validator-pro', 'package.json', 6],
    ]);
  });

  it('shell brace expansion', () => {
    expect(installs(md('```sh', 'npm i -D @commitlint/{cli,config-conventional}', '```'))).toEqual([
      ['@commitlint/cli', 'npm i', 2],
      ['@commitlint/config-conventional', 'npm i', 2],
    ]);
  });

  it('CDN URLs in <script src> and in imports, and <script type="module"> imports in HTML blocks', () => {
    const text = md(
      '```html',
      '<script src="https://unpkg.com/htmx-secure-ext@1.2.0/dist/ext.js"></script>', // 2
      '<script type="module">',
      "  import confetti from 'https://cdn.jsdelivr.net/npm/canvas-confetti@1/+esm';", // 4
      "  import { animate } from 'motion-plus-fx';", // 5
      '</script>',
      '```',
      '',
      '```js',
      "import React from 'https://esm.sh/react@18.2.0';", // 10
      '```',
    );
    const s = readSnippet(text, { fileName: 'a.md' });
    expect(s.installs.map((i) => [i.spec, i.command, i.line])).toEqual([
      ['htmx-secure-ext@1.2.0', 'cdn', 2],
      ['canvas-confetti@1', 'cdn', 4],
      ['react@18.2.0', 'cdn', 10],
    ]);
    const html = s.blocks.find((b) => b.block === 1);
    expect(html?.lang).toBe('js');
    // The module script's code stands at its own lines and columns; the rest is blank.
    expect(html?.code.split('\n')[3]).toBe("  import { animate } from 'motion-plus-fx';");
    expect(html?.code.split('\n')[0]).toBe('');
  });

  it('CDN URLs: listed hosts by their own shapes, other hosts by /npm/<pkg>@<ver>/, or /<pkg>@<ver>/ where loaded as code', () => {
    const text = md(
      '```html',
      '<script src="https://cdn.example-cdn.test/npm/@scope/widget@3.1.0/dist/x.js"></script>', // 2
      '<script src="https://static.example-cdn.test/chartish@2.0.1/chart.js"></script>', // 3
      '<script src="https://unpkg.com/htmx.org"></script>', // 4: a listed CDN needs no version
      '<script src="https://static.example-cdn.test/app.js"></script>', // 5: no package path
      '<script src="https://ga.jspm.io/npm:lit@2.7.0/index.js"></script>', // 6
      '<a href="https://esm.sh/gh/user/repo@v1/mod.ts">x</a>', // 7: a GitHub path on esm.sh
      '```',
      '',
      '```js',
      "import { serve } from 'https://deno.land/std@0.200.0/http/server.ts';", // 11: Deno
      "import { join } from 'https://jsr.io/@std/path@1.0.0/mod.ts';", // 12: JSR
      "import x from 'https://deno.example.test/x/oak@v12.6.1/mod.ts';", // 13: no package path
      "const docs = 'see https://docs.example.test/guide@2/intro';", // 14: not loaded as code
      '```',
    );
    expect(installs(text)).toEqual([
      ['@scope/widget@3.1.0', 'cdn', 2],
      ['chartish@2.0.1', 'cdn', 3],
      ['htmx.org', 'cdn', 4],
      ['lit@2.7.0', 'cdn', 6],
    ]);
  });

  it('blocks inside list items and quotes are read; indented text only for its install lines', () => {
    const text = md(
      '1. Install:',
      '',
      '   ```sh',
      '   npm i express',
      '   ```',
      '',
      '> `npm i zod`',
      '',
      '    npm install pino',
      '',
      '- ```js',
      "  import x from 'y';",
      '  ```',
    );
    const s = readSnippet(text, { fileName: 'a.md' });
    expect(s.installs.map((i) => [i.spec, i.line, i.block])).toEqual([
      ['express', 4, 1],
      ['zod', 7, undefined],
      ['pino', 9, undefined],
    ]);
    expect(s.blocks.map((b) => [b.block, b.startLine, b.indent, b.code])).toEqual([[2, 12, 2, "import x from 'y';"]]);
  });

  it('package-manager lines that name no package (npm init -y, npm run dev) are blanked too; code that merely starts with such a word is kept', () => {
    const s = readSnippet(
      md('```js', 'npm init -y', 'npm install express', 'const bun = 1;', 'bun = 2;', 'npm run dev', '```'),
      { fileName: 'a.md' },
    );
    expect(s.blocks[0]?.code.split('\n')).toEqual(['', '', 'const bun = 1;', 'bun = 2;', '']);
  });
});
