import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTarballFiles } from '../../src/members/tarball-files.js';
import { packageTarball, tarball } from '../helpers/tarball.js';

describe('readTarballFiles', () => {
  it('keeps declarations and package.json, relative to the package folder', async () => {
    const result = await readTarballFiles(
      packageTarball({
        'package.json': '{"name":"pg"}',
        'lib/index.d.ts': 'export {};',
        'lib/index.js': 'evil()',
        'types/a.d.mts': 'x',
        'README.md': '#',
      }),
    );
    expect(result.ok && [...result.files.keys()].sort()).toEqual(['lib/index.d.ts', 'package.json', 'types/a.d.mts']);
    expect(result.ok && result.files.get('package.json')).toBe('{"name":"pg"}');
  });

  it('skips entries that escape the package and links, and lists them', async () => {
    const result = await readTarballFiles(
      tarball([
        { path: 'package/package.json', content: '{}' },
        { path: 'package/../../etc/evil.d.ts', content: 'x' },
        { path: '/abs/evil.d.ts', content: 'x' },
        { path: 'package/link.d.ts', type: 'SymbolicLink', linkpath: '/etc/passwd' },
        { path: 'package/hard.d.ts', type: 'Link', linkpath: 'package/package.json' },
      ]),
    );
    expect(result.ok && [...result.files.keys()]).toEqual(['package.json']);
    expect(result.ok && result.skipped.length).toBe(4);
  });

  it('refuses a gzip bomb, too many entries, an oversized file and non-gzip data', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(
      await readTarballFiles(bomb, undefined, { maxUnpackedBytes: 1024 * 1024, maxFileBytes: 1e6, maxEntries: 10 }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/unpacks to more than/) });
    const many = tarball(Array.from({ length: 20 }, (_, i) => ({ path: `package/f${i}.d.ts`, content: 'x' })));
    expect(
      await readTarballFiles(many, undefined, { maxUnpackedBytes: 1e8, maxFileBytes: 1e6, maxEntries: 10 }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/more than 10 entries/) });
    const big = packageTarball({ 'index.d.ts': 'x'.repeat(5000) });
    const result = await readTarballFiles(big, undefined, {
      maxUnpackedBytes: 1e8,
      maxFileBytes: 1000,
      maxEntries: 10,
    });
    expect(result.ok && result.files.size).toBe(0);
    expect(result.ok && result.skipped).toEqual(['index.d.ts (5000 bytes)']);
    expect(await readTarballFiles(Buffer.from('PK\u0003\u0004 not a gzip'))).toMatchObject({
      ok: false,
      reason: 'not a gzip file',
    });
    expect(await readTarballFiles(gzipSync(Buffer.from('garbage that is not tar')))).toMatchObject({ ok: false });
  });
});
