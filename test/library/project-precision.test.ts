import { afterAll, describe, expect, it } from 'vitest';
import { removeTrees } from '../helpers/fixture.js';
import { verifyWithKnown } from '../helpers/client.js';

afterAll(removeTrees);

const run = async (files: Record<string, string>, known: string[], config?: Record<string, unknown>) => {
  const { report, asked } = await verifyWithKnown(files, known, config);
  return {
    report,
    asked: [...new Set(asked)].sort(),
    codes: report.findings.map((f) => [f.code, f.package, f.locations[0]?.file, f.locations[0]?.line]),
  };
};

describe('names only types are imported from', () => {
  it('import type of a name whose @types package is declared is neither sent nor unlisted', async () => {
    const { codes, asked, report } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', dependencies: { 'estree-util-visit': '^1.0.0' } }),
        'packages/mdx/package.json': JSON.stringify({ name: 'mdx', devDependencies: { '@types/estree': '^1.0.0' } }),
        'packages/mdx/src/a.ts': "import type { Program } from 'estree';\nimport { visit } from 'estree-util-visit';\n",
        'packages/mdx/src/b.ts': "import { type Node, type Expression } from 'estree';\n",
        'packages/mdx/src/c.d.ts': "import { Literal } from 'estree';\nexport { Literal };\n",
      },
      ['estree-util-visit', '@types/estree'],
    );
    expect(codes).toEqual([]);
    expect(asked).toEqual(['@types/estree', 'estree-util-visit']);
    expect(report.status).toBe('clean');
  });

  it('a runtime import of that name is still asked about and unlisted', async () => {
    const { codes, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', devDependencies: { '@types/estree': '^1.0.0' } }),
        'src/a.ts': "import type { Program } from 'estree';\n",
        'src/b.ts': "import { walk } from 'estree';\n",
      },
      ['@types/estree'],
    );
    expect(asked).toEqual(['@types/estree', 'estree']);
    expect(codes).toEqual([
      ['NOT_FOUND', 'estree', 'src/b.ts', 1],
      ['UNLISTED_DEPENDENCY', 'estree', 'src/b.ts', 1],
    ]);
  });

  it('@types declared by another, unrelated nested project does not cover the import', async () => {
    const { asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib' }),
        'examples/a/package.json': JSON.stringify({ name: 'a', devDependencies: { '@types/estree': '^1.0.0' } }),
        'src/a.ts': "import type { Program } from 'estree';\n",
      },
      ['@types/estree'],
    );
    expect(asked).toContain('estree');
  });
});

describe('a dependency spec npm cannot read', () => {
  it('a nested example\'s "^latest" is INVALID_SPEC at its line, and the run is complete', async () => {
    const { codes, report, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', dependencies: { react: '^1.0.0' } }),
        'examples/retry/package.json':
          '{\n  "name": "retry",\n  "dependencies": {\n    "react": "latest",\n    "next": "^latest"\n  }\n}\n',
        'examples/retry/page.js': "import next from 'next';\nimport React from 'react';\n",
      },
      ['react', 'next'],
    );
    expect(codes).toEqual([['INVALID_SPEC', 'next', 'examples/retry/package.json', 5]]);
    expect(report.findings[0]).toMatchObject({ severity: 'error', locations: [{ field: 'dependencies.next' }] });
    expect(report.status).toBe('findings');
    // Declared, so not unlisted; its spec is not a range, so nothing is asked for it.
    expect(asked).toEqual(['react']);
  });
});

describe('source files TypeScript cannot parse', () => {
  it('a parse that recovered every import: its imports are checked, the error is a SYNTAX_ERROR warning, the run completes', async () => {
    const { codes, report } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', dependencies: { 'left-pad': '^1.0.0' } }),
        // Flow syntax after the imports; a JSDoc import type that is no import.
        'src/flow.js':
          "/* @flow */\nconst pad = require('left-pad');\nconst made = require('made-up-flow-helper');\n/** @type {import('./t').T} */\nopaque type Id = string;\ndeclare export function f(x: Id): void;\n",
      },
      ['left-pad'],
    );
    expect(codes.sort()).toEqual([
      ['NOT_FOUND', 'made-up-flow-helper', 'src/flow.js', 3],
      ['SYNTAX_ERROR', '', 'src/flow.js', 5],
      ['UNLISTED_DEPENDENCY', 'made-up-flow-helper', 'src/flow.js', 3],
    ]);
    expect(report.findings.find((f) => f.code === 'SYNTAX_ERROR')?.severity).toBe('warning');
    expect(report.status).toBe('findings');
  });

  it('a parse that lost an import leaves the file unread: INPUT_ERROR, incomplete', async () => {
    const { codes, report } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', dependencies: { 'left-pad': '^1.0.0' } }),
        'src/a.ts': "import pad from 'left-pad';\nclass A {\n  require('made-up-flow-helper')\n}\n",
      },
      ['left-pad'],
    );
    expect(codes).toEqual([['INPUT_ERROR', '', 'src/a.ts', 3]]);
    expect(report.status).toBe('incomplete');
  });
});

