import type { LockfileRead } from './reader.js';

/** Berry lockfiles are YAML with a `__metadata` mapping; classic ones (`# yarn lockfile v1`) have none. */
export const isYarnBerry = (text: string): boolean => /^["']?__metadata["']?:/m.test(text);

/** yarn.lock of either yarn: each parser (~100 ms to load for classic) only when its format is there. */
export async function readYarnLockfile(relPath: string, text: string): Promise<LockfileRead> {
  if (isYarnBerry(text)) return (await import('./yarn-berry.js')).readYarnBerryLockfile(relPath, text);
  return (await import('./yarn-classic.js')).readYarnClassicLockfile(relPath, text);
}
