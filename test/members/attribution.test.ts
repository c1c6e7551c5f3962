/**
 * Issue 13, the verdict side: which diagnostics become findings, and that a checker failure or a
 * cache never changes the answer.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memberCheckStats } from '../../src/members/check-types.js';
import { runtimeDefines, scanRuntimeFile } from '../../src/members/runtime-names.js';
import { checkMembers } from '../../src/members/members.js';
import { createVirtualProgram } from '../../src/members/program.js';
import { exitCode } from '../../src/report/exit-code.js';
import { writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, freshCacheDir, client, verifyProject, verifyFiles } = mockRegistryRuns('attr');

const json = (x: object) => JSON.stringify(x);

async function check(files: Record<string, string>) {
  const { root, report } = await verifyFiles(files);
  const types = report.findings.filter((f) =>
    ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND', 'TYPES_UNAVAILABLE'].includes(f.code),
  );
  return {
    report,
    root,
    rows: types.map((f) => [f.code, f.package, f.details?.name, f.locations[0]?.file, f.locations[0]?.line]),
  };
}

describe('who a missing member is blamed on', () => {
  it("a global a package augments (Function.prototype.once) does not make the package the owner of the user's values", async () => {
    publish(mock, 'oncely', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts':
          'declare global { interface Function { once(): Function } }\ndeclare function once<T>(fn: T): T;\nexport = once;\n',
        'index.js': 'module.exports = function once(fn) { return fn; };\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { oncely: '^1.0.0' } }),
      'src/a.js': [
        "const once = require('oncely');",
        '/** @param {Function} app */',
        "function setup(app) { app.set('x', 1); return app.once(); }",
        'module.exports = once(setup);',
        'once.nope();',
      ].join('\n'),
    });
    // The package's own value still is checked.
    expect(rows).toEqual([['INVENTED_MEMBER', 'oncely', 'nope', 'src/a.js', 5]]);
  });

  it('unions: a member one constituent has is not invented; one none has is', async () => {
    publish(mock, 'srv', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts':
          'export interface AddressInfo { port: number; address: string }\nexport declare class Server { address(): string | AddressInfo | null; listen(): void }\n',
        'index.js': 'class Server { address() { return null } listen() {} }\nexports.Server = Server;\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { srv: '^1.0.0' } }),
      'src/a.ts':
        "import { Server } from 'srv';\nconst s = new Server();\nconsole.log(s.address().port);\nconsole.log(s.address().portz);\n",
      // Destructured from the call's result, as undici's tests do (`const { port } = server.address()`).
      'src/b.ts': [
        "import { Server } from 'srv';",
        'const s = new Server();',
        'const { port, address } = s.address();',
        'const { portb } = s.address();',
        'const { inner: { port: p } } = { inner: s.address() };',
        'console.log(port, address, portb, p);',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'srv', 'portz', 'src/a.ts', 4],
      ['INVENTED_MEMBER', 'srv', 'portb', 'src/b.ts', 4],
    ]);
  });

  it("the user's own JSDoc type on a value of their own: the annotation is wrong, not the package", async () => {
    publish(mock, 'nxt', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts':
          'export type Redirect = { source: string; destination: string };\nexport declare function config(): Redirect;\n',
        'index.js': 'exports.config = () => ({});\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { nxt: '^1.0.0' } }),
      'src/a.js': [
        "const { config } = require('nxt');",
        '/** @type {import("nxt").Redirect} */',
        'const redirects = [];',
        "redirects.push({ source: '/a', destination: '/b' });",
        'config().sourcez;',
      ].join('\n'),
    });
    expect(rows).toEqual([['INVENTED_MEMBER', 'nxt', 'sourcez', 'src/a.js', 5]]);
  });
});

