import { createRequire } from 'node:module';
import type correctType from 'spdx-correct';
import type parseType from 'spdx-expression-parse';
import type { LicenseCategory } from '../model/license.js';

const require = createRequire(import.meta.url);
const parseSpdx = require('spdx-expression-parse') as typeof parseType;
// Only legacy strings need it; most licences parse as they are.
let correctModule: typeof correctType | undefined;
const correctSpdx = (text: string): string | null =>
  (correctModule ??= require('spdx-correct') as typeof correctType)(text);

export type SpdxNode =
  | { license: string; plus?: boolean; exception?: string }
  | { left: SpdxNode; conjunction: 'and' | 'or'; right: SpdxNode };

/** What a licence string is, before any policy is applied. */
export type ParsedLicense =
  | { kind: 'expression'; expression: string; tree: SpdxNode; corrected?: string }
  | { kind: 'unlicensed' }
  | { kind: 'missing' }
  | { kind: 'custom'; file: string }
  | { kind: 'unparseable'; text: string }
  /** A name several SPDX licences answer to ("BSD", "GPL"): spdx-correct's pick is only a guess. */
  | { kind: 'ambiguous'; text: string; guess: string };

// Families with several versions or variants: a name without a number does not say which.
const VERSIONED_FAMILY = /^(?:BSD-[234]-Clause|GPL-|LGPL-|AGPL-|MPL-|Artistic-|Apache-|EPL-|CDDL-|CC-|OSL-|AFL-|EUPL-)/;

/**
 * A name qualified as only resembling a licence ("MIT-like", "BSD-style", "MIT*"): spdx-correct
 * drops the qualifier, but a licence like MIT is not MIT.
 */
const QUALIFIED = /\b(?:like|style|ish|similar|based|derived|inspired|esque|alike|variant)\b|\*/i;

/** Words that name a licence family in prose, by the first part of its SPDX id. */
const FAMILY_WORDS: Record<string, readonly string[]> = {
  BSL: ['boost'],
  MPL: ['mozilla'],
  EPL: ['eclipse'],
  AFL: ['academic'],
  CDDL: ['common development'],
  OFL: ['open font'],
  GPL: ['general public'],
  LGPL: ['lesser', 'library general'],
  AGPL: ['affero'],
  CC: ['creative commons'],
  MIT: ['expat'],
  MS: ['microsoft'],
};

