/**
 * Version drift, not invention: most invented members in assistants' code are an older major's
 * API (`inquirer.prompt` through require at a later inquirer, react-router 5's `Switch` at 7).
 * After the member check is certain a name is absent at the version checked, the latest version
 * of each earlier major (newest first, a few at most) is loaded with the same declaration loader
 * and cache, and a small program over its declarations says whether the module had the name.
 * The finding keeps its code (the name is absent at the version the project installs), with
 * `details.presentIn` and a message and hint that say what happened and the two fixes. For an
 * ESM-only package required from CommonJS (esm-only.ts) the answer is the newest major that
 * still ships CommonJS and has the name: the fix its hint names.
 * Anything that fails leaves the finding as it was: the search stops at the first major it
 * cannot read, so "exists up to" is never claimed past a version that was not seen.
 */
import path from 'node:path';
import semver from 'semver';
import type * as TypeScript from 'typescript';
import type { Lookup, PackageFacts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import ts from '../scan/typescript.js';
import {
  type DeclarationLoader,
  type LoadedPackage,
  hasOwnTypes,
  pickTypesVersion,
  typesPackageName,
} from './declarations.js';
import { isEsmOnly } from './esm-only.js';
import { createVirtualProgram } from './program.js';

/**
 * How many earlier majors are looked at, newest first. Drift is often several majors deep
 * (openai 3's `Configuration` against 4 and later, inquirer 8's CommonJS `prompt` against 9 and
 * later), and each costs one declarations fetch, cached, only for a name already found absent.
 */
const MAX_MAJORS = 6;

interface PresentIn {
  major: number;
  version: string;
  typesFrom: string;
}

/** The latest version of each major before `version`'s, newest first, at most `max`. */
export function earlierMajors(
  facts: PackageFacts,
  version: string,
  max = MAX_MAJORS,
): { major: number; version: string }[] {
  const current = semver.parse(version);
  if (!current) return [];
  const latest = new Map<number, string>();
  for (const v of Object.keys(facts.versions)) {
    const parsed = semver.parse(v);
    if (!parsed || parsed.prerelease.length > 0 || parsed.major >= current.major) continue;
    const had = latest.get(parsed.major);
    if (!had || semver.gt(v, had)) latest.set(parsed.major, v);
  }
  return [...latest]
    .sort(([a], [b]) => b - a)
    .slice(0, max)
    .map(([major, v]) => ({ major, version: v }));
}

/**
 * Whether a finding is one this explains, a name certain to be absent and looked up on the
 * module (not on a value it makes), and how: `require` for an ESM-only package required from
 * CommonJS (esm-only.ts), where only a major that still ships CommonJS is an answer.
 */
function explainable(f: Finding): 'plain' | 'require' | undefined {
  if (f.code !== 'INVENTED_EXPORT' && f.code !== 'INVENTED_MEMBER') return undefined;
  const d = f.details ?? {};
  // Node's modules have their own explanation (builtins.ts); a missing default export (1192,
  // 2613) names the local binding.
  if (f.package.startsWith('node:') || d.removed || d.ts === 1192 || d.ts === 2613) return undefined;
  if (typeof d.name !== 'string' || typeof d.specifier !== 'string' || !f.version) return undefined;
  if (f.code !== 'INVENTED_EXPORT' && d.of !== 'module') return undefined;
  return d.esmOnly ? 'require' : 'plain';
}

/**
 * The declarations `name@version` is checked against, as the closure picks them (own, else
 * `@types` of the same major), or why there are none: `unknown` when the registry did not
 * answer (a fetch that failed), else a fact (no declarations for that major).
 */
async function declarationsAt(
  loader: DeclarationLoader,
  name: string,
  version: string,
): Promise<{ packages: LoadedPackage[]; typesFrom: string } | { none: string; unknown?: true }> {
  const own = await loader.load(name, version);
  if (typeof own === 'string') return { none: own, unknown: true };
  if (hasOwnTypes(own.files)) return { packages: [own], typesFrom: `${name}@${version}` };
  const typesName = typesPackageName(name);
  if (!loader.mayAskTypesFor(name)) return { none: `${typesName} is not asked for` };
  const lookup = await loader.lookup(typesName);
  if (lookup.state === 'unknown') return { none: `${typesName}: ${lookup.reason}`, unknown: true };
  const typesVersion = lookup.state === 'found' ? pickTypesVersion(lookup.facts, version) : undefined;
  // Types of another major describe another API: nothing can be said about this one.
  if (!typesVersion || semver.major(typesVersion) !== semver.major(version))
    return { none: `no ${typesName} for ${name}@${semver.major(version)}` };
  const types = await loader.load(typesName, typesVersion);
  if (typeof types === 'string') return { none: types, unknown: true };
  return { packages: [own, types], typesFrom: `${typesName}@${typesVersion}` };
}

/**
 * The names each specifier's module provides in these declarations: its exports, and the
 * properties of its namespace (a CommonJS `export =` object) and, with `withDefault`, of its
 * default export. `require()` of a compiled ES module returns the namespace, so code that requires
 * the package sees no member of the default export.
 */
function moduleNames(
  root: string,
  packages: LoadedPackage[],
  specifiers: string[],
  withDefault: boolean,
): Map<string, Set<string>> {
  const probe: LoadedPackage = {
    name: '.depverify-probe',
    version: '0.0.0',
    files: new Map([
      [
        'probe.ts',
        specifiers
          .map((s, i) => `import * as n${i} from ${JSON.stringify(s)};\nimport d${i} from ${JSON.stringify(s)};\n`)
          .join(''),
      ],
    ]),
    paths: ['probe.ts'],
  };
  const file = path.join(root, 'node_modules', probe.name, 'probe.ts');
  // Names only: the standard library adds none a module exports, and is the larger part of a program.
  const { program } = createVirtualProgram(root, [file], [...packages, probe], { projectOptions: { noLib: true } });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file);
  const out = new Map<string, Set<string>>();
  if (!sf) return out;
  const own = (node: TypeScript.Node, into: Set<string>): void => {
    for (const p of checker.getPropertiesOfType(checker.getTypeAtLocation(node))) into.add(p.name);
  };
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !statement.importClause)
      continue;
    const module = checker.getSymbolAtLocation(statement.moduleSpecifier);
    // A module the older version does not have provides nothing.
    if (!module) continue;
    const names = out.get(statement.moduleSpecifier.text) ?? new Set<string>();
    out.set(statement.moduleSpecifier.text, names);
    for (const symbol of checker.getExportsOfModule(module)) names.add(symbol.name);
    const clause = statement.importClause;
    if (clause.name && withDefault) own(clause.name, names);
    if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) own(clause.namedBindings.name, names);
  }
  return out;
}

