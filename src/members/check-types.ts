/**
 * The member check of a run: which files import which registry packages, at which versions,
 * their declarations, one virtual program, and the findings.
 */
import path from 'node:path';
import type { Lookup } from '../model/facts.js';
import { compareLocation, type Finding } from '../model/finding.js';
import type { ProjectScan } from '../model/references.js';
import type { PackageRequest } from '../model/request.js';
import type { RegistryClient } from '../registry/client.js';
import { typedPackageOf } from '../scan/package-name.js';
import { DeclarationLoader, type LoadedPackage, loadDeclarations } from './declarations.js';
import { NODE_KEY, prepareBuiltins, settleRemoved } from './builtins.js';
import { memberEngine, type MemberEngine, projectOnTypeScript7 } from './engine.js';
import { explainEsmOnly } from './esm-only.js';
import { planVariants, type Variant } from './importer-versions.js';
import { type Checked, mergeFindings, sourceFindings, underRegistryName } from './source-findings.js';
import { dropRuntimeDefined } from './runtime-defined.js';
import { deadlineFindings, failedFindings, type Unchecked } from './unchecked.js';
import { MemberResultCache, type ResultKey, resultKey } from './result-cache.js';
import { unnoted } from '../scan/observed-fs.js';
import { batches, inPrograms, MAX_PROGRAM_FILES } from './program-size.js';

export interface TypesCheckInput {
  scan: ProjectScan;
  requests: PackageRequest[];
  lookups: Map<string, Lookup>;
  client: RegistryClient;
  cacheDir?: string;
  /** Keep the member results in the cache directory for the next run over the same files. */
  keepResults?: boolean;
  /** Names no registry may be asked about (internal scopes): left out of the declaration closure. */
  isPrivate?: (name: string) => boolean;
  /** When the run must end (ms since the epoch, `--deadline`): no program is built, no file checked after it. */
  deadlineAt?: number;
  /** The clock the deadline is read on (tests give a fake one). */
  now?: () => number;
  /** The compiler behind the member check (default: DEPVERIFY_ENGINE, else the default engine). */
  engine?: MemberEngine;
  /** @internal Files per program at most (default MAX_PROGRAM_FILES; tests split small projects). */
  maxProgramFiles?: number;
}

/**
 * The member check, as a list of steps: plan which files see which versions, load the
 * declarations, say what the sources alone show, answer from the kept results if nothing
 * changed, check the programs (all of them, or after an edit the files it reaches), explain what
 * the checker found, keep the answer.
 */
export async function checkTypes(input: TypesCheckInput): Promise<Finding[]> {
  const { scan } = input;
  // Each importer's files are checked against the versions it installs (importer-versions.ts).
  // Node's own modules are checked with the files that import them, against @types/node (builtins.ts).
  const variants = planVariants(scan, input.requests, input.lookups, scan.builtins ?? []);
  if (variants.length === 0) return [];
  const loader = new DeclarationLoader(input.client, input.cacheDir, input.isPrivate);
  try {
    return await checkWith(input, variants, loader);
  } finally {
    // The runtime scans of packages fetched in this run, and their cache entries.
    await loader.settle();
  }
}

async function checkWith(input: TypesCheckInput, variants: Variant[], loader: DeclarationLoader): Promise<Finding[]> {
  const { scan } = input;
  const now = input.now ?? Date.now;
  const pastDeadline = (): boolean => input.deadlineAt !== undefined && now() >= input.deadlineAt;

  const loaded = await loadVariants(input, variants, loader);
  const { findings, checkedByVariant } = fromSources(loaded);
  if (checkedByVariant.every((c) => c.size === 0)) return findings;

  const workspaces = workspaceDirs(scan);
  const cache =
    input.cacheDir && input.keepResults !== false ? new MemberResultCache(input.cacheDir, scan.root) : undefined;
  const key = cache ? await memberResultKey(input, loaded, checkedByVariant, workspaces) : undefined;
  const kept = key ? await cache!.read(key) : undefined;
  if (kept && 'findings' in kept) return [...findings, ...kept.findings];
  // Beyond the kept results the reads are TypeScript's (configuration, declarations on disk),
  // which observed-fs does not see: this run's report cannot be reused as it stands.
  unnoted('the member check ran');
  // After an edit: only the files it can reach are checked; the others keep their findings.
  const partial = kept?.partial;
  memberCheckStats.partial = partial ? { rechecked: partial.recheck.size } : undefined;

  const checked = await checkPrograms(input, loaded, checkedByVariant, {
    workspaces,
    pastDeadline,
    ...(partial ? { only: partial.recheck } : {}),
  });
  const explained = await explainFound(input, loaded, checked.found, loader, pastDeadline);
  // In the order of the first place each names: the report merges findings of one name and
  // keeps the first one's details, so a partial check and a full one must list them alike.
  const members = [
    ...explained.findings,
    ...failedFindings(checked.failed),
    ...deadlineFindings(checked.late, input.deadlineAt),
    ...(partial?.kept ?? []),
  ].sort((a, b) => compareLocation(a.locations[0], b.locations[0]));
  // A checker failure, a deadline or an earlier major that could not be read is not an answer
  // to keep: the next run tries again.
  if (key && checked.failed.length === 0 && checked.late.length === 0 && explained.complete)
    await cache!.write(
      key,
      members,
      new Map([...checked.diskFiles].filter(([file]) => !key.covered.has(file))),
      partial?.others,
    );
  return [...findings, ...members];
}

