/**
 * The files of a package tarball, read in memory: nothing is written to disk and nothing in the
 * tarball is run. Only wanted files are kept (declarations and package.json), within fixed limits,
 * so a gzip bomb, an enormous entry or a tarball of a million files is refused, not obeyed.
 */
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';

export interface TarballLimits {
  /** Uncompressed tar bytes in all (gzip bombs stop here). */
  maxUnpackedBytes: number;
  /** One kept file. */
  maxFileBytes: number;
  /** Entries of any kind. */
  maxEntries: number;
}

export const DEFAULT_TARBALL_LIMITS: TarballLimits = { maxUnpackedBytes: 256 * 1024 * 1024, maxFileBytes: 16 * 1024 * 1024, maxEntries: 50_000 };

export type TarballFiles =
  | {
      ok: true;
      files: Map<string, string>;
      /** Every file path of the package, kept or not: module resolution looks for files it will never read. */
      paths: string[];
      skipped: string[];
    }
  | { ok: false; reason: string };

/** `.d.ts`, `.d.mts`, `.d.cts` and every package.json: what type resolution reads. */
export const isDeclarationFile = (path: string): boolean => /\.d\.[mc]?ts$/.test(path) || path === 'package.json' || path.endsWith('/package.json');

/**
 * Paths are made relative to the package folder (npm packs everything under one top folder,
 * usually `package/`). Absolute paths, `..`, links and devices are skipped and listed.
 */
export async function readTarballFiles(gz: Buffer, want: (path: string) => boolean = isDeclarationFile, limits: TarballLimits = DEFAULT_TARBALL_LIMITS): Promise<TarballFiles> {
  let tar: Buffer;
  try {
    // Not gzip at all is an error too: npm tarballs always are.
    tar = gunzipSync(gz, { maxOutputLength: limits.maxUnpackedBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ERR_BUFFER_TOO_LARGE' ? `unpacks to more than ${limits.maxUnpackedBytes} bytes` : 'not a gzip file' };
  }
  const files = new Map<string, string>();
  const paths: string[] = [];
  const skipped: string[] = [];
  let entries = 0;
  let failure: string | undefined;
  await new Promise<void>((resolve) => {
    const parser = new Parser({
      strict: false,
      onReadEntry(entry: ReadEntry) {
        entries++;
        if (entries > limits.maxEntries) failure ??= `more than ${limits.maxEntries} entries`;
        const path = relativePath(entry.path);
        if (!failure && entry.type === 'File' && path !== undefined && paths.length < limits.maxEntries) paths.push(path);
        const keep = !failure && entry.type === 'File' && path !== undefined && want(path);
        if (!keep) {
          if (entry.type !== 'File' && entry.type !== 'Directory') skipped.push(`${entry.path} (${entry.type})`);
          else if (path === undefined) skipped.push(`${entry.path} (outside the package)`);
          entry.resume();
          return;
        }
        if (entry.size > limits.maxFileBytes) {
          skipped.push(`${path} (${entry.size} bytes)`);
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => files.set(path, Buffer.concat(chunks).toString('utf8')));
      },
    });
    parser.on('error', (error: Error) => {
      failure ??= `malformed tar: ${error.message}`;
    });
    parser.on('end', () => resolve());
    parser.on('close', () => resolve());
    parser.end(tar);
  });
  if (failure) return { ok: false, reason: failure };
  if (entries === 0) return { ok: false, reason: 'empty or malformed tar' };
  return { ok: true, files, paths, skipped };
}

/** `package/lib/index.d.ts` → `lib/index.d.ts`; undefined for anything that escapes the package. */
function relativePath(raw: string): string | undefined {
  const path = raw.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[a-z]:/i.test(path)) return undefined;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..') || parts.length < 2) return undefined;
  return parts.slice(1).join('/');
}
