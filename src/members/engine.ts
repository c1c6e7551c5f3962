/**
 * Which compiler answers the member check: TypeScript 6 in this process (`ts6`), or TypeScript 7,
 * the native compiler, in a process of its own over IPC (`ts7`, engine-ts7.ts). Both answer the
 * same questions (members.ts, MemberQueries) about the same virtual program, the checks of Node's
 * own modules, deprecated APIs, ESM-only packages and name suggestions included; the accuracy
 * corpora judge that they give the same findings. With `ts7`, programs holding `npm:` specifiers
 * are TypeScript 6's (they resolve through its resolution hook, program.ts).
 */
export type MemberEngine = 'ts6' | 'ts7';

const MEMBER_ENGINES: readonly MemberEngine[] = ['ts6', 'ts7'];

/** The engine used when neither the caller nor DEPVERIFY_ENGINE names one. */
const DEFAULT_ENGINE: MemberEngine = 'ts6';

function isMemberEngine(value: unknown): value is MemberEngine {
  return typeof value === 'string' && (MEMBER_ENGINES as readonly string[]).includes(value);
}

/** The engine for a run: the caller's, else DEPVERIFY_ENGINE (an unknown value is ignored), else the default. */
export function memberEngine(requested?: MemberEngine): MemberEngine {
  if (requested) return requested;
  const env = process.env.DEPVERIFY_ENGINE;
  return isMemberEngine(env) ? env : DEFAULT_ENGINE;
}