type Loaded = Awaited<ReturnType<typeof loadVariants>>[number];

/** Each variant's declarations, and @types/node's for the files that use Node's modules. */
async function loadVariants(input: TypesCheckInput, variants: Variant[], loader: DeclarationLoader) {
  const { scan } = input;
  const builtinSites = scan.builtins ?? [];
  // The registry pass's version documents say whether a package names its `types`.
  const namesTypes = (name: string, version: string): boolean | undefined => {
    const lookup = input.lookups.get(name);
    return lookup?.state === 'found' && lookup.facts.versions[version]
      ? lookup.facts.versions[version]!.types !== undefined
      : undefined;
  };
  return Promise.all(
    variants.map(async (variant) => {
      // `@types/x` imported on its own is a declaration package already.
      const imported = new Map([...variant.imported].filter(([name]) => !name.startsWith('@types/')));
      // Sets the @types/node version in the variant's types when its files use Node's modules.
      const builtin = await prepareBuiltins(
        scan,
        builtinSites.filter((site) => variant.builtinFiles.has(site.file)),
        variant.projectTypes,
        loader,
      );
      const set = await loadDeclarations(loader, imported, variant.projectTypes, variant.locked, {
        namesTypes,
        aliases: variant.aliases,
      });
      return { variant, imported, set, builtin };
    }),
  );
}

/** What the sources and declarations alone say (subpaths, missing types), and per variant the packages to check. */
function fromSources(loaded: Loaded[]): { findings: Finding[]; checkedByVariant: Checked[] } {
  const staged: Finding[] = [];
  const checkedByVariant = loaded.map(({ variant, imported, set, builtin }) => {
    const said: Finding[] = [];
    const checked = sourceFindings(set, imported, variant.sites, said);
    staged.push(...underRegistryName(said, variant.aliases));
    staged.push(...builtin.findings);
    if (builtin.checked) {
      checked.set(NODE_KEY, builtin.checked);
      variant.sites.set(NODE_KEY, builtin.locations);
    }
    return checked;
  });
  return { findings: mergeFindings(staged), checkedByVariant };
}

/** Workspace packages resolve to their own directories, as the install links them. */
function workspaceDirs(scan: ProjectScan): Map<string, string> {
  const workspaces = new Map<string, string>();
  for (const m of scan.manifests)
    if (m.dir !== '' && m.name && !m.standalone) workspaces.set(m.name, path.join(scan.root, m.dir));
  return workspaces;
}

/** The kept results' key: the engine, the files, every declaration package and what was checked against it. */
function memberResultKey(
  input: TypesCheckInput,
  loaded: Loaded[],
  checkedByVariant: Checked[],
  workspaces: Map<string, string>,
): Promise<ResultKey> {
  const { scan } = input;
  const importedPackages = new Set(scan.imports.map((site) => site.packageName));
  const tag = (key: string, name: string): string => (key ? `${key}|${name}` : name);
  return resultKey({
    engine: memberEngine(input.engine),
    root: scan.root,
    files: [...new Set(loaded.flatMap(({ variant }) => variant.files))].sort(),
    packages: loaded.flatMap(({ variant, set }) =>
      [...set.packages.values()].map((p) => tag(variant.key, `${p.name}@${p.version}`)),
    ),
    checked: new Map(
      loaded.flatMap(({ variant }, i) =>
        [...checkedByVariant[i]!].map(([name, c]) => [tag(variant.key, name), c] as const),
      ),
    ),
    unavailable: new Map(
      loaded.flatMap(({ variant, set }) =>
        [...set.unknown].map(([name, why]) => [tag(variant.key, name), why] as const),
      ),
    ),
    bareName: (name) => {
      const dir = workspaces.get(name);
      if (dir !== undefined) return { workspace: path.relative(scan.root, dir).split(path.sep).join('/') };
      return importedPackages.has(name) ? 'registry' : undefined;
    },
  });
}