/** `GPLv2` → GPL 2, `Apache2` → Apache 2, `BSD-3-Clause` → BSD 3 Clause: words and numbers apart, lower case. */
function words(text: string): string[] {
  return text
    .replace(/([a-z])v(?=\d)/gi, '$1 ')
    .split(/[^A-Za-z0-9]+|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * What a correction is worth: `ok` when the text names the licence it was corrected to (its
 * family is written, with the version or variant when it has several), `ambiguous` when the text
 * could mean several licences, `wrong` when the corrected family is not in the text at all
 * (spdx-correct turns "EUPL", a copyleft licence, into the permissive UPL-1.0).
 */
function judgeCorrection(text: string, corrected: string, tree: SpdxNode): 'ok' | 'ambiguous' | 'wrong' {
  const written = words(text);
  const lower = text.toLowerCase();
  for (const leaf of leaves(tree)) {
    const family = leaf.license.split(/[^A-Za-z]/)[0] ?? '';
    const named =
      written.includes(family.toLowerCase()) ||
      written.includes(leaf.license.toLowerCase()) ||
      (FAMILY_WORDS[family] ?? []).some((w) => lower.includes(w));
    if (!named) return 'wrong';
  }
  // A correction that dropped part of a compound (`MIT AND Foo` → `MIT`) keeps only a guess.
  // `MIT/Apache-2.0` is a dual licence; `MIT/X11` is one name of MIT.
  const conjunctions =
    text
      .replace(/\bMIT\/X11\b/gi, 'MIT')
      .replace(/\(?https?:\/\/\S+/gi, '')
      .match(/\b(?:and|or)\b|\//gi)?.length ?? 0;
  if (QUALIFIED.test(text) || conjunctions > leaves(tree).length - 1) return 'ambiguous';
  if (/\d/.test(text)) return 'ok'; // a version or a clause count was written
  if (/\b(?:new|revised|modified|simplified|free|clear)\b/i.test(text)) return 'ok'; // BSD's variants by name
  return VERSIONED_FAMILY.test(corrected) ? 'ambiguous' : 'ok';
}

/**
 * The licence field as npm documents it: an SPDX expression, `UNLICENSED`, `SEE LICENSE IN
 * <file>`, or a legacy free-text name that spdx-correct can map ("Apache 2" → Apache-2.0).
 */
export function parseLicense(raw: string | undefined): ParsedLicense {
  // A lockfile repeats a handful of licences a thousand times over.
  let parsed = parsedLicenses.get(raw);
  if (!parsed) parsedLicenses.set(raw, (parsed = parseUncached(raw)));
  return parsed;
}

const parsedLicenses = new Map<string | undefined, ParsedLicense>();

function parseUncached(raw: string | undefined): ParsedLicense {
  const text = raw?.trim();
  if (!text) return { kind: 'missing' };
  if (/^UNLICEN[SC]ED$/i.test(text)) return { kind: 'unlicensed' };
  const custom = /^SEE LICEN[SC]E IN\s+(.+)$/i.exec(text);
  if (custom) return { kind: 'custom', file: custom[1]!.trim() };
  try {
    return { kind: 'expression', expression: text, tree: parseSpdx(text) as SpdxNode };
  } catch {
    const compound = correctParts(text);
    if (compound) return compound;
    const corrected = correctSpdx(text);
    let tree: SpdxNode | undefined;
    try {
      tree = corrected ? (parseSpdx(corrected) as SpdxNode) : undefined;
    } catch {
      // not even the correction parses
    }
    if (!corrected || !tree) return { kind: 'unparseable', text };
    const judged = judgeCorrection(text, corrected, tree);
    if (judged === 'wrong') return { kind: 'unparseable', text };
    if (judged === 'ambiguous') return { kind: 'ambiguous', text, guess: corrected };
    return { kind: 'expression', expression: corrected, tree, corrected: text };
  }
}

/**
 * A compound of legacy names (`(AFLv2.1 OR BSD)`, the legacy `licenses` array) corrected part by
 * part: spdx-correct on the whole keeps one part only. Under `OR`, a part that names no single
 * licence is dropped when another is clear (fewer alternatives never allow more); under `AND`
 * every part must be clear.
 */
function correctParts(text: string): ParsedLicense | undefined {
  let body = text.trim();
  if (body.startsWith('(') && body.endsWith(')') && !body.slice(1, -1).includes('(')) body = body.slice(1, -1);
  if (body.includes('(')) return undefined;
  const conjunctions = body.match(/\s+(?:OR|AND)\s+/gi)?.map((c) => c.trim().toUpperCase()) ?? [];
  if (conjunctions.length === 0 || new Set(conjunctions).size > 1) return undefined;
  const parts = body.split(/\s+(?:OR|AND)\s+/i).map((p) => parseLicense(p));
  const clear = parts.filter((p): p is Extract<ParsedLicense, { kind: 'expression' }> => p.kind === 'expression');
  if (clear.length === 0 || (clear.length < parts.length && conjunctions[0] === 'AND')) return undefined;
  const expression = clear.map((p) => formatSpdx(p.tree)).join(` ${conjunctions[0]} `);
  try {
    return { kind: 'expression', expression, tree: parseSpdx(expression) as SpdxNode, corrected: text };
  } catch {
    return undefined;
  }
}

/** `GPL-2.0+`, `GPL-2.0-or-later`, `GPL-2.0-only` and `GPL-2.0` share the family `GPL-2.0`. */
export function licenseFamily(id: string): string {
  return id.replace(/\+$/, '').replace(/-(only|or-later)$/, '');
}

const NETWORK = /^(AGPL|SSPL|RPL|OSL|CPAL)-/;
const STRONG = /^(GPL|EUPL|Sleepycat|QPL|CECILL)-?/;
const WEAK = /^(LGPL|MPL|EPL|CDDL|CPL|MS-RL|CC-BY-SA|APSL|CECILL-C)/;
const PERMISSIVE = new Set([
  '0BSD',
  'AFL-2.1',
  'AFL-3.0',
  'Apache-1.1',
  'Apache-2.0',
  'Artistic-2.0',
  'BlueOak-1.0.0',
  'BSD-1-Clause',
  'BSD-2-Clause',
  'BSD-2-Clause-Patent',
  'BSD-3-Clause',
  'BSD-3-Clause-Clear',
  'BSD-4-Clause',
  'BSL-1.0',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'MIT-CMU',
  'MS-PL',
  'NCSA',
  'OFL-1.1',
  'PostgreSQL',
  'PSF-2.0',
  'Python-2.0',
  'Unicode-3.0',
  'Unicode-DFS-2016',
  'Unlicense',
  'UPL-1.0',
  'W3C',
  'WTFPL',
  'X11',
  'Zlib',
  'ZPL-2.1',
]);
/** Exceptions that let proprietary code link against a GPL library (the GCC runtime, Classpath). */
const LINKING_EXCEPTIONS = new Set([
  'Classpath-exception-2.0',
  'GCC-exception-3.1',
  'LLVM-exception',
  'Autoconf-exception-3.0',
  'Bison-exception-2.2',
]);

export function categorize(id: string, exception?: string): LicenseCategory {
  const family = licenseFamily(id);
  if (PERMISSIVE.has(family)) return 'permissive';
  if (WEAK.test(family)) return 'weak-copyleft';
  if (NETWORK.test(family)) return 'network-copyleft';
  if (STRONG.test(family)) return exception && LINKING_EXCEPTIONS.has(exception) ? 'weak-copyleft' : 'strong-copyleft';
  return 'other';
}

/** Every licence id in an expression tree. */
export function leaves(tree: SpdxNode): Array<{ license: string; plus?: boolean; exception?: string }> {
  return 'license' in tree ? [tree] : [...leaves(tree.left), ...leaves(tree.right)];
}

/** One spelling per expression, so `(MIT)` and `MIT` compare equal. */
export function formatSpdx(tree: SpdxNode): string {
  if ('license' in tree)
    return `${tree.license}${tree.plus ? '+' : ''}${tree.exception ? ` WITH ${tree.exception}` : ''}`;
  return `(${formatSpdx(tree.left)} ${tree.conjunction.toUpperCase()} ${formatSpdx(tree.right)})`;
}
