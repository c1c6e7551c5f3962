import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputError } from '../model/references.js';

export type TextRead = { text: string } | { missing: true } | { error: InputError };

/** Reads a project file as UTF-8. A file that is not there is `missing`, not an error. */
export async function readText(root: string, relPath: string): Promise<TextRead> {
  try {
    return { text: await readFile(join(root, relPath), 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    const message = err instanceof Error ? err.message : String(err);
    return { error: { file: relPath, reason: 'unreadable', message: `cannot read: ${code ?? message}` } };
  }
}
