import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** vitest globalSetup: the CLI tests run bin/depverify.js, so dist/ must match src/. */
export default function setup(): void {
  let built = 0;
  try {
    built = statSync(path.join(root, 'dist/cli.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newestMtime(path.join(root, 'src'))) {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}
