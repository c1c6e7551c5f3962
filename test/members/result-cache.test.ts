import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memberCheckStats } from '../../src/members/check-types.js';
import { MEMBER_RESULTS_FORMAT } from '../../src/members/result-cache.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, cacheRoot: scratch, verifyProject } = mockRegistryRuns('result-cache');

const DB = {
  'package.json': JSON.stringify({ main: 'index.js', types: 'index.d.ts' }),
  'index.d.ts': 'export declare class Pool {\n  query(sql: string): Promise<unknown>;\n  end(): Promise<void>;\n}',
};

let projects = 0;
function project(files: Record<string, string>): {
  root: string;
  cacheDir: string;
  write: (rel: string, text: string) => void;
} {
  const base = path.join(scratch, `p${projects++}`);
  const root = path.join(base, 'app');
  const write = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  write('package.json', JSON.stringify({ name: 'app', dependencies: { db: '^1.0.0' } }));
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { root, cacheDir: path.join(base, 'cache'), write };
}

async function invented(root: string, cacheDir: string): Promise<string[]> {
  const report = await verifyProject(root, { cacheDir });
  return report.findings
    .filter((f) => f.code === 'INVENTED_MEMBER')
    .map((f) => `${f.details?.name}@${f.locations[0]?.file}:${f.locations[0]?.line}`);
}

describe('member results kept between runs', () => {
  it('a second run over unchanged files answers from the cache', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({ 'src/a.ts': "import { Pool } from 'db';\nnew Pool().queryy('x');\n" });
    expect(await invented(p.root, p.cacheDir)).toEqual(['queryy@src/a.ts:2']);
    const dir = path.join(p.cacheDir, MEMBER_RESULTS_FORMAT);
    const [entry] = readdirSync(dir);
    const file = path.join(dir, entry!);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      key: string;
      findings: Array<{ details: { name: string } }>;
    };
    // Same key, a different answer: if the run recomputed, it would say `queryy` again.
    stored.findings[0]!.details.name = 'from-the-cache';
    writeFileSync(file, JSON.stringify(stored));
    expect(await invented(p.root, p.cacheDir)).toEqual(['from-the-cache@src/a.ts:2']);
  });

  it('an edit to a checked file is seen', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({ 'src/a.ts': "import { Pool } from 'db';\nnew Pool().query('x');\n" });
    expect(await invented(p.root, p.cacheDir)).toEqual([]);
    p.write('src/a.ts', "import { Pool } from 'db';\nnew Pool().query('x');\nnew Pool().ennd();\n");
    expect(await invented(p.root, p.cacheDir)).toEqual(['ennd@src/a.ts:3']);
  });

  it('an edit to a local module that imports no package is seen too (types flow between files)', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({
      'src/a.ts':
        "import { Pool } from 'db';\nimport type { Extra } from './extra';\nexport function f(pool: Pool & Extra) {\n  pool.queryy('x');\n}\n",
      'src/extra.ts': 'export type Extra = { queryy(sql: string): void };\n',
    });
    expect(await invented(p.root, p.cacheDir)).toEqual([]);
    p.write('src/extra.ts', 'export type Extra = { other(): void };\n');
    expect(await invented(p.root, p.cacheDir)).toEqual(['queryy@src/a.ts:4']);
  });

  it('an edit to a file the scan does not list (gitignored, generated) but the check read is seen', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({
      '.gitignore': 'src/generated/\n',
      'src/a.ts':
        "import { Pool } from 'db';\nimport type { Extra } from './generated/extra';\nexport function f(pool: Pool & Extra) {\n  pool.queryy('x');\n}\n",
      'src/generated/extra.ts': 'export type Extra = { queryy(sql: string): void };\n',
    });
    expect(await invented(p.root, p.cacheDir)).toEqual([]);
    p.write('src/generated/extra.ts', 'export type Extra = { other(): void };\n');
    expect(await invented(p.root, p.cacheDir)).toEqual(['queryy@src/a.ts:4']);
  });

  it('a damaged entry is a miss, and the check runs again', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({ 'src/a.ts': "import { Pool } from 'db';\nnew Pool().queryy('x');\n" });
    expect(await invented(p.root, p.cacheDir)).toEqual(['queryy@src/a.ts:2']);
    const dir = path.join(p.cacheDir, MEMBER_RESULTS_FORMAT);
    for (const entry of readdirSync(dir)) writeFileSync(path.join(dir, entry), '{"key": "trunc');
    expect(await invented(p.root, p.cacheDir)).toEqual(['queryy@src/a.ts:2']);
  });

  it('an entry under the right key with a malformed finding is a miss, never served', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({ 'src/a.ts': "import { Pool } from 'db';\nnew Pool().queryy('x');\n" });
    expect(await invented(p.root, p.cacheDir)).toEqual(['queryy@src/a.ts:2']);
    const dir = path.join(p.cacheDir, MEMBER_RESULTS_FORMAT);
    const file = path.join(dir, readdirSync(dir)[0]!);
    const good = JSON.parse(readFileSync(file, 'utf8')) as { findings: Array<Record<string, unknown>> };
    const damages: Array<Record<string, unknown> | null> = [
      null,
      { code: 'NOT_A_CODE' },
      { severity: 'fatal' },
      { message: 42 },
      { package: undefined },
      { locations: 'src/a.ts:2' },
      { locations: [{ file: 7 }] },
      { locations: [{ file: 'src/a.ts', line: '2' }] },
      { hint: ['x'] },
      { details: 'x' },
    ];
    for (const damage of damages) {
      // Marked so that serving the entry would show: a fresh check names `queryy`.
      const finding =
        damage === null
          ? null
          : {
              ...good.findings[0],
              details: { ...(good.findings[0]!.details as object), name: 'from-the-cache' },
              ...damage,
            };
      writeFileSync(file, JSON.stringify({ ...good, findings: [finding] }));
      expect(await invented(p.root, p.cacheDir), JSON.stringify(damage)).toEqual(['queryy@src/a.ts:2']);
    }
  });

  it('a damaged declaration cache entry is fetched again, not trusted', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({ 'src/a.ts': "import { Pool } from 'db';\nnew Pool().queryy('x');\n" });
    expect(await invented(p.root, p.cacheDir)).toEqual(['queryy@src/a.ts:2']);
    const tarballs = (): number => mock.seen.filter((r) => r.path.endsWith('.tgz')).length;
    expect(tarballs()).toBe(1);
    const declDir = path.join(p.cacheDir, 'decl-v7');
    const [registryDir] = readdirSync(declDir);
    for (const entry of readdirSync(path.join(declDir, registryDir!))) {
      const file = path.join(declDir, registryDir!, entry);
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...stored, files: 'not a file map' }));
    }
    rmSync(path.join(p.cacheDir, MEMBER_RESULTS_FORMAT), { recursive: true, force: true });
    expect(await invented(p.root, p.cacheDir)).toEqual(['queryy@src/a.ts:2']);
    expect(tarballs()).toBe(2);
  });
});

