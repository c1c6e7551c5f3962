/**
 * `depverify hook claude`: a PreToolUse hook for coding agents. The agent's tool call arrives as
 * JSON on standard input; a shell command that installs packages or runs one without installing
 * (`npx`, `pnpm dlx`, `yarn dlx`, `bunx`) is checked first, and blocked when a package it names
 * has an error (or, unless allowed, could not be checked). Any other tool call passes at once,
 * without a network request.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { compareSeverity } from './model/finding.js';
import type { Report } from './model/report.js';
import { sanitize } from './model/sanitize.js';
import { type PackageCommand, readPackageCommands } from './scan/command-line.js';
import { parsePackageArg } from './plan/package-args.js';
import { type VerifyOptions, verify } from './verify.js';

/** The fields of Claude Code's PreToolUse input that matter here (other agents send the same shape). */
export interface HookInput {
  tool_name?: unknown;
  tool_input?: { command?: unknown };
  cwd?: unknown;
}

export interface HookDecision {
  block: boolean;
  /** For the agent (stderr): what was found and what to do. */
  reason?: string;
  /** The package-manager commands found in the tool call. */
  commands: PackageCommand[];
}

export interface HookOptions extends Omit<VerifyOptions, 'root' | 'packages' | 'changedSince'> {
  /** Used when the input names no `cwd`. */
  cwd: string;
  /** Let a command through when the registry could not answer for a package it names. */
  allowUnknown?: boolean;
}

/** `npx tsc` runs the project's own bin when it has one: nothing is fetched, nothing to check. */
function isLocalBin(dir: string, name: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'node_modules', '.bin', name))) return true;
    if (path.dirname(at) === at) return false;
  }
}

/** Codes that say "not checked", not "wrong": what --allow-unknown lets through. */
const UNKNOWN_CODES = new Set<string>(['REGISTRY_UNKNOWN', 'INPUT_ERROR']);

function describe(report: Report, allowUnknown: boolean): string[] {
  const lines = report.findings
    .filter((f) => compareSeverity(f.severity, 'error') >= 0 && !(allowUnknown && UNKNOWN_CODES.has(f.code)))
    .map((f) => `- ${f.code} ${sanitize(f.package)}: ${sanitize(f.message)}${f.hint ? ` → ${sanitize(f.hint)}` : ''}`);
  if (report.status === 'incomplete' && !allowUnknown && lines.length === 0) {
    const unknown = report.packages.filter((p) => p.state === 'unknown').map((p) => p.name);
    lines.push(
      `- could not be checked${unknown.length ? `: ${unknown.join(', ')}` : ''} (registry unreachable or unreadable files); nothing is claimed about ${unknown.length === 1 ? 'it' : 'them'}.`,
    );
  }
  return lines;
}

function isPackageSpec(spec: string): boolean {
  try {
    parsePackageArg(spec);
    return true;
  } catch {
    return false;
  }
}

export async function checkHookInput(input: HookInput, options: HookOptions): Promise<HookDecision> {
  const { cwd: fallbackCwd, allowUnknown = false, ...rest } = options;
  const command =
    input.tool_name === 'Bash' && typeof input.tool_input?.command === 'string' ? input.tool_input.command : undefined;
  if (command === undefined) return { block: false, commands: [] };
  const commands = readPackageCommands(command);
  if (commands.length === 0) return { block: false, commands };
  const cwd = typeof input.cwd === 'string' && path.isAbsolute(input.cwd) ? input.cwd : fallbackCwd;

  const specs = new Set<string>();
  const projects = new Set<string>();
  for (const c of commands) {
    const dir = c.cd === undefined ? cwd : path.resolve(cwd, c.cd);
    if (c.kind === 'install' && c.specs.length === 0) projects.add(dir);
    for (const spec of c.specs) {
      if (c.kind === 'exec' && c.specs.length === 1 && isLocalBin(dir, spec)) continue;
      // A word that is no package spec cannot be installed either: the package manager refuses it.
      if (isPackageSpec(spec)) specs.add(spec);
    }
  }
  const reports: Report[] = [];
  if (specs.size) reports.push(await verify({ ...rest, root: cwd, packages: [...specs] }));
  // A bare install brings in what the manifests declare: the registry checks, not the member check.
  for (const dir of projects) reports.push(await verify({ ...rest, root: dir, types: false }));

  const problems = reports.flatMap((r) => describe(r, allowUnknown));
  if (problems.length === 0) return { block: false, commands };
  const what = commands.map((c) => c.words.join(' ')).join('; ');
  const reason = [
    `depverify blocked \`${sanitize(what)}\`:`,
    ...problems,
    'Fix the package names (or versions) and run the command again; do not install a package that does not exist.',
  ].join('\n');
  return { block: true, reason, commands };
}
