/**
 * Wrong verdicts found with real components (issue 14), each through the CLI in process with msw
 * answering as the registry or a proxy in front of it would.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { isFindingOf } from '../../src/model/finding-details.js';
import type { Report } from '../../src/model/report.js';
import { writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { HttpResponse, REGISTRY, packument, RECENTLY } from '../helpers/registry.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, cacheRoot: scratch, freshCacheDir } = mockRegistryRuns('verdicts');

/** Runs the CLI in `root` with a fresh cache; the JSON report and the exit code. */
export async function cli(
  root: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number; report: Report; stderr: string; cacheDir: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const home = mkdtempSync(path.join(scratch, 'home-'));
  const cacheDir = freshCacheDir();
  const code = await main(['--format', 'json', '--quiet', '--timeout', '5', ...args], {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    cwd: root,
    env: {
      HOME: home,
      npm_config_globalconfig: path.join(home, 'none'),
      npm_config_registry: REGISTRY,
      DEPVERIFY_CACHE_DIR: cacheDir,
      NO_COLOR: '1',
      ...env,
    },
  });
  return { code, report: JSON.parse(out.join('') || '{}') as Report, stderr: err.join(''), cacheDir };
}

const TYPED = {
  'package.json': JSON.stringify({ types: 'index.d.ts' }),
  'index.d.ts': 'export declare function connect(): void;',
};
const errors = (report: Report) =>
  report.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.package}`);
const codes = (report: Report) => report.findings.map((f) => `${f.code} ${f.package}`);

describe('1. a member check that could not run is never clean', () => {
  const project = (severity: Record<string, string>) => ({
    'package.json': JSON.stringify({ name: 'app', dependencies: { db: '^1.0.0' }, depverify: { severity } }),
    'src/a.ts': "import { connect, connectSecure } from 'db';\nconnect(); connectSecure();\n",
  });

  it('a tarball that fails, with TYPES_UNAVAILABLE off: TYPES_UNKNOWN, incomplete, exit 2', async () => {
    publish(mock, 'db', { '1.0.0': TYPED });
    mock.set('db/-/db-1.0.0.tgz', 500);
    const { code, report } = await cli(await writeTree(project({ TYPES_UNAVAILABLE: 'off' })));
    expect(codes(report)).toEqual(['TYPES_UNKNOWN db']);
    expect(report.status).toBe('incomplete');
    expect(report.packages.find((p) => p.name === 'db')?.state).toBe('unknown');
    expect(code).toBe(2);
  });

  it('a version document that fails, with TYPES_UNKNOWN itself off: still incomplete, exit 2', async () => {
    publish(mock, 'db', { '1.0.0': TYPED });
    mock.set('db/1.0.0', 503);
    const { code, report } = await cli(await writeTree(project({ TYPES_UNAVAILABLE: 'off', TYPES_UNKNOWN: 'off' })));
    expect(report.status).toBe('incomplete');
    expect(report.summary.unknown).toBe(1);
    expect(code).toBe(2);
  });

  it('an @types package the registry did not answer about is unknown, not "no @types"', async () => {
    publish(mock, 'untyped', { '1.0.0': { 'index.js': 'module.exports = {};' } });
    mock.set('@types/untyped', 500);
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { untyped: '^1.0.0' } }),
      'src/a.ts': "import u from 'untyped';\nu.x();\n",
    });
    const { code, report } = await cli(root);
    expect(codes(report)).toEqual(['TYPES_UNKNOWN untyped']);
    expect(report.findings[0]?.message).toMatch(/@types\/untyped/);
    expect(code).toBe(2);
  });

  it('the declarations are fine: the invented member is found, exit 1', async () => {
    publish(mock, 'db', { '1.0.0': TYPED });
    const { code, report } = await cli(await writeTree(project({ TYPES_UNAVAILABLE: 'off' })));
    expect(codes(report)).toEqual(['INVENTED_EXPORT db']);
    expect(code).toBe(1);
  });
});

describe("2. a 404 that is not the registry's answer", () => {
  const blocked = () =>
    new HttpResponse('<html><body>Blocked by your organisation</body></html>', {
      status: 404,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });

  it('an HTML 404 from a proxy is unknown with its content type, exit 2, and nothing is cached', async () => {
    for (const name of ['express', 'left-pad']) mock.set(name, blocked);
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', 'left-pad': '^1.0.0' } }),
    });
    const { code, report, cacheDir } = await cli(root, ['--no-types']);
    expect(codes(report)).toEqual(['REGISTRY_UNKNOWN express', 'REGISTRY_UNKNOWN left-pad']);
    expect(report.findings[0]?.details?.reason).toMatch(/text\/html/);
    expect(code).toBe(2);
    const { readdirSync } = await import('node:fs');
    const files = (() => {
      try {
        return readdirSync(cacheDir, { recursive: true })
          .map(String)
          .filter((f) => /facts/.test(f) && f.endsWith('.json'));
      } catch {
        return [];
      }
    })();
    expect(files).toEqual([]);
  });

  it('a 404 with an empty body (as some mirrors send) or a JSON body is NOT_FOUND', async () => {
    mock.set('ghost-a', () => new HttpResponse(null, { status: 404 }));
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { 'ghost-a': '^1.0.0', 'ghost-b': '^1.0.0' } }),
    });
    const { code, report } = await cli(root, ['--no-types']);
    expect(codes(report)).toEqual(['NOT_FOUND ghost-a', 'NOT_FOUND ghost-b']);
    expect(code).toBe(1);
  });
});

describe('3. a workspace whose package.json cannot be read is still a workspace', () => {
  const monorepo = (lock?: object) => ({
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    // Imported, not declared: npm and Node find workspaces by name through node_modules links.
    'packages/a/package.json': JSON.stringify({ name: 'ws-a', version: '1.0.0' }),
    'packages/a/index.js': "require('ws-b');\nrequire('@mono/lib');\n",
    // A comment: not JSON, so the name inside cannot be read.
    'packages/ws-b/package.json': '{\n  // the shared code\n  "name": "ws-b", "version": "1.0.0"\n}\n',
    'packages/lib-dir/package.json': '{ "name": "@mono/lib", }',
    ...(lock ? { 'package-lock.json': JSON.stringify(lock) } : {}),
  });

  it('its name (from the directory, or the lockfile) is never asked of a registry; the manifest is an INPUT_ERROR', async () => {
    const lock = {
      name: 'mono',
      lockfileVersion: 3,
      packages: {
        '': { name: 'mono', workspaces: ['packages/*'] },
        'node_modules/ws-a': { resolved: 'packages/a', link: true },
        'node_modules/ws-b': { resolved: 'packages/ws-b', link: true },
        'node_modules/@mono/lib': { resolved: 'packages/lib-dir', link: true },
        'packages/a': { name: 'ws-a', version: '1.0.0' },
        'packages/ws-b': { name: 'ws-b', version: '1.0.0' },
        'packages/lib-dir': { name: '@mono/lib', version: '1.0.0' },
      },
    };
    const { code, report } = await cli(await writeTree(monorepo(lock)), ['--no-types']);
    expect(mock.seen.map((r) => r.name)).toEqual([]);
    expect(codes(report)).toEqual(['INPUT_ERROR ', 'INPUT_ERROR ']);
    expect(report.findings.flatMap((f) => f.locations.map((l) => l.file)).sort()).toEqual([
      'packages/lib-dir/package.json',
      'packages/ws-b/package.json',
    ]);
    expect(code).toBe(2);
  });

  it('without a lockfile the directory name stands in', async () => {
    const files = monorepo();
    const { code, report } = await cli(
      await writeTree({
        ...files,
        'packages/a/index.js': "require('ws-b');\n",
        'packages/a/package.json': JSON.stringify({ name: 'ws-a', version: '1.0.0', dependencies: { 'ws-b': '*' } }),
      }),
      ['--no-types'],
    );
    expect(mock.seen.map((r) => r.name)).toEqual([]);
    expect(report.findings.map((f) => [f.code, f.locations[0]?.file, f.locations[0]?.line])).toEqual([
      ['INPUT_ERROR', 'packages/lib-dir/package.json', 1],
      ['INPUT_ERROR', 'packages/ws-b/package.json', 2],
    ]);
    expect(code).toBe(2);
  });
});

describe('9. packages of a scope with its own registry get no public "did you mean"', () => {
  it('a new @corp/express from the corp registry: no typosquat of a public name, no public suggestion', async () => {
    const created = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000);
    mock.set(
      'npm.corp.example.test/@corp/express',
      packument('@corp/express', { versions: { '1.0.0': {} }, releasedFrom: created, repository: null }),
    );
    mock.set('npm.corp.example.test/express', packument('express', { versions: { '1.0.0': {} } }));
    const root = await writeTree({
      '.npmrc': '@corp:registry=https://npm.corp.example.test/\n',
      'package.json': JSON.stringify({
        name: 'app',
        dependencies: { '@corp/express': '^1.0.0', '@corp/expres': '^1.0.0' },
      }),
    });
    const { report } = await cli(root, ['--no-types']);
    const suspicious = report.findings.filter((f) => isFindingOf(f, 'SUSPICIOUS_PACKAGE'));
    expect(suspicious.map((f) => f.details!.signals.map((x) => x.signal))).toEqual([
      ['new-package', 'new-maintainer', 'few-versions', 'no-repository'],
    ]);
    expect(JSON.stringify(report.findings)).not.toMatch(/Did you mean|suggestions|typosquat/);
    // Not even a missing private name gets a public suggestion.
    expect(report.findings.find((f) => f.package === '@corp/expres')).toMatchObject({ code: 'NOT_FOUND' });
    expect(report.findings.find((f) => f.package === '@corp/expres')?.details?.suggestions).toBeUndefined();
  });
});

describe('5. a lockfile integrity swapped for another valid hash', () => {
  const sri = (text: string) => `sha512-${createHash('sha512').update(text).digest('base64')}`;
  const published = sri('the tarball the registry has');
  const registryDoc = () => {
    const doc = packument('left-pad', { versions: { '1.3.0': {} }, releasedFrom: RECENTLY });
    (doc.versions as Record<string, { dist: Record<string, string> }>)['1.3.0']!.dist = {
      tarball: `${REGISTRY}left-pad/-/left-pad-1.3.0.tgz`,
      integrity: published,
    };
    return doc;
  };
  const project = (integrity: string) => ({
    'package.json': JSON.stringify({ name: 'app', dependencies: { 'left-pad': '^1.3.0' } }),
    'package-lock.json': JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: { 'left-pad': '^1.3.0' } },
        'node_modules/left-pad': { version: '1.3.0', resolved: `${REGISTRY}left-pad/-/left-pad-1.3.0.tgz`, integrity },
      },
    }),
  });

  it('differs from the registry for the same version and algorithm: LOCKFILE_INTEGRITY_MISMATCH, exit 1', async () => {
    mock.set('left-pad', registryDoc());
    const { code, report } = await cli(await writeTree(project(sri('another tarball'))), ['--no-types']);
    expect(errors(report)).toEqual(['LOCKFILE_INTEGRITY_MISMATCH left-pad']);
    expect(report.findings.find((f) => f.code === 'LOCKFILE_INTEGRITY_MISMATCH')).toMatchObject({
      severity: 'error',
      version: '1.3.0',
      locations: [expect.objectContaining({ file: 'package-lock.json', field: 'node_modules/left-pad' })],
    });
    expect(code).toBe(1);
  });

  it('the same hash passes; a registry that does not answer leaves it unknown, not a mismatch', async () => {
    mock.set('left-pad', registryDoc());
    const same = await cli(await writeTree(project(published)), ['--no-types']);
    expect(errors(same.report)).toEqual([]);
    expect(same.code).toBe(0);
    mock.set('left-pad', 500);
    const down = await cli(await writeTree(project(sri('another tarball'))), ['--no-types']);
    expect(errors(down.report)).toEqual(['REGISTRY_UNKNOWN left-pad']);
    expect(down.code).toBe(2);
  });
});

describe('4. ignore.paths: ignored files are not read at all', () => {
  const big = `// a bundle\n${'var a=1;'.repeat(300_000)}\n`; // 2.4 MB: over the source file limit
  it.each([['src/vendor/**'], ['src/vendor/big.min.js'], ['*.min.js']])(
    '%s keeps a too-large bundle out: exit 0, no INPUT_ERROR',
    async (pattern) => {
      const files = {
        'package.json': JSON.stringify({ name: 'app', depverify: { ignore: { paths: [pattern] } } }),
        'src/vendor/big.min.js': big,
        'src/a.js': 'export const a = 1;\n',
      };
      const { code, report } = await cli(await writeTree(files), ['--no-types']);
      expect(codes(report)).toEqual([]);
      expect(report.summary.sourceFiles).toBe(1);
      expect(code).toBe(0);
    },
  );
});

