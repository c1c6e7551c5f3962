import validate from 'validate-npm-package-name';

// "use X instead", "moved to X", "renamed to X", "replaced by X", "migrate to X", "in favour of X",
// "superseded by X", "switch to X", "now X": the phrasing authors use when `npm deprecate` names a successor.
const PHRASES =
  /\b(?:please\s+)?(?:use|using|moved\s+to|renamed\s+(?:to|as)|replaced\s+(?:by|with)|migrate\s+to|in\s+favou?r\s+of|superseded\s+by|switch\s+to|published\s+as|is\s+now|now\s+at)\s+[`'"“]?((?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*)/i;
// Words that follow those verbs without naming a package.
const NOT_NAMES = new Set([
  'the',
  'a',
  'an',
  'it',
  'this',
  'that',
  'instead',
  'native',
  'node',
  'built-in',
  'builtin',
  'version',
  'latest',
  'v2',
  'v3',
  'npm',
  'at',
  'your',
  'our',
  'its',
  'another',
  'other',
  'new',
  'https',
  'http',
]);

/** The package a deprecation message names as its successor, if it names one plainly. */
export function replacementIn(message: string, self: string): string | undefined {
  const match = PHRASES.exec(message);
  const candidate = match?.[1]?.replace(/[.,;:)]+$/, '').toLowerCase();
  if (!candidate || candidate === self || NOT_NAMES.has(candidate) || /^v?\d/.test(candidate)) return undefined;
  return validate(candidate).validForNewPackages ? candidate : undefined;
}
