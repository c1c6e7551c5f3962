import { existsSync, readFileSync } from './observed-fs.js';
import path from 'node:path';
import type { PackageManager } from './command-line.js';

// Most specific first: a project that moved from npm to pnpm may still carry a stale package-lock.
const LOCKFILES: [file: string, manager: PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];
const MANAGERS = new Set<string>(['npm', 'pnpm', 'yarn', 'bun']);

export interface DetectedManager {
  manager: PackageManager;
  /** Why: `packageManager` in package.json, a lockfile's name, or the default. */
  from: string;
}

/**
 * The package manager a project uses, as Corepack decides it: `packageManager` in package.json,
 * else the lockfile present, else npm. Reads two files at most; a broken package.json is ignored
 * here (the check itself reports it).
 */
export function detectPackageManager(dir: string): DetectedManager {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { packageManager?: unknown };
    const field = typeof manifest.packageManager === 'string' ? manifest.packageManager : '';
    const name = field.split('@')[0] ?? '';
    if (MANAGERS.has(name))
      return { manager: name as PackageManager, from: `packageManager "${field}" in package.json` };
  } catch {
    // No manifest, or not JSON: fall through to the lockfile.
  }
  for (const [file, manager] of LOCKFILES) if (existsSync(path.join(dir, file))) return { manager, from: file };
  return { manager: 'npm', from: 'the default' };
}

/** The argument list that adds `specs` (or, with none, installs the project) with `manager`. */
export function installArgs(manager: PackageManager, specs: string[], passThrough: string[]): string[] {
  if (specs.length === 0) return ['install', ...passThrough];
  return [manager === 'npm' ? 'install' : 'add', ...specs, ...passThrough];
}
