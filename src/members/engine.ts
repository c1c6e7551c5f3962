/**
 * Which compiler answers the member check: TypeScript 6 in this process (`ts6`), or TypeScript 7,
 * the native compiler, in a process of its own over IPC (`ts7`, engine-ts7.ts). Both answer the
 * same questions (members.ts, MemberQueries) about the same virtual program, the checks of Node's
 * own modules, deprecated APIs, ESM-only packages and name suggestions included; the accuracy
 * corpora judge that they give the same findings. With `ts7`, programs holding `npm:` specifiers
 * are TypeScript 6's (they resolve through its resolution hook, program.ts), and so are programs
 * holding the project's JavaScript files unless the project is on TypeScript 7 (see
 * `projectOnTypeScript7`).
 */
import semver from 'semver';
import type { ProjectScan } from '../model/references.js';

export type MemberEngine = 'ts6' | 'ts7';

const MEMBER_ENGINES: readonly MemberEngine[] = ['ts6', 'ts7'];

/** The engine used when neither the caller nor DEPVERIFY_ENGINE names one. */
const DEFAULT_ENGINE: MemberEngine = 'ts7';

function isMemberEngine(value: unknown): value is MemberEngine {
  return typeof value === 'string' && (MEMBER_ENGINES as readonly string[]).includes(value);
}

/** The engine for a run: the caller's, else DEPVERIFY_ENGINE (an unknown value is ignored), else the default. */
export function memberEngine(requested?: MemberEngine): MemberEngine {
  if (requested) return requested;
  const env = process.env.DEPVERIFY_ENGINE;
  return isMemberEngine(env) ? env : DEFAULT_ENGINE;
}

/**
 * Whether the project's own TypeScript is 7 or later: every `typescript` its lockfile installs,
 * or (without a lockfile entry) every range its manifests declare. TypeScript 7 reads JSDoc in
 * JavaScript files differently from TypeScript 6 (`@type {import('typescript')}` naming a module is an
 * error in 7 and the module's type in 6, and a declaration typed that way is then `any` and
 * narrows nothing), so a project's JavaScript is checked as the TypeScript it uses reads it. A
 * project with no TypeScript at all is read as TypeScript 6 reads it, the semantics its editors
 * and `checkJs` users have had.
 */
export function projectOnTypeScript7(scan: ProjectScan): boolean {
  const locked = scan.lockfile?.packages.filter((p) => p.name === 'typescript' && !p.alias) ?? [];
  if (locked.length) return locked.every((p) => (semver.coerce(p.version)?.major ?? 0) >= 7);
  const ranges = scan.manifests.flatMap((m) => m.dependencies.filter((d) => d.name === 'typescript'));
  if (!ranges.length) return false;
  return ranges.every((d) => {
    const range = d.range ?? d.spec;
    const min = semver.validRange(range) ? semver.minVersion(range) : null;
    return min !== null && min.major >= 7;
  });
}
