import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../src/registry/client.js';

/**
 * Opt-in (`DEPVERIFY_LIVE=1 npm test`): asks the registry npm is configured with. Only existence
 * (200 vs 404) is asserted, since mirrors differ from the public registry in every other field.
 */
describe.skipIf(!process.env.DEPVERIFY_LIVE)('live registry smoke test', () => {
  it('finds a real package and not an invented one', async () => {
    const client = createRegistryClient({
      root: process.cwd(),
      cacheDir: await mkdtemp(path.join(os.tmpdir(), 'depverify-live-')),
    });
    expect((await client.lookup('semver')).state).toBe('found');
    expect(await client.lookup('depverify-surely-not-a-package-4f1c9e')).toEqual({
      state: 'missing',
      reason: 'not-found',
    });
  });
});