describe('6. symlinked source directories are followed, loops are not', () => {
  it('src/shared -> ../../shared is read; a link back up adds nothing and ends', async () => {
    const { symlinkSync } = await import('node:fs');
    const outer = await writeTree({ 'shared/util.ts': "import { x } from 'shared-dep';\nexport const y = x;\n" });
    const root = path.join(outer, 'repo/app');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(path.join(root, 'src'), { recursive: true });
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ name: 'app', dependencies: { 'shared-dep': '^1.0.0' } }),
    );
    writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
    symlinkSync('../../../shared', path.join(root, 'src/shared'));
    symlinkSync('..', path.join(root, 'src/loop'));
    mock.set('shared-dep', packument('shared-dep', { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }));
    const { code, report } = await cli(root, ['--no-types']);
    expect(report.summary).toMatchObject({ sourceFiles: 2, imports: 1 });
    expect(errors(report)).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('8. temporary files of killed runs are swept on the next write', () => {
  it('a stale *.tmp of another process goes; a fresh one stays', async () => {
    const { mkdirSync, writeFileSync, utimesSync, readdirSync } = await import('node:fs');
    const cacheDir = freshCacheDir();
    const dir = path.join(cacheDir, 'facts-v9', createHash('sha256').update(REGISTRY).digest('hex').slice(0, 16));
    mkdirSync(dir, { recursive: true });
    const stale = path.join(dir, 'old.json.999999.abcd1234.tmp');
    const fresh = path.join(dir, 'new.json.999998.abcd1234.tmp');
    writeFileSync(stale, '{');
    writeFileSync(fresh, '{');
    const old = (Date.now() - 60 * 60 * 1000) / 1000;
    utimesSync(stale, old, old);
    mock.set('left-pad', packument('left-pad', { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }));
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { 'left-pad': '^1.0.0' } }),
    });
    await cli(root, ['--no-types', '--cache-dir', cacheDir]);
    expect(readdirSync(dir).sort()).toEqual(['left-pad.json', 'new.json.999998.abcd1234.tmp']);
  });
});

