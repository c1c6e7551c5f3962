import type { SquatCandidate } from '../popularity/typosquat.js';
import type { SquatRule, SquatSignal } from '../model/finding-details.js';
import type { PackageFacts } from '../model/facts.js';
import { makeFinding } from '../model/codes.js';
import { type Severity, sortLocations } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import { matchesPackagePattern, type SquattingPolicy } from '../config/config.js';
import type { PopularityQuestions } from '../popularity/prepare.js';
import { definePackageCheck, type PackageInput, type Popularity } from './check.js';
import { replacementIn } from './replacement.js';
import { resolveVersion } from '../plan/resolve-version.js';

const DAY = 24 * 60 * 60 * 1000;

const RULE_TEXT: Record<SquatRule, string> = {
  swap: 'two letters swapped',
  'repeated-character': 'a letter doubled',
  'missing-character': 'a letter missing',
  'extra-character': 'a letter added',
  'substituted-character': 'a letter changed',
  delimiter: 'other separators',
  'word-order': 'words reordered',
  affix: 'a js/node prefix or suffix',
  'scope-typo': 'a misspelt scope',
  'foreign-scope': 'under an unrelated scope',
};

/**
 * Typosquat targets that are far more popular than `name`, which must not be popular itself.
 * @public test/bench/squatting.mjs calls it through dist/.
 */
export function typosquatTargets(name: string, input: Pick<PackageInput, 'popularity' | 'context'>): SquatCandidate[] {
  const policy = input.context.config.squatting;
  const candidates = input.popularity.squatCandidates(name).filter((c) => c.downloads >= policy.minTargetDownloads);
  if (candidates.length === 0) return [];
  const own = input.popularity.downloads(name);
  const count = own.count ?? 0;
  if (count >= policy.popularDownloads) return [];
  const scope = scopeOf(name);
  return candidates.filter(
    (c) =>
      // Only the scope's owners publish under a scope: a near name in the target's own scope
      // (`@opentelemetry/sdk-trace` beside `@opentelemetry/sdk-trace-node`) is theirs, not a squat.
      (scope === undefined || scopeOf(c.target) !== scope) &&
      c.downloads >= policy.popularityRatio * count &&
      // A fork with users of its own under its own scope is a binding, not a confusion.
      (c.rule !== 'foreign-scope' || own.count === undefined || own.count < policy.lowDownloads),
  );
}

const scopeOf = (name: string): string | undefined =>
  name.startsWith('@') && name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;

function daysSince(iso: string | undefined, now: number): number | undefined {
  const at = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.floor((now - at) / DAY));
}

/** The versions the requests would install, else latest. */
function installedVersions(facts: PackageFacts, input: PackageInput): string[] {
  const versions = new Set<string>();
  for (const request of input.requests) {
    const resolution = resolveVersion(facts, request);
    if (resolution.ok) versions.add(resolution.version);
  }
  const latest = facts.distTags.latest;
  if (versions.size === 0 && latest !== undefined && facts.versions[latest]) versions.add(latest);
  return [...versions].sort();
}

