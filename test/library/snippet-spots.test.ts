import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Finding, verify, verifySnippet } from '../../src/index.js';
import { writeTree } from '../helpers/fixture.js';
import { RECENTLY, packument, securityHolding } from '../helpers/registry.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { runCli } from '../helpers/run-cli.js';

// Package names in every spot an assistant's answer puts them (issue 15, items 4, 10 and 13):
// each invented name is found where it stands, and no real name gets an error.
const { mock, cacheRoot: cacheDir, client: clientOf } = mockRegistryRuns('snippet-spots');

const client = () => clientOf(cacheDir, false);
const check = (text: string) =>
  verifySnippet({ text, fileName: 'answer.md', client: client(), cacheDir: false, popularIndex: false, types: false });
const real = (...names: string[]) => {
  for (const name of names)
    mock.set(name, packument(name, { versions: { '1.0.0': {}, '1.5.0': {} }, releasedFrom: RECENTLY }));
};
const asked = () => [...new Set(mock.seen.map((q) => q.name))].sort();
const where = (f: Finding) => [
  f.code,
  f.package,
  f.locations[0]?.line,
  f.locations[0]?.column ?? f.locations[0]?.field,
];
const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error').map(where);

describe('CLIs run without installing', () => {
  it('npx, npm exec, pnpm dlx, yarn dlx, bunx and npm create name packages, with the checks of install lines', async () => {
    real('cowsay', 'create-vite', 'typescript');
    const answer = [
      '```bash',
      'npx create-express-secure-app my-api', // 2
      'npx -p typescript tsc --init', // 3
      'npm exec --package=cowsay@1.5.0 -- cowsay hi', // 4
      'pnpm dlx create-vite@1 app', // 5
      'yarn dlx zx-super-runner-pro build', // 6
      'bunx --bun vite-plugin-magic-zz', // 7
      'npm create secure-api-kit@latest api', // 8
      'pnpm exec tsc --noEmit', // 9: a local bin, nothing fetched
      '```',
    ].join('\n');
    const report = await check(answer);
    expect(errors(report.findings).sort()).toEqual([
      ['NOT_FOUND', 'create-express-secure-app', 2, 'npx create-express-secure-app'],
      ['NOT_FOUND', 'create-secure-api-kit', 8, 'npm create create-secure-api-kit@latest'],
      ['NOT_FOUND', 'vite-plugin-magic-zz', 7, 'bunx vite-plugin-magic-zz'],
      ['NOT_FOUND', 'zx-super-runner-pro', 6, 'yarn dlx zx-super-runner-pro'],
    ]);
    // tsc of `pnpm exec` is the project's own bin: never asked for.
    expect(asked()).toEqual([
      'cowsay',
      'create-express-secure-app',
      'create-secure-api-kit',
      'create-vite',
      'typescript',
      'vite-plugin-magic-zz',
      'zx-super-runner-pro',
    ]);
    expect(report.status).toBe('findings');
  });

  it('a version that does not exist on an npx line is VERSION_NOT_FOUND at that line', async () => {
    real('cowsay');
    const report = await check(['```sh', 'npx cowsay@9 hello', '```'].join('\n'));
    expect(report.findings.map(where)).toEqual([['VERSION_NOT_FOUND', 'cowsay', 2, 'npx cowsay@9']]);
  });
});

