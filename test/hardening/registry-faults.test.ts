// One package among several meets a registry fault; the others answer normally. Each fault must
// end with that package unknown (with a reason naming the fault) or retried to success within
// bounded retries, the rest checked, the exit code 2 where anything stayed unknown, and no cache
// entry written from a failed answer.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exitCode, verify, type VerifyOptions } from '../../src/index.js';
import { main } from '../../src/cli.js';
import { distilPackument } from '../../src/registry/distil.js';
import { parseRetryAfter } from '../../src/registry/request.js';
import {
  type Answer,
  HttpResponse,
  RECENTLY,
  REGISTRY,
  createMockRegistry,
  delay,
  packument,
} from '../helpers/registry.js';

const mock = createMockRegistry();
const scratch: string[] = [];
let cacheDir: string;

beforeAll(() => {
  mock.listen();
  for (const name of ['alpha', 'beta'])
    mock.set(name, packument(name, { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }));
});
afterAll(async () => {
  mock.close();
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'depverify-faults-'));
  scratch.push(cacheDir);
});

let cases = 0;
const encoder = new TextEncoder();
const victimPackument = (name: string) =>
  HttpResponse.json(packument(name, { versions: { '2.0.0': {} }, releasedFrom: RECENTLY }));

/** A body that sends `head` and then nothing, never ending. */
const stalled = (head: string): ReadableStream<Uint8Array> =>
  new ReadableStream({ start: (c) => c.enqueue(encoder.encode(head)) });

/** Entry names in the facts cache, and any temporary file left behind. */
async function cached(): Promise<string[]> {
  const files = await readdir(path.join(cacheDir, 'facts-v9'), { recursive: true }).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith('.json') || f.endsWith('.tmp')).map((f) => path.basename(f));
}

interface Outcome {
  victim: string;
  state: string | undefined;
  reason: string;
  code: number;
  /** Times the victim was asked for, each with its time. */
  asked: number[];
  cache: string[];
}

/** Checks alpha, the faulty package and beta through verify(); the faulty one answers `fault`. */
async function run(fault: (name: string) => Answer, options: Partial<VerifyOptions> = {}): Promise<Outcome> {
  const victim = `victim-${++cases}`;
  const asked: number[] = [];
  const answer = fault(victim);
  mock.set(victim, (request) => {
    asked.push(Date.now());
    if (typeof answer === 'number') return HttpResponse.json({ error: 'status' }, { status: answer });
    return typeof answer === 'function' ? answer(request) : HttpResponse.json(answer);
  });
  const report = await verify({
    packages: ['alpha', victim, 'beta'],
    npmConfig: { registry: REGISTRY },
    cacheDir,
    popularIndex: false,
    types: false,
    timeout: 1000,
    retries: 2,
    retryBackoff: 10,
    ...options,
  });
  const states = Object.fromEntries(report.packages.map((p) => [p.name, p.state]));
  // Every other package is checked normally, whatever the fault.
  expect(states).toMatchObject({ alpha: 'ok', beta: 'ok' });
  const finding = report.findings.find((f) => f.package === victim && f.code === 'REGISTRY_UNKNOWN');
  return {
    victim,
    state: states[victim],
    reason: String(finding?.details?.reason ?? ''),
    code: exitCode(report),
    asked,
    cache: await cached(),
  };
}

function expectUnknown(outcome: Outcome, reason: RegExp, requests: number): void {
  expect(outcome.state).toBe('unknown');
  expect(outcome.reason).toMatch(reason);
  expect(outcome.code).toBe(2);
  expect(outcome.asked).toHaveLength(requests);
  // The others were cached; nothing from the failed answer, and no temporary file left.
  expect(outcome.cache.sort()).toEqual(['alpha.json', 'beta.json']);
}

function expectRecovered(outcome: Outcome, requests: number): void {
  expect(outcome.state).toBe('ok');
  expect(outcome.code).toBe(0);
  expect(outcome.asked).toHaveLength(requests);
  expect(outcome.cache.sort()).toEqual(['alpha.json', 'beta.json', `${outcome.victim}.json`]);
}

