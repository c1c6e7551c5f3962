import { describe, expect, it } from 'vitest';
import { looksLikeMarkdown, readSnippet } from '../../src/scan/read-snippet.js';

const md = (...lines: string[]) => lines.join('\n');

describe('readSnippet', () => {
  it('Markdown: code blocks by language with their first line, install lines from shell blocks and prose', () => {
    const text = md(
      'Install with `npm install express` or:', //                        1
      '',
      '```bash',
      '$ yarn add zod@^3 -D --exact',
      'pnpm add @types/node ./local-pkg && echo done',
      'bun add left-pad',
      '```',
      '',
      '```ts',
      "import express from 'express';", //                                10
      '```',
      '',
      '```javascript',
      "const _ = require('lodash');",
      '```',
      '',
      '```', //                                                             17: untagged, parses as code
      "import x from 'x';",
      '```',
      '',
      '```', //                                                             21: untagged prose
      'Run it and open the page',
      '```',
      '',
      '```python',
      'import os',
      '```',
    );
    const s = readSnippet(text, { fileName: 'answer.md' });
    expect(s.kind).toBe('markdown');
    expect(s.blocks.map((b) => [b.block, b.lang, b.startLine, b.code.split('\n')[0]])).toEqual([
      [2, 'ts', 10, "import express from 'express';"],
      [3, 'js', 14, "const _ = require('lodash');"],
      [4, 'ts', 18, "import x from 'x';"],
    ]);
    expect(s.installs.map((i) => [i.spec, i.command, i.line, i.block ?? null])).toEqual([
      ['express', 'npm install', 1, null],
      ['zod@^3', 'yarn add', 4, 1],
      ['@types/node', 'pnpm add', 5, 1],
      ['left-pad', 'bun add', 6, 1],
    ]);
  });

  it('plain code: the whole text is one block; the language from --lang, the file name, or the code', () => {
    expect(readSnippet("import a from 'a';\n").blocks).toEqual([
      { block: 1, lang: 'js', code: "import a from 'a';\n", startLine: 1 },
    ]);
    expect(readSnippet('const a: string = "x";').blocks[0]?.lang).toBe('ts');
    expect(readSnippet('x', { fileName: 'a.tsx' }).blocks[0]?.lang).toBe('tsx');
    expect(readSnippet('```js\nx\n```', { lang: 'cjs' }).kind).toBe('code');
  });

  it('tells Markdown from code', () => {
    expect(looksLikeMarkdown('text\n```js\nx\n```')).toBe(true);
    expect(looksLikeMarkdown("const s = '```';")).toBe(false);
    expect(looksLikeMarkdown('# Title', 'x.md')).toBe(true);
    expect(looksLikeMarkdown('```js\n```', 'a.ts')).toBe(false);
  });

  it('CRLF and tildes fences keep the line numbers', () => {
    const s = readSnippet('Hi\r\n\r\n~~~tsx\r\nimport React from "react";\r\n~~~\r\n');
    expect(s.blocks.map((b) => [b.lang, b.startLine])).toEqual([['tsx', 4]]);
  });
});