/** The signals that need nothing but the packument: cheap enough for every package. */
function factSignals(facts: PackageFacts, input: PackageInput, policy: SquattingPolicy): SquatSignal[] {
  const signals: SquatSignal[] = [];
  // Only the public registry's `time.created` is trusted: some mirrors invent per-version times.
  const age = daysSince(facts.created, input.context.now);
  // A new package's age in days is a signal, and moves on daily until it is not new.
  if (age !== undefined && age <= Math.max(policy.newPackageDays, policy.newMaintainerDays))
    input.context.changesAt?.(Date.parse(facts.created!) + (age + 1) * DAY);
  if (age !== undefined && age <= policy.newPackageDays)
    signals.push({ signal: 'new-package', createdAt: facts.created!, days: age });
  if (age !== undefined && age <= policy.newMaintainerDays && facts.maintainers === 1)
    signals.push({ signal: 'new-maintainer', days: age });
  const versions = Object.keys(facts.versions).length;
  if (versions <= policy.fewVersions) signals.push({ signal: 'few-versions', versions });
  if (facts.repository === undefined) signals.push({ signal: 'no-repository' });
  if (facts.description === undefined && facts.readme !== true) signals.push({ signal: 'no-description' });
  const scripts = installedVersions(facts, input).filter((v) => facts.versions[v]?.hasInstallScript);
  if (scripts.length) signals.push({ signal: 'install-script', versions: scripts });
  // A squat's trick: one version, deprecated "in favour of" the real package, so that the
  // message reads like a pointer and the name still resolves.
  const only = versions === 1 ? Object.values(facts.versions)[0]?.deprecated : undefined;
  const replacement = only === undefined ? undefined : replacementIn(only, facts.name);
  if (replacement && age !== undefined && age <= policy.newPackageDays) {
    const count = input.popularity.downloads(replacement).count ?? 0;
    if (count >= policy.minTargetDownloads)
      signals.push({ signal: 'deprecated-for-popular', replacement, replacementDownloads: count });
  }
  return signals;
}

/**
 * Whether a package is worth asking the downloads endpoint about: only those where a count could
 * change the verdict, so a large lockfile costs a handful of requests, not one per package.
 */
export function wantsDownloads(input: PackageInput): boolean {
  if (input.lookup.state !== 'found') return false;
  if (matchesPackagePattern(input.name, input.context.config.squatting.allow)) return false;
  const policy = input.context.config.squatting;
  const fired = new Set(factSignals(input.lookup.facts, input, policy).map((s) => s.signal));
  return (
    fired.has('new-package') ||
    (fired.has('install-script') && fired.has('no-repository')) ||
    input.popularity.squatCandidates(input.name).some((c) => c.downloads >= policy.minTargetDownloads)
  );
}

/**
 * What run() will ask of `input.popularity`, for popularity/prepare.ts to answer before the
 * checks run. It follows run() with the unprepared source: the same signals, with every downloads
 * question recorded, and suggestions only where a finding would be made with no target or
 * pointer naming what was meant.
 */
export function suspiciousQuestions(input: PackageInput): PopularityQuestions {
  const { name, lookup, context } = input;
  const policy = context.config.squatting;
  if (lookup.state !== 'found' || matchesPackagePattern(name, policy.allow)) return { name };
  const downloads = new Set<string>();
  const recording: Popularity = {
    squatCandidates: (n) => input.popularity.squatCandidates(n),
    downloads: (n) => {
      downloads.add(n);
      return input.popularity.downloads(n);
    },
  };
  const probe = { ...input, popularity: recording };
  const signals = factSignals(lookup.facts, probe, policy);
  const targets = typosquatTargets(name, probe);
  const fired = new Set(signals.map((s) => s.signal));
  if (targets.length) fired.add('typosquat');
  const couldMatter = fired.has('install-script') && fired.has('no-repository') && fired.has('few-versions');
  if (judge(fired) === undefined && !couldMatter) return { name, candidates: true, downloads: [...downloads] };
  const own = recording.downloads(name);
  if (own.count !== undefined ? own.count < policy.lowDownloads : own.inIndex === false) fired.add('low-downloads');
  const suggestions = judge(fired) !== undefined && targets.length === 0 && !fired.has('deprecated-for-popular');
  return { name, candidates: true, downloads: [...downloads], suggestions };
}

function judge(fired: Set<SquatSignal['signal']>): Severity | undefined {
  const has = (s: SquatSignal['signal']): boolean => fired.has(s);
  if (has('typosquat') && has('install-script')) return 'error';
  if (has('new-package') && has('install-script') && has('no-repository')) return 'error';
  if (has('typosquat')) return 'warning';
  if (has('deprecated-for-popular')) return has('install-script') ? 'error' : 'warning';
  if (
    has('new-package') &&
    (has('install-script') || has('no-repository') || has('no-description') || has('new-maintainer'))
  )
    return 'warning';
  if (has('install-script') && has('no-repository') && has('low-downloads') && has('few-versions')) return 'warning';
  if (has('new-package')) return 'info';
  return undefined;
}

