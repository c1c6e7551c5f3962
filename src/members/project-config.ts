/**
 * The compiler options a project's own tsconfig/jsconfig gives each of its files, so the member
 * check sees what the project's compiler sees: `strict` and friends, `lib`, `types`, `jsx`,
 * module resolution, `paths`/`baseUrl`/`rootDirs`, `extends` chains, and the project's own
 * declaration files (`global.d.ts`, `declare module` augmentations) the config includes.
 * Solution-style configs (`files: []` with `references`) hand a file to the referenced project
 * that includes it. A config that cannot be read leaves its files on the defaults.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/**
 * Where and what a project emits: no effect on what a member's type is, and the member check
 * emits nothing. Dropped from a program's options (so configs differing only there share one
 * program, and `composite`'s "file not listed" never rejects a program of several configs).
 */
const EMIT_OPTIONS = [
  'outDir',
  'rootDir',
  'declaration',
  'declarationDir',
  'declarationMap',
  'emitDeclarationOnly',
  'sourceMap',
  'inlineSourceMap',
  'inlineSources',
  'sourceRoot',
  'mapRoot',
  'composite',
  'incremental',
  'tsBuildInfoFile',
  'noEmit',
  'noEmitOnError',
  'removeComments',
  'stripInternal',
  'newLine',
  'emitBOM',
] as const;

/**
 * Options that only add diagnostics of their own (unused names, import style, syntax the
 * project avoids), none of them a member check's: left out of the grouping key, kept in the
 * options (the first config's value).
 */
const NO_TYPE_EFFECT = {
  configFilePath: undefined,
  configFile: undefined,
  noUnusedLocals: undefined,
  noUnusedParameters: undefined,
  noImplicitReturns: undefined,
  noFallthroughCasesInSwitch: undefined,
  verbatimModuleSyntax: undefined,
  erasableSyntaxOnly: undefined,
  isolatedModules: undefined,
  isolatedDeclarations: undefined,
  allowUnreachableCode: undefined,
  allowUnusedLabels: undefined,
  forceConsistentCasingInFileNames: undefined,
};

/**
 * Groups whose options differ only in emit options and diagnostics-only checks (a monorepo's
 * packages, each with its own `outDir`, `rootDir`, `tsBuildInfoFile`), and whose declaring files
 * are the same (so no package's augmentation reaches another's files), share one program, its
 * emit options dropped. Any other group is as it was.
 */
function shareWhereOnlyEmitDiffers(groups: ConfigGroup[]): ConfigGroup[] {
  const shared = new Map<string, ConfigGroup[]>();
  const alone: ConfigGroup[] = [];
  for (const group of groups) {
    if (!group.options) {
      alone.push(group);
      continue;
    }
    const key = JSON.stringify([{ ...withoutEmitOptions(group.options), ...NO_TYPE_EFFECT }, group.declarations]);
    const list = shared.get(key);
    if (list) list.push(group);
    else shared.set(key, [group]);
  }
  const out = [...alone];
  for (const list of shared.values()) {
    if (list.length === 1) out.push(list[0]!);
    else
      out.push({
        options: withoutEmitOptions(list[0]!.options!),
        files: list.flatMap((g) => g.files),
        declarations: list[0]!.declarations,
      });
  }
  return out;
}

function withoutEmitOptions(options: TypeScript.CompilerOptions): TypeScript.CompilerOptions {
  const kept = { ...options };
  for (const name of EMIT_OPTIONS) delete kept[name];
  return kept;
}

export interface ConfigGroup {
  /** The config's options as the project's compiler would use them (undefined: no config found). */
  options: TypeScript.CompilerOptions | undefined;
  /** The files of the run this config governs (absolute). */
  files: string[];
  /**
   * The project's own declarations the config includes: its `.d.ts` files, and its other
   * TypeScript files that declare modules or globals (`declare module 'vfile' { … }`,
   * `declare global`, `declare module 'x';`), whichever files import what.
   */
  declarations: string[];
}

