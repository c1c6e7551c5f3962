import type { LicensePolicy } from '../config/config.js';
import type { LicenseCategory } from '../model/license.js';
import { type SpdxNode, categorize, leaves, licenseFamily, parseLicense } from './spdx.js';

/** The verdict on one licence, worst first. */
export type LicenseVerdict =
  | {
      verdict: 'not-allowed';
      license: string;
      why: 'denied' | 'not-in-allow-list' | 'incompatible';
      category: LicenseCategory;
    }
  | { verdict: 'review'; license: string; category: LicenseCategory }
  | { verdict: 'weak-copyleft'; license: string }
  | { verdict: 'ok' };

const RANK = { ok: 0, 'weak-copyleft': 1, review: 2, 'not-allowed': 3 } as const;

/** A policy entry (an id or an expression) matches a licence id of the same family. */
function listed(id: string, list: readonly string[]): boolean {
  const family = licenseFamily(id);
  return list.some((entry) => {
    const parsed = parseLicense(entry);
    return parsed.kind === 'expression' && leaves(parsed.tree).some((leaf) => licenseFamily(leaf.license) === family);
  });
}

/**
 * Which copyleft a project under `projectLicense` may take in without changing its own terms.
 * Undefined, UNLICENSED (proprietary) and permissive projects take none.
 */
function compatibleFamilies(projectLicense: string | undefined): Set<string> {
  const parsed = parseLicense(projectLicense);
  if (parsed.kind !== 'expression') return new Set();
  const families = new Set<string>();
  for (const leaf of leaves(parsed.tree)) {
    const family = licenseFamily(leaf.license);
    families.add(family);
    const orLater = leaf.plus || leaf.license.endsWith('-or-later');
    // GPL-3.0 code can include GPL-2.0-or-later code; AGPL-3.0 can include GPL-3.0 (section 13).
    if (family === 'GPL-3.0' || family === 'AGPL-3.0') families.add('GPL-2.0+').add('GPL-3.0');
    if (family === 'GPL-2.0' && orLater) families.add('GPL-3.0');
  }
  return families;
}

function judgeLeaf(
  leaf: { license: string; plus?: boolean; exception?: string },
  policy: LicensePolicy,
  compatible: Set<string>,
): LicenseVerdict {
  const license = leaf.exception ? `${leaf.license} WITH ${leaf.exception}` : leaf.license;
  const category = categorize(leaf.license, leaf.exception);
  if (listed(leaf.license, policy.deny)) return { verdict: 'not-allowed', license, why: 'denied', category };
  if (policy.allow.length) {
    return listed(leaf.license, policy.allow)
      ? { verdict: 'ok' }
      : { verdict: 'not-allowed', license, why: 'not-in-allow-list', category };
  }
  const family = licenseFamily(leaf.license);
  const orLater = leaf.plus || leaf.license.endsWith('-or-later');
  switch (category) {
    case 'permissive':
      return { verdict: 'ok' };
    case 'weak-copyleft':
      return { verdict: 'weak-copyleft', license };
    case 'strong-copyleft':
    case 'network-copyleft':
      if (compatible.has(family) || (orLater && family === 'GPL-2.0' && compatible.has('GPL-2.0+')))
        return { verdict: 'ok' };
      return { verdict: 'not-allowed', license, why: 'incompatible', category };
    default:
      return { verdict: 'review', license, category };
  }
}

/** SPDX semantics: an OR passes when one branch passes (the best is taken), an AND needs all. */
function judgeTree(tree: SpdxNode, policy: LicensePolicy, compatible: Set<string>): LicenseVerdict {
  if ('license' in tree) return judgeLeaf(tree, policy, compatible);
  const left = judgeTree(tree.left, policy, compatible);
  const right = judgeTree(tree.right, policy, compatible);
  const leftWorse = RANK[left.verdict] > RANK[right.verdict];
  if (tree.conjunction === 'or') return leftWorse ? right : left;
  return leftWorse ? left : right;
}

export function judgeExpression(
  tree: SpdxNode,
  policy: LicensePolicy,
  projectLicense: string | undefined,
): LicenseVerdict {
  return judgeTree(tree, policy, compatibleFamilies(projectLicense));
}
