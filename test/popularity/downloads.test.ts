import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPopularIndex } from '../../src/popularity/popular-index.js';
import { verify } from '../../src/index.js';
import type { RegistryClient } from '../../src/registry/client.js';
import { distilPackument } from '../../src/registry/distil.js';
import { fetchMonthlyDownloads } from '../../src/popularity/downloads.js';
import { CORP_REGISTRY, REGISTRY, packument } from '../helpers/registry.js';

const URL_BASE = 'https://downloads.example.test/downloads/point/last-month/';
const counts: Record<string, number> = {
  express: 300_000_000,
  expresss: 12,
  lodash: 450_000_000,
  '@babel/core': 500_000_000,
};
const seen: string[] = [];
let failWith: number | 'html' | undefined;

const server = setupServer(
  http.get('https://downloads.example.test/downloads/point/last-month/*', ({ request }) => {
    const spec = decodeURIComponent(new URL(request.url).pathname.replace('/downloads/point/last-month/', ''));
    seen.push(spec);
    if (failWith === 'html')
      return new HttpResponse('<html>maintenance</html>', { headers: { 'content-type': 'text/html' } });
    if (failWith !== undefined) return HttpResponse.json({ error: 'busy' }, { status: failWith });
    const names = spec.split(',');
    const one = (name: string) =>
      name in counts ? { downloads: counts[name], start: '2026-10-01', end: '2026-10-31', package: name } : null;
    if (names.length === 1) {
      const body = one(names[0]!);
      return body
        ? HttpResponse.json(body)
        : HttpResponse.json({ error: `package ${names[0]} not found` }, { status: 404 });
    }
    return HttpResponse.json(Object.fromEntries(names.map((n) => [n, one(n)])));
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  seen.length = 0;
  failWith = undefined;
});
afterAll(() => server.close());

describe('fetchMonthlyDownloads', () => {
  it('batches unscoped names, asks scoped names one by one, and reads both shapes', async () => {
    const answers = await fetchMonthlyDownloads(['express', 'expresss', 'never-counted', '@babel/core', 'express'], {
      url: URL_BASE,
    });
    expect(Object.fromEntries(answers)).toEqual({
      express: { state: 'known', downloads: 300_000_000 },
      expresss: { state: 'known', downloads: 12 },
      'never-counted': { state: 'known', downloads: 0 },
      '@babel/core': { state: 'known', downloads: 500_000_000 },
    });
    expect(seen.sort()).toEqual(['@babel/core', 'express,expresss,never-counted']);
  });

  it('a single name uses the single shape, and its 404 means no downloads yet', async () => {
    const answers = await fetchMonthlyDownloads(['brand-new'], { url: URL_BASE.slice(0, -1) });
    expect(answers.get('brand-new')).toEqual({ state: 'known', downloads: 0 });
  });

  it.each([
    [500, /answered 500/],
    [429, /answered 429/],
    ['html' as const, /malformed JSON/],
  ])('a failing endpoint (%s) leaves every asked name unknown with the reason', async (failure, reason) => {
    failWith = failure;
    const answers = await fetchMonthlyDownloads(['express', 'lodash', '@babel/core'], { url: URL_BASE });
    for (const name of ['express', 'lodash', '@babel/core']) {
      const answer = answers.get(name);
      expect(answer?.state).toBe('unknown');
      expect(answer?.state === 'unknown' && answer.reason).toMatch(reason);
    }
  });
});

describe('verify() with squatting.downloadsUrl', () => {
  const client: RegistryClient = {
    registryFor: (name) => (name.startsWith('@corp/') ? CORP_REGISTRY : REGISTRY),
    async lookup(name) {
      const doc = packument(name, {
        versions: { '1.0.0': {}, '1.1.0': {}, '1.2.0': {} },
        repository: 'git+https://git.example.test/x.git',
      });
      return distilPackument(name, name.startsWith('@corp/') ? CORP_REGISTRY : REGISTRY, doc);
    },
  };
  const popularIndex = createPopularIndex([
    ['express', 300_000_000],
    ['lodash', 450_000_000],
  ]);

  it('asks only about names whose verdict a count could change, never about private names', async () => {
    const report = await verify({
      packages: ['expresss', 'lodash', '@corp/expresss', 'left-pad'],
      client,
      popularIndex,
      config: { squatting: { downloadsUrl: URL_BASE } },
    });
    // lodash is popular and left-pad has no signal; @corp goes to its own registry: none is asked.
    expect(seen).toEqual(['expresss']);
    const finding = report.findings.find((f) => f.code === 'SUSPICIOUS_PACKAGE');
    expect(finding?.package).toBe('expresss');
    expect(finding?.details?.signals).toContainEqual({
      signal: 'low-downloads',
      downloads: 12,
      source: 'downloads-api',
    });
  });

  it('an endpoint that fails costs the evidence, not the finding or the run', async () => {
    failWith = 503;
    const report = await verify({
      packages: ['expresss'],
      client,
      popularIndex,
      config: { squatting: { downloadsUrl: URL_BASE } },
    });
    const suspicious = report.findings.filter((f) => f.code === 'SUSPICIOUS_PACKAGE');
    expect(suspicious).toHaveLength(1);
    expect(suspicious[0]?.details?.signals).toContainEqual({ signal: 'low-downloads', source: 'index' });
    expect(report.status).toBe('findings');
  });

  it('without an endpoint nothing is asked', async () => {
    await verify({ packages: ['expresss'], client, popularIndex });
    expect(seen).toEqual([]);
  });
});
