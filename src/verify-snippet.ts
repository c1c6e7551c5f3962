/**
 * `verifySnippet`: check an assistant's answer (a code snippet, or Markdown with code blocks and
 * install lines) as a project would be checked, with findings pointing into the answer. The code
 * is laid out as a throw-away project in a temporary folder (the scanner and the member check
 * read files), checked at the versions the install lines name or else the latest, and removed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { makeFinding } from './model/codes.js';
import type { Finding, Location } from './model/finding.js';
import type { Report } from './model/report.js';
import { providerOf } from './scan/frameworks.js';
import { scanImports } from './scan/walk-imports.js';
import { parsePackageArg } from './plan/package-args.js';
import { type CodeBlock, type InstallSpec, readSnippet, type SnippetLang } from './scan/read-snippet.js';
import { type VerifyOptions, verify } from './verify.js';

export interface SnippetOptions extends Omit<VerifyOptions, 'root' | 'packages' | 'changedSince' | 'allowedHosts'> {
  /** The snippet or Markdown text. */
  text: string;
  /** Shown in locations, and its extension hints the language (`answer.md`, `app.ts`). */
  fileName?: string;
  /** Treat the text as code in this language, not Markdown. */
  lang?: SnippetLang;
}

const blockFile = (b: CodeBlock): string => `block-${b.block}.${b.lang}`;

export async function verifySnippet(options: SnippetOptions): Promise<Report> {
  const { text, fileName, lang, ...rest } = options;
  const display = fileName ?? '<snippet>';
  const snippet = readSnippet(text, { ...(fileName ? { fileName } : {}), ...(lang ? { lang } : {}) });
  const root = await mkdtemp(path.join(os.tmpdir(), 'depverify-snippet-'));
  try {
    for (const block of snippet.blocks) await writeFile(path.join(root, blockFile(block)), block.code);
    const byFile = new Map(snippet.blocks.map((b) => [blockFile(b), b]));
    const toSnippet = (loc: Location): Location => {
      const block = byFile.get(loc.file);
      if (!block) return loc;
      return {
        file: display,
        ...(loc.line !== undefined ? { line: block.startLine + loc.line - 1 } : {}),
        ...(loc.column !== undefined ? { column: loc.column + (block.indent ?? 0) } : {}),
        ...(snippet.kind === 'markdown' ? { field: `block ${block.block}` } : {}),
      };
    };

    // Declared: what the install lines name (first mention wins), then every imported package at
    // its latest version, so the answer's code is checked at what following it would install.
    const installed = new Map<string, { range: string; from: InstallSpec }>();
    for (const install of snippet.installs) {
      try {
        const request = parsePackageArg(install.spec);
        if (!installed.has(request.name))
          installed.set(request.name, { range: request.wanted ?? 'latest', from: install });
      } catch {
        // Not a package spec (a flag value, a path): an install line is prose, not a manifest.
      }
    }
    const { imports: sites } = await scanImports(root, { isLocalPackage: () => false, workspaceDirs: [''] });
    const firstSite = new Map<string, Location>();
    for (const site of sites) {
      // A framework's own module (`@ember/service`) is the framework's package's to provide: that is what the code needs installed.
      const name = providerOf(site.specifier) ?? site.packageName;
      if (!firstSite.has(name))
        firstSite.set(name, toSnippet({ file: site.file, line: site.line, column: site.column }));
    }
    const dependencies: Record<string, string> = {};
    for (const [name, { range }] of installed) dependencies[name] = range;
    for (const name of firstSite.keys()) dependencies[name] ??= 'latest';
    await writeFile(
      path.join(root, 'package.json'),
      `${JSON.stringify({ name: 'depverify-snippet', private: true, type: 'module', dependencies }, null, 2)}\n`,
    );

    // The project is temporary: its member results would never be read again.
    const report = await verify({ ...rest, root, keepMemberResults: false });
    const remap = (loc: Location): Location => {
      if (loc.file === 'package.json' && loc.field?.startsWith('dependencies.')) {
        const name = loc.field.slice('dependencies.'.length);
        const from = installed.get(name)?.from;
        if (from) return { file: display, line: from.line, field: `${from.command} ${from.spec}` };
        return firstSite.get(name) ?? { file: display };
      }
      return toSnippet(loc);
    };
    const findings: Finding[] = report.findings
      // Every import is declared above, by construction: an unlisted import says nothing here.
      .filter((f) => f.code !== 'UNLISTED_DEPENDENCY')
      .map((f) => ({ ...f, locations: dedupe(f.locations.map(remap)) }));
    findings.push(...builtinInstalls(installed, display));
    const counts = { errors: 0, warnings: 0, infos: 0 };
    for (const f of findings)
      counts[f.severity === 'error' ? 'errors' : f.severity === 'warning' ? 'warnings' : 'infos']++;
    const status = report.status === 'incomplete' ? 'incomplete' : findings.length ? 'findings' : 'clean';
    return {
      ...report,
      status,
      summary: { ...report.summary, ...counts, manifests: 0, sourceFiles: snippet.blocks.length },
      findings,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * BUILTIN_INSTALLED: an install line for a name that is one of Node's own modules (`npm install
 * readline`): the npm package of that name is someone else's, not the module the code means, and
 * the module needs no install.
 */
function builtinInstalls(installed: Map<string, { range: string; from: InstallSpec }>, file: string): Finding[] {
  const findings: Finding[] = [];
  for (const [name, { from }] of installed) {
    // A CDN serves browsers, where the package is the module's polyfill; `npx` runs a command.
    if (name.includes('/') || !isBuiltin(name) || from.kind === 'cdn' || from.kind === 'exec') continue;
    const where =
      from.kind === 'manifest' ? `the dependency ${from.spec} of the package.json` : `\`${from.command} ${from.spec}\``;
    findings.push(
      makeFinding('BUILTIN_INSTALLED', {
        package: name,
        message: `${name} is a Node.js built-in module: ${where} installs the npm package of that name, which is not Node's module (at most a copy for browser bundles).`,
        hint: `For Node.js code remove ${name} from the install line: require('node:${name}') or import from 'node:${name}' needs no install. Keep it only as a polyfill for a browser bundle.`,
        locations: [{ file, line: from.line, field: `${from.command} ${from.spec}` }],
      }),
    );
  }
  return findings;
}

function dedupe(locations: Location[]): Location[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = JSON.stringify(l);
    return !seen.has(key) && (seen.add(key), true);
  });
}
