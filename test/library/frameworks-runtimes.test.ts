/**
 * Modules that frameworks and other runtimes provide (issue 12.2, 12.3): never registry packages,
 * never sent to a registry, never errors. What is still an npm package (Deno's `npm:`) is checked.
 */
import { describe, expect, it } from 'vitest';
import { exitCode } from '../../src/index.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { RECENTLY, packument } from '../helpers/registry.js';

const { mock, verifyFiles } = mockRegistryRuns('frameworks');

const ok = (name: string) => mock.set(name, packument(name, { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }));

async function run(files: Record<string, string>) {
  const { report } = await verifyFiles(files, { types: false });
  return {
    report,
    asked: mock.seen.map((s) => s.name).sort(),
    errors: report.findings.filter((f) => f.severity === 'error'),
  };
}

describe('framework modules', () => {
  it('Docusaurus theme, site and client modules are not packages and reach no registry', async () => {
    for (const n of ['@docusaurus/core', 'react']) ok(n);
    const { report, asked, errors } = await run({
      'package.json': JSON.stringify({ name: 'site', dependencies: { '@docusaurus/core': '1.0.0', react: '1.0.0' } }),
      'src/pages/index.tsx': [
        "import React from 'react';",
        "import Layout from '@theme/Layout';",
        "import CodeBlock from '@theme-original/CodeBlock';",
        "import Init from '@theme-init/Navbar';",
        "import logo from '@site/static/img/logo.png';",
        "import siteConfig from '@generated/docusaurus.config';",
        "import Link from '@docusaurus/Link';",
        "import useBaseUrl from '@docusaurus/useBaseUrl';",
        "import { useLocation } from '@docusaurus/router';",
        "import hooks from '@theme/hooks';",
      ].join('\n'),
    });
    expect(errors).toEqual([]);
    expect(asked).toEqual(['@docusaurus/core', 'react']);
    expect(exitCode(report)).toBe(0);
  });

  it('the same imports without Docusaurus in the nearest package.json are still judged', async () => {
    const { asked, errors } = await run({
      'package.json': JSON.stringify({ name: 'app', dependencies: {} }),
      'src/a.ts': "import hooks from '@theme/hooks';\n",
    });
    expect(asked).toEqual(['@theme/hooks']);
    expect(errors.map((f) => f.code).sort()).toEqual(['NOT_FOUND', 'UNLISTED_DEPENDENCY']);
  });

  it('a capitalised scoped name can never be published: never sent, never an error', async () => {
    const { report, asked, errors } = await run({
      'package.json': JSON.stringify({ name: 'app', dependencies: {} }),
      'src/a.ts': "import X from '@acme/Widget';\nimport Y from '@Acme/widget';\n",
    });
    expect(asked).toEqual([]);
    expect(errors).toEqual([]);
    expect(exitCode(report)).toBe(0);
  });

  it('legacy-only unscoped names (SvelteKit adapter placeholders) are sent only when declared', async () => {
    ok('JSONStream');
    const { asked, errors } = await run({
      'package.json': JSON.stringify({ name: 'adapter', dependencies: { JSONStream: '1.0.0' } }),
      'src/index.js':
        "import { Server } from 'SERVER';\nimport { manifest } from 'MANIFEST';\nimport J from 'JSONStream';\n",
    });
    expect(asked).toEqual(['JSONStream']);
    expect(errors).toEqual([]);
  });

  it('SvelteKit, Astro, unplugin-icons, Nuxt and Vite modules are provided', async () => {
    for (const n of ['@sveltejs/kit', 'astro', 'unplugin-icons', 'nuxt', 'vite']) ok(n);
    const { asked, errors } = await run({
      'package.json': JSON.stringify({
        name: 'app',
        dependencies: {
          '@sveltejs/kit': '1.0.0',
          astro: '1.0.0',
          'unplugin-icons': '1.0.0',
          nuxt: '1.0.0',
          vite: '1.0.0',
        },
      }),
      'src/a.ts': [
        "import { goto } from '$app/navigation';",
        "import { env } from '$env/dynamic/private';",
        "import lib from '$lib';",
        "import { build } from '$service-worker';",
        "import { getCollection } from 'astro:content';",
        "import IconAccess from '~icons/carbon/accessibility';",
        "import { ref } from '#imports';",
        "import { defineNuxtPlugin } from '#app';",
        "import mod from 'virtual:my-module';",
      ].join('\n'),
    });
    expect(errors).toEqual([]);
    expect(asked).toEqual(['@sveltejs/kit', 'astro', 'nuxt', 'unplugin-icons', 'vite']);
  });
});

