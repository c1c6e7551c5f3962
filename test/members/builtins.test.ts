/**
 * Issue 15, items 1-3: Node's own modules are checked against @types/node at the project's Node
 * version (a small fake @types/node here), deprecated APIs are warnings with the declaration's
 * own text, and a missing name carries what it probably meant.
 */
import { describe, expect, it } from 'vitest';
import { verifySnippet } from '../../src/index.js';
import { nodeTypes } from '../helpers/node-types.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, cacheRoot, freshCacheDir, client, verifyFiles } = mockRegistryRuns('builtins');

const json = (x: object) => JSON.stringify(x);
const RUNNING = Number(process.versions.node.split('.')[0]);

function publishNode(): void {
  publish(mock, '@types/node', {
    '18.19.0': nodeTypes(false),
    '20.11.0': nodeTypes(false),
    [`${RUNNING}.0.0`]: nodeTypes(RUNNING >= 22),
    '22.5.0': nodeTypes(true),
  });
}

async function check(files: Record<string, string>) {
  const { report } = await verifyFiles(files);
  const rows = report.findings
    .filter((f) => ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'DEPRECATED_API', 'TYPES_UNKNOWN'].includes(f.code))
    .flatMap((f) => f.locations.map((l) => [f.code, f.package, f.details?.name, `${l.file}:${l.line}`]))
    .sort((a, b) => String(a).localeCompare(String(b)));
  return { report, rows };
}

