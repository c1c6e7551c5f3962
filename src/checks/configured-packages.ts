/**
 * Packages named outside the source code: by tsconfig options (`types`, `jsxImportSource`) and by
 * the commands package.json scripts run. Runs after the registry lookups, since which commands a
 * declared package provides is in its version documents (`bin`); names nothing declares are
 * looked up on their own, and only to say whether they exist.
 */
import { envValue, existsSync } from '../scan/observed-fs.js';
import path from 'node:path';
import { makeFinding } from '../model/codes.js';
import type { Lookup } from '../model/facts.js';
import type { Finding, Location } from '../model/finding.js';
import type { ConfigPackageReference, Lockfile, Manifest, ProjectScan } from '../model/references.js';
import type { PackageRequest } from '../model/request.js';
import { isValidPackageName } from '../scan/package-name.js';
import { scriptCommands } from '../scan/script-commands.js';
import { resolveVersion } from '../plan/resolve-version.js';

export interface ConfiguredInput {
  scan: ProjectScan;
  requests: readonly PackageRequest[];
  lookups: ReadonlyMap<string, Lookup>;
  /** Looks up a name no request asked about (cached by the client). */
  lookup(name: string): Promise<Lookup>;
  /** Internal scopes and ignored packages: never looked up, never reported. */
  isSkipped(name: string): boolean;
  /** Whether a command is installed on this machine outside any node_modules (a system tool). Defaults to a PATH search. */
  onPath?: (command: string) => boolean;
}

/** `@types/x` for `x`, `@types/scope__x` for `@scope/x`. */
function typesPackageOf(name: string): string {
  if (name.startsWith('@types/')) return name;
  return name.startsWith('@') ? `@types/${name.slice(1).replace('/', '__')}` : `@types/${name}`;
}

/** The manifests whose declarations a file at `file` can use: its nearest package.json and every one above. */
function chainOf(file: string, manifests: readonly Manifest[]): Manifest[] {
  return manifests.filter((m) => m.dir === '' || file.startsWith(`${m.dir}/`));
}

export async function checkConfiguredPackages(input: ConfiguredInput): Promise<Finding[]> {
  // Without a root manifest there is nothing to be declared in (a folder of loose files).
  if (!input.scan.manifests.some((m) => m.dir === '')) return [];
  const [config, scripts] = await Promise.all([checkConfigReferences(input), checkScriptCommands(input)]);
  return [...config, ...scripts];
}

async function checkConfigReferences(input: ConfiguredInput): Promise<Finding[]> {
  const { manifests } = input.scan;
  const local = new Set(manifests.flatMap((m) => (m.name ? [m.name] : [])));
  // Any package.json of the project declaring it: a root or sibling declaration is what a
  // workspace's config (or a shared base it extends) resolves through hoisting.
  const declaredAnywhere = new Set(
    manifests.filter((m) => !m.standalone).flatMap((m) => m.dependencies.map((d) => d.name)),
  );
  const namesOf = (lockfile: Lockfile | undefined): Set<string> => new Set(lockfile?.packages.map((p) => p.name) ?? []);
  const rootLocked = namesOf(input.scan.lockfile);
  // A standalone nested project is installed from its own lockfile, not the root's.
  const lockedFor = (file: string): Set<string> => {
    const own = chainOf(file, manifests)
      .filter((m) => m.standalone)
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    return own ? namesOf(own.lockfile) : rootLocked;
  };
  const findings: Finding[] = [];
  const byEntry = new Map<string, ConfigPackageReference[]>();
  for (const ref of input.scan.configPackages ?? []) {
    const chain = chainOf(ref.file, manifests);
    if (chain.some((m) => m.unreadable)) continue;
    const candidates = ref.packageName.startsWith('@types/')
      ? [ref.packageName]
      : [ref.packageName, typesPackageOf(ref.packageName)];
    if (candidates.some((c) => local.has(c) || input.isSkipped(c))) continue;
    const standalone = chain.some((m) => m.standalone);
    const declared = (name: string): boolean =>
      standalone ? chain.some((m) => m.dependencies.some((d) => d.name === name)) : declaredAnywhere.has(name);
    if (candidates.some(declared)) continue;
    const key = `${ref.option}\0${ref.packageName}`;
    byEntry.set(key, [...(byEntry.get(key) ?? []), ref]);
  }
  await Promise.all(
    [...byEntry.values()].map(async (refs) => {
      const ref = refs[0]!;
      const candidates = ref.packageName.startsWith('@types/')
        ? [ref.packageName]
        : [ref.packageName, typesPackageOf(ref.packageName)];
      const answers = await Promise.all(
        candidates.map(async (c) => ({ name: c, lookup: input.lookups.get(c) ?? (await input.lookup(c)) })),
      );
      const locations: Location[] = refs.map((r) => ({
        file: r.file,
        ...(r.line === undefined ? {} : { line: r.line }),
        field: `compilerOptions.${r.option}`,
      }));
      const option = `compilerOptions.${ref.option}`;
      const what = ref.option === 'types' ? `the type package "${ref.entry}"` : `the JSX import source "${ref.entry}"`;
      const names = candidates.join(' or ');
      if (answers.every((a) => a.lookup.state === 'missing' && a.lookup.reason === 'not-found')) {
        findings.push(
          makeFinding('NOT_FOUND', {
            package: ref.packageName,
            message: `${ref.file} names ${what} in ${option}, but no package ${names} exists on the registry.`,
            hint: 'TypeScript fails to find it. Fix the name, or remove the entry; do not install a package of that name without checking it.',
            locations,
            details: { option: ref.option, entry: ref.entry, candidates },
          }),
        );
        return;
      }
      const found = answers.filter((a) => a.lookup.state === 'found').map((a) => a.name);
      const install = found[found.length - 1] ?? candidates[candidates.length - 1]!;
      // Installed today as another package's dependency (hoisted): works with npm and yarn, not with pnpm.
      const lockedNames = lockedFor(ref.file);
      const locked = candidates.filter((c) => lockedNames.has(c));
      const today = locked.length
        ? ` ${locked.join(' and ')} is installed only as a dependency of another package.`
        : '';
      findings.push(
        makeFinding('UNLISTED_DEPENDENCY', {
          package: ref.packageName,
          message: `${ref.file} names ${what} in ${option}, but no package.json declares ${names}.${today}`,
          hint: `Declare it (npm install --save-dev ${install}) after checking it is the package you mean, or remove the entry.`,
          locations,
          details: {
            option: ref.option,
            entry: ref.entry,
            candidates,
            ...(found.length ? { exists: found } : {}),
            ...(locked.length ? { locked } : {}),
          },
        }),
      );
    }),
  );
  return findings;
}

