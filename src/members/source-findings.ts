/**
 * What the declaration closure of one variant says before any program is built: packages with
 * no declarations (a fact), declarations that could not be read (an unknown), and closures left
 * incomplete, each with the locations of the imports it concerns.
 */
import { makeFinding } from '../model/codes.js';
import type { Finding, Location } from '../model/finding.js';
import type { DeclarationSet } from './declarations.js';

export type Checked = Map<string, { version: string; typesFrom: string }>;

/** Findings for `set`'s sources; returns the packages whose members can be checked. */
export function sourceFindings(
  set: DeclarationSet,
  imported: Map<string, string>,
  sites: Map<string, Location[]>,
  findings: Finding[],
): Checked {
  const checked: Checked = new Map();
  for (const [name, source] of set.sources) {
    const version = imported.get(name)!;
    const locations = sites.get(name) ?? [];
    if (source.kind === 'none') {
      if (source.unknown) {
        findings.push(
          makeFinding('TYPES_UNKNOWN', {
            package: name,
            version,
            message: `Could not read the type declarations of ${name}@${version}: ${source.reason}. Its members were not checked.`,
            hint: 'Nothing is claimed about the members used from this package; run again, or check the registry configuration.',
            locations,
            details: { reason: source.reason },
          }),
        );
      } else {
        const notAsked = / was not asked for: /.test(source.reason);
        findings.push(
          makeFinding('TYPES_UNAVAILABLE', {
            package: name,
            version,
            message: notAsked
              ? `${name}@${version} has no type declarations of its own, and ${source.reason}: its members were not checked.`
              : `${name}@${version} has no type declarations and no @types package: its members were not checked.`,
            hint: 'Nothing is claimed about the members used from this package.',
            locations,
            details: { reason: source.reason, unavailable: notAsked ? 'not-asked' : 'no-types' },
          }),
        );
      }
      continue;
    }
    const capped = set.capped.get(name);
    if (capped) {
      // Past the closure's limit: the types these declarations lean on are partly missing, and a
      // missing member could be one of theirs. Nothing is claimed.
      findings.push(
        makeFinding('TYPES_UNKNOWN', {
          package: name,
          version,
          message: `The declarations of ${name}@${version} use more packages than the member check loads (${capped}): its members were not checked.`,
          hint: 'Nothing is claimed about the members used from this package.',
          locations,
          details: { reason: capped },
        }),
      );
      continue;
    }
    const lost = set.incomplete.get(name);
    if (lost?.size) {
      const [first, reason] = [...lost][0]!;
      findings.push(
        makeFinding('TYPES_UNKNOWN', {
          package: name,
          version,
          message: `Could not read ${lost.size === 1 ? first : `${lost.size} packages (${[...lost.keys()].sort().join(', ')})`}, which the declarations of ${name}@${version} use: ${reason}. Its members were checked without ${lost.size === 1 ? 'it' : 'them'}.`,
          hint: 'Members typed by the missing declarations were not checked; run again, or check the registry configuration.',
          locations,
          details: { reason, missing: Object.fromEntries(lost) },
        }),
      );
    }
    checked.set(name, { version, typesFrom: `${source.package.name}@${source.package.version}` });
  }
  return checked;
}

/** One finding per code, package, version and message across variants, with their locations together. */
export function mergeFindings(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    if (f.code !== 'TYPES_UNKNOWN' && f.code !== 'TYPES_UNAVAILABLE') {
      out.push(f);
      continue;
    }
    const key = `${f.code}\0${f.package}\0${f.version}\0${f.message}`;
    const had = seen.get(key);
    if (had)
      had.locations.push(
        ...f.locations.filter(
          (l) => !had.locations.some((h) => h.file === l.file && h.line === l.line && h.column === l.column),
        ),
      );
    else {
      const copy = { ...f, locations: [...f.locations] };
      seen.set(key, copy);
      out.push(copy);
    }
  }
  return out;
}

/**
 * Findings about a name a package.json installs another package under (`"my-x": "npm:x@^1"`)
 * name the registry package, x: `my-x@2.0.0` becomes `x@2.0.0 (installed as my-x)`, and
 * `details.installedAs` keeps the name the code imports.
 */
export function underRegistryName(findings: Finding[], aliases: Map<string, string>): Finding[] {
  if (aliases.size === 0) return findings;
  return findings.map((f) => {
    const registryName = aliases.get(f.package);
    if (registryName === undefined || f.details?.installedAs !== undefined) return f;
    const at = `${f.package}@${f.version ?? ''}`;
    const named = (text: string): string =>
      f.version ? text.split(at).join(`${registryName}@${f.version} (installed as ${f.package})`) : text;
    const typesFrom = f.details?.typesFrom;
    return {
      ...f,
      package: registryName,
      message: named(f.message),
      ...(f.hint !== undefined ? { hint: named(f.hint) } : {}),
      details: {
        ...f.details,
        installedAs: f.package,
        ...(typeof typesFrom === 'string' && f.version
          ? { typesFrom: typesFrom === at ? `${registryName}@${f.version}` : typesFrom }
          : {}),
      },
    };
  });
}