export interface OlderMajorsInput {
  root: string;
  loader: DeclarationLoader;
  lookups: Map<string, Lookup>;
  /** True once the run's deadline has passed: nothing more is looked up. */
  stop?: () => boolean;
}

/**
 * Adds `details.presentIn` (and says so) to the findings whose name the latest version of an
 * earlier major had. `complete`: every fetch it made was answered (a failed one leaves the
 * findings as they were, and the answer is not one to keep).
 */
export async function explainOlderMajors(
  findings: Finding[],
  input: OlderMajorsInput,
): Promise<{ findings: Finding[]; complete: boolean }> {
  // Per package and version checked: the names wanted from each specifier.
  const groups = new Map<
    string,
    { name: string; version: string; mode: 'plain' | 'require'; wanted: Map<string, Set<string>> }
  >();
  const groupKey = (f: Finding, mode: string): string => `${f.package}@${f.version}\0${mode}`;
  for (const f of findings) {
    const mode = explainable(f);
    if (!mode) continue;
    const key = groupKey(f, mode);
    const group = groups.get(key) ?? { name: f.package, version: f.version!, mode, wanted: new Map() };
    groups.set(key, group);
    const specifier = f.details!.specifier as string;
    const names = group.wanted.get(specifier) ?? new Set<string>();
    names.add(f.details!.name as string);
    group.wanted.set(specifier, names);
  }
  if (groups.size === 0) return { findings, complete: true };
  let complete = true;
  const found = new Map<string, PresentIn>();
  const at = (key: string, specifier: string, name: string): string => `${key}\0${specifier}\0${name}`;
  await Promise.all(
    [...groups].map(async ([key, group]) => {
      const lookup = input.lookups.get(group.name) ?? (await input.loader.lookup(group.name));
      if (lookup.state !== 'found') return;
      let open = [...group.wanted].map(([specifier, names]) => [specifier, new Set(names)] as const);
      for (const older of earlierMajors(lookup.facts, group.version)) {
        if (input.stop?.()) {
          complete = false;
          return;
        }
        const declarations = await declarationsAt(input.loader, group.name, older.version);
        if ('none' in declarations) {
          // Not seen: an earlier major cannot be said to have the name past this one. A registry
          // that did not answer may next time; a major without declarations stays without.
          if (declarations.unknown) complete = false;
          return;
        }
        // Required from CommonJS: a major that is ESM-only too is no answer, and no reason to stop.
        if (group.mode === 'require' && isEsmOnly(declarations.packages[0]!.files.get('package.json'))) continue;
        let names: Map<string, Set<string>>;
        try {
          names = moduleNames(
            input.root,
            declarations.packages,
            open.map(([specifier]) => specifier),
            group.mode === 'plain',
          );
        } catch {
          // The compiler failed on these declarations: it will again, so the answer is kept as it is.
          return;
        }
        for (const [specifier, wanted] of open) {
          for (const name of wanted) {
            if (!names.get(specifier)?.has(name)) continue;
            found.set(at(key, specifier, name), {
              major: older.major,
              version: older.version,
              typesFrom: declarations.typesFrom,
            });
            wanted.delete(name);
          }
        }
        open = open.filter(([, wanted]) => wanted.size > 0);
        if (open.length === 0) return;
      }
    }),
  );
  const explained = findings.map((f) => {
    const mode = explainable(f);
    const presentIn = mode
      ? found.get(at(groupKey(f, mode), f.details!.specifier as string, f.details!.name as string))
      : undefined;
    if (!presentIn) return f;
    return mode === 'require' ? lastCommonJsFinding(f, presentIn) : olderMajorFinding(f, presentIn);
  });
  return { findings: explained, complete };
}

