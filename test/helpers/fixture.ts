/** Fixture trees for scan tests: an inline file map written to a fresh temp directory. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export type FileMap = Record<string, string | Uint8Array>;

const created: string[] = [];

export async function writeTree(files: FileMap): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'depverify-scan-'));
  created.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return root;
}

/** For afterAll: removes every tree this module wrote. */
export async function removeTrees(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