describe('time-outs', () => {
  it('no answer at all: unknown when the budget ends, not retried past it', async () => {
    const outcome = await run(
      () => async () => {
        await delay('infinite');
        return HttpResponse.error();
      },
      { timeout: 400 },
    );
    expectUnknown(outcome, /timed out/, 1);
  });

  it('headers, then a body that stalls: unknown (timed out reading the body)', async () => {
    const outcome = await run(
      () => () => new HttpResponse(stalled('{"name":'), { headers: { 'content-type': 'application/json' } }),
      { timeout: 400 },
    );
    expectUnknown(outcome, /timed out.*body/, 1);
  });

  it('a body that trickles a byte at a time is ended by the per-package budget', async () => {
    const trickle = () =>
      new HttpResponse(
        new ReadableStream({
          async pull(c) {
            await delay(20);
            c.enqueue(encoder.encode(' '));
          },
        }),
        { headers: { 'content-type': 'application/json' } },
      );
    const started = Date.now();
    const outcome = await run(() => trickle, { timeout: 500 });
    expectUnknown(outcome, /timed out/, 1);
    // A hang guard, not a measurement: without the budget this would trickle forever.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('network errors', () => {
  it('a connection reset on every attempt: unknown after the retries', async () => {
    const outcome = await run(() => () => HttpResponse.error());
    expectUnknown(outcome, /network error/, 3);
    // The request URL (which may carry credentials) is not repeated in the reason.
    expect(outcome.reason).not.toMatch(/example\.test/);
  });

  it('a connection reset once, then an answer: retried to success', async () => {
    let calls = 0;
    expectRecovered(await run((name) => () => (++calls === 1 ? HttpResponse.error() : victimPackument(name))), 2);
  });

  it('a body cut short of its content-length: unknown (cut off), retried', async () => {
    const short = () =>
      new HttpResponse('{"name":"victim', {
        headers: { 'content-type': 'application/json', 'content-length': '4000' },
      });
    expectUnknown(await run(() => short, { retries: 1 }), /cut off|network error/, 2);
  });

  it('a body cut short with no content-length: unknown (invalid JSON), not retried', async () => {
    expectUnknown(
      await run(
        () => () =>
          new HttpResponse('{"name":"victim","versions":{"1.0', { headers: { 'content-type': 'application/json' } }),
      ),
      /invalid JSON/,
      1,
    );
  });
});

describe('HTTP errors', () => {
  it.each([500, 502, 503])('%i on every attempt: unknown after bounded retries', async (status) => {
    const outcome = await run(() => status);
    expectUnknown(outcome, new RegExp(`HTTP ${status}`), 3);
  });

  it('retries=1 means two requests at most', async () => {
    expectUnknown(await run(() => 502, { retries: 1 }), /HTTP 502/, 2);
  });

  it('503 then 200: retried to success and cached', async () => {
    let calls = 0;
    const outcome = await run(
      (name) => () => (++calls === 1 ? HttpResponse.json({}, { status: 503 }) : victimPackument(name)),
    );
    expectRecovered(outcome, 2);
    const dir = (await readdir(path.join(cacheDir, 'facts-v9')))[0]!;
    const entry = JSON.parse(await readFile(path.join(cacheDir, 'facts-v9', dir, `${outcome.victim}.json`), 'utf8'));
    expect(entry.answer).toMatchObject({ state: 'found', facts: { name: outcome.victim, versionNames: ['2.0.0'] } });
  });

  it('429 without Retry-After: retried with back-off, then unknown (rate limited)', async () => {
    expectUnknown(await run(() => 429), /HTTP 429.*rate limited/, 3);
  });

  it('429 with Retry-After: 1 waits that long, then succeeds', async () => {
    let calls = 0;
    const limited = () => new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '1' } });
    const outcome = await run((name) => () => (++calls === 1 ? limited() : victimPackument(name)), { timeout: 3000 });
    expectRecovered(outcome, 2);
    // Honoured: the second request waited for the second the registry asked for.
    expect(outcome.asked[1]! - outcome.asked[0]!).toBeGreaterThanOrEqual(950);
  });

  it('429 with a Retry-After beyond the time budget: unknown at once, no waiting it out', async () => {
    const limited = () => new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '120' } });
    const started = Date.now();
    const outcome = await run(() => limited, { timeout: 3000 });
    expectUnknown(outcome, /429.*retry after 120 s/, 1);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a 503 with Retry-After is honoured like a 429', async () => {
    let calls = 0;
    const busy = () => new HttpResponse('busy', { status: 503, headers: { 'retry-after': '1' } });
    const outcome = await run((name) => () => (++calls === 1 ? busy() : victimPackument(name)), {
      timeout: 3000,
      retries: 1,
    });
    expectRecovered(outcome, 2);
    expect(outcome.asked[1]! - outcome.asked[0]!).toBeGreaterThanOrEqual(950);
  });

  it('Retry-After as seconds or an HTTP date; nonsense is ignored', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(['2'], now)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('malformed answers', () => {
  it('invalid JSON with status 200: unknown, not retried', async () => {
    expectUnknown(
      await run(
        () => () =>
          new HttpResponse('{"name": "x", "versions": {', { headers: { 'content-type': 'application/json' } }),
      ),
      /invalid JSON/,
      1,
    );
  });

  it('an HTML page with status 200 names its type', async () => {
    const html = () =>
      new HttpResponse('<!doctype html><title>Sign in</title>', {
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    expectUnknown(await run(() => html), /not JSON: text\/html/, 1);
  });
  it('a version or dist-tag named __proto__ is left out, not made the prototype', () => {
    const doc = JSON.parse(
      '{"name":"p","dist-tags":{"latest":"1.0.0","__proto__":"6.6.6"},"versions":{"1.0.0":{"license":"MIT"},"__proto__":{"license":"EVIL","deprecated":"x"}}}',
    );
    const lookup = distilPackument('p', REGISTRY, doc);
    expect(lookup.state).toBe('found');
    if (lookup.state !== 'found') return;
    expect(Object.getPrototypeOf(lookup.facts.versions)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(lookup.facts.distTags)).toBe(Object.prototype);
    expect(Object.keys(lookup.facts.versions)).toEqual(['1.0.0']);
  });
});

describe('size limit', () => {
  const MB = 1024 * 1024;
  /** `size` MB of JSON-ish bytes in 1 MB chunks; then the end, or (`stall`) nothing more, ever. */
  function huge(size: number, options: { declare?: boolean; stall?: boolean } = {}) {
    const chunk = encoder.encode(' '.repeat(MB));
    let sent = 0;
    return () =>
      new HttpResponse(
        new ReadableStream({
          async pull(c) {
            await delay(1);
            if (sent++ < size) c.enqueue(chunk);
            else if (!options.stall) c.close();
            else await delay('infinite');
          },
        }),
        {
          headers: {
            'content-type': 'application/json',
            ...(options.declare ? { 'content-length': String(size * MB) } : {}),
          },
        },
      );
  }

  it('a 50 MB packument declared as such is refused before reading, not retried', async () => {
    expectUnknown(
      await run(() => huge(50, { declare: true }), { maxPackumentBytes: 16 * MB }),
      /packument larger than 16 MB/,
      1,
    );
  });

  it('a 50 MB packument sent without a length is refused at the limit', async () => {
    expectUnknown(await run(() => huge(50), { maxPackumentBytes: 16 * MB }), /packument larger than 16 MB/, 1);
  });

  it('reading stops at the limit: a body that never ends is refused for its size, not timed out', async () => {
    // 20 MB and then a stall: only a reader that stops at 16 MB answers before the time limit.
    expectUnknown(
      await run(() => huge(20, { stall: true }), { maxPackumentBytes: 16 * MB, timeout: 3000 }),
      /packument larger than 16 MB/,
      1,
    );
  });

  it('the default limit refuses a body declared far above it', async () => {
    const declared = () =>
      new HttpResponse(stalled('{'), {
        headers: { 'content-type': 'application/json', 'content-length': String(1024 * MB) },
      });
    expectUnknown(await run(() => declared), /packument larger than \d+ MB/, 1);
  });
});

describe('the command line', () => {
  it('exits 2 when one package stayed unknown, and reports the others', async () => {
    const victim = 'victim-cli';
    mock.set(victim, () => new HttpResponse('<html></html>', { headers: { 'content-type': 'text/html' } }));
    const home = await mkdtemp(path.join(os.tmpdir(), 'depverify-faults-home-'));
    scratch.push(home);
    let stdout = '';
    const code = await main(
      [
        '--package',
        'alpha',
        '--package',
        victim,
        '--package',
        'beta',
        '--format',
        'json',
        '--no-types',
        '--timeout',
        '2',
        '--cache-dir',
        cacheDir,
      ],
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => true },
        env: {
          HOME: home,
          npm_config_globalconfig: path.join(home, 'none'),
          npm_config_registry: REGISTRY,
          NO_COLOR: '1',
        },
        cwd: home,
      },
    );
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as { packages: Array<{ name: string; state: string }> };
    expect(Object.fromEntries(report.packages.map((p) => [p.name, p.state]))).toEqual({
      alpha: 'ok',
      beta: 'ok',
      [victim]: 'unknown',
    });
    expect((await cached()).sort()).toEqual(['alpha.json', 'beta.json']);
  });
});
