import { makeFinding } from '../model/codes.js';
import type { FindingDetails } from '../model/finding-details.js';
import type { Finding } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import { indexLockfile } from '../plan/lock-pairing.js';
import { satisfies } from '../plan/requests.js';
import { defineProjectCheck } from './check.js';

/** Fields whose entries an install puts in the lockfile. Peers are the host's to provide. */
const INSTALLED = new Set(['dependencies', 'devDependencies', 'optionalDependencies']);

/**
 * LOCKFILE_OUT_OF_SYNC: a declaration the lockfile does not cover, or covers with a version (or a
 * package) the declaration would not accept. `npm ci` refuses such a lockfile, and an install
 * that rewrites it installs something nobody reviewed.
 */
export const checkLockfileSync = defineProjectCheck({
  name: 'lockfile-sync',
  run(scan) {
    if (!scan.lockfile) return [];
    const locks = indexLockfile(scan.lockfile);
    const workspaces = new Map(
      scan.manifests.filter((m) => m.name && !m.standalone).map((m) => [m.name!, m.version ?? '0.0.0']),
    );
    const findings: Finding[] = [];
    for (const manifest of scan.manifests) {
      // A nested project is installed from its own lockfile, not this one.
      if (manifest.standalone) continue;
      for (const dep of manifest.dependencies) {
        if (!INSTALLED.has(dep.field) || (dep.kind !== 'registry' && dep.kind !== 'alias') || !dep.registryName)
          continue;
        if (dep.kind === 'registry' && workspaces.has(dep.name) && satisfies(workspaces.get(dep.name)!, dep.range))
          continue;
        const pairing = locks.pair(manifest, dep);
        const lockfile = scan.lockfile.path;
        let problem: { text: string; details: FindingDetails<'LOCKFILE_OUT_OF_SYNC'> } | undefined;
        if (pairing.state === 'missing') {
          problem = {
            text: `${dep.name}@${dep.spec} is declared in ${manifest.path} but not in ${lockfile}`,
            details: { lockfile, reason: 'missing' },
          };
        } else if (pairing.state === 'locked') {
          const { entry } = pairing;
          if (entry.name !== dep.registryName) {
            problem = {
              text: `${dep.name} is declared as ${dep.registryName} but ${lockfile} locks ${entry.name}@${entry.version}`,
              details: { lockfile, reason: 'other-package', locked: `${entry.name}@${entry.version}` },
            };
          } else if (!satisfies(entry.version, dep.range)) {
            problem = {
              text: `${dep.name} is locked at ${entry.version}, outside the declared range ${dep.range}`,
              details: { lockfile, reason: 'outside-range', locked: entry.version, range: dep.range },
            };
          }
        }
        if (!problem) continue;
        findings.push(
          makeFinding('LOCKFILE_OUT_OF_SYNC', {
            package: dep.registryName,
            message: sanitize(`${problem.text}.`),
            hint: 'Run the install (npm install, pnpm install, yarn, bun install) and review the lockfile change before committing it.',
            locations: [
              { file: manifest.path, ...(dep.line ? { line: dep.line } : {}), field: `${dep.field}.${dep.name}` },
            ],
            details: problem.details,
          }),
        );
      }
    }
    return findings;
  },
});
