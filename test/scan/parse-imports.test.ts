import { describe, expect, it } from 'vitest';
import { readImports } from '../../src/scan/parse-imports.js';

const TS_SOURCE = [
  "import a from 'static-default';", // 1
  "import 'side-effect';", // 2
  "import type { T } from 'type-only';", // 3
  "import { type A, type B } from 'all-type-specifiers';", // 4
  "import D, { type C } from 'mixed';", // 5
  "export { x } from 're-export';", // 6
  "export * from 'star';", // 7
  "export type { Y } from 'export-type';", // 8
  "import eq = require('import-equals');", // 9
  "const d = import('dynamic');", // 10
  'const t = import(`template`);', // 11
  "const r = require('req');", // 12
  "const rr = require.resolve('resolved');", // 13
  "let q: typeof import('type-query');", // 14
  "declare module 'ambient' {}", // 15
  'function f() {', // 16
  "  return () => { if (a) { require('nested'); } };", // 17
  '}', // 18
  "import {} from 'empty-named';", // 19
  "export { type Z } from 'export-all-type';", // 20
  "import type Eq = require('import-equals-type');", // 21
  "const j = import('json-data', { with: { type: 'json' } });", // 22
].join('\n');

describe('readImports', () => {
  it('collects every import form with its kind and the position of the opening quote', () => {
    const { imports, error } = readImports('src/a.ts', TS_SOURCE);
    expect(error).toBeUndefined();
    expect(imports).toEqual([
      { specifier: 'static-default', kind: 'import', line: 1, column: 15 },
      { specifier: 'side-effect', kind: 'import', line: 2, column: 8 },
      { specifier: 'type-only', kind: 'import-type', line: 3, column: 24 },
      { specifier: 'all-type-specifiers', kind: 'import-type', line: 4, column: 32 },
      { specifier: 'mixed', kind: 'import', line: 5, column: 27 },
      { specifier: 're-export', kind: 'export', line: 6, column: 19 },
      { specifier: 'star', kind: 'export', line: 7, column: 15 },
      { specifier: 'export-type', kind: 'import-type', line: 8, column: 24 },
      { specifier: 'import-equals', kind: 'import', line: 9, column: 21 },
      { specifier: 'dynamic', kind: 'dynamic-import', line: 10, column: 18 },
      { specifier: 'template', kind: 'dynamic-import', line: 11, column: 18 },
      { specifier: 'req', kind: 'require', line: 12, column: 19 },
      { specifier: 'resolved', kind: 'require-resolve', line: 13, column: 28 },
      { specifier: 'type-query', kind: 'import-type', line: 14, column: 22 },
      { specifier: 'nested', kind: 'require', line: 17, column: 35 },
      { specifier: 'empty-named', kind: 'import', line: 19, column: 16 },
      { specifier: 'export-all-type', kind: 'import-type', line: 20, column: 24 },
      { specifier: 'import-equals-type', kind: 'import-type', line: 21, column: 26 },
      { specifier: 'json-data', kind: 'dynamic-import', line: 22, column: 18 },
    ]);
  });

  it('skips non-literal arguments and calls that are not Node require', () => {
    const text = [
      'const name = "x";',
      'require(name);',
      'import(name);',
      'import(`tpl-${name}`);',
      "require('a', 'b');",
      "obj.require('method');",
      "myRequire('other');",
      "require.cache['c'];",
      'require();',
    ].join('\n');
    expect(readImports('a.js', text)).toEqual({ imports: [] });
  });

  it.each([
    ['a.js', "import x from 'p';\nconst el = <div>{require('q')}</div>;"],
    ['a.mjs', "import x from 'p';\nconst m = await import('q');"],
    ['a.cjs', "#!/usr/bin/env node\nconst x = require('p'); module.exports = require('q');"],
    ['a.jsx', "import x from 'p';\nexport const C = () => <div>{require('q')}</div>;"],
    ['a.ts', "import x from 'p';\nconst y = <unknown>require('q');"],
    ['a.mts', "import x from 'p';\nconst y: number = (await import('q')).default satisfies number;"],
    ['a.cts', "import x = require('p');\nexport = require('q') as unknown;"],
    ['a.tsx', "import x from 'p';\nexport const C = <T,>(v: T) => <div>{require('q')}</div>;"],
  ])('parses %s with its own syntax', (file, text) => {
    const { imports, error } = readImports(file, text);
    expect(error).toBeUndefined();
    expect(imports.map((i) => [i.specifier, i.line])).toEqual([
      ['p', file === 'a.cjs' ? 2 : 1],
      ['q', 2],
    ]);
  });

  it('reports the first syntax error with its position and keeps the imports it found', () => {
    const text = "import a from 'before';\nconst x = ;\nimport b from 'after';\n";
    const { imports, error } = readImports('src/broken.ts', text);
    expect(imports.map((i) => i.specifier)).toEqual(['before', 'after']);
    expect(error).toMatchObject({ file: 'src/broken.ts', line: 2, column: 11 });
    expect(error?.message).toMatch(/expected/i);
  });

  it("takes valid JavaScript TypeScript's parser misreads as an arrow function: no syntax error", () => {
    // `({ … })` closing an arrow's body, then a block on the next line: TypeScript says "'=>' expected".
    const text =
      "const { once } = require('events');\nconst request = (c) => ({\n  cookie: c\n})\n\n{\n  require('undici');\n}\n";
    const { imports, error } = readImports('test/cache.js', text);
    expect(error).toBeUndefined();
    expect(imports.map((i) => [i.specifier, i.line])).toEqual([
      ['events', 1],
      ['undici', 7],
    ]);
    // The same text is a real error in TypeScript, where `(c) => ({…}) {` cannot be.
    expect(readImports('test/cache.ts', text).error).toMatchObject({ file: 'test/cache.ts', line: 6 });
    // And JavaScript that is really broken stays an error.
    expect(readImports('a.js', "require('x');\nconst = 1;\n").error).toMatchObject({ file: 'a.js', line: 2 });
  });

  it('refuses text with a NUL byte as binary', () => {
    const { imports, error } = readImports('a.js', "require('x');\0\0");
    expect(imports).toEqual([]);
    expect(error).toMatchObject({ file: 'a.js', reason: 'binary' });
  });

  it('counts columns without a byte order mark and lines across CRLF', () => {
    const { imports } = readImports('a.ts', "\uFEFFimport 'a';\r\nimport 'b';\r\n");
    expect(imports).toEqual([
      { specifier: 'a', kind: 'import', line: 1, column: 8 },
      { specifier: 'b', kind: 'import', line: 2, column: 8 },
    ]);
  });
});

