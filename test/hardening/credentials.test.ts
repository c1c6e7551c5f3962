/**
 * Auth tokens go only to the registry they are configured for (redirects included) and never
 * appear in any output.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { verify } from '../../src/index.js';
import { redactCredentials, redactDeep } from '../../src/model/sanitize.js';
import { writeTree } from '../helpers/fixture.js';
import { HttpResponse } from '../helpers/registry.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { publishAt } from '../helpers/publish.js';

const PUBLIC = 'registry.example.test';
const CORP = 'corp.example.test';
const CDN = 'cdn.example.test';
const MIRROR = 'mirror.example.test';
const DOWNLOADS = 'downloads.example.test';
const CORP_TOKEN = 'corp-secret-7f3a9c';
const PUBLIC_TOKEN = 'public-secret-2b8d4e';
const PASSWORD = 'lockpass-91c2';

const { mock, cacheRoot: scratch, freshCacheDir } = mockRegistryRuns('credentials');

/** A redirect from `host/pathName` to `to` + the same path (msw matches by decoded path). */
function redirect(host: string, pathName: string, to: string, status = 302): void {
  mock.set(`${host}/${pathName}`, () => new HttpResponse(null, { status, headers: { location: `${to}/${pathName}` } }));
}

const NPMRC = [
  `registry=https://${PUBLIC}/`,
  `@corp:registry=https://${CORP}/`,
  `//${CORP}/:_authToken=${CORP_TOKEN}`,
  `//${PUBLIC}/:_authToken=${PUBLIC_TOKEN}`,
  '',
].join('\n');
const TYPED = {
  'package.json': JSON.stringify({ types: 'index.d.ts' }),
  'index.d.ts': 'export declare const v: number;',
};

function project(extra: Record<string, string> = {}) {
  return writeTree({
    '.npmrc': NPMRC,
    'depverify.config.json': JSON.stringify({ squatting: { downloadsUrl: `https://${DOWNLOADS}/point/` } }),
    'package.json': JSON.stringify({
      name: 'app',
      dependencies: { pub: '^1.0.0', '@corp/lib': '^1.0.0', '@corp/cdn': '^1.0.0' },
    }),
    'src/a.ts':
      "import { v } from 'pub';\nimport { v as w } from '@corp/lib';\nimport { v as z } from '@corp/cdn';\nconsole.log(v, w, z);\n",
    ...extra,
  });
}

async function runVerify(root: string) {
  const home = mkdtempSync(path.join(scratch, 'home-'));
  return verify({
    root,
    env: { HOME: home, npm_config_globalconfig: path.join(home, 'none') },
    cacheDir: freshCacheDir(),
    retries: 0,
    timeout: 10_000,
    popularIndex: false,
  });
}

/** host → the distinct authorization headers it received ('' for none). */
function authByHost(): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const r of mock.seen) (out[r.host] ??= new Set()).add(r.headers.authorization ?? '');
  return Object.fromEntries(Object.entries(out).map(([host, set]) => [host, [...set].sort()]));
}

