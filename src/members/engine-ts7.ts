/**
 * The member check on TypeScript 7 (the native compiler, `typescript7` here: an npm alias of
 * `typescript@7`), through its synchronous API over IPC. The compiler process reads the project
 * through the same virtual file system the TypeScript 6 host serves (program.ts): project files
 * from disk, `node_modules` only from the fetched declarations, nothing written.
 *
 * The attribution (members.ts) walks TypeScript 6's syntax tree of the user's file, as with
 * TypeScript 6; its semantic questions go to TypeScript 7, whose nodes are found by position in
 * the same text (engine-ts7-queries.ts). A group whose options TypeScript 7 does not take (options it removed, such as
 * `baseUrl`, `moduleResolution: node10`, `target: es5`) is checked by TypeScript 6 instead.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TypeScript from 'typescript';
import type { API as API7 } from 'typescript7/unstable/sync';
import ts from '../scan/typescript.js';
import type { LoadedPackage } from './declarations.js';
import type { MemberQueries } from './receivers.js';
import { type Ast, type Sync, ts7Queries } from './engine-ts7-queries.js';
import { effectiveOptions, isDirectory, isFile, norm, readDisk, virtualTree, type ProgramSetup } from './program.js';

const load = (): { sync: Sync; ast: Ast } => {
  const require = createRequire(import.meta.url);
  return { sync: require('typescript7/unstable/sync') as Sync, ast: require('typescript7/unstable/ast') as Ast };
};

export interface Ts7Group<S extends ProgramSetup = ProgramSetup> {
  files: string[];
  setup: S;
}

export interface Ts7GroupResult {
  queries: MemberQueries;
  diskFiles: Map<string, string>;
}

const JS_FILE = /\.[cm]?jsx?$/;

/** Why TypeScript 7 cannot take a group's options, or undefined when it can. */
function unsupported(options: TypeScript.CompilerOptions): string | undefined {
  if (options.baseUrl !== undefined) return 'baseUrl';
  const mr = options.moduleResolution;
  if (mr === ts.ModuleResolutionKind.Node10 || mr === ts.ModuleResolutionKind.Classic) return 'moduleResolution';
  if (options.target !== undefined && options.target < ts.ScriptTarget.ES2015) return 'target';
  const m = options.module;
  if (m === ts.ModuleKind.AMD || m === ts.ModuleKind.UMD || m === ts.ModuleKind.System || m === ts.ModuleKind.None)
    return 'module';
  if (
    options.outFile !== undefined ||
    options.esModuleInterop === false ||
    options.allowSyntheticDefaultImports === false
  )
    return 'interop';
  return undefined;
}

/** The options as a tsconfig's `compilerOptions` (TypeScript 7 takes configs, not option objects). */
function toJson(options: TypeScript.CompilerOptions): Record<string, unknown> {
  const { ignoreDeprecations: _ignore, pathsBasePath, paths, ...rest } = options;
  const serialize = (ts as unknown as { serializeCompilerOptions(o: TypeScript.CompilerOptions): Map<string, unknown> })
    .serializeCompilerOptions;
  const json = Object.fromEntries(serialize(rest));
  if (paths) {
    // `paths` are relative to the config that set them: absolute here, the virtual config lives elsewhere.
    const base = typeof pathsBasePath === 'string' ? pathsBasePath : process.cwd();
    json.paths = Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, v.map((t) => path.resolve(base, t))]));
  }
  return json;
}

/**
 * One compiler process for every group it can take; `groups` it cannot are returned in `rejected`
 * (checked by TypeScript 6). `close()` ends the process.
 */
