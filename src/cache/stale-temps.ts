import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** A temporary file older than this was left by a process that died mid-write (SIGKILL, power). */
const STALE_TEMP_MS = 5 * 60 * 1000;

const swept = new Set<string>();

/**
 * Removes `*.<pid>.<hex>.tmp` files in `dir` left behind by killed runs: older than
 * STALE_TEMP_MS and not this process's. Once per directory per process, on its first write;
 * failures are ignored (another run may be sweeping the same files).
 */
export async function sweepStaleTemps(dir: string, now = Date.now()): Promise<void> {
  if (swept.has(dir)) return;
  swept.add(dir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      const match = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
      if (!match || Number(match[1]) === process.pid) return;
      const file = path.join(dir, name);
      try {
        if (now - (await stat(file)).mtimeMs > STALE_TEMP_MS) await rm(file, { force: true });
      } catch {
        // Gone already, or not ours to remove.
      }
    }),
  );
}