/** Larger files are generated or bundled code, not where a project declares its augmentations. */
const DECLARING_MAX_BYTES = 512 * 1024;
const DECLARES = /\bdeclare\s+(?:module\s*['"]|global\s*\{)/;
/** How many configs the references of one config are followed to (a monorepo's graph is rarely deeper). */
const MAX_REFERENCED = 64;
const TS_SOURCE = /\.(?:[mc]?ts|tsx)$/;
const DECLARATION = /\.d\.[mc]?ts$/;

interface Parsed {
  options: TypeScript.CompilerOptions;
  fileNames: Set<string>;
  references: string[];
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * Groups `files` by the config that governs each; files under `root` only look up to `root`.
 * `declaring`: which files declare modules or globals, as read so far (one map per run).
 * `read`: the config files read (extends chains included), with their text, so a cached answer
 * is dropped when one changes.
 */
export function groupByConfig(
  root: string,
  files: string[],
  declaring = new Map<string, boolean>(),
): { groups: ConfigGroup[]; read: Map<string, string> } {
  const read = new Map<string, string>();
  const parsedCache = new Map<string, Parsed | undefined>();
  const parse = (file: string): Parsed | undefined => {
    if (parsedCache.has(file)) return parsedCache.get(file);
    let parsed: Parsed | undefined;
    try {
      const host: TypeScript.ParseConfigFileHost = {
        ...ts.sys,
        useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
        getCurrentDirectory: () => path.dirname(file),
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      };
      const cl = ts.getParsedCommandLineOfConfigFile(file, undefined, {
        ...host,
        readFile: (p) => {
          const text = ts.sys.readFile(p);
          if (text !== undefined && /\.json$/.test(p)) read.set(path.resolve(p), text);
          return text;
        },
      });
      if (cl) {
        parsed = {
          options: cl.options,
          fileNames: new Set(cl.fileNames.map((f) => path.resolve(f))),
          references: (cl.projectReferences ?? []).map((r) =>
            isFile(r.path) ? r.path : path.join(r.path, 'tsconfig.json'),
          ),
        };
      }
    } catch {
      parsed = undefined;
    }
    parsedCache.set(file, parsed);
    return parsed;
  };
  /** A declaration file, or a TypeScript file whose text declares a module or a global (`declaring`: the answers so far, shared by a run's calls). */
  const declares = (file: string): boolean => {
    if (DECLARATION.test(file)) return true;
    if (!TS_SOURCE.test(file)) return false;
    let known = declaring.get(file);
    if (known === undefined) {
      try {
        known = statSync(file).size <= DECLARING_MAX_BYTES && DECLARES.test(readFileSync(file, 'utf8'));
      } catch {
        known = false;
      }
      declaring.set(file, known);
    }
    return known;
  };
  const nearestCache = new Map<string, string | undefined>();
  const nearest = (dir: string): string | undefined => {
    if (nearestCache.has(dir)) return nearestCache.get(dir);
    let found = CONFIG_NAMES.map((n) => path.join(dir, n)).find(isFile);
    const up = path.dirname(dir);
    if (!found && dir !== root && up !== dir && (dir + path.sep).startsWith(root + path.sep)) found = nearest(up);
    nearestCache.set(dir, found);
    return found;
  };
  /** The config that includes `file`: the nearest, or one it references (depth-limited). */
  const governing = (file: string): string | undefined => {
    const first = nearest(path.dirname(file));
    if (!first) return undefined;
    const seen = new Set<string>();
    const queue = [first];
    while (queue.length && seen.size < 32) {
      const config = queue.shift()!;
      if (seen.has(config)) continue;
      seen.add(config);
      const parsed = parse(config);
      if (!parsed) continue;
      if (parsed.fileNames.has(file)) return config;
      queue.push(...parsed.references);
    }
    return first;
  };

  /** The config and the ones it references, transitively (at most MAX_REFERENCED). */
  const referencedConfigs = (config: string): string[] => {
    const seen = new Set<string>();
    const queue = [config];
    while (queue.length && seen.size < MAX_REFERENCED) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(parse(next)?.references ?? []));
    }
    return [...seen];
  };

  const byConfig = new Map<string | undefined, string[]>();
  for (const file of files) {
    const config = governing(file);
    const list = byConfig.get(config) ?? [];
    list.push(file);
    byConfig.set(config, list);
  }
  // Configs with the same effective options share one program (monorepo packages extending a base).
  const merged = new Map<string, ConfigGroup>();
  for (const [config, list] of byConfig) {
    const parsed = config ? parse(config) : undefined;
    const options = parsed?.options;
    const key = options ? JSON.stringify({ ...options, configFilePath: undefined, configFile: undefined }) : '';
    const group = merged.get(key) ?? { options, files: [], declarations: [] };
    group.files.push(...list);
    // The projects it references too: the compiler sees a referenced project's declarations
    // (built, or its sources in their place), augmentations included, wherever they are imported.
    if (config)
      for (const own of referencedConfigs(config))
        for (const f of parse(own)?.fileNames ?? [])
          if (!f.includes(`${path.sep}node_modules${path.sep}`) && declares(f)) group.declarations.push(f);
    merged.set(key, group);
  }
  for (const group of merged.values()) group.declarations = [...new Set(group.declarations)].sort();
  return { groups: shareWhereOnlyEmitDiffers([...merged.values()]), read };
}
