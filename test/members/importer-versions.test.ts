/**
 * Issue 13.8: each importer (a nested project with its own lockfile, a workspace, a Deno import
 * map) is checked against the version it installs, not one version per name for the whole run.
 */
import { describe, expect, it } from 'vitest';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { REGISTRY } from '../helpers/registry.js';

const { mock, verifyFiles } = mockRegistryRuns('importers');

const json = (x: object) => JSON.stringify(x);
const MEMBER = ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND'];

async function check(files: Record<string, string>) {
  const { report } = await verifyFiles(files);
  const rows = report.findings
    .filter((f) => MEMBER.includes(f.code))
    .flatMap((f) => f.locations.map((l) => [f.code, `${f.package}@${f.version}`, f.details?.name, l.file]))
    .sort((a, b) => String(a[3]).localeCompare(String(b[3])));
  return { report, rows };
}

/** `bench@1` exports `run`; `bench@2` exports `run` and `summary` (mitata's 0.1 → 1.0). */
function publishBench(): void {
  publish(mock, 'bench', {
    '1.0.0': {
      'package.json': json({ types: 'index.d.ts' }),
      'index.d.ts': 'export declare function run(): void;\nexport declare function old(): void;\n',
      'index.js': 'exports.run = () => {}; exports.old = () => {};\n',
    },
    '2.0.0': {
      'package.json': json({ types: 'index.d.ts' }),
      'index.d.ts': 'export declare function run(): void;\nexport declare function summary(): void;\n',
      'index.js': 'exports.run = () => {}; exports.summary = () => {};\n',
    },
  });
}

const lock = (name: string, deps: Record<string, string>, versions: Record<string, string>) =>
  json({
    name,
    lockfileVersion: 3,
    packages: {
      '': { name, dependencies: deps },
      ...Object.fromEntries(
        Object.entries(versions).map(([n, v]) => [
          `node_modules/${n}`,
          { version: v, resolved: `${REGISTRY}${n}/-/${n}-${v}.tgz` },
        ]),
      ),
    },
  });

describe('versions per importer', () => {
  it('a nested project with its own lockfile is checked against the version it locks', async () => {
    publishBench();
    const { rows } = await check({
      'package.json': json({ name: 'app', devDependencies: { bench: '^1.0.0' } }),
      'package-lock.json': lock('app', { bench: '^1.0.0' }, { bench: '1.0.0' }),
      'src/a.ts': "import { run, old, summary } from 'bench';\nrun(); old(); summary();\n",
      'benchmarks/routers/package.json': json({ name: 'routers', private: true, dependencies: { bench: '^2.0.0' } }),
      'benchmarks/routers/package-lock.json': lock('routers', { bench: '^2.0.0' }, { bench: '2.0.0' }),
      'benchmarks/routers/src/b.ts': "import { run, summary, old } from 'bench';\nrun(); summary(); old();\n",
    });
    // Each file against its own importer's version: what each lacks is still caught.
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'bench@2.0.0', 'old', 'benchmarks/routers/src/b.ts'],
      ['INVENTED_EXPORT', 'bench@1.0.0', 'summary', 'src/a.ts'],
    ]);
  });

  it('an undeclared import is checked at the hoisted version, and what it lacks there is a warning', async () => {
    publishBench();
    publish(mock, 'tool', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts', dependencies: { bench: '^1.0.0' } }),
        'index.d.ts': 'export declare const t: 1;\n',
      },
    });
    const { report, rows } = await check({
      // bench is only tool's dependency, hoisted at 1.0.0; examples/a.mjs imports it undeclared.
      'package.json': json({ name: 'app', devDependencies: { tool: '1.0.0' } }),
      'package-lock.json': lock('app', { tool: '1.0.0' }, { tool: '1.0.0', bench: '1.0.0' }),
      'examples/a.mjs': "import { run, summary } from 'bench';\nrun(); summary();\n",
      'src/b.ts': "import { t } from 'tool';\nexport const x = t;\n",
    });
    expect(rows).toEqual([['INVENTED_EXPORT', 'bench@1.0.0', 'summary', 'examples/a.mjs']]);
    const member = report.findings.find((f) => f.code === 'INVENTED_EXPORT')!;
    expect(member).toMatchObject({ severity: 'warning', details: { undeclared: true } });
    expect(member.hint).toMatch(/bench is not declared .* checked at bench@1\.0\.0/);
    // The missing declaration is the error.
    const errors = report.findings.filter((f) => f.severity === 'error' && f.code !== 'LOCKFILE_INTEGRITY_MISSING');
    expect(errors.map((f) => [f.code, f.package, f.locations[0]?.file])).toEqual([
      ['UNLISTED_DEPENDENCY', 'bench', 'examples/a.mjs'],
    ]);
  });

  it('a nested project without a lockfile gets its declared range', async () => {
    publishBench();
    const { rows } = await check({
      'package.json': json({ name: 'app', devDependencies: { bench: '1.0.0' } }),
      'src/a.ts': "import { old } from 'bench';\nold();\n",
      'benchmarks/fetch/package.json': json({ name: 'fetch', private: true, dependencies: { bench: '^2.0.0' } }),
      'benchmarks/fetch/bench.mts': "import { summary } from 'bench';\nsummary();\n",
    });
    expect(rows).toEqual([]);
  });

  it('a Deno import map entry is checked at its own range, and a jsr: key covers its subpaths', async () => {
    publishBench();
    // An npm package that happens to share the import map key of a JSR package.
    publish(mock, 'core', {
      '1.0.0': { 'package.json': json({ types: 'index.d.ts' }), 'index.d.ts': 'export declare const other: 1;\n' },
    });
    const { rows } = await check({
      'deno.json': json({ imports: { bench: 'npm:bench@^1.0.0', core: 'jsr:@x/core@^2.0.0' } }),
      'main.ts':
        "import { old, nope } from 'bench';\nimport { App } from 'core';\nimport { x } from 'core/runtime';\nold(); nope(); App; x;\n",
    });
    expect(rows).toEqual([['INVENTED_EXPORT', 'bench@1.0.0', 'nope', 'main.ts']]);
  });

  it('an npm: specifier is checked against the package and range it names', async () => {
    publishBench();
    const { rows } = await check({
      'deno.json': json({}),
      'main.ts': "import { old, summary } from 'npm:bench@^1.0.0';\nold(); summary();\n",
      'other.ts': "import { run, summary, nope } from 'npm:bench@2';\nrun(); summary(); nope();\n",
    });
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'bench@1.0.0', 'summary', 'main.ts'],
      ['INVENTED_EXPORT', 'bench@2.0.0', 'nope', 'other.ts'],
    ]);
  });
});
