/**
 * `verifySnippet`: check an assistant's answer (a code snippet, or Markdown with code blocks and
 * install lines) as a project would be checked, with findings pointing into the answer. The code
 * is laid out as a throw-away project in a temporary folder (the scanner and the member check
 * read files), checked at the versions the install lines name or else the latest, and removed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Finding, Location } from './model/finding.js';
import type { Report } from './model/report.js';
import { scanImports } from './scan/imports.js';
import { parsePackageArg } from './scan/package-args.js';
import { type CodeBlock, type InstallSpec, readSnippet, type SnippetLang } from './scan/snippet.js';
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
        ...(loc.column !== undefined ? { column: loc.column } : {}),
        ...(snippet.kind === 'markdown' ? { field: `block ${block.block}` } : {}),
      };
    };

    // Declared: what the install lines name (first mention wins), then every imported package at
    // its latest version, so the answer's code is checked at what following it would install.
    const installed = new Map<string, { range: string; from: InstallSpec }>();
    for (const install of snippet.installs) {
      try {
        const request = parsePackageArg(install.spec);
        if (!installed.has(request.name)) installed.set(request.name, { range: request.wanted ?? 'latest', from: install });
      } catch {
        // Not a package spec (a flag value, a path): an install line is prose, not a manifest.
      }
    }
    const { imports: sites } = await scanImports(root, { isLocalPackage: () => false, workspaceDirs: [''] });
    const firstSite = new Map<string, Location>();
    for (const site of sites) if (!firstSite.has(site.packageName)) firstSite.set(site.packageName, toSnippet({ file: site.file, line: site.line, column: site.column }));
    const dependencies: Record<string, string> = {};
    for (const [name, { range }] of installed) dependencies[name] = range;
    for (const name of firstSite.keys()) dependencies[name] ??= 'latest';
    await writeFile(path.join(root, 'package.json'), `${JSON.stringify({ name: 'depverify-snippet', private: true, type: 'module', dependencies }, null, 2)}\n`);

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
    return { ...report, summary: { ...report.summary, manifests: 0, sourceFiles: snippet.blocks.length }, findings };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function dedupe(locations: Location[]): Location[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = JSON.stringify(l);
    return !seen.has(key) && (seen.add(key), true);
  });
}
