/**
 * The files of a package tarball, read in memory: nothing is written to disk and nothing in the
 * tarball is run. Only wanted files are kept (declarations, package.json, the TypeScript sources
 * resolution picks before a declaration), within fixed limits,
 * so a gzip bomb, an enormous entry or a tarball of a million files is refused, not obeyed.
 */
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';

export interface TarballLimits {
  /** Uncompressed tar bytes in all (gzip bombs stop here). */
  maxUnpackedBytes: number;
  /** One kept file. */
  maxFileBytes: number;
  /** Entries of any kind. */
  maxEntries: number;
}

export const DEFAULT_TARBALL_LIMITS: TarballLimits = {
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
  maxEntries: 50_000,
};

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
const isDeclarationFile = (path: string): boolean =>
  /\.d\.[mc]?ts$/.test(path) || path === 'package.json' || path.endsWith('/package.json');

/** A TypeScript source (not a declaration): `.ts`, `.tsx`, `.mts`, `.cts`. */
const TS_SOURCE = /(?<!\.d)\.(?:[mc]?ts|tsx)$/;
/** The declaration of the same name as a TypeScript source (`a.ts` → `a.d.ts`, `a.mts` → `a.d.mts`); undefined for any other file. */
export function declarationBeside(p: string): string | undefined {
  if (!TS_SOURCE.test(p)) return undefined;
  const stem = p.replace(TS_SOURCE, '');
  return p.endsWith('.mts') ? `${stem}.d.mts` : p.endsWith('.cts') ? `${stem}.d.cts` : `${stem}.d.ts`;
}

/** TypeScript sources kept at most, and the largest kept: the few a package ships beside its declarations. */
const MAX_SOURCES = 64;
const MAX_SOURCE_BYTES = 1024 * 1024;

/**
 * The TypeScript sources module resolution picks before a declaration (`index.ts` before
 * `index.d.ts` of the same name, an entry the manifest names): tsc reads them, so they are kept.
 * Beyond the bound none is (the virtual tree then leaves them out, and the declarations answer).
 */
