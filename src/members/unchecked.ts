/**
 * Files the member check did not check (the checker failed on them, the run's deadline passed):
 * what is said about the members they use is TYPES_UNKNOWN, never a pass.
 */
import { makeFinding } from '../model/codes.js';
import type { Finding, Location } from '../model/finding.js';
import { NODE_KEY } from './builtins.js';
import { type Checked, underRegistryName } from './source-findings.js';

/** Files whose members were not checked (the checker failed, the deadline passed), with their variant's packages. */
export interface Unchecked {
  file: string;
  checked: Checked;
  sites: Map<string, Location[]>;
  aliases: Map<string, string>;
}

/** Files the deadline left unchecked: one TYPES_UNKNOWN per package, with the imports concerned. */
export function deadlineFindings(late: Unchecked[], deadlineAt: number | undefined): Finding[] {
  const byPackage = new Map<string, Finding>();
  const aliasesOf = new Map<Finding, Map<string, string>>();
  for (const { file, checked, sites, aliases } of late) {
    for (const [name, locations] of sites) {
      const mine = locations.filter((l) => l.file === file);
      if (!checked.has(name) || mine.length === 0) continue;
      const version = checked.get(name)!.version;
      const key = `${name}@${version}`;
      const had = byPackage.get(key);
      if (had) had.locations.push(...mine);
      else {
        const finding = makeFinding('TYPES_UNKNOWN', {
          package: name,
          version,
          message: `The member check did not finish before the run's deadline (--deadline): the members used from ${name}@${version} were not checked.`,
          hint: 'Nothing is claimed about these members; run again with a later deadline.',
          locations: mine,
          details: { reason: 'deadline', ...(deadlineAt !== undefined ? { deadlineAt } : {}) },
        });
        byPackage.set(key, finding);
        aliasesOf.set(finding, aliases);
      }
    }
  }
  return [...byPackage.values()].flatMap((f) => underRegistryName([f], aliasesOf.get(f)!));
}

/** Files the checker failed on: one TYPES_UNKNOWN per file and package, at the imports concerned. */
export function failedFindings(failed: (Unchecked & { reason: string })[]): Finding[] {
  const out: Finding[] = [];
  for (const { file, reason, checked, sites, aliases } of failed) {
    const here = [...sites].filter(([name, locations]) => checked.has(name) && locations.some((l) => l.file === file));
    for (const [name, locations] of here) {
      out.push(
        ...underRegistryName(
          [
            makeFinding('TYPES_UNKNOWN', {
              package: name === NODE_KEY ? 'node' : name,
              version: checked.get(name)!.version,
              message: `The type checker failed on ${file} (${reason}): the members ${file} uses from ${name === NODE_KEY ? "Node's own modules" : name} were not checked.`,
              hint: 'Nothing is claimed about the members this file uses; the rest of the project was checked.',
              locations: locations.filter((l) => l.file === file),
              details: { reason, file },
            }),
          ],
          aliases,
        ),
      );
    }
  }
  return out;
}
