import { join, posix } from 'node:path';
import { joinLegacyLicenses } from '../model/license.js';
import type { DeclaredDependency, DependencyField, InputError, Manifest } from '../model/references.js';
import { binNames } from '../model/bins.js';
import { isRecord, type JsonObject } from '../model/json.js';
import { indexKeyLines, parseJson, type KeyLines } from './json-lines.js';
import { readPnpmWorkspaceGlobs } from './pnpm-workspace.js';
import { readText } from './read-text.js';
import { classifySpec } from './spec.js';
import { expandWorkspaces } from './workspace-glob.js';

/** Fields read into DeclaredDependency, in output order. */
const MANIFEST_DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const satisfies readonly DependencyField[];

const FIELD_SET = new Set<string>(MANIFEST_DEPENDENCY_FIELDS);

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Reads one package.json. Wrong-typed fields are reported and skipped; the rest is still read. */
export function readManifest(
  root: string,
  relPath: string,
  text: string,
): { manifest?: Manifest; errors: InputError[] } {
  const parsed = parseJson(relPath, text);
  if (parsed.error) return { errors: [parsed.error] };
  const json = parsed.value;
  if (!isRecord(json)) {
    const message = `package.json holds ${typeName(json)}, not an object`;
    return { errors: [{ file: relPath, reason: 'wrong-type', message }] };
  }
  const lines = indexKeyLines(
    text,
    (p) => p.length === 0 || (p.length === 1 && (FIELD_SET.has(p[0] ?? '') || p[0] === 'scripts')),
  );
  const errors: InputError[] = [];
  const wrongType = (field: string, path: string[], expected: string, value: unknown): void => {
    const line = lines.lineOf(path);
    errors.push({
      file: relPath,
      ...(line === undefined ? {} : { line }),
      field,
      reason: 'wrong-type',
      message: `${field} should be ${expected}, found ${typeName(value)}`,
    });
  };
  const stringField = (field: 'name' | 'version'): string | undefined => {
    const value = json[field];
    if (value === undefined || typeof value === 'string') return value;
    wrongType(field, [field], 'a string', value);
    return undefined;
  };

  const dirName = posix.dirname(relPath);
  const dir = dirName === '.' ? '' : dirName;
  const manifest: Manifest = {
    path: relPath,
    dir,
    name: stringField('name'),
    version: stringField('version'),
    license: readManifestLicense(json, wrongType),
    workspaces: readWorkspaces(json.workspaces, wrongType),
    dependencies: [],
    importsKeys: [],
  };
  // Scripts and bins matter only for the commands scripts run: nothing is reported about their shape.
  if (isRecord(json.scripts)) {
    const scripts = Object.entries(json.scripts).flatMap(([name, command]) => {
      if (typeof command !== 'string') return [];
      const line = lines.lineOf(['scripts', name]);
      return [{ name, command, ...(line === undefined ? {} : { line }) }];
    });
    if (scripts.length) manifest.scripts = scripts;
  }
  const bins = binNames(json, manifest.name);
  if (bins === undefined) manifest.binsUnknown = true;
  else if (bins.length) manifest.bins = bins;
  if (isRecord(json.imports)) manifest.importsKeys = Object.keys(json.imports);
  else if (json.imports !== undefined) wrongType('imports', ['imports'], 'an object', json.imports);

  const where = join(root, dir);
  for (const field of MANIFEST_DEPENDENCY_FIELDS) {
    const deps = json[field];
    if (deps === undefined) continue;
    if (!isRecord(deps)) {
      wrongType(field, [field], 'an object', deps);
      continue;
    }
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec !== 'string') {
        wrongType(`${field}.${name}`, [field, name], 'a string', spec);
        continue;
      }
      manifest.dependencies.push(declared(name, spec, field, relPath, lines, where));
    }
  }
  return { manifest, errors };
}

function declared(
  name: string,
  spec: string,
  field: DependencyField,
  manifest: string,
  lines: KeyLines,
  where: string,
): DeclaredDependency {
  const line = lines.lineOf([field, name]);
  return { name, spec, field, manifest, ...(line === undefined ? {} : { line }), ...classifySpec(name, spec, where) };
}

type WrongType = (field: string, path: string[], expected: string, value: unknown) => void;

/**
 * The project's own package.json licence: `license` as SPDX string or legacy `{type}`; the older
 * `licenses` array reads as alternatives. A value of another type is reported with `wrongType`.
 */
