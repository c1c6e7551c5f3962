/**
 * What the declaration closure asks for: only what an install of the project would put in
 * node_modules, and never a name no registry can hold.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { DeclarationLoader, loadDeclarations } from '../../src/members/declarations.js';
import { sourceFindings } from '../../src/members/source-findings.js';
import { writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, client: clientOf } = mockRegistryRuns('declaration-closure');

const json = (x: object) => JSON.stringify(x);
const asked = (): string[] => mock.seen.map((r) => decodeURIComponent(r.path)).sort();

async function load(imported: Record<string, string>, locked: Record<string, string[]> = {}) {
  const root = await writeTree({ 'package.json': json({ name: 'app' }) });
  const client = clientOf(root, false);
  return loadDeclarations(
    new DeclarationLoader(client),
    new Map(Object.entries(imported)),
    new Map(),
    new Map(Object.entries(locked)),
  );
}

describe('the declaration closure', () => {
  it('leaves out an optional peer the project does not install, and takes one it does', async () => {
    publish(mock, 'orm', {
      '1.0.0': {
        'package.json': json({
          types: 'index.d.ts',
          peerDependencies: { driver: '*', core: '^1.0.0' },
          peerDependenciesMeta: { driver: { optional: true } },
        }),
        'index.d.ts':
          "import type { D } from 'driver';\nimport type { C } from 'core';\nexport declare function db(d?: D, c?: C): void;\n",
      },
    });
    publish(mock, 'core', {
      '1.0.0': { 'package.json': json({ types: 'index.d.ts' }), 'index.d.ts': 'export interface C { c: 1 }\n' },
    });
    publish(mock, 'driver', {
      '1.0.0': { 'package.json': json({ types: 'index.d.ts' }), 'index.d.ts': 'export interface D { d: 1 }\n' },
    });
    const without = await load({ orm: '1.0.0' });
    expect([...without.packages.keys()].sort()).toEqual(['core', 'orm']);
    expect(asked().filter((p) => p.startsWith('/driver'))).toEqual([]);
    expect(without.unknown.size).toBe(0);
    const withDriver = await load({ orm: '1.0.0' }, { driver: ['1.0.0'] });
    expect([...withDriver.packages.keys()].sort()).toEqual(['core', 'driver', 'orm']);
  });

  it('never asks for an @types name with capitals, and calls the package untyped, not unknown', async () => {
    publish(mock, 'JSONStream', {
      '1.3.5': { 'package.json': json({ main: 'index.js' }), 'index.js': 'exports.parse = () => {};\n' },
    });
    const set = await load({ JSONStream: '1.3.5' });
    expect(asked().filter((p) => p.includes('@types'))).toEqual([]);
    expect(set.sources.get('JSONStream')).toMatchObject({ kind: 'none' });
    expect(set.sources.get('JSONStream')).not.toHaveProperty('unknown');
  });
});

describe('the closure limit', () => {
  it('names the imports whose declarations reach past it, and only those', async () => {
    const dts = (deps: string[]) =>
      deps.map((d) => `import type { T as ${d.replace(/\W/g, '_')} } from '${d}';\n`).join('') +
      'export interface T { x: 1 }\n';
    publish(mock, 'wide', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts', dependencies: { d1: '1.0.0', d2: '1.0.0', d3: '1.0.0' } }),
        'index.d.ts': dts(['d1', 'd2', 'd3']),
      },
    });
    publish(mock, 'narrow', { '1.0.0': { 'package.json': json({ types: 'index.d.ts' }), 'index.d.ts': dts([]) } });
    for (const d of ['d1', 'd2', 'd3'])
      publish(mock, d, { '1.0.0': { 'package.json': json({ types: 'index.d.ts' }), 'index.d.ts': dts([]) } });
    const root = await writeTree({ 'package.json': json({ name: 'app' }) });
    const client = clientOf(root, false);
    const set = await loadDeclarations(
      new DeclarationLoader(client),
      new Map([
        ['narrow', '1.0.0'],
        ['wide', '1.0.0'],
      ]),
      new Map(),
      new Map(),
      { limit: 4 },
    );
    expect(set.packages.size).toBe(4);
    expect([...set.capped.keys()]).toEqual(['wide']);
    expect(set.capped.get('wide')).toMatch(/d3 and others past the limit of 4/);
    // What the check makes of it: the capped import is unknown (a warning, the run incomplete), never checked.
    const findings: Finding[] = [];
    const checked = sourceFindings(
      set,
      new Map([
        ['narrow', '1.0.0'],
        ['wide', '1.0.0'],
      ]),
      new Map([['wide', [{ file: 'a.ts', line: 1, column: 1 }]]]),
      findings,
    );
    expect([...checked.keys()]).toEqual(['narrow']);
    expect(findings.map((f) => [f.code, f.package, f.locations])).toEqual([
      ['TYPES_UNKNOWN', 'wide', [{ file: 'a.ts', line: 1, column: 1 }]],
    ]);
  });
});

describe('what the closure asks for, and when', () => {
  /** Serves `name`'s tarball only once `first` has been asked for (or after a bounded wait), and says which came first. */
  function holdTarball(
    name: string,
    first: string | (() => boolean),
    files: Record<string, string>,
  ): { sawFirst: () => boolean | undefined } {
    let saw: boolean | undefined;
    const seen =
      typeof first === 'function' ? first : () => mock.seen.some((r) => decodeURIComponent(r.path).slice(1) === first);
    const wrapped = {
      ...mock,
      set: (p: string, answer: Parameters<typeof mock.set>[1]) =>
        mock.set(
          p,
          p === `${name}/-/${name}-1.0.0.tgz` && typeof answer === 'function'
            ? async (request: Request) => {
                for (let i = 0; i < 60 && !seen(); i++) await new Promise((r) => setTimeout(r, 50));
                saw = seen();
                return answer(request);
              }
            : answer,
        ),
    };
    publish(wrapped as typeof mock, name, { '1.0.0': files });
    return { sawFirst: () => saw };
  }

  it("asks for a package's dependencies as soon as its declarations are in, not a level at a time", async () => {
    const typed = (body: string, deps: Record<string, string> = {}) => ({
      'package.json': json({ types: 'index.d.ts', dependencies: deps }),
      'index.d.ts': body,
    });
    publish(mock, 'a', { '1.0.0': typed("import type { B } from 'b';\nexport type A = B;\n", { b: '1.0.0' }) });
    publish(mock, 'b', { '1.0.0': typed("import type { C } from 'c';\nexport type B = C;\n", { c: '1.0.0' }) });
    publish(mock, 'c', { '1.0.0': typed('export type C = 1;\n') });
    // `slow` is answered only once c (two levels below a) has been asked for.
    const slow = holdTarball('slow', 'c/-/c-1.0.0.tgz', typed('export type S = 1;\n'));
    const set = await load({ a: '1.0.0', slow: '1.0.0' });
    expect(slow.sawFirst()).toBe(true);
    expect([...set.packages.keys()].sort()).toEqual(['a', 'b', 'c', 'slow']);
    // Nothing extra: each document and tarball once.
    // b and c come as ranges from their dependents' manifests: their packuments give the version.
    expect(asked()).toEqual([
      '/a/-/a-1.0.0.tgz',
      '/a/1.0.0',
      '/b',
      '/b/-/b-1.0.0.tgz',
      '/b/1.0.0',
      '/c',
      '/c/-/c-1.0.0.tgz',
      '/c/1.0.0',
      '/slow/-/slow-1.0.0.tgz',
      '/slow/1.0.0',
    ]);
  });

  it('asks for @types/x beside x when the version document names no types', async () => {
    const lookups: string[] = [];
    const untyped = holdTarball('plain', () => lookups.includes('@types/plain'), {
      'package.json': json({ main: 'index.js' }),
      'index.js': 'exports.x = 1;\n',
    });
    publish(mock, '@types/plain', {
      '1.0.0': { 'package.json': json({ types: 'index.d.ts' }), 'index.d.ts': 'export declare const x: 1;\n' },
    });
    const root = await writeTree({ 'package.json': json({ name: 'app' }) });
    const client = clientOf(root, false);
    const spied = { ...client, lookup: (name: string) => (lookups.push(name), client.lookup(name)) };
    const set = await loadDeclarations(
      new DeclarationLoader(spied),
      new Map([['plain', '1.0.0']]),
      new Map(),
      new Map(),
      { namesTypes: () => false },
    );
    expect(untyped.sawFirst()).toBe(true);
    expect(set.sources.get('plain')).toMatchObject({ kind: 'types-package' });
    expect(lookups).toEqual(['@types/plain']);
  });
});
