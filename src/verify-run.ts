import pLimit from 'p-limit';
import { checkConfiguredPackages } from './checks/configured-packages.js';
import {
  type CheckContext,
  PACKAGE_CHECKS,
  type PackageInput,
  type Popularity,
  popularityQuestions,
  PROJECT_CHECKS,
  wantsDownloads,
} from './checks/index.js';
import type { PopularIndex } from './popularity/popular-index.js';
import type { Lookup } from './model/facts.js';
import { type FindingDetails, isFindingOf } from './model/finding-details.js';
import type { Finding } from './model/finding.js';
import type { ProjectScan } from './model/references.js';
import type { Report } from './model/report.js';
import type { PackageRequest } from './model/request.js';
import { createPopularity, type PopularitySource } from './popularity/popularity.js';
import { preparePopularity } from './popularity/prepare.js';
import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from './registry/client.js';
import { defaultCacheDir } from './registry/facts-cache.js';
import { DiskParseMemo } from './cache/parse-memo.js';
import { fetchMonthlyDownloads } from './popularity/downloads.js';
import {
  type DepverifyConfig,
  type DepverifyConfigInput,
  loadConfig,
  normaliseHost,
  parseConfig,
  withPnpmSettings,
} from './config/config.js';
import { type SkipRules, skipRules } from './config/skip-rules.js';
import { readPnpmSupplyChainSettings } from './scan/pnpm-workspace.js';
import { type ChangeSet, changedSince } from './scan/changed.js';
import { scanProject } from './scan/project.js';
import { parsePackageArg } from './plan/package-args.js';
import { ConfigError } from './model/errors.js';
import { holdsUntil, unnoted } from './scan/observed-fs.js';
import { collectRequests } from './plan/requests.js';
import { applySeverities, buildReport } from './report/build.js';
import { attachSigningKeys } from './verify-signing.js';
import { VERSION } from './version.js';

const TOOL = { name: 'depverify', version: VERSION };

export interface Progress {
  phase: 'scan' | 'registry' | 'types';
  done: number;
  total: number;
}

export interface VerifyOptions extends Partial<Omit<RegistryClientOptions, 'root'>> {
  /** Project directory; defaults to the current directory. */
  root?: string;
  /** Check only these specs (`name`, `name@range`) instead of scanning a project. */
  packages?: string[];
  /** A registry client to use instead of the built-in one (tests, other tools). */
  client?: RegistryClient;
  /** Configuration object, or the path of a configuration file relative to root. */
  config?: DepverifyConfigInput | string;
  /** The popular-package index for "did you mean" and squatting; `false` turns both off. */
  popularIndex?: PopularIndex | false;
  /** A fetch for the downloads endpoint (squatting.downloadsUrl); defaults to the global one. */
  fetch?: typeof globalThis.fetch;
  onProgress?: (progress: Progress) => void;
  /** The time ages are judged against (ms since the epoch); defaults to now. */
  now?: number;
  /**
   * A git ref: check only lockfile entries and declarations added or changed since, and imports
   * in files changed since (`--changed-since`).
   */
  changedSince?: string;
  /**
   * Check imported and called members against the packages' type declarations (default true;
   * `--no-types`). Fetches the tarballs of imported packages.
   */
  types?: boolean;
  /** Milliseconds the whole run may take (`--deadline`); whatever is unfinished then is unknown. Default: no limit. */
  deadline?: number;
  /** More hosts lockfile entries may download from (`--allowed-hosts`), added to the config's. */
  allowedHosts?: string[];
  /**
   * The compiler behind the member check (`--engine`): `ts7`, TypeScript 7's native compiler in
   * a process of its own, or `ts6`, TypeScript 6 in this process. Default: DEPVERIFY_ENGINE in
   * `env`, else ts7. With ts7, programs it cannot take (removed options, `npm:` specifiers, the
   * JavaScript of a project not on TypeScript 7) are TypeScript 6's.
   */
  engine?: 'ts6' | 'ts7';
  /**
   * @internal The build identity the run memo is keyed by when the build has none of its own
   * (`dist/build-id.json`; tests run from source).
   */
  runMemoBuild?: string;
  /** @internal Keep member results between runs of this directory (default true; off for snippets' temporary projects). */
  keepMemberResults?: boolean;
}