describe('10. messages say who answered and why', () => {
  it('a 407 is from the proxy, named by its setting, not "from the registry"', async () => {
    mock.set(
      'left-pad',
      () =>
        new HttpResponse('Proxy Authentication Required', { status: 407, headers: { 'content-type': 'text/plain' } }),
    );
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { 'left-pad': '^1.0.0' } }),
    });
    const { code, report } = await cli(root, ['--no-types']);
    const reason = String(report.findings.find((f) => f.code === 'REGISTRY_UNKNOWN')?.details?.reason);
    expect(reason).toMatch(/from the proxy/);
    expect(reason).toMatch(/https-proxy/);
    expect(reason).not.toMatch(/from the registry/);
    expect(code).toBe(2);
  });

  it('TYPES_UNAVAILABLE for a scope whose @types name was never asked says why', async () => {
    const { publishAt } = await import('../helpers/publish.js');
    publishAt(mock, 'npm.corp.example.test', '@corp/lib', { 'index.js': 'module.exports = {};' });
    const root = await writeTree({
      '.npmrc': '@corp:registry=https://npm.corp.example.test/\n',
      'package.json': JSON.stringify({ name: 'app', dependencies: { '@corp/lib': '^1.0.0' } }),
      'src/a.ts': "import lib from '@corp/lib';\nlib.x();\n",
    });
    const { report } = await cli(root);
    const finding = report.findings.find((f) => f.code === 'TYPES_UNAVAILABLE');
    expect(finding?.message).toMatch(/@types\/corp__lib was not asked for: @corp\/lib comes from its own registry/);
    expect(finding?.message).not.toMatch(/no @types package/);
    expect(mock.seen.filter((r) => r.name.includes('corp__lib'))).toEqual([]);
  });
});