describe('install lines wherever answers put them', () => {
  it('an install line as the first lines of a JavaScript block, // and # comments: read, and the code still parses', async () => {
    real('express', 'fs-extra');
    const answer = [
      '```javascript',
      'npm init -y', // 2: names no package, but is no code either
      'npm install express express-guard-plus', // 3
      'npm i -D fs-extra',
      '// npm install helmet-pro-max', // 5
      '# npm i cors-ultra-zz', // 6
      "const express = require('express');",
      "const fse = require('fs-extra');",
      'npm run dev',
      '```',
    ].join('\n');
    const report = await check(answer);
    expect(errors(report.findings).sort()).toEqual([
      ['NOT_FOUND', 'cors-ultra-zz', 6, 'npm i cors-ultra-zz'],
      ['NOT_FOUND', 'express-guard-plus', 3, 'npm install express-guard-plus'],
      ['NOT_FOUND', 'helmet-pro-max', 5, 'npm install helmet-pro-max'],
    ]);
    expect(report.status).toBe('findings');
    expect(report.findings.map((f) => f.code)).not.toContain('SYNTAX_ERROR');
  });

  it('install commands quoted in prose, in backticks or quotes', async () => {
    real('bcrypt');
    const report = await check(
      [
        "First run 'npm install bcrypt bcrypt-turbo-zz', then `yarn add jwt-magic-zz`.",
        '',
        'Then `npm install` again.',
      ].join('\n'),
    );
    expect(errors(report.findings).sort()).toEqual([
      ['NOT_FOUND', 'bcrypt-turbo-zz', 1, 'npm install bcrypt-turbo-zz'],
      ['NOT_FOUND', 'jwt-magic-zz', 1, 'yarn add jwt-magic-zz'],
    ]);
  });

  it('package.json blocks: dependencies and devDependencies are declarations, with their versions', async () => {
    real('express', 'vitest');
    const answer = [
      '```json',
      '{',
      '  "dependencies": {',
      '    "express": "^1.0.0",',
      '    "express-auth-magic": "^1.0.0"',
      '  },',
      '  "devDependencies": { "vitest": "^7.0.0" }',
      '}',
      '```',
    ].join('\n');
    const report = await check(answer);
    expect(errors(report.findings).sort()).toEqual([
      ['NOT_FOUND', 'express-auth-magic', 5, 'package.json express-auth-magic@^1.0.0'],
      ['VERSION_NOT_FOUND', 'vitest', 7, 'package.json vitest@^7.0.0'],
    ]);
  });

  it('shell brace expansion names each package', async () => {
    real('@commitlint/cli');
    const report = await check(['```sh', 'npm i -D @commitlint/{cli,config-ultra-zz}', '```'].join('\n'));
    expect(errors(report.findings)).toEqual([
      ['NOT_FOUND', '@commitlint/config-ultra-zz', 2, 'npm i @commitlint/config-ultra-zz'],
    ]);
  });

  it('CDN URLs in <script src>, <link href> and imports, on listed CDNs and by their path shape elsewhere', async () => {
    real('bootstrap', 'canvas-confetti', 'htmx.org', 'react');
    const answer = [
      '```html',
      '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@1.5.0/dist/css/bootstrap.min.css">', // 2
      '<script src="https://unpkg.com/htmx.org@1.0.0"></script>', // 3
      '<script src="https://unpkg.com/htmx-secure-ext@1.2.0/dist/ext.js"></script>', // 4
      '<script src="https://cdn.example-cdn.test/npm/alpine-magic-zz@3.1.0/dist/x.js"></script>', // 5
      '<script src="https://static.example-cdn.test/chartish-zz@2.0.1/chart.js"></script>', // 6
      '<script type="module">',
      "  import confetti from 'https://esm.sh/canvas-confetti@1';", // 8
      "  import { animate } from 'motion-plus-fx';", // 9
      '</script>',
      '```',
      '',
      '```ts',
      "import React from 'https://esm.sh/react@1.5.0';", // 14
      "import { serve } from 'https://deno.land/std@0.200.0/http/server.ts';", // 15: Deno's, not npm
      "import { join } from 'https://jsr.io/@std/path@1.0.0/mod.ts';", // 16: JSR's, not npm
      '```',
      '',
      'See https://docs.example.test/guide@2/intro for more.', // 19: prose, not loaded as code
    ].join('\n');
    const report = await check(answer);
    expect(errors(report.findings).sort()).toEqual([
      ['NOT_FOUND', 'alpine-magic-zz', 5, 'cdn alpine-magic-zz@3.1.0'],
      ['NOT_FOUND', 'chartish-zz', 6, 'cdn chartish-zz@2.0.1'],
      ['NOT_FOUND', 'htmx-secure-ext', 4, 'cdn htmx-secure-ext@1.2.0'],
      ['NOT_FOUND', 'motion-plus-fx', 9, 27],
    ]);
    expect(asked()).toEqual([
      'alpine-magic-zz',
      'bootstrap',
      'canvas-confetti',
      'chartish-zz',
      'htmx-secure-ext',
      'htmx.org',
      'motion-plus-fx',
      'react',
    ]);
  });

  it('blocks inside list items and quotes: install lines and imports, at their lines and columns in the answer', async () => {
    real('express');
    const answer = [
      'Steps:',
      '',
      '1. Install the dependencies:',
      '',
      '   ```bash',
      '   npm install express express-shield-ultra', // 6
      '   ```',
      '',
      '2. Create `server.js`:',
      '',
      '   ```js',
      "   const express = require('express');",
      "   const guard = require('express-guard-ultra');", // 13, column 4 + 18
      '   ```',
      '',
      '> ```sh',
      '> npx create-quoted-thing-zz', // 17
      '> ```',
    ].join('\n');
    const report = await check(answer);
    expect(errors(report.findings).sort()).toEqual([
      ['NOT_FOUND', 'create-quoted-thing-zz', 17, 'npx create-quoted-thing-zz'],
      ['NOT_FOUND', 'express-guard-ultra', 13, 26],
      ['NOT_FOUND', 'express-shield-ultra', 6, 'npm install express-shield-ultra'],
    ]);
  });
});

