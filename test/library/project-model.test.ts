import { describe, expect, it } from 'vitest';
import { type RegistryClient, verify } from '../../src/index.js';
import { distilPackument } from '../../src/registry/distil.js';
import { writeTree } from '../helpers/fixture.js';
import { verifyWithKnown } from '../helpers/client.js';
import { RECENTLY, REGISTRY, packument } from '../helpers/registry.js';

const run = async (files: Record<string, string>, known: string[], config?: Record<string, unknown>) => {
  const { report, asked } = await verifyWithKnown(files, known, config);
  return { report, asked: asked.sort(), codes: report.findings.map((f) => [f.code, f.package, f.locations[0]?.file]) };
};

const rootLock = JSON.stringify({
  name: 'lib',
  lockfileVersion: 3,
  packages: {
    '': { name: 'lib', dependencies: { react: '^1.0.0' } },
    'node_modules/react': {
      version: '1.0.0',
      resolved: `${REGISTRY}react/-/react-1.0.0.tgz`,
      integrity: 'sha512-AAAA',
    },
  },
});

describe('nested projects that are not workspaces', () => {
  it('judges an import by the nearest package.json and the ones above it', async () => {
    const { codes, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', dependencies: { react: '^1.0.0' } }),
        'package-lock.json': rootLock,
        'src/index.ts': "import React from 'react';\n",
        'benchmarks/routers/package.json': JSON.stringify({
          name: 'bench',
          private: true,
          dependencies: { express: '^4.21.0' },
        }),
        'benchmarks/routers/src/express.mts': "import express from 'express';\nimport React from 'react';\n",
        // Declared by no manifest in scope: still unlisted.
        'examples/basic/package.json': JSON.stringify({ name: 'basic', dependencies: { react: '^1.0.0' } }),
        'examples/basic/index.js': "import _ from 'lodash';\nimport express from 'express';\n",
      },
      ['react', 'express', 'lodash'],
    );
    expect(codes).toEqual([
      ['UNLISTED_DEPENDENCY', 'express', 'examples/basic/index.js'],
      ['UNLISTED_DEPENDENCY', 'lodash', 'examples/basic/index.js'],
    ]);
    expect(asked).toEqual(['express', 'lodash', 'react']);
  });

  it("checks a nested manifest's declarations, not against the root's lockfile", async () => {
    const { codes } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', dependencies: { react: '^1.0.0' } }),
        'package-lock.json': rootLock,
        'website/package.json': JSON.stringify({
          name: 'site',
          dependencies: { react: '^4.0.0', 'made-up-docs-theme': '^1.0.0' },
        }),
      },
      ['react'],
    );
    // The root lockfile's react@1.0.0 is not what website/ installs: no LOCKFILE_OUT_OF_SYNC.
    expect(codes).toEqual([['NOT_FOUND', 'made-up-docs-theme', 'website/package.json']]);
  });

  it("a nested project's name is no workspace package: declaring or importing that name still asks the registry", async () => {
    const { codes, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'lib', dependencies: { 'made-up-redux': '*' } }),
        'src/index.js': "import x from 'made-up-redux';\n",
        // An example that happens to carry that name links nothing into the root.
        'examples/redux/package.json': JSON.stringify({ name: 'made-up-redux', version: '1.0.0' }),
      },
      [],
    );
    expect(asked).toEqual(['made-up-redux']);
    expect(codes).toEqual([['NOT_FOUND', 'made-up-redux', 'package.json']]);
  });

  it("a nested project's own lockfile pins its declarations; the root's does not", async () => {
    const client: RegistryClient = {
      registryFor: () => REGISTRY,
      lookup: async (name) =>
        distilPackument(
          name,
          REGISTRY,
          packument(name, { versions: { '1.0.0': {}, '1.5.0': {} }, releasedFrom: RECENTLY }),
        ),
    };
    const siteLock = JSON.stringify({
      name: 'site',
      lockfileVersion: 3,
      packages: {
        '': { name: 'site', dependencies: { react: '^1.0.0' } },
        'node_modules/react': {
          version: '1.0.0',
          resolved: `${REGISTRY}react/-/react-1.0.0.tgz`,
          integrity: 'sha512-AAAA',
        },
      },
    });
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'lib' }),
      'website/package.json': JSON.stringify({ name: 'site', dependencies: { react: '^1.0.0' } }),
      'website/package-lock.json': siteLock,
      'docs/package.json': JSON.stringify({ name: 'docs', dependencies: { react: '^1.0.0' } }),
      // Unreadable there: docs/ is checked at its range, and the run is not made incomplete by it.
      'docs/bun.lockb': '\u0000\u0001binary',
    });
    const report = await verify({ root, client, popularIndex: false, cacheDir: false, types: false });
    expect(report.findings).toEqual([]);
    expect(report.status).toBe('clean');
    expect(report.packages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'react', requested: '^1.0.0', version: '1.0.0' }),
        expect.objectContaining({ name: 'react', requested: '^1.0.0', version: '1.5.0' }),
      ]),
    );
  });

  it("a nested project's own tsconfig baseUrl makes its local modules local", async () => {
    const { codes, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'swr' }),
        'examples/global/package.json': JSON.stringify({ name: 'global', dependencies: { react: '^1.0.0' } }),
        'examples/global/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.' } }),
        'examples/global/global-swr-config.js': 'export default {};\n',
        'examples/global/pages/index.js': "import config from 'global-swr-config';\nimport React from 'react';\n",
      },
      ['react'],
    );
    expect(codes).toEqual([]);
    expect(asked).toEqual(['react']);
  });
});