describe('tokens go to the registry they are configured for', () => {
  it('packuments, version documents, tarballs, @types and downloads: each host gets its own token or none', async () => {
    publishAt(mock, PUBLIC, 'pub', { 'index.js': '' }, { createdDaysAgo: 5 });
    publishAt(mock, PUBLIC, '@types/pub', { 'index.d.ts': 'export declare const v: number;' });
    publishAt(mock, CORP, '@corp/lib', TYPED);
    // A scope registry whose tarballs live on another host: that host gets no token.
    publishAt(mock, CORP, '@corp/cdn', TYPED, { tarballHost: CDN });
    mock.set(`${DOWNLOADS}/point/pub`, { downloads: 3 });
    const report = await runVerify(await project());
    expect(authByHost()).toEqual({
      [PUBLIC]: [`Bearer ${PUBLIC_TOKEN}`],
      [CORP]: [`Bearer ${CORP_TOKEN}`],
      [CDN]: [''],
      [DOWNLOADS]: [''],
    });
    // Every kind of request was made (so the table above covers them).
    const paths = mock.seen.map((r) => `${r.host}${decodeURIComponent(r.path)}`);
    for (const p of [
      `${CORP}/@corp/lib`,
      `${CORP}/@corp/lib/1.0.0`,
      `${CORP}/@corp/lib/-/lib-1.0.0.tgz`,
      `${CDN}/@corp/cdn/-/cdn-1.0.0.tgz`,
      `${PUBLIC}/@types/pub/-/pub-1.0.0.tgz`,
      `${DOWNLOADS}/point/pub`,
    ])
      expect(paths).toContain(p);
    expect(report.status).toBe('findings');
  });

  it('a packument redirected to another host: followed without the token', async () => {
    publishAt(mock, MIRROR, '@corp/lib', TYPED);
    redirect(CORP, '@corp/lib', `https://${MIRROR}`, 302);
    redirect(CORP, '@corp/lib/1.0.0', `https://${MIRROR}`, 301);
    publishAt(mock, PUBLIC, 'pub', TYPED);
    publishAt(mock, CORP, '@corp/cdn', TYPED);
    await runVerify(await project());
    expect(mock.seen.filter((r) => r.host === MIRROR).length).toBeGreaterThanOrEqual(2);
    expect(authByHost()).toMatchObject({
      [MIRROR]: [''],
      [CORP]: [`Bearer ${CORP_TOKEN}`],
      [PUBLIC]: [`Bearer ${PUBLIC_TOKEN}`],
    });
  });

  it('a tarball redirected to another host: followed without the token', async () => {
    publishAt(mock, PUBLIC, 'pub', TYPED);
    const lib = publishAt(mock, CORP, '@corp/lib', TYPED).tarballPath;
    // The CDN holds the same bytes (tarballs are built reproducibly); the registry redirects there.
    publishAt(mock, CDN, '@corp/lib', TYPED);
    redirect(CORP, lib, `https://${CDN}`, 302);
    const cdn = publishAt(mock, CORP, '@corp/cdn', TYPED).tarballPath;
    publishAt(mock, MIRROR, '@corp/cdn', TYPED);
    redirect(CORP, cdn, `https://${MIRROR}`, 301);
    const report = await runVerify(await project());
    expect(
      mock.seen
        .filter((r) => r.host === CDN || r.host === MIRROR)
        .map((r) => `${r.host}${decodeURIComponent(r.path)}`)
        .sort(),
    ).toEqual([`${CDN}/${lib}`, `${MIRROR}/${cdn}`].sort());
    expect(authByHost()).toEqual({
      [CDN]: [''],
      [MIRROR]: [''],
      [CORP]: [`Bearer ${CORP_TOKEN}`],
      [PUBLIC]: [`Bearer ${PUBLIC_TOKEN}`],
    });
    expect(report.findings.filter((f) => f.code === 'TYPES_UNAVAILABLE' || f.code === 'TYPES_UNKNOWN')).toEqual([]);
  });

  it('a redirect to a host with its own token: that host gets its own, never the first one', async () => {
    publishAt(mock, PUBLIC, 'pub', TYPED);
    publishAt(mock, CORP, '@corp/cdn', TYPED);
    // The corp registry sends @corp/lib's packument to the public registry's host.
    publishAt(mock, PUBLIC, '@corp/lib', TYPED);
    redirect(CORP, '@corp/lib', `https://${PUBLIC}`, 302);
    redirect(CORP, '@corp/lib/1.0.0', `https://${PUBLIC}`, 307);
    await runVerify(await project());
    const onPublic = mock.seen
      .filter((r) => r.host === PUBLIC && r.path.includes('corp'))
      .map((r) => [decodeURIComponent(r.path), r.headers.authorization ?? '']);
    // Redirected hops carry nothing; the tarball URL the document names on that host is a request
    // of its own, with the token configured for that host.
    expect(onPublic.sort()).toEqual([
      ['/@corp/lib', ''],
      ['/@corp/lib/-/lib-1.0.0.tgz', `Bearer ${PUBLIC_TOKEN}`],
      ['/@corp/lib/1.0.0', ''],
    ]);
    expect(mock.seen.filter((r) => r.host !== CORP && r.headers.authorization?.includes(CORP_TOKEN))).toEqual([]);
  });

  it('a tarball URL on plain http for an https registry: refused before any request', async () => {
    publishAt(mock, PUBLIC, 'pub', TYPED);
    publishAt(mock, CORP, '@corp/cdn', TYPED);
    const lib = publishAt(mock, CORP, '@corp/lib', TYPED).tarballPath;
    const doc = {
      name: '@corp/lib',
      version: '1.0.0',
      types: 'index.d.ts',
      dist: { tarball: `http://${CORP}/plain/${lib}`, integrity: 'sha512-AAAA' },
    };
    mock.set(`${CORP}/@corp/lib/1.0.0`, doc);
    const report = await runVerify(await project());
    expect(mock.seen.filter((r) => r.path.startsWith('/plain'))).toEqual([]);
    expect(report.findings.filter((f) => f.code === 'TYPES_UNKNOWN').map((f) => f.details?.reason)).toEqual([
      expect.stringMatching(/plain http/),
    ]);
  });
});

