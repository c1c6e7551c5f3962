/**
 * vitest setupFiles: every test file gets its own empty default cache directory, so no test reads
 * or writes the user's cache, and none depends on what an earlier run (or file) left there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'depverify-test-cache-'));
process.env.DEPVERIFY_CACHE_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
