import pLimit from 'p-limit';
import { checkConfiguredPackages } from './checks/configured-packages.js';
import { type CheckContext, PACKAGE_CHECKS, type PackageInput, type Popularity, popularityQuestions, PROJECT_CHECKS, wantsDownloads } from './checks/index.js';
import type { PopularIndex } from './popularity/popular-index.js';
import type { Lookup } from './model/facts.js';
import type { Finding } from './model/finding.js';
import type { ProjectScan } from './model/references.js';
import type { Report } from './model/report.js';
import type { PackageRequest } from './model/request.js';
import { createPopularity } from './popularity/popularity.js';
import { preparePopularity } from './popularity/prepare.js';
import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from './registry/client.js';
import { defaultCacheDir } from './registry/facts-cache.js';
import { fetchMonthlyDownloads } from './popularity/downloads.js';
import { ConfigError, type DepverifyConfigInput, loadConfig, matchesPackagePattern, normaliseHost, parseConfig, withPnpmSettings } from './config/config.js';
import { readPnpmSupplyChainSettings } from './scan/pnpm-workspace.js';
import { type ChangeSet, changedSince } from './scan/changed.js';
import { scanProject } from './scan/project.js';
import { parsePackageArg } from './plan/package-args.js';
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
   * `env`, else ts6. The findings are the same; ts7 is faster.
   */
  engine?: 'ts6' | 'ts7';
  /** @internal Keep member results between runs of this directory (default true; off for snippets' temporary projects). */
  keepMemberResults?: boolean;
}

export { ConfigError };

function memberEngineOption(options: VerifyOptions): { engine?: 'ts6' | 'ts7' } {
  const named = options.engine ?? (options.env ?? process.env).DEPVERIFY_ENGINE;
  return named === 'ts6' || named === 'ts7' ? { engine: named } : {};
}