interface ProgramsResult {
  found: Finding[];
  failed: (Unchecked & { reason: string })[];
  late: Unchecked[];
  /** Files the programs read from disk, with their text. */
  diskFiles: Map<string, string>;
}

/**
 * The programs: per variant, one per set of compiler options (each file checked as its own
 * tsconfig has it), on the run's engine; with `only`, just those files.
 */
async function checkPrograms(
  input: TypesCheckInput,
  loaded: Loaded[],
  checkedByVariant: Checked[],
  run: { workspaces: Map<string, string>; pastDeadline: () => boolean; only?: Set<string> },
): Promise<ProgramsResult> {
  const { scan } = input;
  // The compiler loads only here, when the answer is not cached.
  const [{ createVirtualProgram }, { checkMembers }, { groupByConfig }] = await Promise.all([
    import('./program.js'),
    import('./members.js'),
    import('./project-config.js'),
  ]);
  const { workspaces, pastDeadline, only } = run;
  const maxFiles = input.maxProgramFiles ?? MAX_PROGRAM_FILES;
  const written = new Set(scan.imports.map((site) => `${site.file}\0${site.specifier}`));
  const isPackageImport = (file: string, specifier: string): boolean => written.has(`${file}\0${specifier}`);
  const out: ProgramsResult = { found: [], failed: [], late: [], diskFiles: new Map() };
  const parsed = new Map();
  const engine = memberEngine(input.engine);
  memberCheckStats.engine = engine;
  const onTypeScript7 = engine === 'ts7' && projectOnTypeScript7(scan);
  const npmSpecifierFiles = new Set(
    scan.imports.filter((site) => site.specifier.startsWith('npm:')).map((site) => path.join(scan.root, site.file)),
  );
  const declaring = new Map<string, boolean>();
  type Group = { files: string[]; setup: NonNullable<Parameters<typeof createVirtualProgram>[3]> };
  for (const [i, { variant, set }] of loaded.entries()) {
    const checked = checkedByVariant[i]!;
    if (checked.size === 0) continue;
    const files = only ? variant.files.filter((file) => only.has(file)) : variant.files;
    if (files.length === 0) continue;
    const configs = groupByConfig(scan.root, files, declaring);
    for (const [file, text] of configs.read) out.diskFiles.set(file, text);
    const groups: Group[] = configs.groups.map((group) => ({
      files: group.files,
      setup: { projectOptions: group.options, workspaces, declarations: group.declarations, parsed },
    }));
    const mine = { checked, sites: variant.sites, aliases: variant.aliases };
    // A deadline passed before a program is built: its files are not checked at all.
    const tooLate = (group: Group): void => {
      for (const file of group.files)
        out.late.push({ file: path.relative(scan.root, file).split(path.sep).join('/'), ...mine });
    };
    const check = (queries: Pick<Parameters<typeof checkMembers>[0], 'queries' | 'vp'>, group: Group): void => {
      memberCheckStats.programs++;
      const result = checkMembers({
        root: scan.root,
        ...queries,
        files: group.files,
        packages: checked,
        stop: pastDeadline,
        isPackageImport,
      });
      out.found.push(
        ...underRegistryName(
          result.findings.map((f) => withTypedByVersions(f, set.packages, variant.aliases)),
          variant.aliases,
        ),
      );
      out.failed.push(...result.failed.map((f) => ({ ...f, ...mine })));
      out.late.push(...result.skipped.map((file) => ({ file, ...mine })));
    };
    // `npm:x@1` specifiers resolve through TypeScript 6's resolution hook (program.ts), which
    // TypeScript 7's API has no counterpart for: programs with such files stay on TypeScript 6.
    const ts7Whole =
      engine === 'ts7' ? groups.filter((group) => !group.files.some((file) => npmSpecifierFiles.has(file))) : [];
    const ts6Groups = groups.filter((group) => !ts7Whole.includes(group));
    // Large groups in programs of at most `maxFiles` files on TypeScript 7. Not on TypeScript 6:
    // in this process the programs' garbage outgrows one program (1.3 GB whole, 2.0 GB in four
    // programs on 5,000 files; V8 collects it only under a heap limit, and then slowly).
    const ts7Groups = inPrograms(ts7Whole, maxFiles);
    // TypeScript 7 takes the groups it can, in one process per batch of at most `maxFiles` files,
    // one after the other (its memory is returned only when its process ends: the batches of one
    // process in turn peaked as high as one program); the rest go to TypeScript 6 below.
    for (const batch of batches(ts7Groups, maxFiles)) {
      if (pastDeadline()) {
        batch.forEach(tooLate);
        continue;
      }
      const { openTs7 } = await import('./engine-ts7.js');
      let ts7: ReturnType<typeof openTs7<Group>> | undefined;
      try {
        ts7 = openTs7(scan.root, batch, [...set.packages.values()], workspaces, { javaScript: onTypeScript7 });
      } catch {
        // The native compiler could not start or answer (no binary for this platform, a crash):
        // TypeScript 6 checks these groups, as it would have without the engine.
        ts7 = undefined;
      }
      if (!ts7) ts6Groups.push(...batch);
      else {
        try {
          for (const [group, { queries, diskFiles: read }] of ts7.results) {
            check({ queries }, group);
            for (const [file, text] of read) out.diskFiles.set(file, text);
          }
        } finally {
          ts7.close();
        }
        ts6Groups.push(...ts7.rejected);
      }
    }
    if (engine === 'ts7') memberCheckStats.ts6Fallbacks += ts6Groups.length;
    for (const group of ts6Groups) {
      if (pastDeadline()) {
        tooLate(group);
        continue;
      }
      let vp: ReturnType<typeof createVirtualProgram>;
      try {
        vp = createVirtualProgram(scan.root, group.files, set.packages.values(), group.setup);
      } catch {
        // Options the compiler cannot take (a config it rejects): the check's own defaults, as before.
        vp = createVirtualProgram(scan.root, group.files, set.packages.values(), {
          ...group.setup,
          projectOptions: undefined,
        });
      }
      check({ vp }, group);
      for (const [file, text] of vp.diskFiles) out.diskFiles.set(file, text);
    }
  }
  return out;
}