function shadowingSources(
  sources: Map<string, string>,
  paths: string[],
  files: Map<string, string>,
): Map<string, string> {
  const all = new Set(paths);
  const entries = new Set<string>();
  try {
    const manifest = JSON.parse(files.get('package.json') ?? '{}') as Record<string, unknown>;
    const add = (value: unknown, depth = 0): void => {
      if (typeof value === 'string') entries.add(value.replace(/^\.\//, '').replace(/\.[cm]?js$/, ''));
      else if (value && typeof value === 'object' && depth < 6) for (const v of Object.values(value)) add(v, depth + 1);
    };
    for (const field of ['types', 'typings', 'main', 'module', 'exports']) add(manifest[field]);
  } catch {
    // A manifest that is not JSON names no entry.
  }
  const kept = new Map<string, string>();
  for (const [p, text] of sources) {
    const stem = p.replace(TS_SOURCE, '');
    if (all.has(declarationBeside(p)!) || entries.has(stem) || entries.has(p)) kept.set(p, text);
  }
  return kept.size > MAX_SOURCES ? new Map() : kept;
}

/** Longer paths are skipped: the path list is kept and cached, so each entry's share is bounded. */
const MAX_PATH = 1024;

// tar's warnings that mean the archive is cut short or damaged: a file it would still hand over
// could be missing its end, so the whole tarball is refused rather than half read.
const DAMAGED = new Set(['TAR_BAD_ARCHIVE', 'TAR_ENTRY_INVALID', 'TAR_ABORT']);

/**
 * Paths are made relative to the package folder (npm packs everything under one top folder,
 * usually `package/`). Absolute paths, `..`, links and devices are skipped and listed.
 *
 * The gzip stream is inflated chunk by chunk into the tar parser and stopped at the first limit
 * crossed, so memory holds the kept files, never the whole unpacked archive.
 */
/** Files read and handed over one at a time, not kept (the package's JavaScript, searched for what it defines). */
export interface TarballScan {
  match: (path: string) => boolean;
  /** Larger files are passed over (bundles): what they define is then not known. */
  maxFileBytes: number;
  onFile: (path: string, text: string) => void;
}

export async function readTarballFiles(
  gz: Buffer,
  want: (path: string) => boolean = isDeclarationFile,
  limits: TarballLimits = DEFAULT_TARBALL_LIMITS,
  scan?: TarballScan,
): Promise<TarballFiles> {
  // npm tarballs are always gzip: anything else is refused before inflating a byte.
  if (gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b) return { ok: false, reason: 'not a gzip file' };
  const files = new Map<string, string>();
  const paths: string[] = [];
  const skipped: string[] = [];
  /** TypeScript sources, until the end says which resolution would pick (shadowingSources). */
  const sources = new Map<string, string>();
  const keepSources = want === isDeclarationFile;
  let entries = 0;
  let unpacked = 0;
  let failure: string | undefined;

  await new Promise<void>((resolve) => {
    const gunzip = createGunzip();
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve();
    };
    const fail = (reason: string): void => {
      failure ??= reason;
      gunzip.destroy();
      finish();
    };
    const parser = new Parser({
      strict: false,
      onwarn(code: string, message: string | Error) {
        if (DAMAGED.has(code))
          fail(`malformed tar: ${typeof message === 'string' ? message : message.message}`.slice(0, 200));
      },
      onReadEntry(entry: ReadEntry) {
        if (failure) return void entry.resume();
        if (++entries > limits.maxEntries) {
          entry.resume();
          return fail(`more than ${limits.maxEntries} entries`);
        }
        const raw = entry.path.length > MAX_PATH ? `${entry.path.slice(0, 100)}…` : entry.path;
        const path = entry.path.length > MAX_PATH ? undefined : relativePath(entry.path);
        if (entry.type === 'File' && path !== undefined) paths.push(path);
        if (
          entry.type === 'File' &&
          path !== undefined &&
          keepSources &&
          TS_SOURCE.test(path) &&
          entry.size <= MAX_SOURCE_BYTES &&
          sources.size < MAX_SOURCES * 4
        ) {
          const chunks: Buffer[] = [];
          entry.on('data', (chunk: Buffer) => chunks.push(chunk));
          entry.on('end', () => {
            if (!failure) sources.set(path, Buffer.concat(chunks).toString('utf8'));
          });
          return;
        }
        if (entry.type === 'File' && path !== undefined && scan && !want(path) && scan.match(path)) {
          if (entry.size > scan.maxFileBytes) return void entry.resume();
          const chunks: Buffer[] = [];
          entry.on('data', (chunk: Buffer) => chunks.push(chunk));
          entry.on('end', () => {
            if (!failure) scan.onFile(path, Buffer.concat(chunks).toString('utf8'));
          });
          return;
        }
        if (entry.type !== 'File' || path === undefined || !want(path)) {
          if (entry.type !== 'File' && entry.type !== 'Directory') skipped.push(`${raw} (${entry.type})`);
          else if (entry.path.length > MAX_PATH) skipped.push(`${raw} (path of ${entry.path.length} characters)`);
          else if (path === undefined) skipped.push(`${raw} (outside the package)`);
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
        entry.on('end', () => {
          if (!failure) files.set(path, Buffer.concat(chunks).toString('utf8'));
        });
      },
    });
    parser.on('error', (error: Error) => fail(`malformed tar: ${error.message}`.slice(0, 200)));
    parser.on('end', finish);
    parser.on('close', finish);
    gunzip.on('data', (chunk: Buffer) => {
      if (failure) return;
      unpacked += chunk.length;
      if (unpacked > limits.maxUnpackedBytes) return fail(`unpacks to more than ${limits.maxUnpackedBytes} bytes`);
      parser.write(chunk);
    });
    gunzip.on('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'Z_BUF_ERROR' ? 'truncated gzip' : `malformed gzip: ${error.message}`.slice(0, 200)),
    );
    gunzip.on('end', () => {
      if (failure) return finish();
      parser.end();
    });
    gunzip.end(gz);
  });
  if (failure) return { ok: false, reason: failure };
  if (entries === 0) return { ok: false, reason: 'empty or malformed tar' };
  if (keepSources) for (const [p, text] of shadowingSources(sources, paths, files)) files.set(p, text);
  return { ok: true, files, paths, skipped };
}

/** `package/lib/index.d.ts` → `lib/index.d.ts`; undefined for anything that escapes the package. */
function relativePath(raw: string): string | undefined {
  const path = raw.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[a-z]:/i.test(path) || path.includes('\0')) return undefined;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..') || parts.length < 2) return undefined;
  return parts.slice(1).join('/');
}
