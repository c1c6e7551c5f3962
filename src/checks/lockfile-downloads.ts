import { makeFinding } from '../model/codes.js';
import type { FindingDetails } from '../model/finding-details.js';
import type { Finding, Location } from '../model/finding.js';
import type { LockedPackage } from '../model/references.js';
import { sanitize } from '../model/sanitize.js';
import { DEFAULT_REGISTRY, normaliseRegistry, YARN_DEFAULT_REGISTRY_HOST } from '../registry/pick-registry.js';
import { defineProjectCheck } from './check.js';

/** Algorithms that still resist collisions; anything else (sha1, md5) is weak. */
const STRONG = new Set(['sha512', 'sha384', 'sha256']);

const locationOf = (entry: LockedPackage): Location => ({
  file: entry.lockfile,
  ...(entry.line ? { line: entry.line } : {}),
  field: entry.path,
});

interface Origin {
  protocol: string;
  host: string;
  /** Path prefix of the registry, with a trailing slash. */
  path: string;
}

function originOf(url: string): Origin | undefined {
  try {
    const u = new URL(url);
    return {
      protocol: u.protocol,
      host: u.host.toLowerCase(),
      path: u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`,
    };
  } catch {
    return undefined;
  }
}

/**
 * The tarball path a registry serves for `name@version`: `<name>/-/<bare>-<version>.tgz`, with
 * the scope's slash written either way.
 */
function tarballTails(name: string, version: string): string[] {
  const bare = name.slice(name.indexOf('/') + 1);
  // Some formats keep a URL dependency's URL as its version: then only the name can be compared.
  const file = /^\d/.test(version) ? `/-/${bare}-${version}.tgz` : `/-/${bare}-`;
  return name.startsWith('@')
    ? [`${name}${file}`, `${name.replace('/', '%2f')}${file}`, `${name.replace('/', '%2F')}${file}`]
    : [`${name}${file}`];
}

/** The codes said once per host, with the entries that download from it. */
type HostCode = 'LOCKFILE_INSECURE_URL' | 'LOCKFILE_FOREIGN_HOST';
/** The codes said per entry. */
type EntryCode =
  'LOCKFILE_INVALID_URL' | 'LOCKFILE_NAME_MISMATCH' | 'LOCKFILE_INTEGRITY_MISSING' | 'LOCKFILE_WEAK_INTEGRITY';

/** `..` in any spelling: URL parsing would quietly resolve it, so look at the text as written. */
const TRAVERSAL = /(^|\/|%2f)(\.|%2e){2}(\/|%2f|$)/i;

/**
 * LOCKFILE_*: where each lockfile entry downloads from and how it is verified. A URL that cannot
 * be read fails the check; it never passes it.
 */
export const checkLockfileDownloads = defineProjectCheck({
  name: 'lockfile-downloads',
  run(scan, context) {
    const lockfile = scan.lockfile;
    if (!lockfile) return [];
    const registries = context.registries.map(originOf).filter((o): o is Origin => !!o);
    const allowed = new Set([...registries.map((r) => r.host), ...context.config.lockfile.allowedHosts]);
    // yarn's default host is the default registry under another name: trusted exactly when the
    // default registry is the one this project uses (a project with its own registry gets
    // nothing from yarn's, and an entry from there is foreign to it).
    if (context.registries.some((r) => normaliseRegistry(r) === normaliseRegistry(DEFAULT_REGISTRY)))
      allowed.add(YARN_DEFAULT_REGISTRY_HOST);
    const findings: Finding[] = [];
    const byHost = new Map<string, { code: HostCode; entries: LockedPackage[]; url: string }>();
    const report = <C extends EntryCode>(
      code: C,
      entry: LockedPackage,
      message: string,
      details: FindingDetails<C>,
    ): void => {
      findings.push(
        makeFinding(code, {
          package: entry.name,
          version: entry.version,
          message: sanitize(message),
          locations: [locationOf(entry)],
          details,
        }),
      );
    };
    const group = (code: HostCode, host: string, entry: LockedPackage, url: string): void => {
      const key = `${code}\0${host}`;
      const seen = byHost.get(key);
      if (seen) seen.entries.push(entry);
      else byHost.set(key, { code, entries: [entry], url });
    };

    for (const entry of lockfile.packages) {
      if (entry.local || entry.bundled || entry.source === 'link' || entry.source === 'file') continue;
      const resolved = entry.resolved;
      if (entry.source === 'git') {
        if (resolved && /^git:\/\//i.test(resolved))
          group('LOCKFILE_INSECURE_URL', originOf(resolved)?.host ?? resolved, entry, resolved);
        continue;
      }
      if (resolved !== undefined) {
        const origin = originOf(resolved);
        if (!origin || (origin.protocol !== 'https:' && origin.protocol !== 'http:')) {
          report(
            'LOCKFILE_INVALID_URL',
            entry,
            `${entry.name}@${entry.version} resolves to ${JSON.stringify(resolved.slice(0, 200))}, which is not an http(s) URL.`,
            { resolved: resolved.slice(0, 500) },
          );
          continue;
        }
        const registry = registries.find((r) => r.host === origin.host);
        if (origin.protocol === 'http:' && registry?.protocol !== 'http:')
          group('LOCKFILE_INSECURE_URL', origin.host, entry, resolved);
        if (!allowed.has(origin.host)) group('LOCKFILE_FOREIGN_HOST', origin.host, entry, resolved);
        const path = resolved.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
        const registryShaped = path.includes('/-/') && path.endsWith('.tgz');
        const expected = tarballTails(entry.name, entry.version);
        const matches = (tail: string): boolean =>
          tail.endsWith('.tgz') ? path.endsWith(`/${tail}`) : path.includes(`/${tail}`);
        if (TRAVERSAL.test(path) || (registryShaped && !expected.some(matches))) {
          report(
            'LOCKFILE_NAME_MISMATCH',
            entry,
            `${entry.name}@${entry.version} downloads ${path.slice(0, 200)}, which is not ${entry.name}@${entry.version}.`,
            {
              resolved: resolved.slice(0, 500),
              expected: expected[0],
            },
          );
        }
      }
      const hashes = (entry.integrity ?? '').split(/\s+/).filter(Boolean);
      const algorithms = new Set(hashes.map((h) => h.slice(0, h.indexOf('-')).toLowerCase()));
      // yarn classic before 1.10 kept only a sha1 in the URL fragment.
      const fragmentSha1 = resolved !== undefined && /#[0-9a-f]{40}$/i.test(resolved);
      if (hashes.length === 0 && !fragmentSha1) {
        if (!isBerry(lockfile.format))
          report(
            'LOCKFILE_INTEGRITY_MISSING',
            entry,
            `${entry.name}@${entry.version} has no integrity hash in the lockfile.`,
            {},
          );
      } else if (![...algorithms].some((a) => STRONG.has(a))) {
        report('LOCKFILE_WEAK_INTEGRITY', entry, `${entry.name}@${entry.version} is verified by SHA-1 only.`, {
          integrity: (entry.integrity ?? resolved ?? '').slice(0, 200),
        });
      }
    }

    for (const { code, entries, url } of byHost.values()) {
      const host = sanitize(originOf(url)?.host ?? url, 200);
      const names = [...new Set(entries.map((e) => e.name))];
      const listed = names.slice(0, 5).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '');
      const what =
        code === 'LOCKFILE_FOREIGN_HOST'
          ? `from ${host}, which is not a configured registry or allowed host`
          : `over an insecure protocol from ${host}`;
      findings.push(
        makeFinding(code, {
          package: names.length === 1 ? names[0]! : '',
          message: sanitize(
            `${entries.length} lockfile entr${entries.length === 1 ? 'y downloads' : 'ies download'} ${what}: ${listed}.`,
          ),
          hint:
            code === 'LOCKFILE_FOREIGN_HOST'
              ? `If you trust ${host}, add it to lockfile.allowedHosts (or --allowed-hosts); otherwise regenerate these entries from your registry.`
              : 'Regenerate these entries over https.',
          locations: entries.map(locationOf),
          details: { host, packages: names, example: sanitize(url, 500) },
        }),
      );
    }
    return findings;
  },
});

/** Yarn berry records checksums of its own archives, which are not npm integrity hashes. */
const isBerry = (format: string): boolean => format === 'yarn-berry';