function describe(s: SquatSignal): string {
  switch (s.signal) {
    case 'typosquat':
      return `name is ${s.target} ${s.rule === 'foreign-scope' ? RULE_TEXT[s.rule] : `with ${RULE_TEXT[s.rule]}`} (${s.target} has ${s.targetDownloads.toLocaleString('en-US')} downloads a month)`;
    case 'new-package':
      return `created ${s.days === 0 ? 'today' : `${s.days} day${s.days === 1 ? '' : 's'} ago`}`;
    case 'new-maintainer':
      return 'one maintainer, who published it days ago';
    case 'few-versions':
      return `${s.versions} version${s.versions === 1 ? '' : 's'}`;
    case 'no-repository':
      return 'no repository';
    case 'no-description':
      return 'no description or readme';
    case 'install-script':
      return `runs an install script (${s.versions.join(', ')})`;
    case 'deprecated-for-popular':
      return `its only version is deprecated in favour of ${s.replacement} (${s.replacementDownloads.toLocaleString('en-US')} downloads a month)`;
    case 'low-downloads':
      return s.downloads === undefined
        ? 'not among the popular packages'
        : `${s.downloads.toLocaleString('en-US')} downloads last month`;
  }
}

/**
 * SUSPICIOUS_PACKAGE: a name that imitates a far more popular one, or a package whose age and
 * emptiness look like a squat. Signals alone are common (plenty of fine packages lack a
 * repository); the finding needs a combination, and its severity says how strong it is.
 */
export const checkSuspicious = definePackageCheck({
  name: 'suspicious',
  run(input) {
    const { name, lookup, requests, context } = input;
    if (lookup.state !== 'found') return [];
    const policy = context.config.squatting;
    if (matchesPackagePattern(name, policy.allow)) return [];
    const signals = factSignals(lookup.facts, input, policy);
    const targets = typosquatTargets(name, input);
    const first = targets[0];
    if (first)
      signals.unshift({
        signal: 'typosquat',
        target: first.target,
        rule: first.rule,
        targetDownloads: first.downloads,
      });
    let fired = new Set(signals.map((s) => s.signal));
    // Popularity is looked up only when it is evidence for a finding or could make one: the
    // whole index is loaded for it.
    const couldMatter = fired.has('install-script') && fired.has('no-repository') && fired.has('few-versions');
    if (judge(fired) === undefined && !couldMatter) return [];

    const own = input.popularity.downloads(name);
    if (own.count !== undefined ? own.count < policy.lowDownloads : own.inIndex === false) {
      signals.push({
        signal: 'low-downloads',
        ...(own.count !== undefined ? { downloads: own.count } : {}),
        source: own.source,
      });
      fired = new Set(signals.map((s) => s.signal));
    }
    const severity = judge(fired);
    if (!severity) return [];
    const pointer = signals.find((s) => s.signal === 'deprecated-for-popular');
    const intended = targets.length
      ? targets.map((t) => t.target)
      : pointer
        ? [pointer.replacement]
        : input.suggest(name).map((s) => s.name);
    const didYouMean = intended.length ? ` Did you mean ${intended.join(', ')}?` : '';
    const finding = makeFinding('SUSPICIOUS_PACKAGE', {
      severity,
      package: name,
      message: `${name} looks like a squat: ${signals.map(describe).join('; ')}.${didYouMean}`,
      hint: first
        ? `Check that you mean ${name} and not ${first.target}; do not install it until you have read its code and its repository.`
        : 'Read its code and check who publishes it before installing; add it to squatting.allow once reviewed.',
      locations: sortLocations(requests.flatMap((r) => r.locations)),
      details: {
        signals,
        ...(intended.length ? { suggestions: intended } : {}),
        ...(lookup.facts.repository ? { repository: sanitize(lookup.facts.repository, 200) } : {}),
        ...(lookup.facts.created === undefined
          ? { notEvaluated: ['new-package: the registry sent no creation time'] }
          : {}),
      },
    });
    return [finding];
  },
});