function readManifestLicense(json: JsonObject, wrongType: WrongType): string | undefined {
  const one = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : isRecord(value) && typeof value.type === 'string' ? value.type : undefined;
  if (json.license !== undefined) {
    const license = one(json.license);
    if (license === undefined) wrongType('license', ['license'], 'a string', json.license);
    return license;
  }
  if (json.licenses === undefined) return undefined;
  const list = Array.isArray(json.licenses) ? json.licenses.map(one) : [];
  if (list.length === 0 || list.some((l) => l === undefined)) {
    wrongType('licenses', ['licenses'], 'an array of strings or {type}', json.licenses);
    return undefined;
  }
  return joinLegacyLicenses(list as string[]);
}

/** npm and yarn 1 take an array; yarn also takes `{packages: [...]}`. */
function readWorkspaces(value: unknown, wrongType: WrongType): string[] {
  if (value === undefined) return [];
  const list = isRecord(value) ? value.packages : value;
  if (list === undefined && isRecord(value)) return [];
  if (!Array.isArray(list)) {
    wrongType('workspaces', ['workspaces'], 'an array of globs', value);
    return [];
  }
  const globs = list.filter((g): g is string => typeof g === 'string');
  if (globs.length !== list.length) wrongType('workspaces', ['workspaces'], 'an array of strings', value);
  return globs;
}

function byPath(a: { file: string; line?: number }, b: { file: string; line?: number }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
}

/**
 * Reads the root package.json and the workspace members that its `workspaces` globs, or
 * pnpm-workspace.yaml's `packages`, name. No root
 * package.json means nothing to read, which is not an error.
 */
export async function findManifests(
  root: string,
  options: { nested?: readonly string[] } = {},
): Promise<{ manifests: Manifest[]; errors: InputError[] }> {
  const rootRead = await readText(root, 'package.json');
  if ('missing' in rootRead) return { manifests: [], errors: [] };
  if ('error' in rootRead) return { manifests: [], errors: [rootRead.error] };
  const first = readManifest(root, 'package.json', rootRead.text);
  const errors = [...(rootRead.encodingError ? [rootRead.encodingError] : []), ...first.errors];
  if (!first.manifest) return { manifests: [], errors };

  const pnpm = await readPnpmWorkspaceGlobs(root);
  errors.push(...pnpm.errors);
  const { dirs, invalid } = await expandWorkspaces(root, [...first.manifest.workspaces, ...pnpm.globs]);
  for (const pattern of invalid) {
    const message = `workspace pattern leaves the project: ${pattern}`;
    errors.push({ file: 'package.json', field: 'workspaces', reason: 'invalid-entry', message });
  }
  const members = await Promise.all(
    dirs.map(async (dir) => {
      const relPath = `${dir}/package.json`;
      const read = await readText(root, relPath);
      if ('missing' in read) return { errors: [] };
      // A directory the workspace globs match is a workspace even when its manifest cannot be
      // read: otherwise its name, imported by a sibling, would be asked of a registry.
      const placeholder = (): Manifest => ({
        path: relPath,
        dir,
        workspaces: [],
        dependencies: [],
        importsKeys: [],
        unreadable: true,
      });
      if ('error' in read) return { manifest: placeholder(), errors: [read.error] };
      const member = readManifest(root, relPath, read.text);
      const withPlaceholder = member.manifest ? member : { ...member, manifest: placeholder() };
      return read.encodingError
        ? { ...withPlaceholder, errors: [read.encodingError, ...member.errors] }
        : withPlaceholder;
    }),
  );
  const memberPaths = new Set(dirs.map((dir) => `${dir}/package.json`));
  const standalone = await Promise.all(
    (options.nested ?? [])
      .filter((relPath) => !memberPaths.has(relPath))
      .map(async (relPath) => {
        const read = await readText(root, relPath);
        if ('missing' in read) return { errors: [] };
        if ('error' in read) return { errors: [read.error] };
        const own = readManifest(root, relPath, read.text);
        if (own.manifest) own.manifest.standalone = true;
        return read.encodingError ? { ...own, errors: [read.encodingError, ...own.errors] } : own;
      }),
  );
  const manifests = [first.manifest];
  for (const member of [...members, ...standalone]) {
    if (member.manifest) manifests.push(member.manifest);
    errors.push(...member.errors);
  }
  return { manifests, errors: errors.sort(byPath) };
}
