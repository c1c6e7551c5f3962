import { describe, expect, it } from 'vitest';
import { type ConfiguredInput, checkConfiguredPackages } from '../../src/checks/configured-packages.js';
import type { Lookup } from '../../src/model/facts.js';
import type { ConfigPackageReference, LockedPackage, Manifest, ProjectScan } from '../../src/model/references.js';
import { distilPackument } from '../../src/registry/distil.js';
import { recordingClient } from '../helpers/client.js';
import { dep, manifest } from '../helpers/model.js';
import { scan } from '../helpers/project-scan.js';
import { REGISTRY, packument } from '../helpers/registry.js';

/** A package whose only version installs these commands. */
const withBins = (name: string, bin?: unknown): Record<string, unknown> =>
  packument(name, { versions: { '1.0.0': bin === undefined ? {} : { bin } } });

const typesRef = (entry: string, line: number, file = 'tsconfig.json'): ConfigPackageReference => ({
  entry,
  packageName: entry
    .split('/')
    .slice(0, entry.startsWith('@') ? 2 : 1)
    .join('/'),
  option: 'types',
  file,
  line,
});

const lockEntry = (name: string): LockedPackage => ({
  name,
  version: '1.0.0',
  path: `node_modules/${name}`,
  lockfile: 'package-lock.json',
});

/**
 * checkConfiguredPackages over a scan, with the declared packages' lookups already made and the
 * registry knowing `registry` (a 404 for anything else). Returns the findings, shortened, and the
 * names asked of the registry.
 */
async function run(
  project: ProjectScan,
  {
    declared = {},
    registry = {},
    skipped = [],
    onPath = () => false,
  }: {
    declared?: Record<string, Record<string, unknown>>;
    registry?: Record<string, Record<string, unknown>>;
    skipped?: string[];
    onPath?: (command: string) => boolean;
  } = {},
) {
  const client = recordingClient(registry);
  const input: ConfiguredInput = {
    scan: project,
    requests: [],
    lookups: new Map<string, Lookup>(
      Object.entries(declared).map(([name, doc]) => [name, distilPackument(name, REGISTRY, doc)]),
    ),
    lookup: (name) => client.lookup(name),
    isSkipped: (name) => skipped.includes(name),
    onPath,
  };
  const findings = await checkConfiguredPackages(input);
  return {
    findings,
    shown: findings.map((f) => [
      f.code,
      f.severity,
      f.package,
      f.locations.map((l) => `${l.file}:${l.line ?? ''}:${l.field}`),
    ]),
    asked: [...client.asked].sort(),
  };
}

const withScripts = (scripts: Record<string, string>, deps = [dep('typescript', '1.0.0')]): Manifest => ({
  ...manifest('', deps, 'app'),
  scripts: Object.entries(scripts).map(([name, command], i) => ({ name, command, line: 5 + i })),
});

describe('tsconfig types and jsxImportSource', () => {
  it('an entry no package.json declares: UNLISTED_DEPENDENCY at each place it is written, saying which package exists', async () => {
    const project: ProjectScan = {
      ...scan([manifest('', [])]),
      configPackages: [typesRef('jest', 6), typesRef('jest', 3, 'web/tsconfig.json')],
    };
    const { findings, shown, asked } = await run(project, { registry: { '@types/jest': withBins('@types/jest') } });
    expect(shown).toEqual([
      [
        'UNLISTED_DEPENDENCY',
        'error',
        'jest',
        ['tsconfig.json:6:compilerOptions.types', 'web/tsconfig.json:3:compilerOptions.types'],
      ],
    ]);
    expect(findings[0]!.details).toEqual({
      option: 'types',
      entry: 'jest',
      candidates: ['jest', '@types/jest'],
      exists: ['@types/jest'],
    });
    expect(findings[0]!.hint).toContain('npm install --save-dev @types/jest');
    expect(asked).toEqual(['@types/jest', 'jest']);
  });

  it('an entry no package of either name has: NOT_FOUND; a @types entry is asked about alone', async () => {
    const project: ProjectScan = {
      ...scan([manifest('', [])]),
      configPackages: [typesRef('invented-types', 4), typesRef('@types/invented', 5)],
    };
    const { findings, asked } = await run(project);
    expect(findings.map((f) => [f.code, f.package, f.details?.candidates])).toEqual([
      ['NOT_FOUND', 'invented-types', ['invented-types', '@types/invented-types']],
      ['NOT_FOUND', '@types/invented', ['@types/invented']],
    ]);
    expect(asked).toEqual(['@types/invented', '@types/invented-types', 'invented-types']);
  });

  it('says when the entry is installed today only as another package’s dependency', async () => {
    const project: ProjectScan = {
      ...scan([manifest('', [])]),
      configPackages: [{ entry: 'preact', packageName: 'preact', option: 'jsxImportSource', file: 'tsconfig.json' }],
      lockfile: { path: 'package-lock.json', format: 'npm', lockfileVersion: 3, packages: [lockEntry('preact')] },
    };
    const { findings } = await run(project, { registry: { preact: withBins('preact') } });
    expect(findings.map((f) => [f.code, f.locations, f.details?.locked])).toEqual([
      ['UNLISTED_DEPENDENCY', [{ file: 'tsconfig.json', field: 'compilerOptions.jsxImportSource' }], ['preact']],
    ]);
    expect(findings[0]!.message).toContain('preact is installed only as a dependency of another package.');
  });

  it('declared (as itself or its @types), a workspace, skipped, or without a root manifest: nothing, nothing asked', async () => {
    const refs = [
      typesRef('node', 2),
      typesRef('vitest/globals', 3),
      typesRef('shared', 4),
      typesRef('@corp/types', 5),
    ];
    const project: ProjectScan = {
      ...scan([manifest('', [dep('@types/node'), dep('vitest')]), manifest('packages/shared', [], 'shared')]),
      configPackages: refs,
    };
    expect(await run(project, { skipped: ['@corp/types'] })).toEqual({ findings: [], shown: [], asked: [] });
    const loose: ProjectScan = { ...scan([]), configPackages: [typesRef('jest', 1)] };
    expect(await run(loose)).toEqual({ findings: [], shown: [], asked: [] });
  });
});