describe('other runtimes', () => {
  it('Deno import maps, jsr: and @std/* are not npm packages; npm: specifiers are checked', async () => {
    ok('chalk');
    ok('@types/node');
    const { asked, errors } = await run({
      'deno.jsonc':
        '{\n  // comment\n  "imports": { "@std/assert": "jsr:@std/assert@^1", "oak": "jsr:@oak/oak@17", "preact": "https://esm.sh/preact@10", "utils/": "./src/utils/", "colors": "npm:chalk@5" },\n}\n',
      'main.ts': [
        "import { assertEquals } from '@std/assert';",
        "import { join } from '@std/path';",
        "import { Application } from 'oak';",
        "import { h } from 'preact';",
        "import { x } from 'utils/x.ts';",
        "import { serve } from 'jsr:@std/http';",
        "import c from 'colors';",
        "import made from 'npm:made-up-pkg@1.2.3/sub';",
        "import express from 'npm:@types/node@^20';",
        "import data from 'https://deno.land/x/y/mod.ts';",
      ].join('\n'),
      'src/utils/x.ts': 'export const x = 1;\n',
    });
    expect(asked).toEqual(['@types/node', 'chalk', 'made-up-pkg']);
    expect(errors.map((f) => [f.code, f.package])).toEqual([['NOT_FOUND', 'made-up-pkg']]);
  });

  it('Bun and Cloudflare builtins are not packages', async () => {
    const { report, asked, errors } = await run({
      'package.json': JSON.stringify({ name: 'app', dependencies: {} }),
      'src/a.ts':
        "import { serve } from 'bun';\nimport { test } from 'bun:test';\nimport { Database } from 'bun:sqlite';\nimport { dlopen } from 'bun:ffi';\nimport { env } from 'cloudflare:workers';\nimport { connect } from 'cloudflare:sockets';\n",
    });
    expect(asked).toEqual([]);
    expect(errors).toEqual([]);
    expect(exitCode(report)).toBe(0);
  });
});

describe('generated configuration', () => {
  it('a tsconfig extending a missing generated file is a warning naming it; the rest is checked, exit not 2', async () => {
    ok('vue');
    const { report, asked, errors } = await run({
      'package.json': JSON.stringify({ name: 'app', dependencies: { vue: '1.0.0' } }),
      'tsconfig.json': '{ "extends": "./.nuxt/tsconfig.json", "compilerOptions": { "paths": { "@x/*": ["./x/*"] } } }',
      'app.ts': "import { ref } from 'vue';\nimport y from '@x/y';\nimport z from 'zzz-made-up';\n",
    });
    expect(asked).toEqual(['vue', 'zzz-made-up']);
    const warning = report.findings.find((f) => f.code === 'CONFIG_INCOMPLETE');
    expect(warning).toMatchObject({ severity: 'warning', locations: [{ file: 'tsconfig.json', field: 'extends' }] });
    expect(warning?.message).toContain('.nuxt/tsconfig.json');
    expect(errors.map((f) => f.code).sort()).toEqual(['NOT_FOUND', 'UNLISTED_DEPENDENCY']);
    expect(report.status).toBe('findings');
    expect(exitCode(report)).toBe(1);
  });
});