describe("names that shadow Node's own modules", () => {
  it('an install line or package.json block naming a built-in: a warning that it needs no install, and no "did you mean"', async () => {
    mock.set('fs', securityHolding('fs'));
    real('path', 'crypto', 'buffer', 'express');
    const answer = [
      '```sh',
      'npm install fs path express', // 2
      '```',
      '',
      '```json',
      '{ "dependencies": { "crypto": "^1.0.0" } }', // 6
      '```',
      '',
      '```html',
      '<script src="https://unpkg.com/buffer@1.5.0/index.js"></script>', // 10: a browser polyfill
      '```',
    ].join('\n');
    const report = await check(answer);
    const builtin = report.findings.filter((f) => f.code === 'BUILTIN_INSTALLED');
    expect(builtin.map(where)).toEqual([
      ['BUILTIN_INSTALLED', 'fs', 2, 'npm install fs'],
      ['BUILTIN_INSTALLED', 'path', 2, 'npm install path'],
      ['BUILTIN_INSTALLED', 'crypto', 6, 'package.json crypto@^1.0.0'],
    ]);
    expect(builtin.map((f) => f.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(builtin[2]?.message).toContain('the dependency crypto@^1.0.0 of the package.json');
    expect(builtin[0]?.hint).toContain("require('node:fs')");
  });
});

describe("Ember's own modules", () => {
  it('in a snippet, @ember/* modules are ember-source: that is what is checked, not an @ember/service package', async () => {
    real('ember-source', '@glimmer/component');
    const answer = [
      '```js',
      "import Service, { service } from '@ember/service';",
      "import { computed } from '@ember/object/computed';",
      "import Component from '@glimmer/component';",
      "import { magic } from '@ember/magic-helpers-zz';",
      '```',
    ].join('\n');
    const report = await check(answer);
    expect(errors(report.findings)).toEqual([['NOT_FOUND', '@ember/magic-helpers-zz', 5, 23]]);
    expect(asked()).toEqual(['@ember/magic-helpers-zz', '@glimmer/component', 'ember-source']);
  });

  it('in a project that depends on ember-source, @ember/* imports are its modules: neither unlisted nor missing', async () => {
    real('ember-source');
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', private: true, dependencies: { 'ember-source': '^1.0.0' } }),
      'app/services/session.js':
        "import Service from '@ember/service';\nimport { action } from '@ember/object';\nimport { setupTest } from '@ember/test-helpers';\nexport default class Session extends Service {}\n",
    });
    const report = await verify({ root, client: client(), cacheDir: false, popularIndex: false, types: false });
    // @ember/test-helpers is a package of its own: still unlisted, and checked.
    expect(report.findings.map((f) => [f.code, f.package]).sort()).toEqual([
      ['NOT_FOUND', '@ember/test-helpers'],
      ['UNLISTED_DEPENDENCY', '@ember/test-helpers'],
    ]);
    expect(asked()).toEqual(['@ember/test-helpers', 'ember-source']);
  });
});

describe('depverify snippet (CLI)', () => {
  it('an invented package run with npx exits 1; a clean answer with npx of a real one exits 0', async () => {
    const dir = await writeTree({
      'bad.md': '```sh\nnpx create-express-secure-app my-api\n```\n',
      'good.md': '```sh\nnpx cowsay hi\n```\n',
    });
    const fixtures = { cowsay: packument('cowsay', { versions: { '1.5.0': {} }, releasedFrom: RECENTLY }) };
    const bad = await runCli(['snippet', path.join(dir, 'bad.md'), '--format', 'json', '--no-types'], { fixtures });
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { findings: Finding[] };
    expect(report.findings.map(where)).toEqual([
      ['NOT_FOUND', 'create-express-secure-app', 2, 'npx create-express-secure-app'],
    ]);
    const good = await runCli(['snippet', path.join(dir, 'good.md'), '--no-types'], { fixtures });
    expect(good.code).toBe(0);
  });
});