describe('script commands', () => {
  it('a command a declared package or a workspace provides is fine; any other is UNLISTED_BINARY at its script', async () => {
    const root = { ...withScripts({ build: 'tsc -p . && gen x', lint: 'eslint .' }), workspaces: ['tools'] };
    const tools = { ...manifest('tools', [], 'tools'), bins: ['gen'] };
    const { findings, shown } = await run(scan([root, tools]), {
      declared: { typescript: withBins('typescript', { tsc: 'bin/tsc' }) },
      registry: { eslint: withBins('eslint', { eslint: 'bin/eslint.js' }) },
    });
    expect(shown).toEqual([['UNLISTED_BINARY', 'warning', 'eslint', ['package.json:6:scripts.lint']]]);
    expect(findings[0]!.details).toEqual({ bin: 'eslint', exists: true, declared: false });
  });

  it('npx of a name no package has: NOT_FOUND, unless the machine has the command', async () => {
    const root = withScripts({ gen: 'npx create-invented-app' });
    const declared = { typescript: withBins('typescript', { tsc: 'bin/tsc' }) };
    expect((await run(scan([root]), { declared })).shown).toEqual([
      ['NOT_FOUND', 'error', 'create-invented-app', ['package.json:5:scripts.gen']],
    ]);
    const { findings } = await run(scan([root]), { declared, onPath: (c) => c === 'create-invented-app' });
    expect(findings.map((f) => [f.code, f.details])).toEqual([
      ['UNLISTED_BINARY', { bin: 'create-invented-app', exists: false, declared: false }],
    ]);
    // npx of a package that exists is what npx is for.
    expect(
      (await run(scan([root]), { declared, registry: { 'create-invented-app': withBins('create-invented-app') } }))
        .shown,
    ).toEqual([]);
  });

  it('a command only a locked package provides names it; a dependency whose commands are unknown silences the rest', async () => {
    const root = withScripts({ build: 'esbuild src/a.ts' });
    const locked: ProjectScan = {
      ...scan([root]),
      lockfile: { path: 'package-lock.json', format: 'npm', lockfileVersion: 3, packages: [lockEntry('esbuild')] },
    };
    const declared = {
      typescript: withBins('typescript', { tsc: 'bin/tsc' }),
      esbuild: withBins('esbuild', { esbuild: 'bin/esbuild' }),
    };
    const { findings } = await run(locked, { declared });
    expect(findings.map((f) => [f.code, f.package, f.details])).toEqual([
      ['UNLISTED_BINARY', 'esbuild', { bin: 'esbuild', providers: ['esbuild'], declared: false }],
    ]);
    const withGit = withScripts({ build: 'esbuild src/a.ts' }, [
      dep('typescript', '1.0.0'),
      dep('tool', 'github:someone/tool', { kind: 'git' }),
    ]);
    expect((await run({ ...locked, manifests: [withGit] }, { declared })).findings).toEqual([]);
  });
});
