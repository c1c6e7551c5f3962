import { makeFinding } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import { defineProjectCheck } from './check.js';

// Remote code nobody verified is a real risk; a local folder is the project's own business.
const REMOTE_KINDS = new Set(['git', 'remote']);

/** NON_REGISTRY_SOURCE: git, tarball URL, file, link and workspace dependencies. */
export const checkNonRegistry = defineProjectCheck({
  name: 'non-registry',
  run(scan) {
    const findings: Finding[] = [];
    const workspaceNames = new Set(scan.manifests.flatMap((m) => (m.name ? [m.name] : [])));
    for (const manifest of scan.manifests) {
      for (const dep of manifest.dependencies) {
        if (dep.kind === 'registry' || dep.kind === 'alias' || dep.kind === 'invalid') continue;
        // `workspace:` pointing at a package of this very repository is verified by being here.
        if (dep.kind === 'workspace' && workspaceNames.has(dep.name)) continue;
        const remote = REMOTE_KINDS.has(dep.kind);
        findings.push(
          makeFinding('NON_REGISTRY_SOURCE', {
            severity: remote ? undefined : 'info',
            package: dep.name,
            message: sanitize(
              `${dep.name} comes from a ${dep.kind} source ("${dep.spec}"), which cannot be verified against the registry.`,
            ),
            hint: remote
              ? 'Review the source by hand, or depend on a published version.'
              : 'Local source: nothing to verify on the registry.',
            locations: [
              { file: manifest.path, ...(dep.line ? { line: dep.line } : {}), field: `${dep.field}.${dep.name}` },
            ],
            details: { kind: dep.kind, spec: dep.spec },
          }),
        );
      }
    }
    for (const entry of scan.lockfile?.packages ?? []) {
      // Links and workspace folders are the project's own; bundled entries come inside their parent.
      if (entry.local || entry.bundled || !entry.source || entry.source === 'registry' || entry.source === 'link')
        continue;
      const remote = REMOTE_KINDS.has(entry.source);
      findings.push(
        makeFinding('NON_REGISTRY_SOURCE', {
          severity: remote ? undefined : 'info',
          package: entry.name,
          message: sanitize(
            `${entry.name} is locked to a ${entry.source} source (${entry.resolved ?? entry.version}), which cannot be verified against the registry.`,
          ),
          hint: remote
            ? 'Review the source by hand, or depend on a published version.'
            : 'Local source: nothing to verify on the registry.',
          locations: [{ file: entry.lockfile, ...(entry.line ? { line: entry.line } : {}), field: entry.path }],
          details: { kind: entry.source, spec: entry.resolved ?? entry.version },
        }),
      );
    }
    return findings;
  },
});