describe('committed node_modules and fixture trees', () => {
  it('a node_modules directory the repository holds resolves its names for the files below it', async () => {
    const { codes, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'tool' }),
        'test/node_modules/plugin-fake/index.js': 'module.exports = 1;\n',
        'test/node_modules/@fake/scoped/index.js': 'module.exports = 1;\n',
        'test/run.test.js': "require('plugin-fake');\nrequire('@fake/scoped');\n",
        // Outside that directory Node does not find it.
        'src/index.js': "require('plugin-fake');\n",
      },
      ['plugin-fake'],
    );
    expect(codes).toEqual([['UNLISTED_DEPENDENCY', 'plugin-fake', 'src/index.js']]);
    expect(asked).toEqual(['plugin-fake']);
  });

  it('test fixture trees are not read: broken code and bare names there are neither errors nor asked about', async () => {
    const { report, asked } = await run(
      {
        'package.json': JSON.stringify({ name: 'tool' }),
        'src/index.js': 'export {};\n',
        'test/fixtures/broken/input.js': 'import x from "fixture-only-name";\nconst = ;\n',
        'packages/x/__fixtures__/a.ts': 'import y from "another-fixture-name"; let (;\n',
        'test/cases/parse/input.js': 'import z from "case-name"; )(\n',
        'test/fixtures/app/package.json': JSON.stringify({ dependencies: { 'fixture-dep': '1.0.0' } }),
      },
      [],
    );
    expect(report.findings).toEqual([]);
    expect(report.status).toBe('clean');
    expect(asked).toEqual([]);
  });

  it('a broken file elsewhere is an INPUT_ERROR whose hint names ignore.paths; listed there, it is not read', async () => {
    // Cut off inside an import: that import is lost (a syntax error that lost none is a SYNTAX_ERROR warning).
    const files = { 'package.json': JSON.stringify({ name: 'tool' }), 'scripts/broken.js': "import { a } from 'lib\n" };
    const before = await run(files, []);
    expect(before.codes).toEqual([['INPUT_ERROR', '', 'scripts/broken.js']]);
    expect(before.report.findings[0]?.hint).toContain('ignore.paths');
    const after = await run(files, [], { ignore: { paths: ['scripts/broken.js'] } });
    expect(after.codes).toEqual([]);
    expect(after.report.status).toBe('clean');
  });
});
