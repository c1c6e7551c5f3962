import { COMMAND_LINE } from '../model/finding.js';
import type { PackageRequest } from '../model/request.js';
import { ConfigError } from '../config/config.js';
import { classifySpec } from '../scan/spec.js';

/**
 * `name`, `name@range`, `@scope/name@tag`, `alias@npm:real@range`: what someone is about to
 * install. Only registry specs can be checked; anything else is a usage error, not a guess.
 */
export function parsePackageArg(arg: string): PackageRequest {
  const at = arg.indexOf('@', arg.startsWith('@') ? 1 : 0);
  const name = at === -1 ? arg : arg.slice(0, at);
  const spec = at === -1 ? '' : arg.slice(at + 1);
  const parsed = classifySpec(name, spec, process.cwd());
  if ((parsed.kind !== 'registry' && parsed.kind !== 'alias') || !parsed.registryName) {
    throw new ConfigError(
      parsed.kind === 'invalid'
        ? `not a package spec: "${arg}"`
        : `"${arg}" is a ${parsed.kind} spec, which cannot be checked against a registry`,
    );
  }
  const request: PackageRequest = {
    name: parsed.registryName,
    source: 'cli',
    locations: [{ file: COMMAND_LINE, field: arg }],
  };
  if (spec && parsed.range && parsed.range !== '*') request.wanted = parsed.range;
  else if (spec) request.wanted = spec;
  return request;
}