describe("React imports that Preact's compatibility layer provides", () => {
  it('@astrojs/preact with compat: true, and @preact/preset-vite, alias react: not unlisted, never sent', async () => {
    const { codes, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', private: true }),
        'site/package.json': JSON.stringify({
          name: 'site',
          dependencies: { '@astrojs/preact': '^4.0.0', preact: '^1.0.0' },
        }),
        'site/astro.config.mjs':
          "import preact from '@astrojs/preact';\nexport default { integrations: [preact({ compat: true })] };\n",
        'site/src/Counter.jsx': "import { useState } from 'react';\nimport { createPortal } from 'react-dom';\n",
        'app/package.json': JSON.stringify({
          name: 'app',
          devDependencies: { '@preact/preset-vite': '^1.0.0', preact: '^1.0.0' },
        }),
        'app/src/main.jsx': "import React from 'react';\nimport { jsx } from 'react/jsx-runtime';\n",
      },
      ['@astrojs/preact', '@preact/preset-vite', 'preact'],
    );
    expect(codes).toEqual([]);
    expect(asked).not.toContain('react');
    expect(asked).not.toContain('react-dom');
  });

  it('without compat (or with the preset told not to alias), react is still unlisted', async () => {
    const { codes } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', private: true }),
        'site/package.json': JSON.stringify({ name: 'site', dependencies: { '@astrojs/preact': '^4.0.0' } }),
        'site/astro.config.mjs':
          "import preact from '@astrojs/preact';\nexport default { integrations: [preact()] };\n",
        'site/src/Counter.jsx': "import { useState } from 'react';\n",
        'app/package.json': JSON.stringify({ name: 'app', devDependencies: { '@preact/preset-vite': '^1.0.0' } }),
        'app/vite.config.ts': 'export default { plugins: [preact({ reactAliasesEnabled: false })] };\n',
        'app/src/main.jsx': "import React from 'react';\n",
      },
      ['@astrojs/preact', '@preact/preset-vite', 'react'],
    );
    expect(codes).toEqual([['UNLISTED_DEPENDENCY', 'react', 'app/src/main.jsx', 1]]);
    expect((await run({ 'package.json': '{}' }, [])).codes).toEqual([]);
  });
});

describe('markers a React server components plugin resolves', () => {
  it('server-only and client-only are virtual modules of @vitejs/plugin-rsc, unless it is told not to validate imports', async () => {
    const files = {
      'package.json': JSON.stringify({
        name: 'rsc',
        private: true,
        devDependencies: { '@vitejs/plugin-rsc': '^1.0.0' },
      }),
      'src/action.ts': "import 'server-only';\nimport 'client-only';\n",
    };
    const on = await run(files, ['@vitejs/plugin-rsc']);
    expect(on.codes).toEqual([]);
    expect(on.asked).toEqual(['@vitejs/plugin-rsc']);
    const off = await run(
      { ...files, 'vite.config.ts': 'export default { plugins: [rsc({ validateImports: false })] };\n' },
      ['@vitejs/plugin-rsc', 'server-only', 'client-only'],
    );
    expect(off.codes.map((c) => c.slice(0, 2)).sort()).toEqual([
      ['UNLISTED_DEPENDENCY', 'client-only'],
      ['UNLISTED_DEPENDENCY', 'server-only'],
    ]);
  });
});

describe('examples a bundler resolves on its own', () => {
  it("module files in a committed node_modules, and webpack externals and federation remotes of an example's own config", async () => {
    const { codes, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'bundler', private: true }),
        // No package.json in the examples: their configs still count for the files below them.
        'examples/many-pages/node_modules/m1.js': 'module.exports = 1;\n',
        'examples/many-pages/node_modules/m2.json': '{}\n',
        'examples/many-pages/pages/a.js': "import m1 from 'm1';\nimport m2 from 'm2';\n",
        'examples/externals/webpack.config.js':
          "module.exports = { externals: ['add', { subtract: { root: 'subtract' } }] };\n",
        'examples/externals/example.js': "const add = require('add');\nconst subtract = require('subtract');\n",
        'examples/federation/webpack.config.js':
          "new ModuleFederationPlugin({ remotes: { 'mfe-b': 'mfeB@/b.js' } });\n",
        'examples/federation/src/App.js': "import B from 'mfe-b/Component';\n",
        'examples/dll-user/webpack.config.js':
          "module.exports = { plugins: [new webpack.DllReferencePlugin({ scope: 'beta', manifest: require('../dll/beta.json') })] };\n",
        'examples/dll-user/example.js': "console.log(require('beta/beta'));\n",
        // The same names elsewhere are still judged.
        'src/index.js': "import m1 from 'm1';\nimport add from 'add';\n",
      },
      [],
    );
    expect(asked).toEqual(['add', 'm1']);
    expect(codes.map((c) => c.slice(0, 3)).sort()).toEqual([
      ['NOT_FOUND', 'add', 'src/index.js'],
      ['NOT_FOUND', 'm1', 'src/index.js'],
      ['UNLISTED_DEPENDENCY', 'add', 'src/index.js'],
      ['UNLISTED_DEPENDENCY', 'm1', 'src/index.js'],
    ]);
  });
});
