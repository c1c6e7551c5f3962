/**
 * `--changed-since REF`: what a change added to the project, from git. A lockfile entry counts
 * when it is new or differs (version, resolved, integrity, name) from the entry at the same path
 * at REF; a manifest declaration when its spec is new or changed; an import when its file changed
 * (or is untracked). Everything else is skipped and counted.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ConfigError } from '../model/errors.js';
import type { Location } from '../model/finding.js';
import type { LockedPackage, ProjectScan } from '../model/references.js';
import type { LockfileChanges } from '../model/report.js';
import { LOCKFILE_READERS } from './lockfile.js';
import { readManifest } from './manifest.js';

const run = promisify(execFile);

export interface ChangeSet {
  ref: string;
  /** Whether a location points at something the change added or altered. */
  includes(location: Location): boolean;
  /** The locked packages the change added, removed or moved to other versions (when it touched the lockfile). */
  lockfile?: LockfileChanges;
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
  let lockChanges: LockfileChanges | undefined;
  if (lockfile && files.has(lockfile.path)) {
    const reader = LOCKFILE_READERS.find((r) => r.files.includes(lockfile.path));
    const text = await showAt(root, ref, lockfile.path);
    const before = text !== undefined && reader ? (await reader.read(lockfile.path, text)).lockfile : undefined;
    const old = new Map((before?.packages ?? []).map((e) => [e.path, entryKey(e)]));
    for (const entry of lockfile.packages) if (old.get(entry.path) !== entryKey(entry)) lockPaths.add(entry.path);
    lockChanges = { ref, lockfile: lockfile.path, ...diffByName(before?.packages ?? [], lockfile.packages) };
  }

  const manifestFields = new Set<string>();
  for (const manifest of scan.manifests) {
    if (!files.has(manifest.path)) continue;
    const text = await showAt(root, ref, manifest.path);
    const before = text === undefined ? undefined : readManifest(root, manifest.path, text).manifest;
    const old = new Map((before?.dependencies ?? []).map((d) => [`${d.field}.${d.name}`, d.spec]));
    for (const dep of manifest.dependencies) {
      if (old.get(`${dep.field}.${dep.name}`) !== dep.spec)
        manifestFields.add(`${manifest.path}\0${dep.field}.${dep.name}`);
    }
  }

  const manifests = new Set(scan.manifests.map((m) => m.path));
  return {
    ref,
    ...(lockChanges ? { lockfile: lockChanges } : {}),
    includes(location) {
      if (lockfile && location.file === lockfile.path)
        return location.field !== undefined && lockPaths.has(location.field);
      if (manifests.has(location.file)) return manifestFields.has(`${location.file}\0${location.field ?? ''}`);
      return files.has(location.file);
    },
  };
}

/** Registry packages by name, before and after: which names came, went, or changed versions. */
function diffByName(before: LockedPackage[], after: LockedPackage[]): Omit<LockfileChanges, 'ref' | 'lockfile'> {
  const versions = (entries: LockedPackage[]): Map<string, string[]> => {
    const map = new Map<string, Set<string>>();
    for (const e of entries) if (!e.local) map.set(e.name, (map.get(e.name) ?? new Set()).add(e.version));
    return new Map([...map].map(([name, set]) => [name, [...set].sort()]));
  };
  const old = versions(before);
  const now = versions(after);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  const diff: Omit<LockfileChanges, 'ref' | 'lockfile'> = { added: [], removed: [], updated: [] };
  for (const name of names) {
    const from = old.get(name);
    const to = now.get(name);
    if (!from && to) diff.added.push({ name, versions: to });
    else if (from && !to) diff.removed.push({ name, versions: from });
    else if (from && to && from.join('\0') !== to.join('\0')) diff.updated.push({ name, from, to });
  }
  return diff;
}
