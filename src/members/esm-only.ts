/**
 * An ESM-only package required from CommonJS (`const chalk = require('chalk')` at chalk 5): its
 * members are not "invented", the `require` itself is the problem. Node before 20.19 throws
 * ERR_REQUIRE_ESM; later ones return the module namespace, so the default export's members are
 * not where the code looks. The finding keeps its code and says so, with the fix.
 */
import type { Finding } from '../model/finding.js';
import type { ImportSite } from '../model/references.js';
import { sanitize } from '../model/sanitize.js';
import type { LoadedPackage } from './declaration-loader.js';

type Json = Record<string, unknown>;

/** Whether a target file is loaded as ESM, given the package's `type`. */
const isEsmFile = (target: string, type: unknown): boolean =>
  /\.mjs$/.test(target) || (/\.js$/.test(target) && type === 'module');

/** Every JavaScript target of an exports entry under conditions other than `types`, with whether a `require` condition leads to it. */
function targets(
  entry: unknown,
  viaRequire = false,
  out: { file: string; require: boolean }[] = [],
): { file: string; require: boolean }[] {
  if (typeof entry === 'string') out.push({ file: entry, require: viaRequire });
  else if (Array.isArray(entry)) for (const e of entry) targets(e, viaRequire, out);
  else if (entry && typeof entry === 'object') {
    for (const [key, value] of Object.entries(entry as Json))
      if (key !== 'types' && key !== 'typings') targets(value, viaRequire || key === 'require', out);
  }
  return out;
}

/** Whether `require()` of the package's main entry meets an ES module (no CommonJS entry at all). */
export function isEsmOnly(manifestText: string | undefined): boolean {
  let manifest: Json;
  try {
    manifest = JSON.parse(manifestText ?? '') as Json;
  } catch {
    return false;
  }
  const exports = manifest.exports;
  if (exports !== undefined && exports !== null) {
    const root =
      typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'))
        ? (exports as Json)['.']
        : exports;
    const list = targets(root);
    if (list.length === 0) return false;
    if (list.some((t) => t.require)) return false;
    return list.every((t) => isEsmFile(t.file, manifest.type));
  }
  const main = typeof manifest.main === 'string' ? manifest.main : 'index.js';
  return isEsmFile(/\.[cm]?js$/.test(main) ? main : `${main}.js`, manifest.type);
}

/** Rewrites the findings on values `require`d from an ESM-only package. */
export function explainEsmOnly(
  findings: Finding[],
  sites: ImportSite[],
  packages: Map<string, LoadedPackage>,
): Finding[] {
  return findings.flatMap((f): Finding[] => {
    if (f.code !== 'INVENTED_MEMBER' && f.code !== 'INVENTED_EXPORT') return [f];
    // On the default export of a required module: there for CommonJS, not for ESM-only.
    const viaDefault = f.details?.viaDefault === true;
    const { viaDefault: _viaDefault, ...details } = f.details ?? {};
    const plain = viaDefault ? [] : [f];
    // An alias (`"my-x": "npm:x@^1"`) is required by the name it is installed as.
    const installedAs = typeof f.details?.installedAs === 'string' ? f.details.installedAs : f.package;
    if (f.details?.specifier !== installedAs) return plain;
    const pkg = packages.get(installedAs);
    if (!pkg || pkg.version !== f.version || !isEsmOnly(pkg.files.get('package.json'))) return plain;
    const at = f.locations[0];
    const required = sites.some((s) => s.packageName === installedAs && s.kind === 'require' && s.file === at?.file);
    const imported = sites.some(
      (s) =>
        s.packageName === installedAs && s.kind !== 'require' && s.kind !== 'require-resolve' && s.file === at?.file,
    );
    if (!required || imported) return plain;
    return [
      {
        ...f,
        message: sanitize(
          `${f.package}@${f.version} is ESM-only and is loaded with require(): Node before 20.19 throws ERR_REQUIRE_ESM, later ones return the module namespace, which has no ${String(f.details?.name)}.`,
        ),
        hint: `Use \`import\` (or \`await import('${installedAs}')\`) instead of require, or install the last major of ${f.package} that ships CommonJS.`,
        details: { ...details, esmOnly: true },
      },
    ];
  });
}