describe('redactCredentials', () => {
  it('hides the userinfo of any URL, keeps the rest readable', () => {
    expect(
      redactCredentials('see https://user:pw@host.example.test/a?b=1 and git+https://tok@git.example.test/o/r.git#abc'),
    ).toBe('see https://***@host.example.test/a?b=1 and git+https://***@git.example.test/o/r.git#abc');
    expect(redactCredentials('"http://u:p%40ss@h.example.test:8080/x"')).toBe('"http://***@h.example.test:8080/x"');
    expect(
      redactCredentials('git@git.example.test:o/r.git, mail@example.test, https://host.example.test/@scope/x'),
    ).toBe('git@git.example.test:o/r.git, mail@example.test, https://host.example.test/@scope/x');
    expect(redactDeep({ a: ['https://a:b@h.example.test/'], n: 1, u: undefined })).toEqual({
      a: ['https://***@h.example.test/'],
      n: 1,
      u: undefined,
    });
  });
});

describe('tokens and URL credentials never appear in output', () => {
  const formats = ['text', 'json', 'sarif', 'github'] as const;

  async function cli(root: string, format: string): Promise<{ code: number; out: string }> {
    const home = mkdtempSync(path.join(scratch, 'home-'));
    let out = '';
    const write = (t: string) => (out += t);
    const code = await main(['--format', format, '--quiet'], {
      stdout: { write },
      stderr: { write },
      cwd: root,
      env: {
        HOME: home,
        npm_config_globalconfig: path.join(home, 'none'),
        DEPVERIFY_CACHE_DIR: freshCacheDir(),
        NO_COLOR: '1',
      },
    });
    return { code, out };
  }

  it('a 401 that echoes the token back: unknown with a reason, exit 2, no token in any format', async () => {
    publishAt(mock, PUBLIC, 'pub', TYPED);
    publishAt(mock, CORP, '@corp/cdn', TYPED);
    mock.set(`${CORP}/@corp/lib`, (request) =>
      HttpResponse.json(
        { error: `token ${request.headers.get('authorization')} rejected`, token: CORP_TOKEN },
        { status: 401, headers: { 'www-authenticate': `Bearer realm="${CORP_TOKEN}"` } },
      ),
    );
    const root = await project();
    for (const format of formats) {
      const { code, out } = await cli(root, format);
      expect(code).toBe(2);
      expect(out).toMatch(/REGISTRY_UNKNOWN|401/);
      expect(out).not.toContain(CORP_TOKEN);
      expect(out).not.toContain(PUBLIC_TOKEN);
    }
  });

  it('basic auth and credentials in a registry URL: sent only to that registry, never printed', async () => {
    publishAt(mock, PUBLIC, 'pub', TYPED);
    publishAt(mock, CORP, '@corp/cdn', TYPED);
    mock.set(`${CORP}/@corp/lib`, 401);
    const basic = Buffer.from(`ci:${CORP_TOKEN}`).toString('base64');
    const root = await project({
      '.npmrc': [
        `registry=https://url-user:${PASSWORD}@${PUBLIC}/`,
        `@corp:registry=https://${CORP}/`,
        `//${CORP}/:_auth=${basic}`,
        '',
      ].join('\n'),
    });
    for (const format of formats) {
      mock.seen.length = 0;
      const { code, out } = await cli(root, format);
      expect(code).toBe(2);
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(basic);
      expect(out).not.toContain(CORP_TOKEN);
      expect(authByHost()[CORP]).toEqual([`Basic ${basic}`]);
      // The URL's own credentials go to the URL's own host (tarball URLs the documents name carry none).
      expect(authByHost()[PUBLIC]).toEqual(['', `Basic ${Buffer.from(`url-user:${PASSWORD}`).toString('base64')}`]);
      expect(mock.seen.filter((r) => r.host !== CORP && r.headers.authorization?.includes(basic))).toEqual([]);
    }
  });

  it('credentials in lockfile and manifest URLs are not printed', async () => {
    publishAt(mock, PUBLIC, 'pub', TYPED);
    publishAt(mock, CORP, '@corp/lib', TYPED);
    publishAt(mock, CORP, '@corp/cdn', TYPED);
    const root = await project({
      'package.json': JSON.stringify({
        name: 'app',
        dependencies: {
          pub: '^1.0.0',
          '@corp/lib': '^1.0.0',
          '@corp/cdn': '^1.0.0',
          tarred: `https://deploy:${PASSWORD}@files.example.test/tarred-1.0.0.tgz`,
          gitdep: `git+https://x-token:${PASSWORD}@git.example.test/o/gitdep.git`,
        },
      }),
      'package-lock.json': JSON.stringify({
        name: 'app',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': {
            name: 'app',
            dependencies: {
              pub: '^1.0.0',
              '@corp/lib': '^1.0.0',
              '@corp/cdn': '^1.0.0',
              tarred: `https://deploy:${PASSWORD}@files.example.test/tarred-1.0.0.tgz`,
              gitdep: `git+https://x-token:${PASSWORD}@git.example.test/o/gitdep.git`,
            },
          },
          'node_modules/pub': {
            version: '1.0.0',
            resolved: `https://user:${PASSWORD}@${PUBLIC}/pub/-/pub-1.0.0.tgz`,
            integrity: 'sha512-AAAA',
          },
          'node_modules/@corp/lib': {
            version: '1.0.0',
            resolved: `https://other:${PASSWORD}@elsewhere.example.test/@corp/lib/-/lib-1.0.0.tgz`,
            integrity: 'sha512-AAAA',
          },
          'node_modules/@corp/cdn': {
            version: '1.0.0',
            resolved: `http://u:${PASSWORD}@${CORP}/@corp/cdn/-/cdn-1.0.0.tgz`,
            integrity: 'sha512-AAAA',
          },
          'node_modules/tarred': {
            version: '1.0.0',
            resolved: `https://deploy:${PASSWORD}@files.example.test/tarred-1.0.0.tgz`,
            integrity: 'sha512-AAAA',
          },
          'node_modules/gitdep': {
            version: '1.0.0',
            resolved: `git+https://x-token:${PASSWORD}@git.example.test/o/gitdep.git#0123456789abcdef0123456789abcdef01234567`,
          },
        },
      }),
    });
    for (const format of formats) {
      const { out } = await cli(root, format);
      // The findings are there (so the URLs were looked at), the secrets are not.
      expect(out).toMatch(/LOCKFILE_FOREIGN_HOST|foreign/i);
      expect(out).toMatch(/elsewhere\.example\.test/);
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(CORP_TOKEN);
      expect(out).not.toContain(PUBLIC_TOKEN);
    }
  });
});
