/**
 * The member check of a run: which files import which registry packages, at which versions,
 * their declarations, one virtual program, and the findings.
 */
import path from 'node:path';
import { resolveVersion } from '../checks/resolve-version.js';
import type { Lookup } from '../model/facts.js';
import type { Finding, Location } from '../model/finding.js';
import type { ProjectScan } from '../model/references.js';
import type { PackageRequest } from '../model/request.js';
import type { RegistryClient } from '../registry/client.js';
import { DeclarationLoader, loadDeclarations } from './declarations.js';
import { NODE_KEY, prepareBuiltins, settleRemoved } from './builtins.js';
import { explainEsmOnly } from './esm-only.js';
import { runtimeDefines } from './runtime-names.js';
import { MemberResultCache, resultKey } from './result-cache.js';

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
}

/** The version of `name` the project would install: locked, else the manifest range's pick, else latest. */
function versionFor(name: string, lookup: Lookup, requests: PackageRequest[]): string | undefined {
  if (lookup.state !== 'found') return undefined;
  const mine = requests.filter((r) => r.name === name);
  const order = [...mine.filter((r) => r.locked !== undefined && r.source === 'manifest'), ...mine.filter((r) => r.source === 'manifest'), ...mine];
  for (const request of order.length ? order : [{ name, source: 'import' as const, locations: [] }]) {
    const resolution = resolveVersion(lookup.facts, request);
    if (resolution.ok) return resolution.version;
  }
  return undefined;
}

