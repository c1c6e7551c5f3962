import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/, lowest first, as ARCHITECTURE.md lists them. A module may import from its
 * own layer and the ones before it, never from a later one (type-only and dynamic imports
 * included): a check that reaches into the CLI, or the scanner into the registry, fails here.
 */
const LAYERS: ReadonlyArray<{ layer: string; paths: readonly string[] }> = [
  { layer: 'model', paths: ['src/model/', 'src/version.ts'] },
  { layer: 'scan', paths: ['src/scan/'] },
  { layer: 'config', paths: ['src/config/'] },
  { layer: 'plan', paths: ['src/plan/'] },
  { layer: 'cache', paths: ['src/cache/'] },
  { layer: 'registry', paths: ['src/registry/'] },
  { layer: 'popularity', paths: ['src/popularity/'] },
  { layer: 'checks', paths: ['src/checks/'] },
  { layer: 'members', paths: ['src/members/'] },
  { layer: 'report', paths: ['src/report/'] },
  { layer: 'run', paths: ['src/verify.ts', 'src/verify-run.ts', 'src/verify-signing.ts', 'src/verify-snippet.ts'] },
  {
    layer: 'interface',
    paths: ['src/index.ts', 'src/cli.ts', 'src/cli-guard.ts', 'src/hook.ts', 'src/install.ts', 'src/mcp.ts'],
  },
];

const root = path.resolve(import.meta.dirname, '../..');
const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');

function layerOf(file: string): number {
  const at = rel(file);
  return LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith('/') ? at.startsWith(p) : at === p)));
}

interface Edge {
  from: string;
  to: string;
  /** `import type`/`export type`: erased from the build, but still a dependency of the layer. */
  typeOnly?: boolean;
  /** `await import(…)`: loaded when used, so it cannot take part in a load-order cycle. */
  dynamic?: boolean;
}

/** Every relative import of a source file, resolved to the .ts file it names. */
function importsOf(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const edges: Edge[] = [];
  const add = (specifier: ts.Node | undefined, flags: Omit<Edge, 'from' | 'to'>): void => {
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return;
    edges.push({ from: file, to: path.resolve(path.dirname(file), specifier.text.replace(/\.js$/, '.ts')), ...flags });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, { typeOnly });
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, { typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], { dynamic: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges.filter((e) => e.to.endsWith('.ts'));
}

/** The imports that go from a layer to a later one. */
function upwardImports(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => layerOf(e.to) > layerOf(e.from))
    .map(
      (e) =>
        `${rel(e.from)} (${LAYERS[layerOf(e.from)]!.layer}) imports ${rel(e.to)} (${LAYERS[layerOf(e.to)]!.layer})`,
    );
}

/**
 * Cycles of static imports, type-only ones included (scan/lockfile.ts and the readers that took
 * their type from it were one), each as the files along it. A dynamic import() is how a module
 * loads a heavier one on demand and is left out.
 */
function importCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (!e.dynamic) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const to of next.get(file) ?? []) {
      if (state.get(to) === 'open') cycles.push(stack.slice(stack.indexOf(to)).map(rel));
      else if (!state.has(to)) walk(to);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...next.keys()].sort()) if (!state.has(file)) walk(file);
  return cycles;
}

const sources = readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(root, 'src', f))
  .sort();
const edges = sources.flatMap(importsOf);
const at = (p: string): string => path.join(root, p);

describe('layers (ARCHITECTURE.md)', () => {
  it('every source file belongs to a declared layer', () => {
    expect(sources.filter((f) => layerOf(f) === -1).map(rel)).toEqual([]);
  });

  it('no module imports from a layer above its own', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('no cycle of static imports', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('the checks themselves report what they should (they can fail)', () => {
    expect(upwardImports([{ from: at('src/scan/project.ts'), to: at('src/checks/index.ts'), typeOnly: true }])).toEqual(
      ['src/scan/project.ts (scan) imports src/checks/index.ts (checks)'],
    );
    expect(upwardImports([{ from: at('src/checks/index.ts'), to: at('src/scan/project.ts') }])).toEqual([]);
    const a = at('src/scan/a.ts');
    const b = at('src/scan/b.ts');
    expect(
      importCycles([
        { from: a, to: b },
        { from: b, to: a },
      ]),
    ).toEqual([['src/scan/a.ts', 'src/scan/b.ts']]);
    expect(
      importCycles([
        { from: a, to: b },
        { from: b, to: a, typeOnly: true },
      ]),
    ).toEqual([['src/scan/a.ts', 'src/scan/b.ts']]);
    expect(
      importCycles([
        { from: a, to: b },
        { from: b, to: a, dynamic: true },
      ]),
    ).toEqual([]);
  });
});

/**
 * The run memo reuses a report only while what its run read still holds, so every read of the
 * project and its configuration goes through scan/observed-fs.ts, which notes it. A module of
 * these folders reading `node:fs` itself would read something the memo never checks again.
 */
const OBSERVED = ['src/scan/', 'src/config/', 'src/plan/', 'src/checks/', 'src/registry/npmrc.ts'];

describe('reads the run memo can see', () => {
  it('no module of the scan, configuration, plan or checks, nor .npmrc, imports node:fs but observed-fs', () => {
    const readers = sources
      .map(rel)
      .filter((file) => OBSERVED.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)))
      .filter((file) => file !== 'src/scan/observed-fs.ts')
      .filter((file) => /from ['"](node:)?fs(\/promises)?['"]/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(readers).toEqual([]);
  });
});
