/**
 * The runtime-names scan off the main thread (runtime-scan.ts): the same answers as the scan in
 * place, a thread that never holds the process open once it has answered, and a loader that
 * hands out what a package's JavaScript defines, and writes its cache entry, only once known.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeclarationLoader } from '../../src/members/declarations.js';
import { scanHere } from '../../src/members/runtime-scan.js';
import { writeTree } from '../helpers/fixture.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { publish } from '../helpers/publish.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const { mock, client: clientOf } = mockRegistryRuns('runtime-scan');

const FILES: [string, string][] = [
  ['index.js', "module.exports = Router;\nRouter.onBadUrl = function () {};\nexports.x = require('./lib/a');\n"],
  ['lib/a.js', "export const a = 1;\nObject.defineProperty(exports, 'b', { value: 2 });\nthis.c = 3;\n"],
  ['lib/b.js', "methods.forEach(function (m) { Agent.prototype[m] = function () {}; });\ndefine('Prompt', x);\n"],
];

function inChild(script: string): { status: number | null; out: string; err: string; ms: number } {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: run.status, out: run.stdout, err: run.stderr, ms: Date.now() - started };
}

describe('the runtime scan on a thread', () => {
  it('answers as the scan in place does, on a thread of its own, and the process ends once it has', () => {
    // The built module: a worker thread runs only compiled JavaScript.
    const script = `
      import { threadId } from 'node:worker_threads';
      const { RuntimeScanner } = await import(${JSON.stringify(path.join(repoRoot, 'dist/members/runtime-scan.js'))});
      const scanner = new RuntimeScanner();
      const answers = await Promise.all([scanner.scan(${JSON.stringify(FILES)}), scanner.scan([])]);
      process.stdout.write(JSON.stringify({ answers, threaded: scanner.threaded, main: threadId }));
      // No close(): a thread that has answered everything must not keep the process alive.
    `;
    const child = inChild(script);
    expect(child.err).toBe('');
    expect(child.status).toBe(0);
    const { answers, threaded } = JSON.parse(child.out) as { answers: unknown[]; threaded: boolean };
    expect(threaded).toBe(true);
    expect(answers).toEqual([scanHere(FILES), { files: {} }]);
    expect(scanHere(FILES).files['index.js']!.e).toEqual(['onBadUrl', 'x']);
  });

  it('closed while it owes answers: they are given in place, and nothing is lost', () => {
    const script = `
      const { RuntimeScanner } = await import(${JSON.stringify(path.join(repoRoot, 'dist/members/runtime-scan.js'))});
      const scanner = new RuntimeScanner();
      const pending = scanner.scan(${JSON.stringify(FILES)});
      await scanner.close();
      const after = await scanner.scan(${JSON.stringify(FILES.slice(0, 1))});
      process.stdout.write(JSON.stringify({ pending: await pending, after, threaded: scanner.threaded }));
    `;
    const child = inChild(script);
    expect(child.status).toBe(0);
    const { pending, after, threaded } = JSON.parse(child.out) as Record<string, unknown>;
    expect(pending).toEqual(scanHere(FILES));
    expect(after).toEqual(scanHere(FILES.slice(0, 1)));
    expect(threaded).toBe(false);
  });
});

describe('the loader while a scan is under way', () => {
  it('gives the runtime names once scanned, and writes the cache entry with them by settle()', async () => {
    publish(mock, 'router-lib', {
      '1.0.0': {
        'package.json': JSON.stringify({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts': 'export declare function route(): void;\n',
        'index.js': FILES[0]![1],
      },
    });
    const root = await writeTree({ 'package.json': JSON.stringify({ name: 'app' }) });
    const cacheDir = path.join(root, '.cache');
    const loader = new DeclarationLoader(clientOf(root, false), cacheDir);
    const pkg = await loader.load('router-lib', '1.0.0');
    if (typeof pkg === 'string') throw new Error(pkg);
    expect((await loader.runtimeOf(pkg))?.files['index.js']?.e).toEqual(['onBadUrl', 'x']);
    await loader.settle();
    const entries = readdirSync(path.join(cacheDir, 'decl-v7'), { recursive: true }).filter((f) =>
      String(f).endsWith('.json'),
    );
    expect(entries).toHaveLength(1);
    // A second loader reads the entry: no tarball is fetched again, and the names are the same.
    const fetched = mock.seen.filter((r) => r.path.endsWith('.tgz')).length;
    const again = new DeclarationLoader(clientOf(root, false), cacheDir);
    const cached = await again.load('router-lib', '1.0.0');
    if (typeof cached === 'string') throw new Error(cached);
    expect((await again.runtimeOf(cached))?.files['index.js']?.e).toEqual(['onBadUrl', 'x']);
    expect(mock.seen.filter((r) => r.path.endsWith('.tgz')).length).toBe(fetched);
    expect(existsSync(cacheDir)).toBe(true);
  });
});
