/**
 * `--changed-since REF`: what a change added to the project, from git. A lockfile entry counts
 * when it is new or differs (version, resolved, integrity, name) from the entry at the same path
 * at REF; a manifest declaration when its spec is new or changed; an import when its file changed
 * (or is untracked). Everything else is skipped and counted.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Location } from '../model/finding.js';
import type { LockedPackage, ProjectScan } from '../model/references.js';
import { ConfigError } from './config.js';
import { LOCKFILE_READERS } from './lockfile.js';
import { readManifest } from './manifest.js';

const run = promisify(execFile);

export interface ChangeSet {
  ref: string;
  /** Whether a location points at something the change added or altered. */
  includes(location: Location): boolean;
}

async function git(root: string, args: string[]): Promise<string> {
  // No shell, and `--` before paths: the ref and paths are the user's, never interpreted.
  const { stdout } = await run('git', ['-C', root, ...args], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

/** The file's text at `ref`, or undefined when it did not exist there. */
async function showAt(root: string, ref: string, file: string): Promise<string | undefined> {
  try {
    return await git(root, ['show', `${ref}:./${file}`]);
  } catch {
    return undefined;
  }
}

const entryKey = (e: LockedPackage): string => [e.name, e.version, e.resolved ?? '', e.integrity ?? ''].join('\0');

export async function changedSince(root: string, ref: string, scan: ProjectScan): Promise<ChangeSet> {
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new ConfigError(`--changed-since: ${JSON.stringify(ref)} is not a commit of a git repository at ${root}`);
  }
  const [diff, untracked] = await Promise.all([
    git(root, ['diff', '--name-only', '--relative', '--no-renames', ref, '--']),
    git(root, ['ls-files', '--others', '--exclude-standard']),
  ]);
  const files = new Set([...diff.split('\n'), ...untracked.split('\n')].filter(Boolean));

  const lockPaths = new Set<string>();
  const lockfile = scan.lockfile;
  if (lockfile && files.has(lockfile.path)) {
    const reader = LOCKFILE_READERS.find((r) => r.files.includes(lockfile.path));
    const text = await showAt(root, ref, lockfile.path);
    const before = text !== undefined && reader ? (await reader.read(lockfile.path, text)).lockfile : undefined;
    const old = new Map((before?.packages ?? []).map((e) => [e.path, entryKey(e)]));
    for (const entry of lockfile.packages) if (old.get(entry.path) !== entryKey(entry)) lockPaths.add(entry.path);
  }

  const manifestFields = new Set<string>();
  for (const manifest of scan.manifests) {
    if (!files.has(manifest.path)) continue;
    const text = await showAt(root, ref, manifest.path);
    const before = text === undefined ? undefined : readManifest(root, manifest.path, text).manifest;
    const old = new Map((before?.dependencies ?? []).map((d) => [`${d.field}.${d.name}`, d.spec]));
    for (const dep of manifest.dependencies) {
      if (old.get(`${dep.field}.${dep.name}`) !== dep.spec) manifestFields.add(`${manifest.path}\0${dep.field}.${dep.name}`);
    }
  }

  const manifests = new Set(scan.manifests.map((m) => m.path));
  return {
    ref,
    includes(location) {
      if (lockfile && location.file === lockfile.path) return location.field !== undefined && lockPaths.has(location.field);
      if (manifests.has(location.file)) return manifestFields.has(`${location.file}\0${location.field ?? ''}`);
      return files.has(location.file);
    },
  };
}