describe("Node's own modules", () => {
  it('members of fs, node:fs/promises and require("crypto") are checked against @types/node', async () => {
    publishNode();
    const { report, rows } = await check({
      'package.json': json({ name: 'app', devDependencies: { '@types/node': '20.11.0' } }),
      'src/a.ts': [
        "import fs from 'fs';",
        "import { readFile, readFileAsync } from 'node:fs/promises';",
        "import * as nodeFs from 'node:fs';",
        'fs.existsAsync("x");',
        'fs.promises.readFileAsync("x");',
        'nodeFs.readFileSync("x");',
        'void readFile("x");',
      ].join('\n'),
      'src/b.js': [
        "const crypto = require('crypto');",
        "crypto.sha256('x');",
        "crypto.createHash('sha256').update('x').digest('hex');",
        '',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'node:fs/promises', 'readFileAsync', 'src/a.ts:2'],
      ['INVENTED_MEMBER', 'node:crypto', 'sha256', 'src/b.js:2'],
      ['INVENTED_MEMBER', 'node:fs', 'existsAsync', 'src/a.ts:4'],
      ['INVENTED_MEMBER', 'node:fs', 'readFileAsync', 'src/a.ts:5'],
    ]);
    const sha = report.findings.find((f) => f.details?.name === 'sha256')!;
    expect(sha.severity).toBe('error');
    expect(sha.version).toBe('20.11.0');
    expect(sha.message).toBe("node:crypto has no member sha256 (Node's API as @types/node@20.11.0 declares it).");
  });

  it('not claimed: what the running Node has, feature detection, internals, values from callbacks', async () => {
    publishNode();
    const { rows } = await check({
      'package.json': json({ name: 'app', devDependencies: { '@types/node': `${RUNNING}.0.0` } }),
      'src/a.js': [
        "const fs = require('node:fs');",
        "fs.copyFileSync('a', 'b');", // real, but missing from the fake declarations: @types/node lags
        "fs.existsAsync?.('x');",
        "if (typeof fs.readFileAsync === 'function') fs.readFileAsync('x');",
        'fs._internalThing();',
        "fs.readFile('x', (err, data) => data.nope);",
        "fs.readFileSecure('x');",
        '',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'node:fs', 'readFileAsync', 'src/a.js:4'],
      ['INVENTED_MEMBER', 'node:fs', 'readFileSecure', 'src/a.js:7'],
    ]);
  });

  it('a name bound to a local is feature-detected when a use of the local is (undici: ReadableStreamTee?.(…) ?? fallback)', async () => {
    publishNode();
    const { rows } = await check({
      'package.json': json({ name: 'app', devDependencies: { '@types/node': `${RUNNING}.0.0` } }),
      'src/a.js': [
        "const { readFileTee, readFileTwo } = require('node:fs');",
        "const fs = require('node:fs');",
        'const copyTee = fs.copyTee;',
        'const copyTwo = fs.copyTwo;',
        'function read(p) { return readFileTee?.(p) ?? fs.readFileSync(p); }',
        "if (copyTee) copyTee('a', 'b');",
        "readFileTwo('x'); copyTwo('a', 'b');",
        '',
      ].join('\n'),
      'src/b.mjs': [
        "import { statTee, statTwo } from 'node:fs';",
        "export const s = typeof statTee === 'function' ? statTee('x') : null;",
        "statTwo('x');",
        '',
      ].join('\n'),
    });
    expect(rows).toEqual(
      [
        ['INVENTED_EXPORT', 'node:fs', 'statTwo', 'src/b.mjs:1'],
        ['INVENTED_EXPORT', 'node:fs', 'readFileTwo', 'src/a.js:1'],
        ['INVENTED_MEMBER', 'node:fs', 'copyTwo', 'src/a.js:4'],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
  });

  it('without @types/node in the project: engines.node, then .nvmrc, then the running Node pick the version', async () => {
    publishNode();
    const code = "import crypto from 'crypto';\ncrypto.sha256('x');\n";
    const at = async (files: Record<string, string>) =>
      (await check({ 'src/a.ts': code, ...files })).report.findings.find((f) => f.package === 'node:crypto')?.version;
    // `^18 || ^20`: the newest the range allows.
    expect(await at({ 'package.json': json({ name: 'app', engines: { node: '^18 || ^20' } }) })).toBe('20.11.0');
    expect(await at({ 'package.json': json({ name: 'app' }), '.nvmrc': 'v18.19.1\n' })).toBe('18.19.0');
    expect(await at({ 'package.json': json({ name: 'app' }), '.node-version': '22' })).toBe('22.5.0');
  });

  it('a registry without @types/node leaves builtins unchecked, silently; one that fails is TYPES_UNKNOWN', async () => {
    const { rows } = await check({
      'package.json': json({ name: 'app' }),
      'src/a.js': "const fs = require('fs');\nfs.existsAsync('x');\n",
    });
    expect(rows).toEqual([]);
    mock.set('@types/node', () => new Response('boom', { status: 500 }));
    const failed = await check({
      'package.json': json({ name: 'app' }),
      'src/a.js': "const fs = require('fs');\nfs.existsAsync('x');\n",
    });
    expect(failed.rows).toEqual([['TYPES_UNKNOWN', 'node', undefined, 'src/a.js:1']]);
  });

  it('a snippet: crypto.sha256 in a Markdown answer is an invented member', async () => {
    publishNode();
    const answer = [
      'Hash it:',
      '',
      '```js',
      "const crypto = require('crypto');",
      "const digest = crypto.sha256('data');",
      '```',
      '',
    ].join('\n');
    const cacheDir = freshCacheDir();
    const report = await verifySnippet({
      text: answer,
      fileName: 'answer.md',
      client: client(cacheRoot, cacheDir),
      cacheDir,
      popularIndex: false,
    });
    const f = report.findings.find((x) => x.code === 'INVENTED_MEMBER');
    expect(f).toMatchObject({
      package: 'node:crypto',
      severity: 'error',
      details: { name: 'sha256' },
      locations: [{ file: 'answer.md', line: 5 }],
    });
  });
});

describe('deprecated APIs', () => {
  it("Node's: the declaration's own text; a current sibling is not reported; removed at the project's Node is invented", async () => {
    publishNode();
    const code = [
      "import url from 'node:url';",
      "import { createCipher } from 'crypto';",
      "import * as fs from 'fs';",
      "url.parse('http://x');",
      "url.fileURLToPath('file:///x');",
      "createCipher('aes', 'k');",
      "fs.exists('x', () => {});",
      "const b = new Buffer('x');",
      "const c = Buffer.from('x');",
      '',
    ].join('\n');
    const at20 = await check({
      'package.json': json({ name: 'app', devDependencies: { '@types/node': '20.11.0' } }),
      'src/a.ts': code,
    });
    expect(at20.rows).toEqual([
      ['DEPRECATED_API', 'node', 'Buffer', 'src/a.ts:8'],
      ['DEPRECATED_API', 'node:crypto', 'createCipher', 'src/a.ts:2'],
      ['DEPRECATED_API', 'node:crypto', 'createCipher', 'src/a.ts:6'],
      ['DEPRECATED_API', 'node:fs', 'exists', 'src/a.ts:7'],
      ['DEPRECATED_API', 'node:url', 'parse', 'src/a.ts:4'],
    ]);
    const parse = at20.report.findings.find((f) => f.details?.name === 'parse')!;
    expect(parse.severity).toBe('warning');
    expect(parse.message).toBe(
      'url.parse is deprecated (node:url, @types/node@20.11.0): Use the WHATWG URL API instead.',
    );
    expect(parse.details?.deprecation).toBe('Use the WHATWG URL API instead.');
    expect(at20.report.findings.find((f) => f.details?.name === 'Buffer')?.details?.deprecation).toBe(
      'since v10.0.0 - Use `Buffer.from(string[, encoding])` instead.',
    );
    // Node 22 removed createCipher: invented at that version.
    const at22 = await check({
      'package.json': json({ name: 'app', devDependencies: { '@types/node': '22.5.0' } }),
      'src/a.ts': code,
    });
    expect(at22.rows.filter((r) => r[2] === 'createCipher')).toEqual([
      ['INVENTED_EXPORT', 'node:crypto', 'createCipher', 'src/a.ts:2'],
    ]);
    // A running Node that still has it (older than 22): removed, as the older declarations' deprecation says.
    if (RUNNING < 22)
      expect(at22.report.findings.find((f) => f.details?.name === 'createCipher')?.details).toMatchObject({
        removed: true,
        deprecatedIn: expect.stringMatching(/^@types\/node@/),
      });
  });

  it("a package's: only the overload the call resolves to, never the project's own deprecated code", async () => {
    publishNode();
    publish(mock, 'fetchy', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts': [
          'export declare function get(url: string): Promise<string>;',
          '/** @deprecated Pass an options object instead of a callback. */',
          'export declare function get(url: string, cb: (body: string) => void): void;',
          '/** @deprecated Use {@link get} instead. */',
          'export declare function fetchUrl(url: string): Promise<string>;',
          'export declare class Client {',
          '  /** @deprecated Use close() */',
          '  end(): void;',
          '  close(): void;',
          '}',
          '',
        ].join('\n'),
        'index.js': 'exports.get = () => {}; exports.fetchUrl = () => {}; exports.Client = class {};\n',
      },
    });
    const { rows, report } = await check({
      'package.json': json({ name: 'app', dependencies: { fetchy: '^1.0.0' } }),
      'src/a.ts': [
        "import { get, fetchUrl, Client } from 'fetchy';",
        '/** @deprecated mine */',
        'function old(): void {}',
        'old();',
        "void get('x');",
        "get('x', (b) => console.log(b));",
        "void fetchUrl('x');",
        'const c = new Client();',
        'c.end();',
        'c.close();',
        '',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['DEPRECATED_API', 'fetchy', 'end', 'src/a.ts:9'],
      ['DEPRECATED_API', 'fetchy', 'fetchUrl', 'src/a.ts:1'],
      ['DEPRECATED_API', 'fetchy', 'fetchUrl', 'src/a.ts:7'],
      ['DEPRECATED_API', 'fetchy', 'get', 'src/a.ts:6'],
    ]);
    expect(report.findings.find((f) => f.details?.name === 'get')?.message).toBe(
      'get of fetchy@1.0.0 is deprecated: Pass an options object instead of a callback.',
    );
    expect(report.findings.find((f) => f.details?.name === 'end')?.message).toBe(
      'Client.end of fetchy@1.0.0 is deprecated: Use close()',
    );
    expect(report.findings.find((f) => f.details?.name === 'fetchUrl')?.details?.deprecation).toBe('Use get instead.');
  });
});