export function openTs7<G extends Ts7Group>(
  root: string,
  groups: G[],
  packages: LoadedPackage[],
  workspaces: Map<string, string>,
  { javaScript = true }: { javaScript?: boolean } = {},
): {
  results: Map<G, Ts7GroupResult>;
  rejected: G[];
  close(): void;
} {
  const { sync, ast } = load();
  const tree = virtualTree(root, packages, workspaces);
  const diskFiles = new Map<string, string>();
  const configs = new Map<string, string>();
  let libDir: string | undefined;
  const isLib = (p: string): boolean => libDir !== undefined && p.startsWith(libDir + path.sep);
  const libOf = (p: string): void => {
    // The compiler's own lib files are read through the callbacks too: the first one read names their folder.
    if (libDir === undefined && /[\\/]lib\.[^\\/]*\.d\.ts$/.test(p) && p.includes(`${path.sep}@typescript${path.sep}`))
      libDir = path.dirname(p);
  };
  const api: API7 = new sync.API({
    cwd: root,
    fs: {
      readFile: (raw) => {
        const virtual = configs.get(norm(raw));
        if (virtual !== undefined) return virtual;
        libOf(norm(raw));
        const at = tree.locate(raw, isLib);
        if (!at.disk) return tree.files.get(at.path) ?? null;
        const text = readDisk(at.path);
        if (text !== undefined && !isLib(at.path)) diskFiles.set(at.path, text);
        return text ?? null;
      },
      fileExists: (raw) => {
        if (configs.has(norm(raw))) return true;
        libOf(norm(raw));
        const at = tree.locate(raw, isLib);
        return at.disk ? isFile(at.path) : tree.files.has(at.path);
      },
      directoryExists: (raw) => {
        const at = tree.locate(raw, isLib);
        return at.disk ? isDirectory(at.path) : tree.dirs.has(at.path);
      },
      getAccessibleEntries: (raw) => {
        const at = tree.locate(raw, isLib);
        if (at.disk) return undefined;
        const files: string[] = [];
        const directories: string[] = [];
        for (const d of tree.dirs) if (path.dirname(d) === at.path && d !== at.path) directories.push(path.basename(d));
        for (const f of tree.files.keys()) if (path.dirname(f) === at.path) files.push(path.basename(f));
        return { files, directories };
      },
      realpath: (raw) => {
        const p = norm(raw);
        return tree.linked(p) ?? p;
      },
    },
  });
  try {
    return snapshotGroups(api, root, groups, tree, configs, diskFiles, { sync, ast }, javaScript);
  } catch (err) {
    closeQuietly(api);
    throw err;
  }
}

function snapshotGroups<G extends Ts7Group>(
  api: API7,
  root: string,
  groups: G[],
  tree: ReturnType<typeof virtualTree>,
  configs: Map<string, string>,
  diskFiles: Map<string, string>,
  { sync, ast }: { sync: Sync; ast: Ast },
  javaScript: boolean,
): { results: Map<G, Ts7GroupResult>; rejected: G[]; close(): void } {
  const rejected: G[] = [];
  const taken: { group: G; config: string }[] = [];
  // Without `javaScript`, a program that holds one of the project's JavaScript files is TypeScript
  // 6's: the two read JSDoc differently (engine.ts, projectOnTypeScript7).
  const projectScript = (file: string): boolean =>
    JS_FILE.test(file) && !tree.files.has(file) && !file.split(/[\\/]/).includes('node_modules');
  for (const [i, group] of groups.entries()) {
    const options = effectiveOptions(group.setup.projectOptions, tree.types);
    if (
      (group.setup.projectOptions && unsupported(group.setup.projectOptions)) ||
      (!javaScript && group.files.some(projectScript))
    ) {
      rejected.push(group);
      continue;
    }
    const config = path.join(root, `.depverify-${process.pid}-${i}.tsconfig.json`);
    const rootNames = [...new Set([...group.files, ...(group.setup.declarations ?? [])])];
    configs.set(config, JSON.stringify({ compilerOptions: toJson(options), files: rootNames }));
    taken.push({ group, config });
  }
  const results = new Map<G, Ts7GroupResult>();
  let snapshot: { dispose(): void } | undefined;
  if (taken.length) {
    const opened = api.updateSnapshot({ openProjects: taken.map((t) => t.config) });
    snapshot = opened;
    for (const { group, config } of taken) {
      const project = opened.getProject(config);
      // Options the compiler reports as wrong: TypeScript 6 takes the group, as before.
      if (
        !project ||
        project.program.getConfigFileParsingDiagnostics().length ||
        project.program.getProgramDiagnostics().some((d) => d.category === 1) ||
        (!javaScript && project.program.getSourceFileNames().some((f) => projectScript(norm(f))))
      ) {
        rejected.push(group);
        continue;
      }
      results.set(group, { queries: ts7Queries(project, ast, sync, tree.owners, group.files, tree.files), diskFiles });
    }
  }
  return { results, rejected, close: () => closeQuietly(api, snapshot) };
}

/**
 * Ends the compiler process. Its stderr is this process's, and closing its input first makes it
 * print "context canceled" there; a kill first leaves nothing to print. The child is reached
 * through the client's fields (not public API); without them, the API's own close.
 */
function closeQuietly(api: API7, snapshot?: { dispose(): void }): void {
  try {
    snapshot?.dispose();
  } catch {
    // The process is gone already.
  }
  const child = (api as unknown as { client?: { channel?: { child?: { kill(signal: string): boolean } } } }).client
    ?.channel?.child;
  try {
    child?.kill('SIGKILL');
  } catch {
    // Already gone.
  }
  try {
    api.close();
  } catch {
    // A snapshot still open asks the killed process to drop it: nothing is left to release.
  }
}