describe('bundler aliases and hosts', () => {
  it('Vite and webpack resolve.alias names read statically are local; the rest is judged', async () => {
    ok('vite');
    const { asked, errors } = await run({
      'package.json': JSON.stringify({ name: 'app', workspaces: ['web'], devDependencies: { vite: '1.0.0' } }),
      'vite.config.ts':
        "import { defineConfig } from 'vite';\nexport default defineConfig({ resolve: { alias: { '@components': '/src/c', shared: './shared' } } });\n",
      'web/package.json': JSON.stringify({ name: 'web' }),
      'web/webpack.config.js':
        "module.exports = { resolve: { alias: [{ find: 'legacy-lib', replacement: './l' }], }, x: { alias: { 'exact-only$': './e' } } };\n",
      'src/a.ts': "import C from '@components/Button';\nimport s from 'shared/util';\nimport v from 'vite';\n",
      'web/b.js': "import l from 'legacy-lib';\nimport e from 'exact-only';\nimport f from 'exact-only/sub';\n",
    });
    expect(asked).toEqual(['exact-only', 'vite']);
    expect(errors.map((f) => [f.code, f.package]).sort()).toEqual([
      ['NOT_FOUND', 'exact-only'],
      ['UNLISTED_DEPENDENCY', 'exact-only'],
    ]);
  });

  it('vscode is provided by the extension host where @types/vscode is declared', async () => {
    ok('@types/vscode');
    const { asked, errors } = await run({
      'package.json': JSON.stringify({
        name: 'ext',
        engines: { vscode: '^1.80.0' },
        devDependencies: { '@types/vscode': '1.0.0' },
      }),
      'src/extension.ts': "import * as vscode from 'vscode';\n",
    });
    expect(asked).toEqual(['@types/vscode']);
    expect(errors).toEqual([]);
  });
});

describe('Deno workspaces', () => {
  it('members of a Deno workspace are local to each other', async () => {
    const { asked, errors } = await run({
      'deno.json': JSON.stringify({ workspace: ['./packages/*', './www'] }),
      'packages/core/deno.json': JSON.stringify({ name: '@fresh-like/core', exports: './mod.ts' }),
      'packages/core/mod.ts': 'export const x = 1;\n',
      'www/deno.json': JSON.stringify({ name: '@fresh-like/www' }),
      'www/main.ts': "import { x } from '@fresh-like/core';\nimport { y } from '@fresh-like/core/runtime';\n",
    });
    expect(asked).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('nearest package.json on disk', () => {
  it('a docs site with its own package.json (no workspace) enables Docusaurus for its files only', async () => {
    const { asked } = await run({
      'package.json': JSON.stringify({ name: 'lib', dependencies: {} }),
      'website/package.json': JSON.stringify({
        name: 'website',
        private: true,
        dependencies: { '@docusaurus/core': '1.0.0' },
      }),
      'website/src/pages/index.tsx':
        "import Layout from '@theme/Layout';\nimport logo from '@site/static/img/logo.svg';\nimport Features from '@site/src/components/Features';\n",
      'src/a.ts': "import x from '@site/src';\n",
    });
    // Whether website/'s own dependencies are checked is the nested-manifest work; framework modules are never sent.
    expect(asked).not.toContain('@site/static');
    expect(asked).toContain('@site/src');
    expect(asked.filter((n) => n.startsWith('@theme'))).toEqual([]);
  });

  it('Deno configs given by variant name (deno.<variant>.json) map imports too', async () => {
    const { asked, errors } = await run({
      'package.json': JSON.stringify({ name: 'lib', dependencies: {} }),
      'runtime-tests/deno-jsx/deno.precompile.json': JSON.stringify({
        imports: { '@std/assert': 'jsr:@std/assert@^1', 'lib/jsx': '../../src/jsx.ts' },
      }),
      'runtime-tests/deno-jsx/jsx.test.tsx':
        "import { assertEquals } from '@std/assert';\nimport { jsx } from 'lib/jsx';\n",
    });
    expect(asked).toEqual([]);
    expect(errors).toEqual([]);
  });
});