describe('a deprecated type in a dotted name', () => {
  it('names the last name of `ns.Type` in an extends clause, with its own text (preact: JSX.HTMLAttributes)', async () => {
    publishNode();
    publish(mock, 'widgets', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts': [
          'export declare namespace UI {',
          '  /** @deprecated Import Attributes from the package instead. */',
          '  interface OldAttributes { id?: string }',
          '  interface Attributes { id?: string }',
          '}',
          '',
        ].join('\n'),
        'index.js': 'exports.UI = {};\n',
      },
    });
    const { rows, report } = await check({
      'package.json': json({ name: 'app', dependencies: { widgets: '^1.0.0' } }),
      'src/a.ts': [
        "import type { UI } from 'widgets';",
        'export interface Mine extends UI.OldAttributes {}',
        'export interface Fine extends UI.Attributes {}',
        'export type Alias = UI.OldAttributes;',
        '',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['DEPRECATED_API', 'widgets', 'OldAttributes', 'src/a.ts:2'],
      ['DEPRECATED_API', 'widgets', 'OldAttributes', 'src/a.ts:4'],
    ]);
    // Both named as written, the extends clause's and the type reference's: one finding, two places.
    expect(report.findings.map((f) => f.message)).toEqual([
      'UI.OldAttributes of widgets@1.0.0 is deprecated: Import Attributes from the package instead.',
    ]);
  });
});

describe('did you mean', () => {
  it("TypeScript's spelling suggestion, else a real name the invented one extends; in the message and details.suggestions", async () => {
    publishNode();
    publish(mock, 'pgx', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts':
          'export declare function connect(url: string): void;\nexport declare function string(): void;\nexport declare function stringify(x: unknown): string;\n',
        'index.js': 'exports.connect = () => {}; exports.string = () => {}; exports.stringify = () => {};\n',
      },
    });
    const { report } = await check({
      'package.json': json({
        name: 'app',
        dependencies: { pgx: '^1.0.0' },
        devDependencies: { '@types/node': '20.11.0' },
      }),
      'src/a.ts': [
        "import * as pg from 'pgx';",
        "import { strin } from 'pgx';",
        "import fs from 'node:fs';",
        "pg.connect_secure('x');",
        "fs.readFileSyncSecure('x');",
        'pg.zzz();',
        '',
      ].join('\n'),
    });
    const by = (name: string) => report.findings.find((f) => f.details?.name === name)!;
    expect(by('connect_secure').message).toBe('pgx@1.0.0 has no export connect_secure; did you mean connect?');
    expect(by('connect_secure').details?.suggestions).toEqual(['connect']);
    expect((by('strin').details?.suggestions as string[])[0]).toBe('string');
    expect(by('readFileSyncSecure').details?.suggestions).toEqual(['readFileSync', 'readFile']);
    expect(by('zzz').details?.suggestions).toBeUndefined();
    expect(by('zzz').message).toBe('pgx@1.0.0 has no export zzz.');
  });
});
