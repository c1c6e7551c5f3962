/** ProjectScans for the project checks, built by hand. */
import type { ImportSite, Manifest, ProjectScan } from '../../src/model/references.js';
import { manifest } from './model.js';

/** An import of `packageName` in `file`, at this line, column 8. */
export const site = (packageName: string, file: string, kind: ImportSite['kind'] = 'import', line = 1): ImportSite => ({
  specifier: packageName,
  packageName,
  kind,
  file,
  line,
  column: 8,
});

/** A scan of a project at `/p` with these manifests, imports and unreadable files. */
export const scan = (
  manifests: Manifest[],
  imports: ImportSite[] = [],
  errors: ProjectScan['errors'] = [],
): ProjectScan => ({
  root: '/p',
  manifests,
  imports,
  errors,
  sourceFiles: imports.length,
});

/** A scan of an empty root manifest and an npm lockfile with these entries. */
export const lockScan = (packages: NonNullable<ProjectScan['lockfile']>['packages']): ProjectScan => ({
  ...scan([manifest('', [])]),
  lockfile: { path: 'package-lock.json', format: 'npm', lockfileVersion: 3, packages },
});
