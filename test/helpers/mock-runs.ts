/** Runs of verify() against the mock registry, each with a cache of its own, for one test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Report, type VerifyOptions, verify } from '../../src/index.js';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.js';
import { type FileMap, writeTree } from './fixture.js';
import { REGISTRY, createMockRegistry } from './registry.js';

type RunOptions = Omit<VerifyOptions, 'root' | 'client' | 'cacheDir'> & { cacheDir?: string };

export interface MockRuns {
  mock: ReturnType<typeof createMockRegistry>;
  /** The folder the runs' caches are in. */
  cacheRoot: string;
  /** A cache folder no run has used yet. */
  freshCacheDir(): string;
  /** A client of the mock registry: no retries, a short time-out; without cacheDir, the default cache setting. */
  client(root: string, cacheDir?: string | false): RegistryClient;
  /** verify() of a project folder without the popular-package index, with a fresh cache unless one is given. */
  verifyProject(root: string, options?: RunOptions): Promise<Report>;
  /** verifyProject() of a new folder holding these files. */
  verifyFiles(files: FileMap, options?: RunOptions): Promise<{ root: string; report: Report }>;
}

/**
 * A mock registry listening for the test file's tests (reset after each), and a folder of caches
 * removed after them. Call it once at the top of the file.
 */
export function mockRegistryRuns(name: string): MockRuns {
  const mock = createMockRegistry();
  const cacheRoot = mkdtempSync(path.join(tmpdir(), `depverify-${name}-`));
  let caches = 0;
  beforeAll(() => mock.listen());
  afterEach(() => mock.reset());
  afterAll(() => {
    mock.close();
    rmSync(cacheRoot, { recursive: true, force: true });
  });

  const freshCacheDir = (): string => path.join(cacheRoot, `c${caches++}`);

  const client = (root: string, cacheDir?: string | false): RegistryClient =>
    createRegistryClient({
      root,
      npmConfig: { registry: REGISTRY },
      ...(cacheDir !== undefined ? { cacheDir } : {}),
      retries: 0,
      timeout: 5000,
    });

  async function verifyProject(root: string, options: RunOptions = {}): Promise<Report> {
    const cacheDir = options.cacheDir ?? freshCacheDir();
    return verify({ root, client: client(root, cacheDir), popularIndex: false, ...options, cacheDir });
  }

  async function verifyFiles(files: FileMap, options: RunOptions = {}): Promise<{ root: string; report: Report }> {
    const root = await writeTree(files);
    return { root, report: await verifyProject(root, options) };
  }

  return { mock, cacheRoot, freshCacheDir, client, verifyProject, verifyFiles };
}