describe('code the language accepts (issue 12.5)', () => {
  it('reads source-phase imports as imports of their specifier, positions intact', () => {
    const { imports, error } = readImports(
      'a.js',
      "import source wasm from './m.wasm';\nimport  source\n  mod from 'wasm-pkg';\nimport source from 'named-source';\n",
    );
    expect(error).toBeUndefined();
    expect(imports).toEqual([
      { specifier: './m.wasm', kind: 'import', line: 1, column: 25 },
      { specifier: 'wasm-pkg', kind: 'import', line: 3, column: 12 },
      { specifier: 'named-source', kind: 'import', line: 4, column: 20 },
    ]);
  });

  it('reads deferred imports', () => {
    const { imports, error } = readImports('a.ts', "import defer * as heavy from 'heavy-pkg';\n");
    expect(error).toBeUndefined();
    expect(imports.map((i) => i.specifier)).toEqual(['heavy-pkg']);
  });

  it('accepts sloppy-mode legacy octal in JavaScript, not in TypeScript', () => {
    const js = "var mode = 0777;\nvar esc = '\\07';\nvar d = 08;\nrequire('fs-extra');\n";
    expect(readImports('a.js', js)).toEqual({
      imports: [{ specifier: 'fs-extra', kind: 'require', line: 4, column: 9 }],
    });
    expect(readImports('a.ts', js).error?.message).toMatch(/octal/i);
  });

  it('a text file with a few NUL characters in a string is text; a real binary is binary', () => {
    const text = `const sep = "a\0b\0c";\nimport x from 'nul-user';\n${'// more code\n'.repeat(20)}`;
    const read = readImports('a.test.js', text);
    expect(read.error).toBeUndefined();
    expect(read.imports.map((i) => i.specifier)).toEqual(['nul-user']);
    const png = '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0';
    expect(readImports('img.js', png).error).toMatchObject({ reason: 'binary' });
    const utf16 = "i\0m\0p\0o\0r\0t\0 \0x\0 \0f\0r\0o\0m\0 \0'\0y\0'\0";
    expect(readImports('u.js', utf16).error).toMatchObject({ reason: 'binary' });
  });
});

describe('readImports after a syntax error: whether the recovered tree lost an import', () => {
  const read = (file: string, text: string) => {
    const { imports, error, lostImports } = readImports(file, text);
    return { specifiers: imports.map((i) => i.specifier), error: error?.line, lostImports };
  };

  it('every import form still read after an error at the end: nothing lost', () => {
    const { imports } = readImports('src/a.ts', TS_SOURCE);
    const broken = readImports('src/a.ts', `${TS_SOURCE}\nconst = ;\n`);
    expect(broken.error).toMatchObject({ line: 23 });
    expect(broken.imports).toEqual(imports);
    expect(broken.lostImports).toBe(false);
  });

  it('import-like text in comments, JSDoc, strings, templates and regexes is no import', () => {
    const text = [
      "import a from 'a';",
      "// import('x') and require('y')",
      "/** @type {import('../types').T} */",
      'const s = "require(\'z\')";',
      "const t = `x ${require('c')} y ${`import('w')`}`;",
      "const re = /require('q')/g;",
      "const r = require('./files/' + name);",
      'const v = a / 2 / 3; f(;',
      "import('d');",
    ].join('\n');
    expect(read('test/cache.js', text)).toEqual({ specifiers: ['a', 'c', 'd'], error: 8, lostImports: false });
  });

  it('a require the tree holds as something else (a method in a class body) is lost', () => {
    expect(read('src/a.ts', "import a from 'a';\nclass A {\n  require('left-pad')\n}\n")).toMatchObject({
      specifiers: ['a'],
      lostImports: true,
    });
  });

  it("a string cut off in an import is lost: 'zo is not what was meant", () => {
    expect(read('src/a.ts', "import a from 'a';\nimport { z } from 'zo")).toMatchObject({ lostImports: true });
    expect(read('src/a.js', "const a = require('a');\nconst z = require('zo")).toMatchObject({ lostImports: true });
  });

  it('the other side of a merge conflict is skipped by the parser: lost', () => {
    expect(
      read('src/a.js', "<<<<<<< HEAD\nimport a from 'a';\n=======\nimport b from 'b';\n>>>>>>> theirs\n"),
    ).toMatchObject({ specifiers: ['a'], lostImports: true });
  });

  it('a file that parses has no verdict to give', () => {
    expect(read('src/a.ts', "import a from 'a';\n")).toEqual({
      specifiers: ['a'],
      error: undefined,
      lostImports: undefined,
    });
  });
});