function olderMajorFinding(f: Finding, presentIn: PresentIn): Finding {
  const name = String(f.details!.name);
  const suggestion = typeof f.details!.suggestion === 'string' ? f.details!.suggestion : undefined;
  const what = `${f.code === 'INVENTED_EXPORT' ? 'export' : 'member'} ${name}`;
  const current = semver.major(f.version!);
  const older = `${f.package}@${presentIn.major}`;
  return {
    ...f,
    message: sanitize(
      `${f.package}@${f.version} has no ${what}: it exists up to ${older} (${presentIn.version}), so the code is written for an older major${suggestion ? `; at ${f.version}, did you mean ${suggestion}?` : '.'}`,
    ),
    hint: sanitize(
      `${name} is ${older}'s API, gone by ${f.package}@${current}. Rewrite the code for the version installed (the package's migration guide or changelog says what replaced it${suggestion ? `; perhaps ${suggestion}` : ''}), or pin ${f.package} to "^${presentIn.version}" if the project is meant for that major. Checked against ${String(f.details!.typesFrom)} and ${presentIn.typesFrom}.`,
      1000,
    ),
    details: { ...f.details, presentIn },
  };
}

/** An ESM-only package required from CommonJS: the message stays (esm-only.ts), the fix names the major to pin. */
function lastCommonJsFinding(f: Finding, presentIn: PresentIn): Finding {
  const name = String(f.details!.name);
  return {
    ...f,
    hint: sanitize(
      `Use \`import\` (or \`await import('${f.package}')\`) instead of require, or pin ${f.package} to "^${presentIn.version}": ${f.package}@${presentIn.major} is the newest major that ships CommonJS and has ${name} (checked against ${presentIn.typesFrom}).`,
      1000,
    ),
    details: { ...f.details, presentIn },
  };
}