describe("the code's own properties", () => {
  it("a property the code assigns on a package's value is its own expando, not an invented member", async () => {
    publish(mock, 'drv', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts': 'export interface Conn { end(): void }\nexport declare function connect(): Conn;\n',
        'index.js': 'exports.connect = () => ({ end() {} });\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { drv: '^1.0.0' } }),
      'src/a.js':
        "const { connect } = require('drv');\nconst conn = connect();\nconn.__uid = 1;\nconsole.log(conn.__disposed, conn.endz === 1);\n",
    });
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'drv', '__disposed', 'src/a.js', 4],
      ['INVENTED_MEMBER', 'drv', 'endz', 'src/a.js', 4],
    ]);
  });
});

describe('what the runtime has', () => {
  it('members the JavaScript defines but the declarations lag behind are not invented', async () => {
    publish(mock, 'routr', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts':
          'declare namespace routr { interface Router { on(path: string): void } }\ndeclare function routr(): routr.Router;\nexport = routr;\n',
        'index.js': [
          'function Router(opts) { if (!(this instanceof Router)) return new Router(opts); this.onBadUrl = opts && opts.onBadUrl; }',
          'Router.prototype.on = function on(path) { return this.lookup(path); };',
          'module.exports = Router;',
          'module.exports.__express = function render() {};',
        ].join('\n'),
      },
    });
    const { rows, report } = await check({
      'package.json': json({ name: 'app', dependencies: { routr: '^1.0.0' } }),
      'src/a.js': [
        "const routr = require('routr');",
        'const router = routr();',
        'console.log(router.onBadUrl);',
        'router.lookup; router.lookupz;',
        'console.log(routr.__express, routr.__expressz);',
      ].join('\n'),
    });
    // `lookup` is only read in the JavaScript, never defined: still invented.
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'routr', 'lookup', 'src/a.js', 4],
      ['INVENTED_MEMBER', 'routr', 'lookupz', 'src/a.js', 4],
      ['INVENTED_MEMBER', 'routr', '__expressz', 'src/a.js', 5],
    ]);
    expect(exitCode(report)).toBe(1);
  });

  it("a member of a value typed by a dependency's declarations (fastify's router is find-my-way's) is looked for in that dependency's JavaScript", async () => {
    publish(mock, 'routr2', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts':
          'declare namespace routr { interface Router { on(path: string): void } }\ndeclare function routr(): routr.Router;\nexport = routr;\n',
        'index.js':
          'function Router(opts) { if (!(this instanceof Router)) return new Router(opts); this.onBadUrl = opts && opts.onBadUrl; }\nRouter.prototype.on = function on() {};\nmodule.exports = Router;\n',
      },
    });
    publish(mock, 'fastr', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts', dependencies: { routr2: '^1.0.0' } }),
        'index.d.ts':
          "import routr = require('routr2');\nexport interface App { router: routr.Router; listen(): void }\nexport declare function fastr(): App;\n",
        'index.js':
          "const routr = require('routr2');\nexports.fastr = function fastr() { return { router: routr(), listen() {} }; };\n",
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { fastr: '^1.0.0' } }),
      'src/a.ts':
        "import { fastr } from 'fastr';\nconst app = fastr();\nconsole.log(app.router.onBadUrl);\nconsole.log(app.router.onBadUrlz, app.listenz);\n",
    });
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'fastr', 'onBadUrlz', 'src/a.ts', 4],
      ['INVENTED_MEMBER', 'fastr', 'listenz', 'src/a.ts', 4],
    ]);
  });

  it('names the JavaScript defines through strings or in the files its entry requires are not invented; a name only in a message is', async () => {
    // enquirer: prompts defined as `define('NumberPrompt')` in the entry and over the keys of
    // `./lib/prompts`, whose file defines each through a string.
    publish(mock, 'enq', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts': 'declare class Enq { prompt(q: object): Promise<object> }\nexport = Enq;\n',
        'index.js': [
          "const utils = require('./lib/utils');",
          'class Enq { prompt() {} }',
          "const prompts = require('./lib/prompts');",
          'for (let name of Object.keys(prompts)) Reflect.defineProperty(Enq, name, { get: () => prompts[name] });',
          'const define = (name) => utils.defineExport(Enq, name, () => Enq.types[name]);',
          "define('NumberPrompt');",
          "if (!Enq.Bogus) throw new Error('Select2 is not registered');",
          "utils.log('Select3');",
          'module.exports = Enq;',
        ].join('\n'),
        'lib/utils.js':
          'exports.defineExport = (o, k, fn) => Reflect.defineProperty(o, k, { get: fn });\nexports.log = () => {};\n',
        'lib/prompts/index.js':
          "const utils = require('../utils');\nconst define = (key, fn) => utils.defineExport(exports, key, fn);\ndefine('AutoComplete', () => require('./autocomplete'));\n",
        'lib/prompts/autocomplete.js': 'module.exports = class AutoComplete {};\n',
      },
    });
    // node-forge: `forge.util` is set in `./util`, which the entry requires for its effect.
    publish(mock, 'frg', {
      '1.0.0': {
        'package.json': json({ main: 'lib/index.js', types: 'index.d.ts' }),
        'index.d.ts':
          'declare namespace frg { namespace util { function encode64(s: string): string } }\nexport = frg;\n',
        'lib/index.js': "module.exports = require('./forge');\nrequire('./util');\n",
        'lib/forge.js': 'module.exports = { options: {} };\n',
        'lib/util.js':
          "var forge = require('./forge');\nvar util = module.exports = forge.util = forge.util || {};\nutil.bytesFromIP = function (ip) { return ip; };\nutil['bytesToHex'] = function () {};\nutil.ok == 1;\nvar opts = {};\nopts.retries = 3;\nopts.retry = function () {};\n",
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { enq: '^1.0.0', frg: '^1.0.0' } }),
      'src/a.js': [
        "const Enq = require('enq');",
        "const frg = require('frg');",
        'new Enq.NumberPrompt(); new Enq.AutoComplete();',
        'Enq.Select2; Enq.Select3; Enq.Bogus;',
        "frg.util.bytesFromIP('::1'); frg.util.bytesToHex();",
        'frg.util.bytesFromIPz(); frg.util.ok; frg.bytesFromIP; frg.util.retries; frg.util.retry;',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'enq', 'Select2', 'src/a.js', 4],
      ['INVENTED_MEMBER', 'enq', 'Select3', 'src/a.js', 4],
      ['INVENTED_MEMBER', 'enq', 'Bogus', 'src/a.js', 4],
      ['INVENTED_MEMBER', 'frg', 'bytesFromIPz', 'src/a.js', 6],
      ['INVENTED_MEMBER', 'frg', 'ok', 'src/a.js', 6],
      // Set on `forge.util`, not on the module itself.
      ['INVENTED_MEMBER', 'frg', 'bytesFromIP', 'src/a.js', 6],
      // What is set on another local of the package is not the API of its values.
      ['INVENTED_MEMBER', 'frg', 'retries', 'src/a.js', 6],
      ['INVENTED_MEMBER', 'frg', 'retry', 'src/a.js', 6],
    ]);
  });

  it('a member missing on an instance of a class the JavaScript gives methods under names from a list it does not spell out is not claimed', async () => {
    // supertest: TestAgent gets a method per http.METHODS, so `.query('/')` is an HTTP QUERY
    // (a Test, which has send) where the declarations see the agent's query-string setter.
    publish(mock, 'sutest', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts': [
          'declare class Test { send(body: object): this; expect(status: number): this }',
          'declare class TestAgent { query(q: string): this; set(k: string, v: string): this; get(url: string): Test }',
          'declare class Fixed { a(): void }',
          'declare function sutest(app: unknown): TestAgent;',
          'declare namespace sutest { const fixed: Fixed; }',
          'export = sutest;',
        ].join('\n'),
        'index.js':
          "const TestAgent = require('./lib/agent');\nmodule.exports = (app) => new TestAgent(app);\nmodule.exports.fixed = require('./lib/fixed');\n",
        'lib/methods.js': "module.exports = require('http').METHODS.map((m) => m.toLowerCase());\n",
        'lib/agent.js': [
          "const methods = require('./methods');",
          "const Test = require('./test');",
          'function TestAgent(app) { this.app = app; }',
          'TestAgent.prototype.set = function () { return this; };',
          'methods.forEach(function (method) {',
          '  TestAgent.prototype[method] = function (url) { return new Test(this.app, method, url); };',
          '});',
          'module.exports = TestAgent;',
        ].join('\n'),
        'lib/test.js': 'module.exports = class Test { send() { return this; } expect() { return this; } };\n',
        // A list the file spells out: every name it defines is in the text.
        'lib/fixed.js':
          "function Fixed() {}\nconst names = ['a', 'b'];\nnames.forEach((n) => { Fixed.prototype[n] = function () {}; });\nmodule.exports = new Fixed();\n",
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { sutest: '^1.0.0' } }),
      'src/a.js': [
        "const request = require('sutest');",
        "request({}).query('/').set('a', 'b').send({ ids: [] });",
        "request({}).get('/').expectz(200);",
        'request.fixed.c();',
      ].join('\n'),
    });
    expect(rows).toEqual([
      ['INVENTED_MEMBER', 'sutest', 'expectz', 'src/a.js', 3],
      ['INVENTED_MEMBER', 'sutest', 'c', 'src/a.js', 4],
    ]);
  });

  it('a module typed `export default` and required from CommonJS is followed as the runtime shape', async () => {
    publish(mock, 'fluent', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts':
          'export interface ObjectSchema { prop(name: string): ObjectSchema }\ndeclare const S: { object(): ObjectSchema; string(): unknown };\nexport default S;\n',
        'index.js': 'const S = require("./lib");\nmodule.exports = S;\nmodule.exports.default = S;\n',
        'lib.js': 'module.exports = { object: build, string: build };\n',
      },
    });
    const { rows } = await check({
      'package.json': json({ name: 'app', dependencies: { fluent: '^1.0.0' } }),
      'src/a.js': "const S = require('fluent');\nS.object().prop('a');\nS.objectz();\n",
    });
    expect(rows).toEqual([['INVENTED_MEMBER', 'fluent', 'objectz', 'src/a.js', 3]]);
  });

  it('runtime names: definitions count, reads do not; the module imported and what it reaches, not files beside it', () => {
    const files: Record<string, string> = {
      'index.js': "module.exports = require('./lib/main');\n",
      'lib/main.js': [
        "const helpers = require('./helpers');",
        'X.prototype.render = function () {};',
        'class R {',
        '  static create(opts) {',
        '    if (opts) { this.ready = true; }',
        '  }',
        '}',
        'foo.use(bar); exports.parse = parse; exports.other == 1;',
        'module.exports = { compile, render: renderFile };',
      ].join('\n'),
      'lib/helpers.js':
        'exports.internalOnly = 1;\nObject.defineProperty(exports, "compiledOnly", { get: () => 1 });\n',
      'plugin/between.js': 'module.exports = (o, c) => { c.prototype.isBetween = function () {}; };\n',
      'esm/index.mjs': "export { makeRecipe, other as renamed } from './recipe.mjs';\nexport * from './more.mjs';\n",
      'esm/more.mjs': 'export function grammar() {}\n',
    };
    const runtime = { files: Object.fromEntries(Object.entries(files).map(([f, t]) => [f, scanRuntimeFile(f, t)])) };
    const manifest = JSON.stringify({
      main: 'index.js',
      exports: { '.': { import: './esm/index.mjs', require: './index.js' }, './plugin/*': './plugin/*.js' },
    });
    const has = (name: string, of: 'module' | 'value', spec = 'pkg') =>
      runtimeDefines(runtime, manifest, 'pkg', spec, name, of);
    expect(has('render', 'value')).toBe(true);
    expect(has('ready', 'value')).toBe(true);
    expect(has('create', 'value')).toBe(true);
    expect(has('use', 'value')).toBe(false);
    expect(has('if', 'value')).toBe(false);
    expect(has('parse', 'module')).toBe(true);
    expect(has('compile', 'module')).toBe(true);
    expect(has('renamed', 'module')).toBe(true);
    expect(has('grammar', 'module')).toBe(true);
    expect(has('other', 'module')).toBe(false);
    expect(has('ready', 'module')).toBe(false);
    // Another file's exports, loaded but not re-exported, are not the module's.
    expect(has('internalOnly', 'module')).toBe(false);
    expect(has('compiledOnly', 'module')).toBe(false);
    expect(has('compiledOnly', 'value')).toBe(true);
    // A plugin beside the entry, never loaded by it.
    expect(has('isBetween', 'value')).toBe(false);
  });
});

