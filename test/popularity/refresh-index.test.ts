import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The script is run as users run it, against a downloads endpoint on loopback in the public
// API's shapes (bulk for unscoped names, single for scoped ones).
const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/refresh-popular-index.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'depverify-refresh-'));
const counts: Record<string, number> = {
  express: 300_000_000,
  lodash: 450_000_000,
  'tiny-thing': 12,
  '@babel/core': 500_000_000,
  'new-popular': 90_000,
};
const asked: string[] = [];
let flaky = 0;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const spec = decodeURIComponent((req.url ?? '').replace('/downloads/point/last-month/', ''));
    asked.push(spec);
    if (flaky > 0) {
      flaky--;
      res.writeHead(429).end('{"error":"slow down"}');
      return;
    }
    const names = spec.split(',');
    const one = (n: string) => (n in counts ? { downloads: counts[n], package: n } : null);
    res.setHeader('content-type', 'application/json');
    if (names.length === 1) {
      const body = one(names[0]!);
      res.writeHead(body ? 200 : 404).end(JSON.stringify(body ?? { error: 'not found' }));
    } else res.end(JSON.stringify(Object.fromEntries(names.map((n) => [n, one(n)]))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/downloads/point/last-month/`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[]) => promisify(execFile)(process.execPath, [SCRIPT, ...args]);

describe('scripts/refresh-popular-index.mjs', () => {
  const index = path.join(dir, 'index.tsv.gz');
  writeFileSync(index, gzipSync('# rows: 4\nlodash\t1\nexpress\t1\n@babel/core\t1\ntiny-thing\t1\n'));
  const extra = path.join(dir, 'names.txt');
  writeFileSync(extra, '# more names\nnew-popular\n');

  it('re-counts the index names and the extra ones, keeps those above the floor, sorted', async () => {
    const out = path.join(dir, 'snapshot.tsv');
    asked.length = 0;
    await run(['--downloads-url', base, '--index', index, '--names', extra, '--min', '100', '--out', out]);
    const lines = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual(['@babel/core\t500000000', 'lodash\t450000000', 'express\t300000000', 'new-popular\t90000']);
    expect(asked.sort()).toEqual(['@babel/core', 'lodash,express,tiny-thing,new-popular']);
  });

  it('retries a rate-limited endpoint', async () => {
    flaky = 2;
    const { stdout } = await run(['--downloads-url', base, '--index', index, '--retries', '3']);
    expect(stdout).toContain('lodash\t450000000');
  });

  it('writes nothing when names stay uncounted', async () => {
    flaky = 1000;
    const out = path.join(dir, 'never.tsv');
    await expect(
      run(['--downloads-url', base, '--index', index, '--retries', '0', '--out', out]),
    ).rejects.toMatchObject({ code: 1 });
    expect(() => readFileSync(out)).toThrow();
    flaky = 0;
  });

  it('needs an endpoint: none is built in', async () => {
    await expect(run([])).rejects.toMatchObject({ code: 2 });
  });
});