/**
 * What the checker found, explained: members Node removed, members the package's JavaScript
 * defines, ESM-only packages required, and names an earlier major had (on both engines alike).
 */
async function explainFound(
  input: TypesCheckInput,
  loaded: Loaded[],
  found: Finding[],
  loader: DeclarationLoader,
  pastDeadline: () => boolean,
): Promise<{ findings: Finding[]; complete: boolean }> {
  const [{ npmTarget }, { explainOlderMajors }] = await Promise.all([
    import('./program.js'),
    import('./older-majors.js'),
  ]);
  const allPackages = new Map(loaded.flatMap(({ set }) => [...set.packages]));
  return explainOlderMajors(
    explainEsmOnly(
      await dropRuntimeDefined(await settleRemoved(found, loader), loader, npmTarget),
      input.scan.imports,
      allPackages,
    ),
    { root: input.scan.root, loader, lookups: input.lookups, stop: pastDeadline },
  );
}

/**
 * `details.typedBy` (the packages whose declarations type the receiver) as `name@version` of
 * the runtime packages in the variant's closure: `@types/x` stands for x, when x is there, and
 * an alias's package for the alias (the name the registry knows, never the alias).
 */
function withTypedByVersions(f: Finding, packages: Map<string, LoadedPackage>, aliases: Map<string, string>): Finding {
  const typedBy = f.details?.typedBy;
  if (!Array.isArray(typedBy)) return f;
  const runtime = new Set<string>();
  for (const name of typedBy) {
    const runtimeName = typeof name === 'string' && name.startsWith('@types/') ? typedPackageOf(name) : name;
    const pkg = typeof runtimeName === 'string' ? packages.get(runtimeName) : undefined;
    if (pkg && pkg.name !== f.package) runtime.add(`${aliases.get(pkg.name) ?? pkg.name}@${pkg.version}`);
  }
  const { typedBy: _typedBy, ...details } = f.details!;
  return { ...f, details: runtime.size ? { ...details, typedBy: [...runtime].sort() } : details };
}

/** Work the member check did in this process (tests read it to see a cached run do none). */
export const memberCheckStats: {
  programs: number;
  engine?: MemberEngine;
  ts6Fallbacks: number;
  /** The last partial re-check: how many files an edit reached. */
  partial?: { rechecked: number };
} = {
  programs: 0,
  ts6Fallbacks: 0,
};
