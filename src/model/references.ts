/** What a project references, as the scan layer reads it (no network). */

export type ImportKind = 'import' | 'import-type' | 'export' | 'dynamic-import' | 'require' | 'require-resolve';

/** One import of a registry package from a source file. */
export interface ImportSite {
  /** The specifier as written, e.g. `lodash/fp`. */
  specifier: string;
  /** The package it maps to, e.g. `lodash`. */
  packageName: string;
  kind: ImportKind;
  /** Relative to the project root, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Declared where it is imported (Deno's `npm:x@1` or an import map entry), not in package.json. */
  selfDeclared?: true;
  /** What a Deno import map maps the specifier to (`npm:x@^1/sub`): the range it installs. */
  target?: string;
}

export type DependencyField =
  'dependencies' | 'devDependencies' | 'optionalDependencies' | 'peerDependencies' | 'bundleDependencies' | 'overrides';

export type SpecKind = 'registry' | 'alias' | 'git' | 'file' | 'link' | 'workspace' | 'remote' | 'invalid';

/** One entry of a package.json dependency field. */
export interface DeclaredDependency {
  /** The key in package.json (the name code imports). */
  name: string;
  /** The value as written. */
  spec: string;
  field: DependencyField;
  /** Manifest path relative to the root. */
  manifest: string;
  line?: number;
  kind: SpecKind;
  /** For registry and alias specs: the registry package and range actually requested. */
  registryName?: string;
  range?: string;
}

export interface Manifest {
  /** Relative path of package.json. */
  path: string;
  /** Relative directory ('' for the root). */
  dir: string;
  name?: string;
  version?: string;
  license?: string;
  workspaces: string[];
  dependencies: DeclaredDependency[];
  /** `imports` field keys (`#internal`). */
  importsKeys: string[];
  /** `scripts` entries that are strings, with the line of each key. */
  scripts?: ScriptEntry[];
  /** Names of the commands its `bin` field installs (a string `bin` is the unscoped package name). */
  bins?: string[];
  /** Which commands it installs is not in the manifest (a `directories.bin` folder and no `bin`). */
  binsUnknown?: true;
  /**
   * A workspace member whose package.json could not be read (an INPUT_ERROR says why): still a
   * workspace, named from the lockfile's workspace entries or its directory, never asked of a
   * registry; what it declares is not known.
   */
  unreadable?: true;
  /**
   * A package.json below the root that no workspace glob names (an example, a docs site, a
   * benchmark): a project of its own, installed on its own, so the root's lockfile does not pin it.
   */
  standalone?: boolean;
  /**
   * A standalone project's own lockfile (paths relative to the root), read only for the versions
   * it pins for this manifest's declarations; its other entries are not checked on their own.
   */
  lockfile?: Lockfile;
}

/** One `scripts` entry of a package.json. */
interface ScriptEntry {
  name: string;
  command: string;
  line?: number;
}

/**
 * A package a tsconfig/jsconfig names by configuration: a `compilerOptions.types` entry (`jest`:
 * `@types/jest` or `jest`'s own declarations) or `jsxImportSource` (`preact`).
 */
export interface ConfigPackageReference {
  /** The entry as written (`vite/client`). */
  entry: string;
  /** The package it names (`vite`). */
  packageName: string;
  option: 'types' | 'jsxImportSource';
  /** The config file, relative to the root. */
  file: string;
  line?: number;
}

export type LockedSource = 'registry' | 'git' | 'file' | 'remote' | 'link';

/** One package entry of a lockfile, in a format-independent shape. */
export interface LockedPackage {
  name: string;
  version: string;
  resolved?: string;
  integrity?: string;
  /**
   * The entry's key in the lockfile, for locations: `node_modules/a/node_modules/b` (npm),
   * `a@1.0.0` (pnpm), `a@^1, a@^1.2` (yarn), `parent/a` (bun).
   */
  path: string;
  dev?: boolean;
  optional?: boolean;
  /** True for workspace members and links: not from a registry. */
  local?: boolean;
  /** When installed under another name (`npm:` alias), the name it is installed as. */
  alias?: string;
  /** Where the lockfile says it comes from; only `registry` can be checked against the registry. */
  source?: LockedSource;
  /** Shipped inside its parent's tarball (`inBundle`), not fetched on its own. */
  bundled?: boolean;
  /** Needed unless both dev and optional packages are omitted (npm `devOptional`). */
  devOptional?: boolean;
  lockfile: string;
  line?: number;
}

type LockfileFormat = 'npm' | 'yarn-classic' | 'yarn-berry' | 'pnpm' | 'bun';

export interface Lockfile {
  path: string;
  format: LockfileFormat;
  /** As the file writes it: pnpm's is a string (`'9.0'`), yarn berry's is `__metadata.version`. */
  lockfileVersion: number | string;
  packages: LockedPackage[];
  /**
   * For formats that record it (pnpm's `importers`): per workspace directory ('' for the root),
   * each declared dependency's locked version, or its `link:`/`file:` reference.
   */
  importers?: Record<string, Record<string, string>>;
}

/** A file that could not be read or parsed. The run goes on without it. */
export interface InputError {
  file: string;
  line?: number;
  column?: number;
  /** Field the problem is in, e.g. `dependencies.left-pad` or `packages.node_modules/a`. */
  field?: string;
  /** Machine-readable cause, so callers and tests need not read `message`. */
  reason?: InputErrorReason;
  message: string;
}

export type InputErrorReason =
  | 'unreadable'
  | 'binary'
  | 'invalid-json'
  /** YAML or yarn.lock text that does not parse. */
  | 'invalid-syntax'
  | 'wrong-type'
  | 'invalid-entry'
  | 'unsupported-version'
  /** Bytes that are not UTF-8: the text was read with replacement characters. */
  | 'invalid-encoding'
  /** Over the size limit for its kind of file: not read. */
  | 'too-large'
  /** Nested deeper than the parser can follow. */
  | 'too-deep'
  /** A file a config names is absent (a generated tsconfig base): a warning, the rest is read. */
  | 'missing-file';

export interface ProjectScan {
  root: string;
  manifests: Manifest[];
  imports: ImportSite[];
  /** Imports of Node's own modules (`packageName` is `node:<module>`): checked against @types/node. */
  builtins?: ImportSite[];
  lockfile?: Lockfile;
  errors: InputError[];
  /** Problems that lost nothing (a snippet's syntax error with every import still read): warnings, not gaps. */
  warnings?: InputError[];
  /** Number of source files read. */
  sourceFiles: number;
  /** Packages the project's tsconfig/jsconfig files name (`types`, `jsxImportSource`). */
  configPackages?: ConfigPackageReference[];
}
