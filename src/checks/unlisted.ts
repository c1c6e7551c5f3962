import { makeFinding } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import type { ImportSite, Manifest } from '../model/references.js';
import { typesPackageFor } from '../scan/package-name.js';
import { defineProjectCheck } from './check.js';

/** The manifests whose dependencies a file can use: its nearest package.json and every one above it. */
function manifestsFor(file: string, manifests: Manifest[]): Manifest[] {
  return manifests.filter((m) => m.dir === '' || file.startsWith(`${m.dir}/`));
}

function isDeclared(site: ImportSite, manifests: Manifest[]): boolean {
  // `import type` is satisfied by the DefinitelyTyped package alone.
  const typesName = typesPackageFor(site.packageName);
  return manifests.some((m) =>
    m.dependencies.some((d) => d.name === site.packageName || (site.kind === 'import-type' && d.name === typesName)),
  );
}

/** UNLISTED_DEPENDENCY: source imports a package that no package.json in scope declares. */
export const checkUnlisted = defineProjectCheck({
  name: 'unlisted',
  run(scan) {
    // Without a manifest there is nothing to be unlisted from (a folder of loose snippets).
    if (!scan.manifests.some((m) => m.dir === '')) return [];
    const byPackage = new Map<string, Finding>();
    for (const site of scan.imports) {
      if (site.selfDeclared) continue;
      const scope = manifestsFor(site.file, scan.manifests);
      // What an unreadable package.json declares is not known (its INPUT_ERROR says so).
      if (scope.some((m) => m.unreadable) || isDeclared(site, scope)) continue;
      const location = { file: site.file, line: site.line, column: site.column };
      const existing = byPackage.get(site.packageName);
      if (existing) {
        existing.locations.push(location);
        continue;
      }
      byPackage.set(
        site.packageName,
        makeFinding('UNLISTED_DEPENDENCY', {
          package: site.packageName,
          message: `${site.packageName} is imported but not declared in package.json.`,
          hint: `Check that ${site.packageName} is the package you mean (see its registry findings), then add it with npm install ${site.packageName}, or remove the import.`,
          locations: [location],
        }),
      );
    }
    return [...byPackage.values()];
  },
});
