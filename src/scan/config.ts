import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FINDING_CODES, type FindingCode, type Severity } from '../model/finding.js';

export type SeveritySetting = Severity | 'off';

export interface DepverifyConfig {
  ignore: { packages: string[]; paths: string[] };
  severity: Partial<Record<FindingCode, SeveritySetting>>;
  /** Scopes (`@corp`) whose packages are never sent to any registry. */
  internalScopes: string[];
  /** Where the configuration came from, for messages. */
  source?: string;
}

/** Configuration as written in depverify.config.json, package.json#depverify or passed to verify(). */
export interface DepverifyConfigInput {
  ignore?: { packages?: string[]; paths?: string[] };
  severity?: Partial<Record<FindingCode, SeveritySetting>>;
  internalScopes?: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SEVERITY_SETTINGS = new Set<string>(['error', 'warning', 'info', 'off']);
const KEYS = new Set(['ignore', 'severity', 'internalScopes', '$schema']);

const emptyConfig = (): DepverifyConfig => ({ ignore: { packages: [], paths: [] }, severity: {}, internalScopes: [] });

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new ConfigError(`${where} must be an array of strings`);
  return value as string[];
}

/** Validate a parsed configuration object; unknown keys are errors so typos do not pass silently. */
export function parseConfig(raw: unknown, source: string): DepverifyConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${source}: the configuration must be an object`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!KEYS.has(key)) throw new ConfigError(`${source}: unknown key "${key}"`);
  const config = emptyConfig();
  config.source = source;
  if (obj.ignore !== undefined) {
    const ignore = obj.ignore as Record<string, unknown>;
    if (typeof ignore !== 'object' || ignore === null) throw new ConfigError(`${source}: "ignore" must be an object`);
    config.ignore.packages = stringList(ignore.packages, `${source}: ignore.packages`);
    config.ignore.paths = stringList(ignore.paths, `${source}: ignore.paths`);
  }
  if (obj.severity !== undefined) {
    if (typeof obj.severity !== 'object' || obj.severity === null) throw new ConfigError(`${source}: "severity" must be an object`);
    for (const [code, setting] of Object.entries(obj.severity)) {
      if (!(FINDING_CODES as readonly string[]).includes(code)) throw new ConfigError(`${source}: unknown finding code "${code}"`);
      if (typeof setting !== 'string' || !SEVERITY_SETTINGS.has(setting)) {
        throw new ConfigError(`${source}: severity of ${code} must be error, warning, info or off`);
      }
      config.severity[code as FindingCode] = setting as SeveritySetting;
    }
  }
  // `@corp`, `corp`, `@corp/` and `@corp/*` all mean the scope: a form that matched nothing would
  // send private names to a public registry.
  config.internalScopes = stringList(obj.internalScopes, `${source}: internalScopes`).map((raw) => {
    const scope = `@${raw.trim().replace(/^@/, '').replace(/\/\*?$/, '')}`.toLowerCase();
    if (!/^@[a-z0-9][a-z0-9._~-]*$/.test(scope)) throw new ConfigError(`${source}: internalScopes: "${raw}" is not a scope`);
    return scope;
  });
  return config;
}

/** `depverify.config.json`, else the `"depverify"` key of package.json, else the defaults. */
export async function loadConfig(root: string, explicit?: string): Promise<DepverifyConfig> {
  const candidates = explicit ? [path.resolve(root, explicit)] : [path.join(root, 'depverify.config.json')];
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (explicit) throw new ConfigError(`cannot read ${explicit}: ${(error as Error).message}`);
      continue;
    }
    const name = path.relative(root, file) || file;
    try {
      return parseConfig(JSON.parse(text), name);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`${name}: ${(error as Error).message}`);
    }
  }
  try {
    const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    if (manifest.depverify !== undefined) return parseConfig(manifest.depverify, 'package.json#depverify');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // A missing or broken package.json is reported by the manifest scan, not here.
  }
  return emptyConfig();
}

/** `name`, `@scope/*` or `prefix-*` patterns. */
export function matchesPackagePattern(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    if (!pattern.includes('*')) return pattern === name;
    const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return regex.test(name);
  });
}
