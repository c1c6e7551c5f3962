import { isUtf8 } from 'node:buffer';
import { readFile, stat } from './observed-fs.js';
import { join } from 'node:path';
import type { InputError } from '../model/references.js';

/** package.json, tsconfig, pnpm-workspace.yaml, config: nothing real comes near this. */
export const MAX_PROJECT_FILE_BYTES = 16 * 1024 * 1024;
/** The largest lockfiles of big monorepos are tens of MB; a JS string cannot hold much over 512 MB. */
export const MAX_LOCKFILE_BYTES = 256 * 1024 * 1024;

/**
 * `text` may come with `encodingError` when the file is not valid UTF-8: the text then has
 * replacement characters, and the caller reports the error and reads on.
 */
export type TextRead = { text: string; encodingError?: InputError } | { missing: true } | { error: InputError };

/** Why a file was not read: it is not a regular file, or is larger than allowed. */
class FileRefused extends Error {
  constructor(
    readonly reason: 'unreadable' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a regular file whole. Anything else is refused before it is opened: a FIFO would block
 * the read forever, a device never end. Size is checked first, so a huge file is never loaded.
 */
export async function readRegularFile(abs: string, maxBytes: number): Promise<Buffer> {
  const info = await stat(abs);
  if (info.isDirectory()) throw new FileRefused('unreadable', 'is a directory, not a file');
  if (!info.isFile()) throw new FileRefused('unreadable', 'is not a regular file (a FIFO, socket or device), not read');
  if (info.size > maxBytes)
    throw new FileRefused('too-large', `file too large (${info.size} bytes, limit ${maxBytes}), not read`);
  return await readFile(abs);
}

/** The error for a failed read of `file`; `ENOENT`-like codes are the caller's to decide. */
export function readErrorOf(file: string, err: unknown): InputError {
  if (err instanceof FileRefused) return { file, reason: err.reason, message: err.message };
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message : String(err);
  return { file, reason: 'unreadable', message: `cannot read: ${code ?? message}` };
}

/** UTF-8 text of `bytes`; bytes that are not UTF-8 give an error at the line of the first one. */
export function decodeUtf8(file: string, bytes: Buffer): { text: string; encodingError?: InputError } {
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return { text };
  const at = firstInvalidUtf8(bytes);
  let line = 1;
  for (let i = bytes.indexOf(10); i !== -1 && i < at; i = bytes.indexOf(10, i + 1)) line++;
  return {
    text,
    encodingError: {
      file,
      line,
      reason: 'invalid-encoding',
      message: 'not valid UTF-8 (read with replacement characters)',
    },
  };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || !isUtf8(bytes.subarray(i, i + len))) return i;
    i += len;
  }
  return bytes.length;
}

/** Reads a project file as UTF-8. A file that is not there is `missing`, not an error. */
export async function readText(root: string, relPath: string, maxBytes = MAX_PROJECT_FILE_BYTES): Promise<TextRead> {
  try {
    return decodeUtf8(relPath, await readRegularFile(join(root, relPath), maxBytes));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    return { error: readErrorOf(relPath, err) };
  }
}
