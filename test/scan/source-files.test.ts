import { chmod, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFixtureDir, listSourceFiles } from '../../src/scan/source-files.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';

afterAll(removeTrees);

describe('listSourceFiles', () => {
  it('lists the eight source extensions, sorted, and no declaration files', async () => {
    const root = await writeTree({
      'src/b.ts': '',
      'src/a.tsx': '',
      'src/c.mts': '',
      'src/d.cts': '',
      'lib/e.js': '',
      'lib/f.mjs': '',
      'lib/g.cjs': '',
      'lib/h.jsx': '',
      'types/x.d.ts': '',
      'types/y.d.mts': '',
      'types/z.d.cts': '',
      'types/style.d.css.ts': '',
      'README.md': '',
      'data.json': '',
      'style.css': '',
    });
    expect(await listSourceFiles(root)).toEqual({
      files: ['lib/e.js', 'lib/f.mjs', 'lib/g.cjs', 'lib/h.jsx', 'src/a.tsx', 'src/b.ts', 'src/c.mts', 'src/d.cts'],
      errors: [],
      manifests: [],
      committedModules: [],
    });
  });

  it('skips node_modules, .git and build output at any depth', async () => {
    const root = await writeTree({
      'index.js': '',
      'node_modules/lodash/index.js': '',
      '.git/hooks/x.js': '',
      'dist/index.js': '',
      'build/a.js': '',
      'out/a.js': '',
      'coverage/a.js': '',
      '.next/a.js': '',
      '.nuxt/a.js': '',
      '.output/a.js': '',
      '.svelte-kit/a.js': '',
      '.turbo/a.js': '',
      '.vercel/a.js': '',
      '.cache/a.js': '',
      'packages/p/dist/index.js': '',
      'packages/p/node_modules/x/index.js': '',
      'packages/p/src/index.ts': '',
      '.storybook/main.ts': '',
    });
    const { files } = await listSourceFiles(root);
    expect(files).toEqual(['.storybook/main.ts', 'index.js', 'packages/p/src/index.ts']);
  });

  it('applies root and nested .gitignore files, each relative to its own directory', async () => {
    const root = await writeTree({
      '.gitignore': 'generated/\n*.gen.ts\n/top-only.js\n',
      'top-only.js': '',
      'keep.ts': '',
      'a.gen.ts': '',
      'generated/x.ts': '',
      'pkg/.gitignore': 'local.js\n/anchored.ts\n!wanted.gen.ts\n',
      'pkg/top-only.js': '',
      'pkg/local.js': '',
      'pkg/anchored.ts': '',
      'pkg/wanted.gen.ts': '',
      'pkg/other.gen.ts': '',
      'pkg/sub/local.js': '',
      'pkg/sub/anchored.ts': '',
      'other/local.js': '',
    });
    const { files } = await listSourceFiles(root);
    expect(files).toEqual(['keep.ts', 'other/local.js', 'pkg/sub/anchored.ts', 'pkg/top-only.js', 'pkg/wanted.gen.ts']);
  });

  it('does not follow symlinked directories, so a loop ends', async () => {
    const root = await writeTree({ 'src/a.ts': '', 'real.js': '' });
    await symlink(root, path.join(root, 'src', 'loop'), 'dir');
    await symlink(path.join(root, 'real.js'), path.join(root, 'src', 'linked.js'), 'file');
    await symlink(path.join(root, 'missing.js'), path.join(root, 'src', 'broken.js'), 'file');
    expect(await listSourceFiles(root)).toEqual({
      files: ['real.js', 'src/a.ts', 'src/linked.js'],
      errors: [],
      manifests: [],
      committedModules: [],
    });
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable directory and goes on', async () => {
    const root = await writeTree({ 'a.ts': '', 'locked/b.ts': '', 'z/c.ts': '' });
    const locked = path.join(root, 'locked');
    await chmod(locked, 0o000);
    try {
      const { files, errors } = await listSourceFiles(root);
      expect(files).toEqual(['a.ts', 'z/c.ts']);
      expect(errors).toEqual([expect.objectContaining({ file: 'locked', reason: 'unreadable' })]);
    } finally {
      await chmod(locked, 0o755);
    }
  });

  it('reports a missing root as unreadable', async () => {
    const root = await writeTree({});
    await mkdir(path.join(root, 'empty'));
    expect(await listSourceFiles(path.join(root, 'empty'))).toEqual({
      files: [],
      errors: [],
      manifests: [],
      committedModules: [],
    });
    const { errors } = await listSourceFiles(path.join(root, 'nope'));
    expect(errors).toEqual([expect.objectContaining({ file: '.', reason: 'unreadable' })]);
  });
});

