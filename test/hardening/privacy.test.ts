/**
 * Which registry hears about which name, over a whole run (member check and downloads included):
 * scoped names only their scope's registry, internal scopes no registry at all.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { verify } from '../../src/index.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { writeTree } from '../helpers/fixture.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { publishAt } from '../helpers/publish.js';

const PUBLIC = 'registry.example.test';
const CORP = 'corp.example.test';
const DOWNLOADS = 'downloads.example.test';
const { mock, cacheRoot: scratch, freshCacheDir } = mockRegistryRuns('privacy');

const js = { 'index.js': 'module.exports = {};' };
const pkg = (extra: object) => JSON.stringify(extra);

/** Public, scoped-registry and internal packages, each with bait a leak would find. */
function publishAll(): void {
  // `pub`: new (so the squatting check wants its downloads), types only from @types/pub.
  publishAt(mock, PUBLIC, 'pub', js, { createdDaysAgo: 5 });
  publishAt(mock, PUBLIC, '@types/pub', { 'index.d.ts': 'export declare const a: number;' });
  // `typed`: own declarations that import an internal-scope package it lists.
  publishAt(mock, PUBLIC, 'typed', {
    'package.json': pkg({ types: 'index.d.ts', dependencies: { '@secret/inner': '^1.0.0' } }),
    'index.d.ts': "import type { X } from '@secret/inner';\nexport declare const t: X;",
  });
  // `@corp/lib`: new, no declarations of its own.
  publishAt(mock, CORP, '@corp/lib', js, { createdDaysAgo: 5 });
  // `@corp/typed`: declarations importing a sibling, an internal package and an unlisted name.
  publishAt(mock, CORP, '@corp/typed', {
    'package.json': pkg({
      types: 'index.d.ts',
      dependencies: { '@corp/base': '^1.0.0', '@secret/y': '^1.0.0', '@types/corp__base': '^1.0.0' },
    }),
    'index.d.ts':
      "import type { B } from '@corp/base';\nimport type { Y } from '@secret/y';\nexport declare const c: B & Y;",
  });
  publishAt(mock, CORP, '@corp/base', {
    'package.json': pkg({ types: 'index.d.ts' }),
    'index.d.ts': 'export interface B { b: 1 }',
  });
  mock.set(`${DOWNLOADS}/downloads/point/last-month/pub`, { downloads: 10 });
  // Bait: were any of these asked for, the answer would be used and the request recorded.
  for (const name of [
    '@types/corp__lib',
    '@types/corp__typed',
    '@types/corp__base',
    '@types/secret__x',
    '@secret/x',
    '@secret/inner',
    '@secret/y',
    '@corp/lib',
    '@corp/typed',
  ]) {
    mock.set(`${PUBLIC}/${name}`, { name, versions: {} });
  }
}

const PROJECT = {
  '.npmrc': `registry=https://${PUBLIC}/\n@corp:registry=https://${CORP}/\n`,
  'depverify.config.json': JSON.stringify({
    internalScopes: ['@secret'],
    squatting: { downloadsUrl: `https://${DOWNLOADS}/downloads/point/last-month/` },
  }),
  'package.json': pkg({
    name: 'app',
    dependencies: {
      pub: '^1.0.0',
      typed: '^1.0.0',
      '@corp/lib': '^1.0.0',
      '@corp/typed': '^1.0.0',
      '@secret/x': '^1.0.0',
    },
  }),
  'src/a.ts': [
    "import { a } from 'pub';",
    "import { t } from 'typed';",
    "import lib from '@corp/lib';",
    "import { c } from '@corp/typed';",
    "import { x } from '@secret/x';",
    'console.log(a, t, lib, c, x);',
  ].join('\n'),
};

const ENV = (home: string) => ({ HOME: home, npm_config_globalconfig: path.join(home, 'none') });

/** Every request as `host path`, sorted; the packages' own names decoded for reading. */
const requests = (): string[] => [...new Set(mock.seen.map((r) => `${r.host} ${decodeURIComponent(r.path)}`))].sort();

const EXPECTED = [
  `${CORP} /@corp/base`,
  `${CORP} /@corp/base/-/base-1.0.0.tgz`,
  `${CORP} /@corp/base/1.0.0`,
  `${CORP} /@corp/lib`,
  `${CORP} /@corp/lib/-/lib-1.0.0.tgz`,
  `${CORP} /@corp/lib/1.0.0`,
  `${CORP} /@corp/typed`,
  `${CORP} /@corp/typed/-/typed-1.0.0.tgz`,
  `${CORP} /@corp/typed/1.0.0`,
  `${DOWNLOADS} /downloads/point/last-month/pub`,
  `${PUBLIC} /@types/pub`,
  `${PUBLIC} /@types/pub/-/pub-1.0.0.tgz`,
  `${PUBLIC} /@types/pub/1.0.0`,
  `${PUBLIC} /pub`,
  `${PUBLIC} /pub/-/pub-1.0.0.tgz`,
  `${PUBLIC} /pub/1.0.0`,
  `${PUBLIC} /typed`,
  `${PUBLIC} /typed/-/typed-1.0.0.tgz`,
  `${PUBLIC} /typed/1.0.0`,
];

