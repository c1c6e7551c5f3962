import pLimit from 'p-limit';
import { type CheckContext, PACKAGE_CHECKS, type PackageInput, type Popularity, PROJECT_CHECKS, type Suggestion, wantsDownloads } from './checks/index.js';
import type { PopularIndex } from './data/popular-index.js';
import { suggestPackages } from './data/suggest.js';
import type { Lookup } from './model/facts.js';
import type { Finding } from './model/finding.js';
import type { ProjectScan } from './model/references.js';
import type { Report } from './model/report.js';
import type { PackageRequest } from './model/request.js';
import { createPopularity } from './popularity.js';
import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from './registry/client.js';
import { defaultCacheDir } from './registry/facts-cache.js';
import { fetchMonthlyDownloads } from './registry/downloads.js';
import { ConfigError, type DepverifyConfigInput, loadConfig, matchesPackagePattern, normaliseHost, parseConfig, withPnpmSettings } from './scan/config.js';
import { readPnpmSupplyChainSettings } from './scan/pnpm-workspace.js';
import { type ChangeSet, changedSince } from './scan/changed.js';
import { scanProject } from './scan/project.js';
import { parsePackageArg } from './scan/package-args.js';
import { collectRequests } from './scan/requests.js';
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
  /** @internal Keep member results between runs of this directory (default true; off for snippets' temporary projects). */
  keepMemberResults?: boolean;
  /** @internal A syntax error that lost no import is a warning (snippets: answers cut off mid-code). */
  tolerateSyntaxErrors?: boolean;
}

export { ConfigError };

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
      scanProject(root, config, options.tolerateSyntaxErrors ? { tolerateSyntaxErrors: true } : {}),
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
  const suggest = (name: string): Suggestion[] => {
    const index = popularity.index();
    return index ? suggestPackages(name, index).map((s) => ({ name: s.name, downloads: s.downloads })) : [];
  };

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
    return { name, lookup: lookups.get(name)!, requests: byName.get(name) ?? [], suggest: own ? () => [] : suggest, popularity: own ? privatePopularity : popularity, context };
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
  findings.push(...(await attachSigningKeys(inputs, client, scan)));
  for (const input of inputs) for (const check of PACKAGE_CHECKS) findings.push(...check.run(input));
  // A caller's own client without tarball() has opted out of member checks, as `types: false` does.
  if (options.types !== false && client.tarball && !options.packages?.length && (scan.imports.length || scan.builtins?.length)) {
    options.onProgress?.({ phase: 'types', done: 0, total: 1 });
    const { checkTypes } = await import('./types/check-types.js');
    const isPrivate = (name: string): boolean => config.internalScopes.some((scope) => name.toLowerCase().startsWith(`${scope}/`));
    const typeFindings = await checkTypes({ scan, requests, lookups, client, isPrivate, ...(cacheDir ? { cacheDir } : {}), keepResults: options.keepMemberResults !== false });
    findings.push(...typeFindings.filter((f) => !changes || f.locations.some(changes.includes)));
  }
  popularity.save();
  return buildReport({ tool: TOOL, scan, requests, lookups, findings: applySeverities(findings, config), allFindings: findings, skipped: skipped.size, installScriptsAllow: config.release.installScriptsAllow, ...(changes ? { changes: { ref: changes.ref, unchanged, ...(changes.lockfile ? { lockfile: changes.lockfile } : {}) } } : {}) });
}
