/**
 * Deno configuration (`deno.json` / `deno.jsonc`): its import map says what a bare specifier is.
 * A key mapped to `npm:x@range` is the npm package x (checked like any other); one mapped to
 * `jsr:`, a URL or a path is not a registry package. Files below a Deno config also see `@std/*`
 * as the JSR standard library. Reads the disk synchronously: a few small files, once per run.
 */
import { readFileSync, readdirSync, statSync } from './observed-fs.js';
import path from 'node:path';
import { isRecord } from '../model/json.js';
import type { InputError } from '../model/references.js';
import { jsoncToJson } from './jsonc.js';
import { MAX_PROJECT_FILE_BYTES } from './read-text.js';

/** What a Deno config above a file makes of a specifier: its mapped target, `jsr` for `@std/*`, or nothing. */
type DenoResolution = { target: string } | { jsr: true } | undefined;

const CONFIG_NAMES = ['deno.json', 'deno.jsonc'];

interface DenoConfig {
  /** Import map entries, longest key first (prefix keys end in `/`). */
  imports: [string, string][];
  /** `workspace` member directories, relative to this config's directory. */
  members: string[];
  name?: string;
}

export interface DenoScope {
  resolve(file: string, specifier: string): DenoResolution;
  errors: InputError[];
}

export function readDenoScope(root: string): DenoScope {
  const errors: InputError[] = [];
  const byDir = new Map<string, DenoConfig | null>();
  const configOf = (dir: string): DenoConfig | null => {
    const cached = byDir.get(dir);
    if (cached !== undefined) return cached;
    let found: DenoConfig | null = null;
    for (const name of CONFIG_NAMES) {
      const rel = dir === '' ? name : `${dir}/${name}`;
      const abs = path.join(root, rel);
      if (!isFile(abs)) continue;
      found = loadDenoConfig(root, rel, abs, errors);
      break;
    }
    if (found === null) {
      // Configs given with `deno test -c deno.<variant>.json`: their import maps together.
      const loaded = listVariants(path.join(root, dir)).flatMap((name) => {
        const rel = dir === '' ? name : `${dir}/${name}`;
        return loadDenoConfig(root, rel, path.join(root, rel), errors) ?? [];
      });
      if (loaded.length > 0) {
        const imports = loaded.flatMap((c) => c.imports).sort((a, b) => b[0].length - a[0].length);
        found = { imports, members: [] };
      }
    }
    byDir.set(dir, found);
    return found;
  };
  const chain = (file: string): DenoConfig[] => {
    const configs: DenoConfig[] = [];
    let dir = path.posix.dirname(file);
    for (;;) {
      const d = dir === '.' ? '' : dir;
      const c = configOf(d);
      if (c) configs.push(c);
      if (d === '') return configs;
      dir = path.posix.dirname(d);
    }
  };
  // Names of Deno workspace members (`@fresh/core`): imported by their siblings, never from npm.
  const memberNames = new Set<string>();
  const expanded = new Set<string>();
  const expandMembers = (dir: string, config: DenoConfig): void => {
    if (expanded.has(dir)) return;
    expanded.add(dir);
    for (const member of config.members) {
      for (const memberDir of expandMember(root, dir, member)) {
        const c = configOf(memberDir);
        if (c?.name) memberNames.add(c.name);
      }
    }
  };
  return {
    errors,
    resolve(file, specifier) {
      const configs = chain(file);
      if (configs.length === 0) return undefined;
      for (const [dir, c] of byDir) if (c && c.members.length > 0) expandMembers(dir, c);
      for (const name of memberNames) if (specifier === name || specifier.startsWith(`${name}/`)) return { jsr: true };
      for (const c of configs) {
        for (const [key, target] of c.imports) {
          if (specifier === key) return { target };
          if (key.endsWith('/') && specifier.startsWith(key)) return { target: target + specifier.slice(key.length) };
          // A bare key mapped to a package (`"fresh": "jsr:@fresh/core@^2"`) maps its subpaths
          // too (`fresh/runtime`), as Deno expands `jsr:` and `npm:` entries.
          if (/^(?:jsr|npm):/.test(target) && specifier.startsWith(`${key}/`))
            return { target: target.replace(/\/$/, '') + specifier.slice(key.length) };
        }
      }
      if (specifier.startsWith('@std/')) return { jsr: true };
      return undefined;
    },
  };
}

function loadDenoConfig(root: string, rel: string, abs: string, errors: InputError[]): DenoConfig | null {
  let parsed: unknown;
  try {
    const info = statSync(abs);
    if (info.size > MAX_PROJECT_FILE_BYTES) throw new Error(`file too large (${info.size} bytes)`);
    parsed = JSON.parse(jsoncToJson(readFileSync(abs, 'utf8')));
  } catch (err) {
    errors.push({ file: rel, reason: 'invalid-json', message: `cannot read Deno config: ${(err as Error).message}` });
    return { imports: [], members: [] };
  }
  const map: Record<string, unknown> = {};
  if (isRecord(parsed)) {
    // `importMap` names a separate file; its entries come first, the config's own win.
    if (typeof parsed.importMap === 'string' && !/^[a-z][a-z\d+.-]+:/i.test(parsed.importMap)) {
      const mapAbs = path.resolve(path.dirname(abs), parsed.importMap);
      try {
        const m: unknown = JSON.parse(jsoncToJson(readFileSync(mapAbs, 'utf8')));
        if (isRecord(m) && isRecord(m.imports)) Object.assign(map, m.imports);
      } catch (err) {
        errors.push({
          file: path.relative(root, mapAbs).split(path.sep).join('/'),
          reason: 'unreadable',
          message: `cannot read import map: ${(err as Error).message}`,
        });
      }
    }
    if (isRecord(parsed.imports)) Object.assign(map, parsed.imports);
  }
  const members =
    isRecord(parsed) && Array.isArray(parsed.workspace)
      ? parsed.workspace.filter((m): m is string => typeof m === 'string')
      : [];
  const name = isRecord(parsed) && typeof parsed.name === 'string' ? parsed.name : undefined;
  const imports = Object.entries(map)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .sort((a, b) => b[0].length - a[0].length);
  return { imports, members, ...(name === undefined ? {} : { name }) };
}

/** Member directories (relative to root) of a workspace entry: a path, or a path ending in `/*`. */
function expandMember(root: string, dir: string, member: string): string[] {
  const rel = path.posix.normalize(path.posix.join(dir === '' ? '.' : dir, member.replace(/\/\*$/, '')));
  if (rel.startsWith('..')) return [];
  const base = rel === '.' ? '' : rel;
  if (!member.endsWith('/*')) return [base];
  try {
    return readdirSync(path.join(root, base), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => (base === '' ? e.name : `${base}/${e.name}`));
  } catch {
    return [];
  }
}

function isFile(abs: string): boolean {
  return statSync(abs, { throwIfNoEntry: false })?.isFile() === true;
}

const VARIANT = /^deno\.[\w.-]+\.jsonc?$/;

function listVariants(absDir: string): string[] {
  try {
    return readdirSync(absDir)
      .filter((n) => VARIANT.test(n))
      .sort();
  } catch {
    return [];
  }
}
