/**
 * Node's own modules (`fs`, `node:crypto`, `require('fs/promises')`): their members are checked
 * against @types/node at the project's Node version, as a package's are against its declarations.
 * The version is the @types/node the project declares or locks (what its editor and tsc see),
 * else the newest @types/node its `engines.node` allows (an API of a later major the project
 * may use behind a check is not invented), else its `.nvmrc` or `.node-version`, else the
 * running Node's major.
 */
import { readFileSync } from '../scan/observed-fs.js';
import path from 'node:path';
import semver from 'semver';
import { makeFinding } from '../model/codes.js';
import type { Finding, Location } from '../model/finding.js';
import type { ImportSite, ProjectScan } from '../model/references.js';
import { sanitize } from '../model/sanitize.js';
import type { DeclarationLoader } from './declaration-loader.js';

/** The key builtins are checked under (no registry package can have this name). */
export const NODE_KEY = 'node:';
export const NODE_TYPES = '@types/node';

type NodeTypesChoice = { version: string; via: string } | { reason: string; unknown?: true };

const readText = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** The Node version the project names for itself, as a range of @types/node versions, and where it says so. */
function projectNodeRange(root: string): { range: string; via: string } | undefined {
  try {
    const manifest = JSON.parse(readText(path.join(root, 'package.json')) ?? '{}') as { engines?: { node?: unknown } };
    const engines = manifest.engines?.node;
    if (typeof engines === 'string' && semver.validRange(engines))
      return { range: engines, via: `engines.node ${engines}` };
  } catch {
    // A broken package.json is the scan's to report; the other sources still apply.
  }
  for (const file of ['.nvmrc', '.node-version']) {
    const text = readText(path.join(root, file))?.trim();
    const major = text ? /^v?(\d+)(?:\.|$)/.exec(text)?.[1] : undefined;
    if (major) return { range: major, via: `${file} ${text}` };
  }
  return undefined;
}

/** Which @types/node the builtins of the project at `root` are checked against. */
async function chooseNodeTypes(
  root: string,
  declared: string | undefined,
  loader: DeclarationLoader,
): Promise<NodeTypesChoice> {
  if (declared) return { version: declared, via: `the project's ${NODE_TYPES}` };
  const own = projectNodeRange(root);
  const running = `${process.versions.node.split('.')[0]}`;
  const candidates = own ? [own] : [{ range: running, via: `the running Node ${process.versions.node}` }];
  for (const { range, via } of candidates) {
    const picked = await loader.pick(NODE_TYPES, range);
    if (typeof picked === 'string') return { version: picked, via };
    if (picked.unknown) return picked;
    if (/does not exist/.test(picked.reason)) return picked;
  }
  // A Node newer than every @types/node (or a range none matches): the newest there is.
  const latest = await loader.pick(NODE_TYPES, undefined);
  return typeof latest === 'string' ? { version: latest, via: 'the newest @types/node' } : latest;
}

export interface PreparedBuiltins {
  /** Files importing builtins (relative), to be in the program. */
  files: string[];
  locations: Location[];
  /** Why the builtins could not be checked, when they could not. */
  findings: Finding[];
  /** What they are checked against, when they are. */
  checked?: { version: string; typesFrom: string; via: string };
}

/**
 * Picks and loads the @types/node the builtins are checked against, and records it in
 * `projectTypes` so the declaration closure puts the same one in the program. A registry
 * without @types/node leaves the builtins unchecked, as before; one that does not answer is an
 * unknown.
 */
export async function prepareBuiltins(
  scan: ProjectScan,
  sites: ImportSite[],
  projectTypes: Map<string, string>,
  loader: DeclarationLoader,
): Promise<PreparedBuiltins> {
  const out: PreparedBuiltins = { files: [], locations: [], findings: [] };
  if (sites.length === 0 || !loader.mayAsk(NODE_TYPES)) return out;
  const locations = sites.map((s) => ({ file: s.file, line: s.line, column: s.column }));
  const choice = await chooseNodeTypes(scan.root, projectTypes.get(NODE_TYPES), loader);
  const pkg = 'version' in choice ? await loader.load(NODE_TYPES, choice.version) : undefined;
  if (!('version' in choice) || typeof pkg === 'string') {
    const reason = 'version' in choice ? (pkg as string) : choice.reason;
    if ('version' in choice || choice.unknown) {
      out.findings.push(
        makeFinding('TYPES_UNKNOWN', {
          package: 'node',
          message: sanitize(
            `Could not read ${NODE_TYPES}, which Node's own modules are checked against: ${reason}. The members used from them were not checked.`,
          ),
          hint: 'Nothing is claimed about the members used from Node modules; run again, or check the registry configuration.',
          locations,
          details: { reason },
        }),
      );
    }
    return out;
  }
  projectTypes.set(NODE_TYPES, choice.version);
  out.files = [...new Set(sites.map((s) => s.file))];
  out.locations = locations;
  out.checked = { version: choice.version, typesFrom: `${NODE_TYPES}@${choice.version}`, via: choice.via };
  return out;
}

/** The `@deprecated` text a declaration of `name` has in the `declare module` block of `builtin` in these files. */
function deprecatedIn(files: Map<string, string>, builtin: string, name: string): string | undefined {
  const bare = builtin.slice(NODE_KEY.length);
  const escaped = name.replace(/[$]/g, '\\$');
  const decl = new RegExp(
    `/\\*\\*((?:(?!\\*/)[\\s\\S])*?)\\*/\\s*(?:export\\s+)?(?:declare\\s+)?(?:function|const|let|var|class)\\s+${escaped}\\b`,
    'g',
  );
  for (const [file, text] of files) {
    if (!file.endsWith('.d.ts')) continue;
    const start = text.search(new RegExp(`declare module ['"](?:node:)?${bare.replace(/\//g, '\\/')}['"]`));
    if (start < 0) continue;
    for (const m of text.slice(start).matchAll(decl)) {
      const tag = /@deprecated\b([^@]*)/.exec(m[1]!);
      if (tag)
        return tag[1]!
          .replace(/^\s*\*\s?/gm, ' ')
          .replace(/\{@link(?:code|plain)?\s+([^}]*)\}/g, '$1')
          .replace(/\s+/g, ' ')
          .trim();
    }
  }
  return undefined;
}

/**
 * Findings of names the running Node (older than the version checked) still has: kept, as
 * removed, when that Node's @types/node deprecated them; dropped otherwise (the newer
 * declarations may only lag).
 */
export async function settleRemoved(findings: Finding[], loader: DeclarationLoader): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const f of findings) {
    const major = f.details?.ifRemoved;
    if (typeof major !== 'string') {
      out.push(f);
      continue;
    }
    const { ifRemoved: _ifRemoved, ...details } = f.details!;
    const version = await loader.pick(NODE_TYPES, major);
    const pkg = typeof version === 'string' ? await loader.load(NODE_TYPES, version) : undefined;
    const text = pkg && typeof pkg !== 'string' ? deprecatedIn(pkg.files, f.package, String(details.name)) : undefined;
    if (text === undefined) continue;
    out.push({
      ...f,
      message: sanitize(
        `${f.message.replace(/\.$/, '')}: removed; Node ${major} (${NODE_TYPES}@${String(version)}) still has it, deprecated: ${text}`,
        1000,
      ),
      details: {
        ...details,
        removed: true,
        deprecatedIn: `${NODE_TYPES}@${String(version)}`,
        deprecation: sanitize(text, 400),
      },
    });
  }
  return out;
}
