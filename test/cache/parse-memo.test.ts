/** Import parses kept between runs: served only for the same name, text and parser. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskParseMemo } from '../../src/cache/parse-memo.js';
import { scanProject } from '../../src/scan/project.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'depverify-parse-memo-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CONFIG = { ignore: { paths: [] } };
let n = 0;
function project(files: Record<string, string>): { root: string; cacheDir: string } {
  const base = path.join(scratch, `p${n++}`);
  const root = path.join(base, 'app');
  for (const [rel, text] of Object.entries({ 'package.json': '{"name":"app"}', ...files })) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return { root, cacheDir: path.join(base, 'cache') };
}

async function imported(root: string, cacheDir: string): Promise<string[]> {
  const memo = new DiskParseMemo(cacheDir, root);
  const scan = await scanProject(root, CONFIG, { parseMemo: memo });
  await memo.save();
  return scan.imports.map((s) => `${s.specifier}@${s.file}:${s.line}`);
}

interface Stored {
  parser: string;
  files: Record<string, { hash: string; result: { imports: Array<{ specifier: string }> } }>;
}

/** The memo's one entry file, and a way to rewrite what it keeps. */
function entry(cacheDir: string): { read(): Stored; write(value: unknown): void } {
  const dir = path.join(cacheDir, 'parses-v1');
  const file = path.join(dir, readdirSync(dir)[0]!);
  return {
    read: () => JSON.parse(readFileSync(file, 'utf8')) as Stored,
    write: (value) => writeFileSync(file, JSON.stringify(value)),
  };
}

describe('parse memo', () => {
  it('a second scan serves each unchanged file from the memo; an edited file is parsed again', async () => {
    const p = project({ 'src/a.ts': "import x from 'left';\n", 'src/b.ts': "import y from 'right';\n" });
    expect(await imported(p.root, p.cacheDir)).toEqual(['left@src/a.ts:1', 'right@src/b.ts:1']);
    // Same text, another answer: a scan that parsed would say `left` again.
    const kept = entry(p.cacheDir);
    const stored = kept.read();
    stored.files['src/a.ts']!.result.imports[0]!.specifier = 'from-the-memo';
    kept.write(stored);
    expect(await imported(p.root, p.cacheDir)).toEqual(['from-the-memo@src/a.ts:1', 'right@src/b.ts:1']);
    writeFileSync(path.join(p.root, 'src/b.ts'), "\nimport y from 'right2';\n");
    expect(await imported(p.root, p.cacheDir)).toEqual(['from-the-memo@src/a.ts:1', 'right2@src/b.ts:2']);
  });

  it('another parser (its code or TypeScript) or a damaged entry is a miss; removed files leave the memo', async () => {
    const p = project({ 'src/a.ts': "import x from 'left';\n", 'src/b.ts': "import y from 'right';\n" });
    await imported(p.root, p.cacheDir);
    const kept = entry(p.cacheDir);
    const stored = kept.read();
    stored.files['src/a.ts']!.result.imports[0]!.specifier = 'stale';
    kept.write({ ...stored, parser: 'another parser' });
    expect(await imported(p.root, p.cacheDir)).toEqual(['left@src/a.ts:1', 'right@src/b.ts:1']);
    kept.write('{ not json');
    expect(await imported(p.root, p.cacheDir)).toEqual(['left@src/a.ts:1', 'right@src/b.ts:1']);
    // Well-formed JSON, a damaged import in it: a miss, never an import made up.
    const whole = kept.read();
    (whole.files['src/a.ts']!.result.imports as unknown[])[0] = { specifier: 'made-up' };
    kept.write(whole);
    expect(await imported(p.root, p.cacheDir)).toEqual(['left@src/a.ts:1', 'right@src/b.ts:1']);
    rmSync(path.join(p.root, 'src/b.ts'));
    expect(await imported(p.root, p.cacheDir)).toEqual(['left@src/a.ts:1']);
    expect(Object.keys(kept.read().files)).toEqual(['src/a.ts']);
  });

  it('a file that does not parse keeps its error through the memo', async () => {
    const p = project({ 'src/bad.ts': "import x from 'left';\nconst = ;\n" });
    const memo = new DiskParseMemo(p.cacheDir, p.root);
    const first = await scanProject(p.root, CONFIG, { parseMemo: memo });
    await memo.save();
    const again = await scanProject(p.root, CONFIG, { parseMemo: new DiskParseMemo(p.cacheDir, p.root) });
    expect(again.errors).toEqual(first.errors);
    expect(again.warnings).toEqual(first.warnings);
    expect(again.imports).toEqual(first.imports);
    expect([...(first.errors ?? []), ...(first.warnings ?? [])].map((e) => e.file)).toEqual(['src/bad.ts']);
  });
});

describe('the parser identity covers the parser', () => {
  it('parse-imports.ts imports only TypeScript, acorn and types: a change elsewhere cannot change a parse', () => {
    const source = readFileSync(path.join(import.meta.dirname, '../../src/scan/parse-imports.ts'), 'utf8');
    const values = [...source.matchAll(/^import (?!type )[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(values.sort()).toEqual(['./typescript.js', 'acorn']);
  });
});