describe('robustness and the result cache', () => {
  it('a checker failure on one file makes that file unknown (exit 2, file named); other files are reported', async () => {
    publish(mock, 'srv', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': 'export declare class Server { listen(): void }\n',
      },
    });
    const root = await writeTree({
      'src/a.ts': "import { Server } from 'srv';\nnew Server().listenz();\n",
      'src/b.ts': "import { Server } from 'srv';\nnew Server().nope();\n",
    });
    const { loadDeclarations, DeclarationLoader } = await import('../../src/members/declarations.js');
    const set = await loadDeclarations(new DeclarationLoader(client(root)), new Map([['srv', '1.0.0']]));
    const files = [path.join(root, 'src/a.ts'), path.join(root, 'src/b.ts')];
    const vp = createVirtualProgram(root, files, set.packages.values());
    const real = vp.program.getSemanticDiagnostics.bind(vp.program);
    vp.program.getSemanticDiagnostics = ((sf?: { fileName: string }) => {
      if (sf?.fileName.endsWith('b.ts')) throw new RangeError('Maximum call stack size exceeded');
      return real(sf as never);
    }) as typeof vp.program.getSemanticDiagnostics;
    const result = checkMembers({
      root,
      vp,
      files,
      packages: new Map([['srv', { version: '1.0.0', typesFrom: 'srv@1.0.0' }]]),
    });
    expect(result.findings.map((f) => [f.details?.name, f.locations[0]?.file])).toEqual([['listenz', 'src/a.ts']]);
    expect(result.failed).toEqual([{ file: 'src/b.ts', reason: 'Maximum call stack size exceeded' }]);
  });

  it('cold and warm runs over the same cache give the same report, and the warm one does no checker work', async () => {
    publish(mock, 'srv', {
      '1.0.0': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts': 'export declare class Server { listen(): void }\n',
        'index.js': 'exports.Server = class {};\n',
      },
    });
    const root = await writeTree({
      'package.json': json({ name: 'app', dependencies: { srv: '^1.0.0' } }),
      'src/a.ts': "import { Server } from 'srv';\nnew Server().listenz();\n",
      // One unreadable entry in the tree (a link loop) must not turn the cache off for the rest.
      ...{},
    });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(path.join(root, 'src/loop.ts'), path.join(root, 'src/loop.ts'));
    const cacheDir = freshCacheDir();
    const before = memberCheckStats.programs;
    const cold = await verifyProject(root, { cacheDir });
    expect(memberCheckStats.programs).toBe(before + 1);
    const warm = await verifyProject(root, { cacheDir });
    expect(memberCheckStats.programs).toBe(before + 1);
    const strip = (r: typeof cold) => r.findings.map((f) => [f.code, f.package, f.message, f.locations]);
    expect(strip(warm)).toEqual(strip(cold));
    expect(cold.findings.map((f) => [f.code, f.details?.name])).toEqual([
      ['INPUT_ERROR', undefined],
      ['INVENTED_MEMBER', 'listenz'],
    ]);
  });
});
