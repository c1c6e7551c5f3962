/**
 * Broken and hostile files in a project: each becomes an INPUT_ERROR naming the file (and the
 * line where there is one), the other files are still checked, and the run is incomplete (2).
 */
import { execFileSync } from 'node:child_process';
import { chmod, open, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { exitCode, verify } from '../../src/index.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { recentPackument, recordingClient } from '../helpers/client.js';
import { RECENTLY, packument } from '../helpers/registry.js';
import { runCli } from '../helpers/run-cli.js';

/** Every file the scan opens, and the paths that answer EACCES (root can read a chmod 000 file). */
const fsState = vi.hoisted(() => ({ reads: [] as string[], denied: new Set<string>() }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = (async (file: unknown, ...rest: unknown[]) => {
    fsState.reads.push(String(file));
    if (fsState.denied.has(String(file))) {
      throw Object.assign(new Error(`EACCES: permission denied, open '${String(file)}'`), { code: 'EACCES' });
    }
    return (actual.readFile as (...args: unknown[]) => Promise<unknown>)(file, ...rest);
  }) as typeof actual.readFile;
  return { ...actual, readFile, default: { ...actual, readFile } };
});

afterAll(removeTrees);

const KNOWN = ['ms', 'left-pad', 'chalk'];
const client = () =>
  recordingClient((name) => (KNOWN.includes(name) ? recentPackument(name, ['1.0.0', '2.1.3']) : undefined));

const inputErrors = (report: Report): Finding[] => report.findings.filter((f) => f.code === 'INPUT_ERROR');
const where = (report: Report) => inputErrors(report).map((f) => ({ ...f.locations[0], reason: f.details?.reason }));

async function run(root: string): Promise<{ report: Report; asked: string[] }> {
  const c = client();
  const report = await verify({ root, client: c, popularIndex: false, types: false });
  return { report, asked: c.asked.sort() };
}

const MANIFEST = JSON.stringify({ name: 'app', dependencies: { ms: '^2.1.3', chalk: '^2.1.3' } });

describe('hostile files', () => {
  it('a source file that is not UTF-8: its line is reported and its imports are still read', async () => {
    const root = await writeTree({
      'package.json': MANIFEST,
      'src/bad.js': Buffer.concat([
        Buffer.from("import a from 'ms';\n// caf"),
        Buffer.from([0xe9, 0x0a]),
        Buffer.from("require('chalk');\n"),
      ]),
      'src/ok.js': "import c from 'left-pad';\n",
    });
    const { report, asked } = await run(root);
    expect(where(report)).toEqual([{ file: 'src/bad.js', line: 2, reason: 'invalid-encoding' }]);
    expect(asked).toEqual(['chalk', 'left-pad', 'ms']);
    expect(report.summary.imports).toBe(3);
    expect(exitCode(report)).toBe(2);
  });

  it('a package.json that is not UTF-8 is reported at its line and still read', async () => {
    const root = await writeTree({
      'package.json': Buffer.concat([
        Buffer.from('{\n  "name": "app",\n  "description": "'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('",\n  "dependencies": { "ms": "^2.1.3" }\n}\n'),
      ]),
      'src/a.js': "import 'left-pad';\n",
    });
    const { report, asked } = await run(root);
    expect(where(report)).toEqual([{ file: 'package.json', line: 3, reason: 'invalid-encoding' }]);
    expect(asked).toEqual(['left-pad', 'ms']);
    expect(exitCode(report)).toBe(2);
  });

  it('a binary file with a .js or .ts extension is reported as binary; the rest is checked', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xd8, 0x69, 0x6d, 0x70,
    ]);
    const root = await writeTree({
      'package.json': MANIFEST,
      'src/logo.js': png,
      'src/logo.ts': png,
      'src/a.js': "import 'ms';\n",
    });
    const { report, asked } = await run(root);
    expect(where(report)).toEqual([
      { file: 'src/logo.js', reason: 'binary' },
      { file: 'src/logo.ts', reason: 'binary' },
    ]);
    expect(asked).toContain('ms');
    expect(exitCode(report)).toBe(2);
  });

  it('a 100 MB source file is refused by its size without being read', async () => {
    const root = await writeTree({ 'package.json': MANIFEST, 'src/a.js': "import 'ms';\n" });
    const big = path.join(root, 'src/bundle.js');
    // Sparse: the size is real to stat, and no 100 MB are written to the disk.
    const handle = await open(big, 'w');
    await handle.truncate(100 * 1024 * 1024);
    await handle.close();
    fsState.reads.length = 0;
    const { report, asked } = await run(root);
    expect(where(report)).toEqual([{ file: 'src/bundle.js', reason: 'too-large' }]);
    expect(fsState.reads).not.toContain(big);
    expect(fsState.reads).toContain(path.join(root, 'src/a.js'));
    expect(asked).toContain('ms');
    expect(exitCode(report)).toBe(2);
  });

  it('JSON nested 100k deep in package.json and package-lock.json: input errors with lines, no crash', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const tree = `${'{"x":{"version":"1.0.0","dependencies":'.repeat(100_000)}{}${'}}'.repeat(100_000)}`;
    const root = await writeTree({
      'package.json': `{\n  "name": "app",\n  "dependencies": {\n    "ms": "^2.1.3",\n    "deep": ${deep}\n  }\n}\n`,
      'package-lock.json': `{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "left-pad": {"version": "1.0.0"},\n    "x": {"version": "1.0.0", "dependencies": ${tree}}\n  }\n}\n`,
      'src/a.js': "import 'chalk';\n",
    });
    const { report, asked } = await run(root);
    expect(where(report)).toEqual([
      {
        file: 'package-lock.json',
        line: 5,
        field: expect.stringMatching(/^dependencies\.x(\.dependencies\.x)+\.dependencies$/),
        reason: 'too-deep',
      },
      { file: 'package.json', line: 5, field: 'dependencies.deep', reason: 'wrong-type' },
    ]);
    // The lockfile's entries above the limit are still checked.
    expect(asked).toEqual(expect.arrayContaining(['chalk', 'left-pad', 'ms', 'x']));
    expect(exitCode(report)).toBe(2);
  });

  it('a source file nested 100k brackets deep is reported, not a crash', async () => {
    const root = await writeTree({
      'package.json': MANIFEST,
      'src/deep.js': `x = ${'('.repeat(100_000)}${')'.repeat(100_000)};\n`,
      'src/a.js': "import 'ms';\n",
    });
    const { report, asked } = await run(root);
    expect(where(report)).toEqual([{ file: 'src/deep.js', reason: 'too-deep' }]);
    expect(asked).toContain('ms');
    expect(exitCode(report)).toBe(2);
  });

  it('symlink loops: a looping directory link is not followed, a looping file link is reported', async () => {
    const root = await writeTree({ 'package.json': MANIFEST, 'src/a.js': "import 'ms';\n" });
    await symlink('..', path.join(root, 'src/up'));
    await symlink('loop.js', path.join(root, 'src/loop.js'));
    const { report, asked } = await run(root);
    expect(where(report)).toEqual([{ file: 'src/loop.js', reason: 'unreadable' }]);
    expect(asked).toContain('ms');
    expect(report.summary.sourceFiles).toBe(1);
    expect(exitCode(report)).toBe(2);
  });

  it('unreadable files (EACCES) are reported by path; the rest is checked', async () => {
    const root = await writeTree({
      'package.json': MANIFEST,
      'src/secret.js': "import 'left-pad';\n",
      'src/a.js': "import 'ms';\n",
    });
    const secret = path.join(root, 'src/secret.js');
    // Root reads a chmod 000 file anyway: there the denial is simulated at the fs layer.
    const isRoot = process.getuid?.() === 0;
    if (isRoot) fsState.denied.add(secret);
    else await chmod(secret, 0o000);
    try {
      const { report, asked } = await run(root);
      expect(
        inputErrors(report).map((f) => [f.locations[0]?.file, f.details?.reason, /EACCES/.test(f.message)]),
      ).toEqual([['src/secret.js', 'unreadable', true]]);
      expect(asked).toContain('ms');
      expect(exitCode(report)).toBe(2);
    } finally {
      fsState.denied.delete(secret);
      await chmod(secret, 0o644);
    }
  });

  it('FIFOs where files should be never block the run', { timeout: 15_000 }, async () => {
    const root = await writeTree({ 'src/a.js': "import 'ms';\n" });
    for (const name of ['package.json', 'package-lock.json', 'tsconfig.json', 'src/.gitignore', 'src/pipe.js'])
      execFileSync('mkfifo', [path.join(root, name)]);
    const { report, asked } = await run(root);
    // tsconfig.json is looked for as a regular file, so a FIFO one is simply not there.
    expect(
      where(report)
        .map((w) => w.file)
        .sort(),
    ).toEqual(['package-lock.json', 'package.json', 'src/.gitignore']);
    expect(inputErrors(report).map((f) => f.message)).toEqual([
      'package-lock.json: is not a regular file (a FIFO, socket or device), not read',
      'package.json: is not a regular file (a FIFO, socket or device), not read',
      'src/.gitignore: is not a regular file (a FIFO, socket or device), not read',
    ]);
    expect(asked).toContain('ms');
    expect(exitCode(report)).toBe(2);
  });

  it('directories named like files: package.json/ and package-lock.json/ are reported, index.js/ is walked', async () => {
    const root = await writeTree({
      'package.json/x': '',
      'package-lock.json/x': '',
      'index.js/inner.js': "import 'ms';\n",
    });
    const { report, asked } = await run(root);
    expect(where(report)).toEqual([
      { file: 'package-lock.json', reason: 'unreadable' },
      { file: 'package.json', reason: 'unreadable' },
    ]);
    expect(inputErrors(report).map((f) => f.message)).toEqual([
      'package-lock.json: is a directory, not a file',
      'package.json: is a directory, not a file',
    ]);
    expect(asked).toEqual(['ms']);
    expect(exitCode(report)).toBe(2);
  });
});

describe('through the CLI', () => {
  it('exit 2, one INPUT_ERROR per broken file by path, no stack trace', { timeout: 30_000 }, async () => {
    const root = await writeTree({
      'package.json': MANIFEST,
      'src/bad.js': Buffer.from([
        0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74, 0x20, 0x27, 0x6d, 0x73, 0x27, 0x3b, 0x0a, 0xc3, 0x28, 0x0a,
      ]),
      'src/bin.ts': Buffer.from([0x00, 0x01, 0x02]),
      'src/deep.ts': `x = ${'['.repeat(50_000)}${']'.repeat(50_000)};\n`,
      'package-lock.json/x': '',
    });
    const run = await runCli([root, '--format', 'json'], {
      fixtures: { ms: packument('ms', { versions: { '2.1.3': {} }, releasedFrom: RECENTLY }) },
    });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(where(report)).toEqual([
      { file: 'package-lock.json', reason: 'unreadable' },
      { file: 'src/bad.js', line: 2, reason: 'invalid-encoding' },
      { file: 'src/bin.ts', reason: 'binary' },
      { file: 'src/deep.ts', reason: 'too-deep' },
    ]);
    expect(run.requests.map((r) => r.name)).toContain('ms');
  });
});