async function checkScriptCommands(input: ConfiguredInput): Promise<Finding[]> {
  const { manifests } = input.scan;
  const withScripts = manifests.filter((m) => m.scripts?.length && !m.unreadable);
  if (withScripts.length === 0) return [];
  /** The commands a package installs at the version asked for; `undefined`: not known. */
  const binsOf = (name: string, request: PackageRequest | undefined): readonly string[] | undefined => {
    const lookup = input.lookups.get(name);
    if (lookup?.state !== 'found') return undefined;
    const facts = lookup.facts;
    // A request that resolves to no version installs nothing known, not the latest version's bins.
    const resolution = request ? resolveVersion(facts, request) : undefined;
    const version = resolution ? (resolution.ok ? resolution.version : undefined) : facts.distTags.latest;
    return version === undefined ? undefined : facts.versions[version]?.bins;
  };
  // Requests by the declaration they came from, to read each declared package at its version.
  const byDeclaration = new Map<string, PackageRequest>();
  for (const r of input.requests)
    if (r.source === 'manifest') for (const l of r.locations) byDeclaration.set(`${l.file}\0${l.field}`, r);
  // Every workspace's own bins are linked for the others.
  const workspaceBins = new Set(manifests.filter((m) => !m.standalone).flatMap((m) => m.bins ?? []));
  const workspaceBinsUnknown = manifests.some((m) => !m.standalone && m.binsUnknown);
  const workspaceNames = new Set(manifests.filter((m) => !m.standalone && m.name).map((m) => m.name!));
  // Bins of every package the root lockfile locks, at its locked version: hoisted, npm and yarn
  // link them too. (A standalone project's own lockfile is read only for its declarations.)
  const lockedBins = new Map<string, string[]>();
  if (input.scan.lockfile) {
    for (const entry of input.scan.lockfile.packages) {
      if (entry.local) continue;
      const request: PackageRequest = { name: entry.name, locked: entry.version, source: 'lockfile', locations: [] };
      for (const bin of binsOf(entry.name, request) ?? [])
        lockedBins.set(bin, [...new Set([...(lockedBins.get(bin) ?? []), entry.name])]);
    }
  }
  const onPath = input.onPath ?? onSystemPath;
  type Pending = {
    bin: string;
    via: 'plain' | 'local' | 'download';
    location: Location;
    transitive: string[];
    script?: true;
  };
  const pending: Pending[] = [];
  for (const manifest of withScripts) {
    const chain = manifest.standalone
      ? chainOf(manifest.path, manifests).filter((m) => m === manifest || !m.standalone)
      : chainOf(manifest.path, manifests);
    const provided = new Set<string>([...(manifest.bins ?? []), ...(manifest.standalone ? [] : workspaceBins)]);
    let unknown = manifest.binsUnknown === true || (!manifest.standalone && workspaceBinsUnknown);
    for (const m of chain) {
      for (const dep of m.dependencies) {
        if (dep.kind === 'workspace' || workspaceNames.has(dep.name)) {
          for (const w of manifests) {
            if (w.name !== dep.name) continue;
            if (w.binsUnknown) unknown = true;
            for (const b of w.bins ?? []) provided.add(b);
          }
          continue;
        }
        if ((dep.kind !== 'registry' && dep.kind !== 'alias') || !dep.registryName) {
          unknown = true; // a git, file or tarball dependency: which commands it provides is not known
          continue;
        }
        if (input.isSkipped(dep.registryName)) {
          unknown = true;
          continue;
        }
        const bins = binsOf(dep.registryName, byDeclaration.get(`${m.path}\0${dep.field}.${dep.name}`));
        if (bins === undefined) unknown = true;
        else for (const b of bins) provided.add(b);
      }
    }
    // A declared package that could not be read may provide any command: nothing is claimed.
    if (unknown) continue;
    const scriptNames = new Set((manifest.scripts ?? []).map((s) => s.name));
    for (const script of manifest.scripts ?? []) {
      for (const { bin, via } of scriptCommands(script.command)) {
        // npx runs a declared package by its name too, whatever its commands are called.
        if (provided.has(bin) || (via === 'download' && chain.some((m) => m.dependencies.some((d) => d.name === bin))))
          continue;
        const location: Location = {
          file: manifest.path,
          ...(script.line === undefined ? {} : { line: script.line }),
          field: `scripts.${script.name}`,
        };
        pending.push({
          bin,
          via,
          location,
          transitive: via === 'download' || manifest.standalone ? [] : (lockedBins.get(bin) ?? []),
          ...(scriptNames.has(bin) ? { script: true as const } : {}),
        });
      }
    }
  }
  if (pending.length === 0) return [];
  const byBin = new Map<string, Pending[]>();
  // One finding per command and per answer: a transitive provider is named only where it installs.
  for (const p of pending) {
    const key = `${p.bin}\0${p.transitive.join(',')}`;
    byBin.set(key, [...(byBin.get(key) ?? []), p]);
  }
  const findings: Finding[] = [];
  await Promise.all(
    [...byBin.values()].map(async (uses) => {
      const bin = uses[0]!.bin;
      const locations = uses.map((u) => u.location);
      const transitive = uses[0]!.transitive;
      const base = { package: bin, locations };
      if (transitive.length) {
        const by = transitive.slice(0, 3).join(', ');
        findings.push(
          makeFinding('UNLISTED_BINARY', {
            ...base,
            message: `Script runs ${bin}, which only ${by} provides, and no package.json declares ${transitive.length === 1 ? 'it' : 'them'}: it is installed as a dependency of another package.`,
            hint: `npm and yarn link the commands of hoisted packages, pnpm does not. Declare ${transitive[0]} in devDependencies.`,
            details: { bin, providers: transitive, declared: false },
          }),
        );
        return;
      }
      const named =
        isValidPackageName(bin) && !input.isSkipped(bin)
          ? (input.lookups.get(bin) ?? (await input.lookup(bin)))
          : undefined;
      const runner = uses.some((u) => u.via !== 'plain');
      if (named?.state === 'missing' && named.reason === 'not-found' && runner && !onPath(bin)) {
        findings.push(
          makeFinding('NOT_FOUND', {
            ...base,
            message: `Script runs ${bin} as a package command, but no declared package provides it and no package ${bin} exists on the registry.`,
            hint: 'The script fails. Fix the command name, or declare the package that provides it.',
            details: { bin, reason: 'not-found' },
          }),
        );
        return;
      }
      // npx and its kind fetch a package that exists: what they are for, not a hidden dependency.
      if (uses.every((u) => u.via === 'download') && named?.state === 'found') return;
      const exists = named?.state === 'found' ? true : named?.state === 'missing' ? false : undefined;
      const asScript = uses.some((u) => u.script)
        ? ` ${bin} is also a script of this package.json: \`npm run ${bin}\` runs it.`
        : '';
      const about =
        exists === true
          ? `a package named ${bin} exists, but no package.json declares it`
          : exists === false
            ? `no package of that name exists either (a system tool?)`
            : named === undefined
              ? 'no declared package provides it'
              : `whether a package ${bin} exists could not be checked`;
      findings.push(
        makeFinding('UNLISTED_BINARY', {
          ...base,
          message: `Script runs ${bin}, which no declared package provides: ${about}.${asScript}`,
          hint:
            exists === false
              ? `If ${bin} is not a tool every machine running the script has, declare the package that provides it, or fix the name.`
              : `It works only where ${bin} is installed globally. Declare the package that provides it in devDependencies (check it is the one you mean).`,
          details: { bin, ...(exists === undefined ? {} : { exists }), declared: false },
        }),
      );
    }),
  );
  return findings;
}

/** Whether `command` is on PATH outside any node_modules (a tool of the machine, not a package's). */
function onSystemPath(command: string): boolean {
  const dirs = (envValue(process.env, 'PATH') ?? '')
    .split(path.delimiter)
    .filter((d) => d && !d.includes('node_modules'));
  const names = process.platform === 'win32' ? [command, `${command}.exe`, `${command}.cmd`] : [command];
  return dirs.some((d) => names.some((n) => existsSync(path.join(d, n))));
}
