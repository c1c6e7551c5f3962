/** Package tarballs built in memory for tests, including hostile ones no packer would write. */
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

export interface TarEntry {
  path: string;
  /** File content; omitted for links and directories. */
  content?: string | Buffer;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link';
  linkpath?: string;
  /** A size to declare that differs from the content (for truncated archives). */
  size?: number;
}

export function tarball(entries: TarEntry[], opts: { gzip?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = e.content === undefined ? Buffer.alloc(0) : Buffer.from(e.content);
    const header = new Header({
      path: e.path,
      mode: 0o644,
      size: e.size ?? body.length,
      type: e.type ?? 'File',
      mtime: new Date(0),
      ...(e.linkpath ? { linkpath: e.linkpath } : {}),
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return opts.gzip === false ? tar : gzipSync(tar);
}

/** A package's files under npm's `package/` folder. */
export function packageTarball(files: Record<string, string>): Buffer {
  return tarball(Object.entries(files).map(([path, content]) => ({ path: `package/${path}`, content })));
}