describe('package manager files', () => {
  it("leaves out Yarn's committed release and Plug'n'Play files, which no one wrote", async () => {
    const root = await writeTree({
      '.yarn/releases/yarn-4.4.1.cjs': 'module.exports = 1;',
      '.yarn/plugins/@yarnpkg/plugin-x.cjs': 'module.exports = 1;',
      '.pnp.cjs': 'require("zlib");',
      '.pnp.loader.mjs': 'import fs from "fs";',
      'src/a.ts': '',
    });
    expect((await listSourceFiles(root)).files).toEqual(['src/a.ts']);
  });
});

describe('isFixtureDir', () => {
  it.each([
    ['test/fixtures', true],
    ['packages/a/__fixtures__/x', true],
    ['src/__snapshots__', true],
    ['test/cases/parse', true],
    ['test/configCases/externals/a', true],
    ['test/hot-cases/runtime', true],
    ['src/configCases', false],
    ['test/showcases', false],
    ['src/cases', false],
    ['src/components', false],
    ['examples/basic', false],
  ])('%s → %s', (dir, expected) => {
    expect(isFixtureDir(dir)).toBe(expected);
  });
});

describe('snapshot test inputs', () => {
  it('a file beside __snapshots__ that no test imports is test data: its imports and syntax errors do not count', async () => {
    const { scanImports } = await import('../../src/scan/walk-imports.js');
    const root = await writeTree({
      'tests/format/jsx/format.test.js':
        "import { run } from '../../run.js';\nimport helper from './helper.js';\nrun(import.meta);\n",
      'tests/format/jsx/__snapshots__/format.test.js.snap': 'exports[`a`] = `x`;',
      'tests/format/jsx/input.js': "import React from 'react';\nimport x from 'foo';\n<div>{</div>\n",
      'tests/format/jsx/helper.js': "import chalk from 'chalk';\nexport default 1;\n",
      'src/a.js': "import lodash from 'lodash';\n",
    });
    const scan = await scanImports(root, { isLocalPackage: () => false });
    expect(scan.imports.map((i) => `${i.file} ${i.packageName}`)).toEqual([
      'src/a.js lodash',
      'tests/format/jsx/helper.js chalk',
    ]);
    expect(scan.errors).toEqual([]);
  });

  it('inputs that import each other, or their directory, are still inputs; an index a test imports is code', async () => {
    const { scanImports } = await import('../../src/scan/walk-imports.js');
    const root = await writeTree({
      'tests/format/js/export/format.test.js': 'runFormatTest(import.meta);\n',
      'tests/format/js/export/__snapshots__/format.test.js.snap': 'exports[`a`] = `x`;',
      // `export {} from "."` names the directory's index, not every file beside it.
      'tests/format/js/export/empty.js': 'export {} from ".";\n',
      'tests/format/js/export/same-local.js': "export { a } from 'a';\n",
      'tests/format/react/format.test.js': "import './index.js';\nrunFormatTest(import.meta);\n",
      'tests/format/react/__snapshots__/format.test.js.snap': 'exports[`a`] = `x`;',
      'tests/format/react/callsite.js': "import Hello from './module';\n",
      'tests/format/react/module.js': "import React from 'react';\n",
      'tests/format/react/index.js': "import chalk from 'chalk';\n",
    });
    const scan = await scanImports(root, { isLocalPackage: () => false });
    expect(scan.imports.map((i) => `${i.file} ${i.packageName}`)).toEqual(['tests/format/react/index.js chalk']);
  });
});
