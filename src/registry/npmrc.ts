import { envValue, readFileSync } from '../scan/observed-fs.js';
import os from 'node:os';
import path from 'node:path';
import ini from 'ini';

/**
 * Flat npm configuration as npm-registry-fetch reads it: `registry`, `@scope:registry`,
 * `//host/path/:_authToken` and friends pass through unchanged; the rest is mapped to the
 * option names npm itself flattens them to (see @npmcli/config's definitions).
 */
export type NpmConfig = Record<string, unknown>;

export interface NpmConfigSource {
  /** Project root whose `.npmrc` is read. */
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Explicit settings (the `--registry` option), highest precedence. */
  overrides?: Record<string, string>;
}

export interface LoadedNpmConfig {
  config: NpmConfig;
  /** Files that were read, in precedence order (lowest first). */
  files: string[];
  errors: Array<{ file: string; message: string }>;
}

function readRc(file: string, env: NodeJS.ProcessEnv, into: Record<string, string>, loaded: LoadedNpmConfig): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      loaded.errors.push({ file, message: String((error as Error).message) });
    return;
  }
  loaded.files.push(file);
  for (const [key, value] of Object.entries(ini.parse(text))) {
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
      into[key] = substituteEnv(String(value), env);
    }
  }
}

/** npm expands `${VAR}` (and `${VAR?}`) in .npmrc values from the environment. */
function substituteEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/(\\*)\$\{([^${}?]+)(\?)?\}/g, (whole, escapes: string, name: string, optional?: string) => {
    if (escapes.length % 2 === 1) return whole.slice(1);
    const found = envValue(env, name);
    if (found === undefined && !optional) return whole;
    return escapes + (found ?? '');
  });
}

/** `npm_config_foo_bar` → `foo-bar`, as npm does; keys with `:` or `/` keep their case. */
function envKey(raw: string): string {
  const key = raw.slice('npm_config_'.length);
  return /[:/]/.test(key) ? key : key.toLowerCase().replace(/_/g, '-');
}

export function loadNpmConfig(source: NpmConfigSource): LoadedNpmConfig {
  const env = source.env ?? process.env;
  const loaded: LoadedNpmConfig = { config: {}, files: [], errors: [] };
  const raw: Record<string, string> = {};
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  const userRc = env.npm_config_userconfig ?? env.NPM_CONFIG_USERCONFIG ?? path.join(home, '.npmrc');
  // npm's global config lives under its prefix: `<prefix>/etc/npmrc`, the prefix being the
  // directory above node's bin on POSIX and node's own directory on Windows.
  const prefix =
    env.npm_config_prefix ??
    env.PREFIX ??
    (process.platform === 'win32' ? path.dirname(process.execPath) : path.resolve(process.execPath, '../..'));
  readRc(
    env.npm_config_globalconfig ?? env.NPM_CONFIG_GLOBALCONFIG ?? path.join(prefix, 'etc', 'npmrc'),
    env,
    raw,
    loaded,
  );
  readRc(userRc, env, raw, loaded);
  readRc(path.join(source.root, '.npmrc'), env, raw, loaded);
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && /^npm_config_/i.test(name)) {
      const key = envKey(name.replace(/^NPM_CONFIG_/, 'npm_config_'));
      if (key !== 'userconfig' && key !== 'globalconfig') raw[key] = value;
    }
  }
  Object.assign(raw, source.overrides);
  loaded.config = flatten(raw, loaded);
  return loaded;
}

function flatten(raw: Record<string, string>, loaded: LoadedNpmConfig): NpmConfig {
  const config: NpmConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    // Registry and per-host auth keys are read by npm-registry-fetch as they are.
    if (key === 'registry' || key.startsWith('@') || key.startsWith('//')) config[key] = value;
  }
  const proxy = raw['https-proxy'] ?? raw.proxy;
  if (proxy) config.proxy = proxy;
  const noProxy = raw.noproxy ?? raw['no-proxy'];
  if (noProxy) config.noProxy = noProxy;
  if (raw['strict-ssl'] !== undefined) config.strictSSL = raw['strict-ssl'] !== 'false';
  if (raw['local-address']) config.localAddress = raw['local-address'];
  const ca: string[] = [];
  if (raw.ca) ca.push(raw.ca.replace(/\\n/g, '\n'));
  if (raw.cafile) {
    try {
      ca.push(...splitCertificates(readFileSync(raw.cafile, 'utf8')));
    } catch (error) {
      loaded.errors.push({ file: raw.cafile, message: `cafile: ${(error as Error).message}` });
    }
  }
  if (ca.length) config.ca = ca;
  return config;
}

function splitCertificates(text: string): string[] {
  const marker = '-----END CERTIFICATE-----';
  return text
    .split(marker)
    .filter((part) => part.trim())
    .map((part) => `${part.replace(/^\s+/, '')}${marker}`);
}
