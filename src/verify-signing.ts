/**
 * A step of verify(): the signing keys of every registry the lockfile installs from, fetched
 * once per registry before the checks run (checks stay pure), and what is said once per
 * registry: that it does not sign (info), or that its keys could not be had while there were
 * signatures to verify (unknown: the run is incomplete).
 */
import type { PackageInput } from './checks/index.js';
import { sha512Of } from './checks/signatures.js';
import type { SigningKeys } from './model/facts.js';
import { makeFinding } from './model/codes.js';
import type { Finding } from './model/finding.js';
import type { ProjectScan } from './model/references.js';
import type { RegistryClient } from './registry/client.js';

const verifiable = (input: PackageInput): boolean =>
  input.requests.some((r) => r.source === 'lockfile' && sha512Of(r.integrity) !== undefined);

export async function attachSigningKeys(
  inputs: PackageInput[],
  client: RegistryClient,
  scan: ProjectScan,
): Promise<Finding[]> {
  const signingKeys = client.signingKeys?.bind(client);
  if (!signingKeys || !scan.lockfile) return [];
  const byRegistry = new Map<string, PackageInput[]>();
  for (const input of inputs) {
    if (input.lookup.state !== 'found' || !verifiable(input)) continue;
    const registry = input.lookup.facts.registry;
    const list = byRegistry.get(registry);
    if (list) list.push(input);
    else byRegistry.set(registry, [input]);
  }
  const findings: Finding[] = [];
  const location = { file: scan.lockfile.path };
  for (const [registry, list] of [...byRegistry].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const keys: SigningKeys = await signingKeys(registry);
    for (const input of list) input.signingKeys = keys;
    if (keys.state === 'none') {
      findings.push(
        makeFinding('REGISTRY_UNSIGNED', {
          package: '',
          message: `${registry} does not sign its packages (${keys.reason}); registry signatures of the lockfile were not verified.`,
          locations: [location],
          details: { registry },
        }),
      );
    } else if (keys.state === 'unknown') {
      const signed = list.filter((i) => i.lookup.state === 'found' && i.lookup.facts.signatures !== undefined);
      if (signed.length === 0) continue;
      findings.push(
        makeFinding('REGISTRY_UNKNOWN', {
          package: '',
          message: `The signing keys of ${registry} could not be fetched (${keys.reason}): the signatures of ${signed.length} locked package${signed.length === 1 ? '' : 's'} were not verified.`,
          hint: 'Run again; check the registry configuration if it persists.',
          locations: [location],
          details: { registry, reason: keys.reason },
        }),
      );
    }
  }
  return findings;
}
