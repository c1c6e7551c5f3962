/** The cache module every on-disk cache uses: versioned folder, shape check, atomic writes. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CacheKind, DiskCache } from '../../src/cache/disk-cache.js';
import { isRecord } from '../../src/model/json.js';

const root = mkdtempSync(path.join(tmpdir(), 'depverify-disk-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Entry {
  n: number;
}
const KIND: CacheKind<Entry> = {
  name: 'thing',
  version: 3,
  isValid: (s): s is Entry => isRecord(s) && typeof s.n === 'number',
};

describe('DiskCache', () => {
  it('keeps entries in <name>-v<version>, reads back what it wrote, and leaves no temporary file', async () => {
    const cache = new DiskCache(root, KIND);
    const file = cache.file('a', 'b.json');
    expect(file).toBe(path.join(root, 'thing-v3', 'a', 'b.json'));
    await cache.write(file, { n: 1 });
    expect(cache.read(file)).toEqual({ n: 1 });
    expect(cache.writeSync(file, { n: 2 })).toBe(true);
    expect(cache.read(file)).toEqual({ n: 2 });
    expect(readdirSync(path.dirname(file))).toEqual(['b.json']);
  });

  it('an entry of another shape, damaged JSON or a missing file is a miss', () => {
    const cache = new DiskCache(root, KIND);
    const file = cache.file('bad.json');
    expect(cache.read(file)).toBeUndefined();
    writeFileSync(file, '{"n":');
    expect(cache.read(file)).toBeUndefined();
    writeFileSync(file, '{"n":"1"}');
    expect(cache.read(file)).toBeUndefined();
    writeFileSync(file, '[1]');
    expect(cache.read(file)).toBeUndefined();
  });

  it('a write that cannot happen costs nothing unless asked to be strict', async () => {
    const blocker = path.join(root, 'blocker');
    writeFileSync(blocker, 'a file where the cache wants a folder');
    const cache = new DiskCache(blocker, KIND);
    await expect(cache.write(cache.file('x.json'), { n: 1 })).resolves.toBeUndefined();
    await expect(cache.write(cache.file('x.json'), { n: 1 }, true)).rejects.toThrow();
    expect(cache.writeSync(cache.file('x.json'), { n: 1 })).toBe(false);
    expect(existsSync(path.join(blocker, 'thing-v3'))).toBe(false);
  });
});
