import { afterAll, describe, expect, it, vi } from 'vitest';
import { scanImports } from '../../src/scan/walk-imports.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';

// Records whether the TypeScript compiler was loaded, which a project without sources must not pay for.
const compiler = vi.hoisted(() => ({ loaded: false }));
vi.mock('../../src/scan/typescript.js', async (importOriginal) => {
  compiler.loaded = true;
  return importOriginal();
});

afterAll(removeTrees);

const notLocal = { isLocalPackage: () => false };

describe('scanImports', () => {
  it('finds nothing and does not load TypeScript when there are no source files', async () => {
    const root = await writeTree({ 'README.md': '# x', 'node_modules/a/index.js': "require('b')" });
    expect(await scanImports(root, notLocal)).toEqual({ imports: [], errors: [], sourceFiles: 0 });
    expect(compiler.loaded).toBe(false);
  });

  it('keeps registry packages only, sorted by file, line and column', async () => {
    const root = await writeTree({
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
      'src/b.ts': [
        "import fs from 'node:fs';",
        "import { x } from './x.js';",
        "import type { T } from '@types/node';",
        "import a from '@/lib/a';",
        "import lodash from 'lodash/fp'; import react from 'react';",
      ].join('\n'),
      'src/a.js': [
        "const me = require('my-app/util');",
        "const ws = require('@my/workspace-pkg');",
        "import('https://esm.sh/x');",
        "require('#internal');",
        "require('loader!./x');",
        "export * from '@scope/pkg/sub';",
      ].join('\n'),
    });
    const local = new Set(['my-app', '@my/workspace-pkg']);
    const result = await scanImports(root, { isLocalPackage: (name) => local.has(name) });
    expect(result).toEqual({
      imports: [
        {
          specifier: '@scope/pkg/sub',
          packageName: '@scope/pkg',
          kind: 'export',
          file: 'src/a.js',
          line: 6,
          column: 15,
        },
        {
          specifier: '@types/node',
          packageName: '@types/node',
          kind: 'import-type',
          file: 'src/b.ts',
          line: 3,
          column: 24,
        },
        { specifier: 'lodash/fp', packageName: 'lodash', kind: 'import', file: 'src/b.ts', line: 5, column: 20 },
        { specifier: 'react', packageName: 'react', kind: 'import', file: 'src/b.ts', line: 5, column: 51 },
      ],
      errors: [],
      sourceFiles: 2,
      // Node's own modules, kept apart: their members are checked against @types/node.
      builtins: [
        { specifier: 'node:fs', packageName: 'node:fs', kind: 'import', file: 'src/b.ts', line: 1, column: 16 },
      ],
    });
    expect(compiler.loaded).toBe(true);
  });

  it('skips files that are too large and reports them, binary and broken files too', async () => {
    const root = await writeTree({
      'big.js': `require('big-dep');\n${'// padding\n'.repeat(20)}`,
      'bin.js': new Uint8Array([0x72, 0x00, 0x01, 0x02]),
      'broken.ts': "import ok from 'still-found';\nconst = 1;\n",
      'lost.ts': "import ok from 'read';\nimport { z } from 'zo",
      'small.js': "require('small-dep');",
    });
    const { imports, errors, warnings, sourceFiles } = await scanImports(root, { ...notLocal, maxFileBytes: 100 });
    expect(imports.map((i) => [i.file, i.packageName])).toEqual([
      ['broken.ts', 'still-found'],
      // A specifier cut off mid-string ('zo) is not what was meant: never checked.
      ['lost.ts', 'read'],
      ['small.js', 'small-dep'],
    ]);
    expect(errors).toEqual([
      { file: 'big.js', reason: 'too-large', message: expect.stringContaining('too large') },
      expect.objectContaining({ file: 'bin.js', reason: 'binary' }),
      expect.objectContaining({ file: 'lost.ts', line: 2, column: 22 }),
    ]);
    // Every import of broken.ts was still read: its syntax error is a warning.
    expect(warnings).toEqual([expect.objectContaining({ file: 'broken.ts', line: 2, column: 7 })]);
    expect(sourceFiles).toBe(4);
  });

  it('reads only what the listing keeps: not ignored, not built, not installed', async () => {
    const root = await writeTree({
      '.gitignore': 'generated/\n',
      'generated/a.js': "require('from-generated');",
      'dist/a.js': "require('from-dist');",
      'node_modules/x/a.js': "require('from-node-modules');",
      'src/a.ts': "import 'from-src';",
    });
    const { imports, sourceFiles } = await scanImports(root, notLocal);
    expect(imports.map((i) => i.packageName)).toEqual(['from-src']);
    expect(sourceFiles).toBe(1);
  });

  it('does not count a bare specifier that resolves under baseUrl as a package', async () => {
    const root = await writeTree({
      'jsconfig.json': '{ "compilerOptions": { "baseUrl": "." } }',
      'components/Button.jsx': 'export default 1;',
      'app.jsx': "import Button from 'components/Button';\nimport React from 'react';",
    });
    const { imports } = await scanImports(root, notLocal);
    expect(imports.map((i) => i.specifier)).toEqual(['react']);
  });
});

describe('workspace tsconfig aliases', () => {
  it('a workspace tsconfig paths alias is not a package in that workspace, and only there', async () => {
    const root = await writeTree({
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@shared/*': ['libs/shared/*'] } } }),
      'apps/web/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@app/*': ['src/*'] } } }),
      'apps/web/src/a.ts': "import x from '@app/util';\nimport s from '@shared/log';\nimport r from 'react';\n",
      'apps/api/src/b.ts': "import y from '@app/util';\n",
    });
    const { imports } = await scanImports(root, {
      isLocalPackage: () => false,
      workspaceDirs: ['', 'apps/web', 'apps/api'],
    });
    expect(imports.map((i) => `${i.file} ${i.packageName}`)).toEqual([
      'apps/api/src/b.ts @app/util',
      'apps/web/src/a.ts react',
    ]);
  });
});
