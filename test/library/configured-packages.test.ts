/**
 * Packages named by configuration (issue 15, items 7 and 8): tsconfig `types` and
 * `jsxImportSource` entries, and the commands package.json scripts run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, verify } from '../../src/index.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { RECENTLY, REGISTRY, createMockRegistry, packument } from '../helpers/registry.js';

const mock = createMockRegistry();
const cache = mkdtempSync(path.join(tmpdir(), 'depverify-configured-'));
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(async () => {
  mock.close();
  rmSync(cache, { recursive: true, force: true });
  await removeTrees();
});

const ok = (name: string, bin?: unknown) =>
  mock.set(name, packument(name, { versions: { '1.0.0': bin === undefined ? {} : { bin } }, releasedFrom: RECENTLY }));

async function run(files: Record<string, string>) {
  const root = await writeTree(files);
  const cacheDir = path.join(cache, path.basename(root));
  const client = createRegistryClient({ root, npmConfig: { registry: REGISTRY }, cacheDir, retries: 0, timeout: 5000 });
  const report = await verify({ root, client, cacheDir, popularIndex: false, types: false });
  const shown = report.findings.filter((f) => f.severity !== 'info' && f.code !== 'UNMAINTAINED');
  return {
    report,
    asked: mock.seen.map((s) => s.name).sort(),
    shown: shown.map((f) => [
      f.code,
      f.severity,
      f.package,
      f.locations.map((l) => `${l.file}:${l.line ?? ''}`).join(' '),
    ]),
  };
}

const pkg = (o: Record<string, unknown>) => JSON.stringify(o, null, 2);

describe('tsconfig types and jsxImportSource', () => {
  it('an undeclared types entry is UNLISTED_DEPENDENCY at its line; one no package has is NOT_FOUND; declared, local and hoisted ones are fine', async () => {
    for (const n of ['@types/jest', 'vite', 'preact', '@types/node', 'vitest']) ok(n);
    const { shown, report } = await run({
      'package.json': pkg({
        name: 'app',
        private: true,
        workspaces: ['web'],
        devDependencies: { vite: '1.0.0', '@types/node': '1.0.0' },
      }),
      'tsconfig.json': [
        '{',
        '  // comments are allowed',
        '  "compilerOptions": {',
        '    "types": [',
        '      "node",',
        '      "jest",',
        '      "vite/client",',
        '      "./local-types",',
        '      "jest-dom-invented-types"',
        '    ],',
        '    "jsxImportSource": "preact"',
        '  }',
        '}',
        '',
      ].join('\n'),
      'web/package.json': pkg({ name: 'web', devDependencies: { vitest: '1.0.0' } }),
      // `node` is declared by the root: hoisted for the workspace, fine.
      'web/tsconfig.app.json': pkg({
        compilerOptions: {
          types: ['node', 'vitest/globals', 'mytypes'],
          typeRoots: ['./types', './node_modules/@types'],
        },
      }),
      'web/types/mytypes/index.d.ts': 'declare const x: number;\n',
    });
    expect(shown).toEqual([
      ['UNLISTED_DEPENDENCY', 'error', 'jest', 'tsconfig.json:6'],
      ['NOT_FOUND', 'error', 'jest-dom-invented-types', 'tsconfig.json:9'],
      ['UNLISTED_DEPENDENCY', 'error', 'preact', 'tsconfig.json:11'],
    ]);
    const jest = report.findings.find((f) => f.package === 'jest')!;
    expect(jest.message).toContain('jest or @types/jest');
    expect(jest.details).toMatchObject({ option: 'types', exists: ['@types/jest'] });
    expect(exitCode(report)).toBe(1);
  });

  it('a types entry satisfied by the package itself or its @types is not asked about', async () => {
    for (const n of ['@types/jest', 'bun-types']) ok(n);
    const { shown, asked } = await run({
      'package.json': pkg({ name: 'app', devDependencies: { '@types/jest': '1.0.0', 'bun-types': '1.0.0' } }),
      'tsconfig.json': pkg({
        extends: '@tsconfig/strictest/tsconfig.json',
        compilerOptions: { types: ['jest', 'bun-types'] },
      }),
    });
    expect(shown).toEqual([]);
    expect(asked).toEqual(['@types/jest', 'bun-types']);
  });
});

describe('script commands', () => {
  it('a command no declared package provides is UNLISTED_BINARY; a declared package bin, a workspace bin and system commands are fine', async () => {
    ok('typescript', { tsc: 'bin/tsc', tsserver: 'bin/tsserver' });
    ok('tsup', 'dist/cli.js');
    ok('eslint', { eslint: 'bin/eslint.js' });
    const { shown, report } = await run({
      'package.json': [
        '{',
        '  "name": "app",',
        '  "private": true,',
        '  "workspaces": ["tools"],',
        '  "scripts": {',
        '    "build": "tsc -p . && mytool gen",',
        '    "lint": "eslint .",',
        '    "clean": "rm -rf dist && git clean -fdx",',
        '    "bundle": "tsup src/index.ts"',
        '  },',
        '  "devDependencies": { "typescript": "1.0.0" }',
        '}',
        '',
      ].join('\n'),
      'tools/package.json': pkg({ name: 'tools', bin: { mytool: 'cli.js' } }),
    });
    expect(shown).toEqual([
      ['UNLISTED_BINARY', 'warning', 'eslint', 'package.json:7'],
      ['UNLISTED_BINARY', 'warning', 'tsup', 'package.json:9'],
    ]);
    expect(report.findings.find((f) => f.package === 'tsup')!.details).toMatchObject({ bin: 'tsup', exists: true });
    expect(exitCode(report)).toBe(0);
  });

  it('a command only a locked dependency of a dependency provides is a warning naming it; an invented command run through npx that no package has is NOT_FOUND', async () => {
    ok('@vitejs/tooling');
    ok('only-allow', 'index.js');
    ok('esbuild', { esbuild: 'bin/esbuild' });
    const lock = {
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', devDependencies: { '@vitejs/tooling': '1.0.0' } },
        'node_modules/@vitejs/tooling': {
          version: '1.0.0',
          resolved: `${REGISTRY}@vitejs/tooling/-/tooling-1.0.0.tgz`,
          integrity: 'sha512-AAAA',
          dev: true,
        },
        'node_modules/esbuild': {
          version: '1.0.0',
          resolved: `${REGISTRY}esbuild/-/esbuild-1.0.0.tgz`,
          integrity: 'sha512-AAAA',
          dev: true,
        },
      },
    };
    const { shown, report } = await run({
      'package.json': pkg({
        name: 'app',
        scripts: {
          build: 'esbuild src/a.ts',
          gen: 'npx create-secure-express-appx',
          other: 'some-system-tool-xyz --flag',
          preinstall: 'npx only-allow pnpm',
          fix: 'build --fix',
        },
        devDependencies: { '@vitejs/tooling': '1.0.0' },
      }),
      'package-lock.json': pkg(lock),
    });
    expect(shown).toEqual([
      ['UNLISTED_BINARY', 'warning', 'build', 'package.json:8'],
      ['NOT_FOUND', 'error', 'create-secure-express-appx', 'package.json:5'],
      ['UNLISTED_BINARY', 'warning', 'esbuild', 'package.json:4'],
      ['UNLISTED_BINARY', 'warning', 'some-system-tool-xyz', 'package.json:6'],
    ]);
    expect(report.findings.find((f) => f.package === 'esbuild')!.details).toMatchObject({ providers: ['esbuild'] });
    expect(report.findings.find((f) => f.package === 'some-system-tool-xyz')!.details).toMatchObject({ exists: false });
    // `npx only-allow pnpm` fetches a package that exists: what npx is for. A script's own name run as a command is said.
    expect(report.findings.find((f) => f.package === 'build')!.message).toContain('npm run build');
  });

  it('says nothing when which commands a declared package provides is not known: no such version, a bin folder, names cut or unreadable', async () => {
    // The range matches no published version: its bins are not the latest version's.
    ok('ranged-tool');
    const dirTool = packument('dir-tool', { versions: { '1.0.0': {} } });
    (dirTool.versions as Record<string, Record<string, unknown>>)['1.0.0']!.directories = { bin: './bin' };
    mock.set('dir-tool', dirTool);
    ok('odd-tool', { 'odd tool\u0000': 'cli.js' });
    ok('many-tool', Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`cmd${i}`, `bin/${i}.js`])));
    for (const [dep, range, command] of [
      ['ranged-tool', '^9.0.0', 'ranged'],
      ['dir-tool', '1.0.0', 'dirtool'],
      ['odd-tool', '1.0.0', 'oddtool'],
      ['many-tool', '1.0.0', 'manytool'],
    ] as const) {
      const { shown } = await run({
        'package.json': pkg({ name: 'app', scripts: { build: `${command} build` }, devDependencies: { [dep]: range } }),
      });
      expect(
        shown.filter((f) => f[0] === 'UNLISTED_BINARY'),
        dep,
      ).toEqual([]); // a range no version matches is VERSION_NOT_FOUND, said elsewhere
    }
  });

  it('says nothing when a workspace links the commands of a bin folder', async () => {
    const { shown } = await run({
      'package.json': pkg({ name: 'app', private: true, workspaces: ['tools'], scripts: { gen: 'toolgen x' } }),
      'tools/package.json': pkg({ name: 'tools', directories: { bin: './bin' } }),
    });
    expect(shown).toEqual([]);
  });

  it('names a string bin after the packument when the version document has no name; an object key after its last path segment', async () => {
    const nameless = packument('solo-cli', { versions: { '1.0.0': { bin: 'cli.js' } } });
    delete (nameless.versions as Record<string, Record<string, unknown>>)['1.0.0']!.name;
    mock.set('solo-cli', nameless);
    ok('@scope/pathed', { 'bin/pathed': 'cli.js' });
    const { shown } = await run({
      'package.json': pkg({
        name: 'app',
        scripts: { a: 'solo-cli x', b: 'pathed y', c: 'other-cmd' },
        devDependencies: { 'solo-cli': '1.0.0', '@scope/pathed': '1.0.0' },
      }),
    });
    // A package without a bin provides none: a command no one provides is still said.
    expect(shown).toEqual([['UNLISTED_BINARY', 'warning', 'other-cmd', 'package.json:6']]);
  });

  it('says nothing for a package.json with a dependency whose commands are not known (git, unknown answer)', async () => {
    mock.set('flaky', 503);
    const { shown } = await run({
      'package.json': pkg({
        name: 'app',
        scripts: { build: 'flaky-cli build' },
        devDependencies: { flaky: '1.0.0', tool: 'github:someone/tool' },
      }),
    });
    expect(shown.filter((f) => f[0] === 'UNLISTED_BINARY' || f[0] === 'NOT_FOUND')).toEqual([]);
  });
});