function memberEngineOption(options: VerifyOptions): { engine?: 'ts6' | 'ts7' } {
  const named = options.engine ?? (options.env ?? process.env).DEPVERIFY_ENGINE;
  return named === 'ts6' || named === 'ts7' ? { engine: named } : {};
}

/** Scan a project (or take package specs), check every package against the registry, report. */
export async function runVerify(options: VerifyOptions = {}): Promise<Report> {
  const root = options.root ?? process.cwd();
  const deadlineAt = options.deadline === undefined ? undefined : Date.now() + options.deadline;
  const config = await configure(root, options);
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir(options.env) : options.cacheDir;
  const project = await scanOrTakePackages(root, config, options, cacheDir);
  const { changes, unchanged } = await keepChanged(root, project, options);
  const skips = skipRules(config);
  project.requests = project.requests.filter((r) => !skips.skip(r.name));

  const client =
    options.client ?? createRegistryClient({ ...options, root, ...(deadlineAt !== undefined ? { deadlineAt } : {}) });
  const lookups = await lookUpAll(client, project.requests, options);
  const run: Run = { options, root, config, ...project, changes, skips, client, lookups, cacheDir, deadlineAt };
  const { inputs, popularity } = await packageInputs(run);

  const found = [
    ...projectFindings(run),
    ...(await configuredFindings(run)),
    ...(await attachSigningKeys(inputs, client, project.scan)),
    ...inputs.flatMap((input) => PACKAGE_CHECKS.flatMap((check) => check.run(input))),
    ...(await memberFindings(run)),
  ];
  const findings = withUndeclaredMembers(found);
  popularity.save();
  return buildReport({
    tool: TOOL,
    scan: project.scan,
    requests: project.requests,
    lookups,
    findings: applySeverities(findings, config),
    allFindings: findings,
    skipped: skips.skipped.size,
    installScriptsAllow: config.release.installScriptsAllow,
    ...(changes
      ? { changes: { ref: changes.ref, unchanged, ...(changes.lockfile ? { lockfile: changes.lockfile } : {}) } }
      : {}),
  });
}

const MEMBER_CODES = ['INVENTED_MEMBER', 'INVENTED_EXPORT', 'SUBPATH_NOT_FOUND'] as const;

/**
 * A member finding in a file that imports a package no package.json in scope declares (an
 * UNLISTED_DEPENDENCY there) was checked at the version an install puts in for something else
 * (the lockfile's hoisted copy): the project never chose it, and declaring the package, the fix
 * UNLISTED_DEPENDENCY asks for, may install another major. Such a finding is a warning, not an
 * error; the UNLISTED_DEPENDENCY error stands.
 */
function withUndeclaredMembers(findings: Finding[]): Finding[] {
  const undeclared = new Set<string>();
  for (const f of findings)
    if (f.code === 'UNLISTED_DEPENDENCY') for (const l of f.locations) undeclared.add(`${f.package}\0${l.file}`);
  if (undeclared.size === 0) return findings;
  return findings.map((f) => {
    if (
      !isFindingOf(f, ...MEMBER_CODES) ||
      f.severity !== 'error' ||
      !f.locations.some((l) => undeclared.has(`${f.package}\0${l.file}`))
    )
      return f;
    const at = f.version ? `${f.package}@${f.version}` : f.package;
    const details: Partial<FindingDetails<(typeof MEMBER_CODES)[number]>> = { ...f.details, undeclared: true };
    return {
      ...f,
      severity: 'warning' as const,
      hint: `${f.hint ? `${f.hint} ` : ''}${f.package} is not declared by a package.json in scope, so this was checked at ${at}, the version installed for another package; declaring it may install another version.`,
      details,
    };
  });
}

/** What the steps after the lookups share. */
interface Run {
  options: VerifyOptions;
  root: string;
  config: DepverifyConfig;
  scan: ProjectScan;
  requests: PackageRequest[];
  changes: ChangeSet | undefined;
  skips: SkipRules;
  client: RegistryClient;
  lookups: Map<string, Lookup>;
  cacheDir: string | false | undefined;
  deadlineAt: number | undefined;
}