describe('11. --deadline bounds the whole run', () => {
  it('an answer that would come after the deadline is unknown (exit 2), with the deadline as reason', async () => {
    mock.set('slow-pkg', async () => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return HttpResponse.json(packument('slow-pkg', { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }));
    });
    mock.set('fast-pkg', packument('fast-pkg', { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }));
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { 'slow-pkg': '^1.0.0', 'fast-pkg': '^1.0.0' } }),
    });
    const { code, report } = await cli(root, ['--no-types', '--deadline', '1']);
    expect(report.packages.find((p) => p.name === 'fast-pkg')?.state).not.toBe('unknown');
    expect(report.packages.find((p) => p.name === 'slow-pkg')?.state).toBe('unknown');
    expect(report.findings.find((f) => f.package === 'slow-pkg')?.details?.reason).toMatch(/deadline/);
    expect(code).toBe(2);
  });

  it('without --deadline the same slow answer is waited for', async () => {
    mock.set('slow-pkg', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return HttpResponse.json(packument('slow-pkg', { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }));
    });
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { 'slow-pkg': '^1.0.0' } }),
    });
    const { code, report } = await cli(root, ['--no-types']);
    expect(report.packages.find((p) => p.name === 'slow-pkg')?.state).not.toBe('unknown');
    expect(code).toBe(0);
  });
});

describe('7. file names that are not UTF-8', () => {
  it('are reported as such, not as "ENOENT" for a file that exists', async () => {
    const { writeFileSync } = await import('node:fs');
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app' }),
      'src/a.js': 'export const a = 1;\n',
    });
    const dir = Buffer.from(path.join(root, 'src/'));
    try {
      writeFileSync(
        Buffer.concat([dir, Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from('.js')]),
        'export const b = 2;\n',
      );
    } catch {
      return; // A file system that refuses such names (macOS, Windows) cannot hold the case.
    }
    const { code, report } = await cli(root, ['--no-types']);
    const finding = report.findings.find((f) => f.code === 'INPUT_ERROR');
    expect(finding?.message).toMatch(/not UTF-8/);
    expect(finding?.message).not.toMatch(/ENOENT/);
    expect(code).toBe(2);
  });
});
