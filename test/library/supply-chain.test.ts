import { describe, expect, it } from 'vitest';
import { type Lookup, type RegistryClient, verify } from '../../src/index.js';
import { distilPackument } from '../../src/registry/distil.js';
import { writeTree } from '../helpers/fixture.js';
import { REGISTRY, packument } from '../helpers/registry.js';

const NOW = Date.UTC(2026, 10, 1);
const HOUR = 60 * 60 * 1000;

function registry(docs: Record<string, Record<string, unknown>>): RegistryClient {
  return {
    registryFor: () => REGISTRY,
    lookup: async (name): Promise<Lookup> =>
      docs[name] ? distilPackument(name, REGISTRY, docs[name]) : { state: 'missing', reason: 'not-found' },
  };
}

function published(name: string, versions: Record<string, { hoursAgo: number; scripts?: Record<string, string> }>) {
  const d = packument(name, {
    versions: Object.fromEntries(
      Object.entries(versions).map(([v, s]) => [v, s.scripts ? { scripts: s.scripts } : {}]),
    ),
  }) as { time: Record<string, string> };
  for (const [v, s] of Object.entries(versions)) d.time[v] = new Date(NOW - s.hoursAgo * HOUR).toISOString();
  return d;
}

const lock = (pkgs: Record<string, string>) =>
  JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', dependencies: Object.fromEntries(Object.keys(pkgs).map((n) => [n, '*'])) },
      ...Object.fromEntries(
        Object.entries(pkgs).map(([n, v]) => [
          `node_modules/${n}`,
          { version: v, resolved: `${REGISTRY}${n}/-/${n}-${v}.tgz`, integrity: 'sha512-AAAA' },
        ]),
      ),
    },
  });

describe('supply-chain settings of a project', () => {
  const docs = {
    fresh: published('fresh', { '1.0.0': { hoursAgo: 900 }, '1.1.0': { hoursAgo: 30 } }),
    builder: published('builder', { '2.0.0': { hoursAgo: 5000, scripts: { install: 'node-gyp rebuild' } } }),
    trusted: published('trusted', { '3.0.0': { hoursAgo: 2 } }),
  };
  const files = (workspace: string) => ({
    'package.json': JSON.stringify({ name: 'app', dependencies: { fresh: '*', builder: '*', trusted: '*' } }),
    'package-lock.json': lock({ fresh: '1.1.0', builder: '2.0.0', trusted: '3.0.0' }),
    'pnpm-workspace.yaml': workspace,
  });

  it("honours pnpm's minimumReleaseAge (minutes), its exclude list and onlyBuiltDependencies", async () => {
    const root = await writeTree(
      files('minimumReleaseAge: 2880\nminimumReleaseAgeExclude:\n  - trusted\nonlyBuiltDependencies:\n  - esbuild\n'),
    );
    const report = await verify({
      root,
      client: registry(docs),
      now: NOW,
      popularIndex: false,
      cacheDir: false,
      types: false,
    });
    const codes = report.findings.map((f) => [f.code, f.package, f.severity]);
    expect(codes).toContainEqual(['RELEASE_TOO_NEW', 'fresh', 'error']);
    expect(codes).toContainEqual(['INSTALL_SCRIPT_NOT_ALLOWED', 'builder', 'warning']);
    expect(codes.filter((c) => c[1] === 'trusted')).toEqual([]);
    expect(report.findings.find((f) => f.code === 'RELEASE_TOO_NEW')?.message).toContain('pnpm-workspace.yaml');
    expect(report.installScripts).toEqual([{ name: 'builder', version: '2.0.0', allowed: false }]);
  });

  it("depverify's own setting wins over pnpm's; without any, only versions under a day warn", async () => {
    const root = await writeTree(files('minimumReleaseAge: 10\n'));
    const gated = await verify({
      root,
      client: registry(docs),
      now: NOW,
      popularIndex: false,
      cacheDir: false,
      types: false,
      config: { minimumReleaseAge: '2d' },
    });
    expect(gated.findings.filter((f) => f.code === 'RELEASE_TOO_NEW').map((f) => [f.package, f.severity])).toEqual([
      ['fresh', 'error'],
      ['trusted', 'error'],
    ]);
    const plain = await verify({
      root: await writeTree(files('packages: []\n')),
      client: registry(docs),
      now: NOW,
      popularIndex: false,
      cacheDir: false,
      types: false,
    });
    expect(plain.findings.filter((f) => f.code === 'RELEASE_TOO_NEW').map((f) => [f.package, f.severity])).toEqual([
      ['trusted', 'warning'],
    ]);
    expect(plain.installScripts).toEqual([{ name: 'builder', version: '2.0.0' }]);
  });

  it('a wrong-typed pnpm setting is an input error naming the field', async () => {
    const root = await writeTree(files('minimumReleaseAge: soon\n'));
    const report = await verify({
      root,
      client: registry(docs),
      now: NOW,
      popularIndex: false,
      cacheDir: false,
      types: false,
    });
    expect(report.status).toBe('incomplete');
    expect(report.findings.find((f) => f.code === 'INPUT_ERROR')?.locations[0]).toMatchObject({
      file: 'pnpm-workspace.yaml',
      field: 'minimumReleaseAge',
    });
  });
});