describe('after an edit, only the files it reaches are checked again', () => {
  /** The stored entry's findings, given away by name: a file checked again says the real name. */
  function markStored(cacheDir: string): void {
    const dir = path.join(cacheDir, MEMBER_RESULTS_FORMAT);
    const file = path.join(dir, readdirSync(dir)[0]!);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { findings: Array<{ details: { name: string } }> };
    for (const f of stored.findings) f.details.name = `kept:${f.details.name}`;
    writeFileSync(file, JSON.stringify(stored));
  }
  const FILES = {
    'src/a.ts': "import { Pool } from 'db';\nnew Pool().aa();\n",
    'src/b.ts': "import { Pool } from 'db';\nimport { helper } from './util.js';\nnew Pool().bb(helper);\n",
    'src/c.ts': "import { Pool } from 'db';\nnew Pool().cc();\n",
    'src/util.ts': 'export const helper = 1;\n',
  };

  it('an edited file and the files importing it are checked; the others keep their findings', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project(FILES);
    expect(await invented(p.root, p.cacheDir)).toEqual(['aa@src/a.ts:2', 'bb@src/b.ts:3', 'cc@src/c.ts:2']);
    markStored(p.cacheDir);
    p.write('src/a.ts', "import { Pool } from 'db';\nnew Pool().aa2();\n");
    expect(await invented(p.root, p.cacheDir)).toEqual(['aa2@src/a.ts:2', 'kept:bb@src/b.ts:3', 'kept:cc@src/c.ts:2']);
    expect(memberCheckStats.partial).toEqual({ rechecked: 1 });

    // util.ts imports no package, but b.ts imports it: b.ts is checked again with it.
    markStored(p.cacheDir);
    p.write('src/util.ts', 'export const helper = 2;\n');
    expect(await invented(p.root, p.cacheDir)).toEqual([
      'kept:aa2@src/a.ts:2',
      'bb@src/b.ts:3',
      'kept:kept:cc@src/c.ts:2',
    ]);
    expect(memberCheckStats.partial).toEqual({ rechecked: 2 });

    // The results written after a partial check are whole: a later run over unchanged files serves them.
    expect(await invented(p.root, p.cacheDir)).toEqual([
      'kept:aa2@src/a.ts:2',
      'bb@src/b.ts:3',
      'kept:kept:cc@src/c.ts:2',
    ]);
  });

  it('a new file, a removed file, and a file a specifier names before it exists', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({
      ...FILES,
      'src/d.ts': "import { Pool } from 'db';\nimport { x } from './later';\nnew Pool().dd(x);\n",
    });
    expect(await invented(p.root, p.cacheDir)).toEqual([
      'aa@src/a.ts:2',
      'bb@src/b.ts:3',
      'cc@src/c.ts:2',
      'dd@src/d.ts:3',
    ]);
    markStored(p.cacheDir);
    rmSync(path.join(p.root, 'src/c.ts'));
    p.write('src/later.ts', 'export const x = 1;\n');
    p.write('src/e.ts', "import { Pool } from 'db';\nnew Pool().ee();\n");
    expect(await invented(p.root, p.cacheDir)).toEqual([
      'kept:aa@src/a.ts:2',
      'kept:bb@src/b.ts:3',
      'dd@src/d.ts:3',
      'ee@src/e.ts:2',
    ]);
    expect(memberCheckStats.partial).toEqual({ rechecked: 4 });
  });

  it('a changed file that declares a global or a module, or an alias import, checks everything again', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project(FILES);
    await invented(p.root, p.cacheDir);
    markStored(p.cacheDir);
    p.write(
      'src/util.ts',
      "export const helper = 1;\ndeclare module 'db' { interface Pool { bb(x: number): void } }\n",
    );
    expect(await invented(p.root, p.cacheDir)).toEqual(['aa@src/a.ts:2', 'cc@src/c.ts:2']);
    expect(memberCheckStats.partial).toBeUndefined();

    // A specifier that is neither relative nor a package (a paths alias) may reach any file.
    const q = project({
      ...FILES,
      'src/f.ts': "import { Pool } from 'db';\nimport { y } from '~/util';\nnew Pool().ff(y);\n",
    });
    await invented(q.root, q.cacheDir);
    markStored(q.cacheDir);
    q.write('src/c.ts', "import { Pool } from 'db';\nnew Pool().cc2();\n");
    expect(await invented(q.root, q.cacheDir)).toEqual([
      'kept:aa@src/a.ts:2',
      'kept:bb@src/b.ts:3',
      'cc2@src/c.ts:2',
      'ff@src/f.ts:3',
    ]);
    expect(memberCheckStats.partial).toEqual({ rechecked: 2 });
  });

  it('a paths alias reaches the files its targets name; a change to the aliases checks everything', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({
      ...FILES,
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { paths: { '@/*': ['./src/*'] } } }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { strict: true } }),
      'src/f.ts': "import { Pool } from 'db';\nimport { helper } from '@/util';\nnew Pool().ff(helper);\n",
    });
    await invented(p.root, p.cacheDir);
    // An edit the alias does not reach: f.ts keeps its findings.
    markStored(p.cacheDir);
    p.write('src/c.ts', "import { Pool } from 'db';\nnew Pool().cc2();\n");
    expect(await invented(p.root, p.cacheDir)).toEqual([
      'kept:aa@src/a.ts:2',
      'kept:bb@src/b.ts:3',
      'cc2@src/c.ts:2',
      'kept:ff@src/f.ts:3',
    ]);
    expect(memberCheckStats.partial).toEqual({ rechecked: 1 });
    // An edit to the file the alias names: its importers, through the alias or not.
    markStored(p.cacheDir);
    p.write('src/util.ts', 'export const helper = 2;\n');
    expect(await invented(p.root, p.cacheDir)).toEqual([
      'kept:kept:aa@src/a.ts:2',
      'bb@src/b.ts:3',
      'kept:cc2@src/c.ts:2',
      'ff@src/f.ts:3',
    ]);
    expect(memberCheckStats.partial).toEqual({ rechecked: 3 });
    // The aliases themselves changed, in the config tsconfig.json extends (a file the check read): a full check.
    markStored(p.cacheDir);
    p.write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: { '@/*': ['./lib/*', './src/*'] } } }));
    expect(await invented(p.root, p.cacheDir)).toEqual([
      'aa@src/a.ts:2',
      'bb@src/b.ts:3',
      'cc2@src/c.ts:2',
      'ff@src/f.ts:3',
    ]);
    expect(memberCheckStats.partial).toBeUndefined();
  });

  it('a tsconfig created below the root since the last run re-checks everything, with its options', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({ 'src/a.ts': "import { Pool } from 'db';\nnew Pool().aa();\n" });
    expect(await invented(p.root, p.cacheDir)).toEqual(['aa@src/a.ts:2']);
    // A config below the root, created after the first run: `db` now resolves to a local module that has aa().
    p.write('src/local-db.ts', 'export class Pool { aa(): void {} }\n');
    p.write('src/tsconfig.json', JSON.stringify({ compilerOptions: { paths: { db: ['./local-db.ts'] } } }));
    expect(await invented(p.root, p.cacheDir)).toEqual([]);
    expect(memberCheckStats.partial).toBeUndefined();
  });

  it('a name found in two files keeps the details a full check gives it, whichever file was edited', async () => {
    // `export =`: the module itself (a.ts) and an instance of its class (b.ts) lack the same name.
    const CJS = {
      'package.json': JSON.stringify({ types: 'index.d.ts' }),
      'index.d.ts':
        'declare function db(): void;\ndeclare namespace db { class Pool { query(): void } }\nexport = db;\n',
    };
    publish(mock, 'db', { '1.0.0': CJS });
    const p = project({
      'src/a.ts': "import db from 'db';\ndb.zz();\n",
      'src/b.ts': "import db from 'db';\nnew db.Pool().zz();\n",
    });
    const details = async (): Promise<unknown> => {
      const report = await verifyProject(p.root, { cacheDir: p.cacheDir });
      return report.findings
        .filter((f) => f.code.startsWith('INVENTED'))
        .map((f) => [f.code, f.details?.of, f.locations]);
    };
    const full = await details();
    expect(full).toMatchObject([['INVENTED_MEMBER', 'module', [{ file: 'src/a.ts' }, { file: 'src/b.ts', line: 2 }]]]);
    p.write('src/b.ts', "import db from 'db';\n\nnew db.Pool().zz();\n");
    const partial = await details();
    expect(memberCheckStats.partial).toEqual({ rechecked: 1 });
    expect(partial).toMatchObject([
      ['INVENTED_MEMBER', 'module', [{ file: 'src/a.ts' }, { file: 'src/b.ts', line: 3 }]],
    ]);
    rmSync(path.join(p.cacheDir, MEMBER_RESULTS_FORMAT), { recursive: true });
    expect(partial).toEqual(await details());
  });

  it('a workspace package reaches the files of its folder: an edit there re-checks its importers, others do not', async () => {
    publish(mock, 'db', { '1.0.0': DB });
    const p = project({
      'package.json': JSON.stringify({ name: 'app', workspaces: ['packages/*'], dependencies: { db: '^1.0.0' } }),
      'packages/ui/package.json': JSON.stringify({ name: '@repo/ui', version: '1.0.0', types: 'src/index.ts' }),
      'packages/ui/src/index.ts': 'export const ui = 1;\n',
      'src/a.ts': "import { Pool } from 'db';\nimport { ui } from '@repo/ui';\nnew Pool().aa(ui);\n",
      'src/c.ts': "import { Pool } from 'db';\nnew Pool().cc();\n",
    });
    expect(await invented(p.root, p.cacheDir)).toEqual(['aa@src/a.ts:3', 'cc@src/c.ts:2']);
    markStored(p.cacheDir);
    p.write('src/c.ts', "import { Pool } from 'db';\nnew Pool().cc2();\n");
    expect(await invented(p.root, p.cacheDir)).toEqual(['kept:aa@src/a.ts:3', 'cc2@src/c.ts:2']);
    expect(memberCheckStats.partial).toEqual({ rechecked: 1 });
    markStored(p.cacheDir);
    p.write('packages/ui/src/index.ts', 'export const ui = 2;\n');
    expect(await invented(p.root, p.cacheDir)).toEqual(['aa@src/a.ts:3', 'kept:cc2@src/c.ts:2']);
    expect(memberCheckStats.partial).toEqual({ rechecked: 2 });
  });
});