describe('who is asked about which name', () => {
  it('verify(): scoped names go to their registry only, internal names nowhere, @types of private names never', async () => {
    publishAll();
    const root = await writeTree(PROJECT);
    const home = mkdtempSync(path.join(scratch, 'home-'));
    const report = await verify({
      root,
      env: ENV(home),
      cacheDir: freshCacheDir(),
      retries: 0,
      timeout: 10_000,
      popularIndex: false,
    });
    expect(requests()).toEqual(EXPECTED);
    // Belt and braces on the names themselves, whatever the path shape.
    expect(mock.seen.filter((r) => /secret/.test(decodeURIComponent(r.path)))).toEqual([]);
    expect(mock.seen.filter((r) => /corp/.test(decodeURIComponent(r.path)) && r.host !== CORP)).toEqual([]);
    // The member check ran: @corp/lib is reported as untyped (info), nothing left unknown.
    expect(
      report.findings
        .filter((f) => f.code === 'TYPES_UNAVAILABLE')
        .map((f) => [f.package, f.severity, f.details?.unavailable]),
    ).toEqual([['@corp/lib', 'info', 'not-asked']]);
    expect(report.findings.filter((f) => f.code === 'REGISTRY_UNKNOWN')).toEqual([]);
    expect(report.summary).toMatchObject({ skipped: 1 });
  });

  it('the CLI, second run warm: the same hosts, and still nothing about internal names', async () => {
    publishAll();
    const root = await writeTree(PROJECT);
    const home = mkdtempSync(path.join(scratch, 'home-'));
    const io = (out: string[]) => ({
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => out.push(t) },
      cwd: root,
      env: { ...ENV(home), DEPVERIFY_CACHE_DIR: freshCacheDir(), NO_COLOR: '1' },
    });
    const out: string[] = [];
    // The CLI loads the shipped popular index, so `typed` may be asked for downloads too: both
    // public names; the registry requests are exactly verify()'s.
    const downloads = (): string[] =>
      requests()
        .filter((r) => r.startsWith(DOWNLOADS))
        .flatMap((r) => r.split('/').pop()!.split(','));
    expect(await main(['--format', 'json', '--quiet'], io(out))).toBe(0);
    expect(requests().filter((r) => !r.startsWith(DOWNLOADS))).toEqual(
      EXPECTED.filter((r) => !r.startsWith(DOWNLOADS)),
    );
    expect(downloads().filter((n) => n !== 'pub' && n !== 'typed')).toEqual([]);
    mock.seen.length = 0;
    await main(['--format', 'json', '--quiet', '--refresh'], io(out));
    expect(requests().filter((r) => !r.startsWith(DOWNLOADS))).toEqual(
      EXPECTED.filter((r) => !r.startsWith(DOWNLOADS)),
    );
    expect(downloads().filter((n) => n !== 'pub' && n !== 'typed')).toEqual([]);
    expect(out.join('')).not.toMatch(/secret/);
  });

  it('with @types routed to the scope registry too, @types of a scoped name is asked there and only there', async () => {
    publishAll();
    publishAt(mock, CORP, '@types/corp__lib', { 'index.d.ts': 'declare const lib: { l: 1 };\nexport default lib;' });
    publishAt(mock, CORP, '@types/pub', { 'index.d.ts': 'export declare const a: number;' });
    const root = await writeTree({ ...PROJECT, '.npmrc': `${PROJECT['.npmrc']}@types:registry=https://${CORP}/\n` });
    const home = mkdtempSync(path.join(scratch, 'home-'));
    const report = await verify({
      root,
      env: ENV(home),
      cacheDir: freshCacheDir(),
      retries: 0,
      timeout: 10_000,
      popularIndex: false,
    });
    const types = requests().filter((r) => r.includes('@types/'));
    expect(types).toEqual([
      `${CORP} /@types/corp__lib`,
      `${CORP} /@types/corp__lib/-/corp__lib-1.0.0.tgz`,
      `${CORP} /@types/corp__lib/1.0.0`,
      `${CORP} /@types/pub`,
      `${CORP} /@types/pub/-/pub-1.0.0.tgz`,
      `${CORP} /@types/pub/1.0.0`,
    ]);
    expect(report.findings.filter((f) => f.code === 'TYPES_UNAVAILABLE' || f.code === 'TYPES_UNKNOWN')).toEqual([]);
  });

  it('a caller-built client: the declaration closure still leaves internal scopes alone', async () => {
    publishAll();
    const root = await writeTree(PROJECT);
    const cacheDir = freshCacheDir();
    const client = createRegistryClient({
      root,
      npmConfig: { registry: `https://${PUBLIC}/`, '@corp:registry': `https://${CORP}/` },
      cacheDir,
      retries: 0,
      timeout: 10_000,
    });
    await verify({ root, client, cacheDir, popularIndex: false, config: { internalScopes: ['secret'] } });
    expect(mock.seen.filter((r) => /secret/.test(decodeURIComponent(r.path)))).toEqual([]);
    expect(requests().filter((r) => r.startsWith(DOWNLOADS))).toEqual([]);
  });
});