/** The configuration: the object given, or the file; plus the hosts `--allowed-hosts` adds. */
async function configure(root: string, options: VerifyOptions): Promise<DepverifyConfig> {
  const config =
    typeof options.config === 'object'
      ? parseConfig(options.config, 'options.config')
      : await loadConfig(root, options.config);
  options.signal?.throwIfAborted();
  for (const host of options.allowedHosts ?? [])
    config.lockfile.allowedHosts.push(normaliseHost(host, '--allowed-hosts'));
  return config;
}

/** The project on disk and its requests, or, with `packages`, an empty project and one request per spec. */
async function scanOrTakePackages(
  root: string,
  config: DepverifyConfig,
  options: VerifyOptions,
  cacheDir: string | false | undefined,
): Promise<{ scan: ProjectScan; requests: PackageRequest[] }> {
  if (options.packages?.length)
    return {
      scan: { root, manifests: [], imports: [], errors: [], sourceFiles: 0 },
      requests: options.packages.map(parsePackageArg),
    };
  options.onProgress?.({ phase: 'scan', done: 0, total: 1 });
  // Parses are kept beside the other caches (not for snippets' temporary projects).
  const parseMemo = cacheDir && options.keepMemberResults !== false ? new DiskParseMemo(cacheDir, root) : undefined;
  const [scan, pnpm] = await Promise.all([
    scanProject(root, config, parseMemo ? { parseMemo } : {}),
    readPnpmSupplyChainSettings(root),
  ]);
  await parseMemo?.save();
  scan.errors.push(...pnpm.errors);
  withPnpmSettings(config, pnpm.settings);
  return { scan, requests: collectRequests(scan) };
}

/** With `changedSince`: only the requests the change added or changed are kept. */
async function keepChanged(
  root: string,
  project: { scan: ProjectScan; requests: PackageRequest[] },
  options: VerifyOptions,
): Promise<{ changes: ChangeSet | undefined; unchanged: number }> {
  if (options.changedSince === undefined) return { changes: undefined, unchanged: 0 };
  if (options.packages?.length) throw new ConfigError('--changed-since needs a project, not --package');
  const changes = await changedSince(root, options.changedSince, project.scan);
  const before = project.requests.length;
  project.requests = project.requests.filter((r) => r.locations.some(changes.includes));
  return { changes, unchanged: before - project.requests.length };
}

/** One lookup per requested name, in name order. */
async function lookUpAll(
  client: RegistryClient,
  requests: PackageRequest[],
  options: VerifyOptions,
): Promise<Map<string, Lookup>> {
  const names = [...new Set(requests.map((r) => r.name))].sort();
  const lookups = new Map<string, Lookup>();
  let done = 0;
  // The client bounds network concurrency; this only bounds how many lookups are pending at once.
  const limit = pLimit(64);
  await Promise.all(
    names.map((name) =>
      limit(async () => {
        lookups.set(name, await client.lookup(name));
        options.onProgress?.({ phase: 'registry', done: ++done, total: names.length });
      }),
    ),
  );
  return lookups;
}