/** Scan a project (or take package specs), check every package against the registry, report. */
export async function verify(options: VerifyOptions = {}): Promise<Report> {
  const root = options.root ?? process.cwd();
  const deadlineAt = options.deadline === undefined ? undefined : Date.now() + options.deadline;
  const config = typeof options.config === 'object' ? parseConfig(options.config, 'options.config') : await loadConfig(root, options.config);
  options.signal?.throwIfAborted();
  for (const host of options.allowedHosts ?? []) config.lockfile.allowedHosts.push(normaliseHost(host, '--allowed-hosts'));

  let scan: ProjectScan;
  let requests: PackageRequest[];
  if (options.packages?.length) {
    scan = { root, manifests: [], imports: [], errors: [], sourceFiles: 0 };
    requests = options.packages.map(parsePackageArg);
  } else {
    options.onProgress?.({ phase: 'scan', done: 0, total: 1 });
    const [scanned, pnpm] = await Promise.all([
      scanProject(root, config),
      readPnpmSupplyChainSettings(root),
    ]);
    scan = scanned;
    scan.errors.push(...pnpm.errors);
    withPnpmSettings(config, pnpm.settings);
    requests = collectRequests(scan);
  }
  let changes: ChangeSet | undefined;
  let unchanged = 0;
  if (options.changedSince !== undefined) {
    if (options.packages?.length) throw new ConfigError('--changed-since needs a project, not --package');
    changes = await changedSince(root, options.changedSince, scan);
    const before = requests.length;
    requests = requests.filter((r) => r.locations.some(changes!.includes));
    unchanged = before - requests.length;
  }

  const skipped = new Set<string>();
  const isSkipped = (name: string): boolean => {
    const internal = config.internalScopes.some((scope) => name.toLowerCase().startsWith(`${scope}/`));
    if (internal || matchesPackagePattern(name, config.ignore.packages)) skipped.add(name);
    return skipped.has(name);
  };
  requests = requests.filter((r) => !isSkipped(r.name));

  const client = options.client ?? createRegistryClient({ ...options, root, ...(deadlineAt !== undefined ? { deadlineAt } : {}) });
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

  const cacheDir = options.cacheDir === undefined ? defaultCacheDir(options.env) : options.cacheDir;
  const popularity = createPopularity({
    ...(options.popularIndex !== undefined ? { index: options.popularIndex } : {}),
    minTargetDownloads: config.squatting.minTargetDownloads,
    // Beside the facts cache: a warm run then needs neither the index nor the squat targets.
    ...(cacheDir ? { memoDir: cacheDir } : {}),
  });

  const projectLicense = scan.manifests.find((m) => m.dir === '')?.license;
  const context: CheckContext = { config, now: options.now ?? Date.now(), ...(projectLicense ? { projectLicense } : {}), ...(changes ? { changedSince: changes.ref } : {}) };
  const byName = new Map<string, PackageRequest[]>();
  for (const request of requests) {
    const list = byName.get(request.name);
    if (list) list.push(request);
    else byName.set(request.name, [request]);
  }
  // A package from a scope's own registry is compared only with that registry's names, and
  // depverify knows none of them: no public "did you mean", typosquat target or public counts.
  const publicHome = client.registryFor('depverify-probe');
  const privatePopularity: Popularity = { downloads: () => ({ source: 'index' }), squatCandidates: () => [] };
  const inputs: PackageInput[] = names.map((name) => {
    const own = client.registryFor(name) !== publicHome;
    return { name, lookup: lookups.get(name)!, requests: byName.get(name) ?? [], suggest: () => [], popularity: own ? privatePopularity : popularity, context };
  });
  const downloadsUrl = config.squatting.downloadsUrl;
  if (downloadsUrl) {
    // Only names that go to the default registry: a name routed to its own registry is private,
    // and the downloads endpoint is someone else's server.
    const wanted = inputs.filter((input) => client.registryFor(input.name) === publicHome && wantsDownloads(input)).map((i) => i.name);
    if (wanted.length) {
      popularity.addDownloads(await fetchMonthlyDownloads(wanted, { url: downloadsUrl, timeout: options.timeout, signal: options.signal, fetch: options.fetch }));
    }
  }
  // The checks read popularity answered here, after the downloads endpoint: they do no I/O.
  const publicInputs = inputs.filter((input) => input.popularity === popularity);
  const prepared = preparePopularity(popularity, publicInputs.map(popularityQuestions));
  for (const input of publicInputs) Object.assign(input, { popularity: prepared, suggest: prepared.suggest });
  const findings: Finding[] = [];
  const projectContext = { config, registries: client.registries?.() ?? [client.registryFor('depverify-probe')] };
  for (const check of PROJECT_CHECKS) {
    for (const finding of check.run(scan, projectContext)) {
      if (skipped.has(finding.package)) continue;
      // An unreadable file is never "unchanged": what it holds was not looked at.
      if (changes && finding.code !== 'INPUT_ERROR' && !finding.locations.some(changes.includes)) continue;
      findings.push(finding);
    }
  }
  if (!options.packages?.length) {
    const configured = await checkConfiguredPackages({
      scan,
      requests,
      lookups,
      lookup: (name) => client.lookup(name),
      isSkipped: (name) => config.internalScopes.some((scope) => name.toLowerCase().startsWith(`${scope}/`)) || matchesPackagePattern(name, config.ignore.packages),
    });
    findings.push(...configured.filter((f) => !changes || f.locations.some(changes.includes)));
  }
  findings.push(...(await attachSigningKeys(inputs, client, scan)));
  for (const input of inputs) for (const check of PACKAGE_CHECKS) findings.push(...check.run(input));
  // A caller's own client without tarball() has opted out of member checks, as `types: false` does.
  if (options.types !== false && client.tarball && !options.packages?.length && (scan.imports.length || scan.builtins?.length)) {
    options.onProgress?.({ phase: 'types', done: 0, total: 1 });
    const { checkTypes } = await import('./types/check-types.js');
    const isPrivate = (name: string): boolean => config.internalScopes.some((scope) => name.toLowerCase().startsWith(`${scope}/`));
    const typeFindings = await checkTypes({ scan, requests, lookups, client, isPrivate, ...(cacheDir ? { cacheDir } : {}), ...(deadlineAt !== undefined ? { deadlineAt } : {}), keepResults: options.keepMemberResults !== false, ...memberEngineOption(options) });
    findings.push(...typeFindings.filter((f) => !changes || f.locations.some(changes.includes)));
  }
  popularity.save();
  return buildReport({ tool: TOOL, scan, requests, lookups, findings: applySeverities(findings, config), allFindings: findings, skipped: skipped.size, installScriptsAllow: config.release.installScriptsAllow, ...(changes ? { changes: { ref: changes.ref, unchanged, ...(changes.lockfile ? { lockfile: changes.lockfile } : {}) } } : {}) });
}