export async function checkTypes(input: TypesCheckInput): Promise<Finding[]> {
  const { scan } = input;
  const byPackage = new Map<string, Location[]>();
  const files = new Set<string>();
  for (const site of scan.imports) {
    if (input.lookups.get(site.packageName)?.state !== 'found') continue;
    files.add(path.join(scan.root, site.file));
    const list = byPackage.get(site.packageName) ?? [];
    list.push({ file: site.file, line: site.line, column: site.column });
    byPackage.set(site.packageName, list);
  }
  const builtinSites = scan.builtins ?? [];
  if (files.size === 0 && builtinSites.length === 0) return [];

  const imported = new Map<string, string>();
  for (const name of byPackage.keys()) {
    const version = versionFor(name, input.lookups.get(name)!, input.requests);
    if (version) imported.set(name, version);
  }
  // `@types/x` imported on its own is a declaration package already.
  for (const name of [...imported.keys()]) if (name.startsWith('@types/')) imported.delete(name);
  // The project's own @types/x (declared or locked) is what its editor and tsc see.
  const projectTypes = new Map<string, string>();
  for (const name of new Set(input.requests.map((r) => r.name).filter((n) => n.startsWith('@types/')))) {
    const lookup = input.lookups.get(name);
    const version = lookup && versionFor(name, lookup, input.requests);
    if (version) projectTypes.set(name, version);
  }
  const loader = new DeclarationLoader(input.client, input.cacheDir, input.isPrivate);
  const builtin = await prepareBuiltins(scan, builtinSites, projectTypes, loader);
  for (const file of builtin.files) files.add(path.join(scan.root, file));
  if (builtin.locations.length) byPackage.set(NODE_KEY, builtin.locations);
  const locked = new Map<string, string[]>();
  for (const entry of scan.lockfile?.packages ?? []) {
    if (entry.local || (entry.source && entry.source !== 'registry')) continue;
    const list = locked.get(entry.name) ?? [];
    list.push(entry.version);
    locked.set(entry.name, list);
  }
  const set = await loadDeclarations(loader, imported, projectTypes, locked);

  const findings: Finding[] = [];
  const checked = new Map<string, { version: string; typesFrom: string }>();
  for (const [name, source] of set.sources) {
    const version = imported.get(name)!;
    if (source.kind === 'none') {
      if (source.unknown) {
        findings.push({
          code: 'TYPES_UNKNOWN',
          severity: 'warning',
          package: name,
          version,
          message: `Could not read the type declarations of ${name}@${version}: ${source.reason}. Its members were not checked.`,
          hint: 'Nothing is claimed about the members used from this package; run again, or check the registry configuration.',
          locations: byPackage.get(name) ?? [],
          details: { reason: source.reason },
        });
      } else {
        const notAsked = / was not asked for: /.test(source.reason);
        findings.push({
          code: 'TYPES_UNAVAILABLE',
          severity: 'info',
          package: name,
          version,
          message: notAsked
            ? `${name}@${version} has no type declarations of its own, and ${source.reason}: its members were not checked.`
            : `${name}@${version} has no type declarations and no @types package: its members were not checked.`,
          hint: 'Nothing is claimed about the members used from this package.',
          locations: byPackage.get(name) ?? [],
          details: { reason: source.reason, unavailable: notAsked ? 'not-asked' : 'no-types' },
        });
      }
      continue;
    }
    const lost = set.incomplete.get(name);
    if (lost?.size) {
      const [first, reason] = [...lost][0]!;
      findings.push({
        code: 'TYPES_UNKNOWN',
        severity: 'warning',
        package: name,
        version,
        message: `Could not read ${lost.size === 1 ? first : `${lost.size} packages (${[...lost.keys()].sort().join(', ')})`}, which the declarations of ${name}@${version} use: ${reason}. Its members were checked without ${lost.size === 1 ? 'it' : 'them'}.`,
        hint: 'Members typed by the missing declarations were not checked; run again, or check the registry configuration.',
        locations: byPackage.get(name) ?? [],
        details: { reason, missing: Object.fromEntries(lost) },
      });
    }
    checked.set(name, { version, typesFrom: `${source.package.name}@${source.package.version}` });
  }
  findings.push(...builtin.findings);
  if (builtin.checked) checked.set(NODE_KEY, builtin.checked);
  if (checked.size === 0) return findings;
  const rootFiles = [...files].sort();
  const cache = input.cacheDir && input.keepResults !== false ? new MemberResultCache(input.cacheDir, scan.root) : undefined;
  const key = cache
    ? await resultKey({ root: scan.root, files: rootFiles, packages: [...set.packages.values()].map((p) => `${p.name}@${p.version}`), checked, unavailable: set.unknown })
    : undefined;
  const cached = key ? await cache!.read(key.key) : undefined;
  if (cached) return [...findings, ...cached];
  // The compiler loads only here, when the answer is not cached.
  const [{ createVirtualProgram }, { checkMembers }, { groupByConfig }] = await Promise.all([import('./program.js'), import('./members.js'), import('./project-config.js')]);
  memberCheckStats.programs++;
  // Workspace packages resolve to their own directories, as the install links them.
  const workspaces = new Map<string, string>();
  for (const m of scan.manifests) if (m.dir !== '' && m.name && !m.standalone) workspaces.set(m.name, path.join(scan.root, m.dir));
  const parsed = new Map();
  const found: Finding[] = [];
  const failed: { file: string; reason: string }[] = [];
  const diskFiles = new Map<string, string>();
  // One program per set of compiler options: each file is checked as its own tsconfig has it.
  const configs = groupByConfig(scan.root, rootFiles);
  for (const [file, text] of configs.read) diskFiles.set(file, text);
  for (const group of configs.groups) {
    const setup = { projectOptions: group.options, workspaces, declarations: group.declarations, parsed };
    let vp: ReturnType<typeof createVirtualProgram>;
    try {
      vp = createVirtualProgram(scan.root, group.files, set.packages.values(), setup);
    } catch {
      // Options the compiler cannot take (a config it rejects): the check's own defaults, as before.
      vp = createVirtualProgram(scan.root, group.files, set.packages.values(), { ...setup, projectOptions: undefined });
    }
    const result = checkMembers({ root: scan.root, vp, files: group.files, packages: checked });
    found.push(...result.findings);
    failed.push(...result.failed);
    for (const [file, text] of vp.diskFiles) diskFiles.set(file, text);
  }
  const members = explainEsmOnly(await dropRuntimeDefined(await settleRemoved(found, loader), loader), scan.imports, set.packages);
  for (const { file, reason } of failed) {
    const here = [...byPackage].filter(([name, locations]) => checked.has(name) && locations.some((l) => l.file === file));
    for (const [name, locations] of here) {
      members.push({
        code: 'TYPES_UNKNOWN',
        severity: 'warning',
        package: name === NODE_KEY ? 'node' : name,
        version: checked.get(name)!.version,
        message: `The type checker failed on ${file} (${reason}): the members ${file} uses from ${name === NODE_KEY ? "Node's own modules" : name} were not checked.`,
        hint: 'Nothing is claimed about the members this file uses; the rest of the project was checked.',
        locations: locations.filter((l) => l.file === file),
        details: { reason, file },
      });
    }
  }
  // A checker failure is not an answer to keep: the next run tries again.
  if (key && failed.length === 0) await cache!.write(key.key, members, new Map([...diskFiles].filter(([file]) => !key.covered.has(file))));
  findings.push(...members);
  return findings;
}

/** Work the member check did in this process (tests read it to see a cached run do none). */
export const memberCheckStats = { programs: 0 };

/**
 * Declarations lag the runtime (`router.onBadUrl` set in a constructor, `ejs.__express`): a
 * member the package's own JavaScript defines is not invented, whatever its types say.
 */
async function dropRuntimeDefined(findings: Finding[], loader: DeclarationLoader): Promise<Finding[]> {
  const kept: Finding[] = [];
  for (const f of findings) {
    const name = f.details?.name;
    // A missing default export (1192, 2613) names the local binding, not an export: not searched.
    if ((f.code === 'INVENTED_MEMBER' || f.code === 'INVENTED_EXPORT') && typeof name === 'string' && f.version && !f.package.startsWith(NODE_KEY) && f.details?.ts !== 1192 && f.details?.ts !== 2613) {
      const pkg = await loader.load(f.package, f.version);
      const specifier = typeof f.details?.specifier === 'string' ? f.details.specifier : f.package;
      if (typeof pkg !== 'string' && pkg.runtime && runtimeDefines(pkg.runtime, pkg.files.get('package.json'), f.package, specifier, name, f.details?.of === 'value' ? 'value' : 'module')) continue;
    }
    kept.push(f);
  }
  return kept;
}