/** A PackageInput per name, its popularity answered (downloads endpoint included) before any check runs. */
async function packageInputs(run: Run): Promise<{ inputs: PackageInput[]; popularity: PopularitySource }> {
  const { options, config, scan, client, changes, cacheDir } = run;
  const popularity = createPopularity({
    ...(options.popularIndex !== undefined ? { index: options.popularIndex } : {}),
    minTargetDownloads: config.squatting.minTargetDownloads,
    // Beside the facts cache: a warm run then needs neither the index nor the squat targets.
    ...(cacheDir ? { memoDir: cacheDir } : {}),
  });

  const projectLicense = scan.manifests.find((m) => m.dir === '')?.license;
  const context: CheckContext = {
    config,
    now: options.now ?? Date.now(),
    changesAt: holdsUntil,
    ...(projectLicense ? { projectLicense } : {}),
    ...(changes ? { changedSince: changes.ref } : {}),
  };
  const byName = new Map<string, PackageRequest[]>();
  for (const request of run.requests) {
    const list = byName.get(request.name);
    if (list) list.push(request);
    else byName.set(request.name, [request]);
  }
  // A package from a scope's own registry is compared only with that registry's names, and
  // depverify knows none of them: no public "did you mean", typosquat target or public counts.
  const publicHome = client.registryFor('depverify-probe');
  const privatePopularity: Popularity = { downloads: () => ({ source: 'index' }), squatCandidates: () => [] };
  const inputs: PackageInput[] = [...run.lookups.keys()].sort().map((name) => {
    const own = client.registryFor(name) !== publicHome;
    return {
      name,
      lookup: run.lookups.get(name)!,
      requests: byName.get(name) ?? [],
      suggest: () => [],
      popularity: own ? privatePopularity : popularity,
      context,
    };
  });
  const downloadsUrl = config.squatting.downloadsUrl;
  if (downloadsUrl) {
    // Only names that go to the default registry: a name routed to its own registry is private,
    // and the downloads endpoint is someone else's server.
    const wanted = inputs
      .filter((input) => client.registryFor(input.name) === publicHome && wantsDownloads(input))
      .map((i) => i.name);
    if (wanted.length) {
      unnoted('download counts were fetched');
      popularity.addDownloads(
        await fetchMonthlyDownloads(wanted, {
          url: downloadsUrl,
          timeout: options.timeout,
          signal: options.signal,
          fetch: options.fetch,
        }),
      );
    }
  }
  // The checks read popularity answered here, after the downloads endpoint: they do no I/O.
  const publicInputs = inputs.filter((input) => input.popularity === popularity);
  const prepared = preparePopularity(popularity, publicInputs.map(popularityQuestions));
  for (const input of publicInputs) Object.assign(input, { popularity: prepared, suggest: prepared.suggest });
  return { inputs, popularity };
}

/** Whether a finding is about what changed (always, without `changedSince`). */
const inChange = (run: Run, finding: Finding): boolean => !run.changes || finding.locations.some(run.changes.includes);

/** The project checks, without skipped packages and, with `changedSince`, what did not change. */
function projectFindings(run: Run): Finding[] {
  const { config, client, scan } = run;
  const projectContext = { config, registries: client.registries?.() ?? [client.registryFor('depverify-probe')] };
  // An unreadable file is never "unchanged": what it holds was not looked at.
  return PROJECT_CHECKS.flatMap((check) => check.run(scan, projectContext)).filter(
    (f) => !run.skips.skipped.has(f.package) && (f.code === 'INPUT_ERROR' || inChange(run, f)),
  );
}

/** Packages tsconfig options and package.json scripts name (not with `packages`: there is no project). */
async function configuredFindings(run: Run): Promise<Finding[]> {
  if (run.options.packages?.length) return [];
  const { scan, requests, lookups, client } = run;
  const configured = await checkConfiguredPackages({
    scan,
    requests,
    lookups,
    lookup: (name) => client.lookup(name),
    isSkipped: run.skips.isExcluded,
  });
  return configured.filter((f) => inChange(run, f));
}

/** The member check, for a project that imports packages (or Node's modules). */
async function memberFindings(run: Run): Promise<Finding[]> {
  const { options, scan, requests, lookups, client, cacheDir, deadlineAt } = run;
  // A caller's own client without tarball() has opted out of member checks, as `types: false` does.
  if (
    options.types === false ||
    !client.tarball ||
    options.packages?.length ||
    !(scan.imports.length || scan.builtins?.length)
  )
    return [];
  options.onProgress?.({ phase: 'types', done: 0, total: 1 });
  const { checkTypes } = await import('./members/check-types.js');
  const typeFindings = await checkTypes({
    scan,
    requests,
    lookups,
    client,
    isPrivate: run.skips.isInternal,
    ...(cacheDir ? { cacheDir } : {}),
    ...(deadlineAt !== undefined ? { deadlineAt } : {}),
    keepResults: options.keepMemberResults !== false,
    ...memberEngineOption(options),
  });
  return typeFindings.filter((f) => inChange(run, f));
}
