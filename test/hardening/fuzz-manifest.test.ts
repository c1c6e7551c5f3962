/**
 * package.json reading on valid manifests with hostile values in every field and on text
 * mutations: a manifest or input errors naming the file and line, never a throw.
 */
import fc from 'fast-check';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/scan/manifest.js';
import { expandWorkspaces } from '../../src/scan/workspace-glob.js';
import { matchesPackagePattern } from '../../src/config/config.js';
import { RUNS, expectWellFormedErrors, mutatedDocument, mutatedText, nastyString } from './fuzz-arbitraries.js';

const MANIFEST = {
  name: '@scope/app',
  version: '1.0.0',
  license: 'MIT',
  licenses: [{ type: 'MIT' }],
  workspaces: ['packages/*', '!packages/skip'],
  imports: { '#internal': './src/internal.js' },
  dependencies: {
    'left-pad': '^1.3.0',
    local: 'file:../local',
    git: 'github:user/repo#v1',
    alias: 'npm:chalk@^4',
    tag: 'latest',
    url: 'https://example.test/x.tgz',
  },
  devDependencies: { vitest: '^4.0.0', ws: 'workspace:*' },
  optionalDependencies: { fsevents: '*' },
  peerDependencies: { react: '>=18 <20 || 17.x' },
  depverify: { ignore: { packages: ['x-*'] } },
};

function check(text: string): void {
  const { manifest, errors } = readManifest('/project', 'package.json', text);
  expectWellFormedErrors(errors, 'package.json', text);
  if (!manifest) {
    expect(errors.length).toBeGreaterThan(0);
    return;
  }
  for (const dep of manifest.dependencies) {
    expect(typeof dep.name).toBe('string');
    expect(typeof dep.spec).toBe('string');
    expect(typeof dep.kind).toBe('string');
  }
  expect(Array.isArray(manifest.workspaces)).toBe(true);
  expect(manifest.workspaces.every((g) => typeof g === 'string')).toBe(true);
  // Nothing read may reach Object.prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('readManifest', () => {
  it('hostile values in any field', () => {
    fc.assert(
      fc.property(mutatedDocument(MANIFEST), fc.boolean(), (doc, pretty) =>
        check(JSON.stringify(doc, null, pretty ? 2 : undefined)),
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('text mutations', () => {
    fc.assert(fc.property(mutatedText(JSON.stringify(MANIFEST, null, 2)), check), { numRuns: RUNS * 2 });
  });

  it('any text, a BOM and binary included', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string().map((s) => `\ufeff${s}`),
      fc.json(),
    );
    fc.assert(fc.property(text, check), { numRuns: RUNS });
  });
});

describe('workspace globs and package patterns', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'depverify-fuzz-ws-'));
    for (const dir of ['packages/a', 'packages/.hidden', `packages/${'a'.repeat(200)}`, 'apps/x/y/z']) {
      await mkdir(path.join(root, dir), { recursive: true });
      await writeFile(path.join(root, dir, 'package.json'), '{}');
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const globPiece = fc.constantFrom(
    '*',
    '**',
    '?',
    '[a-z]',
    '[!a]',
    '[z-a]',
    '{a,b}',
    '{',
    '}',
    ',',
    '/',
    '..',
    '.',
    '!',
    'a',
    'packages',
    'apps',
    '\\',
  );
  const glob = fc.oneof(
    fc.array(globPiece, { maxLength: 12 }).map((p) => p.join('')),
    nastyString,
  );

  it('expandWorkspaces stays inside the root and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(glob, { maxLength: 4 }), async (globs) => {
        const { dirs, invalid } = await expandWorkspaces(root, globs);
        for (const dir of dirs) expect(dir.split('/')).not.toContain('..');
        expect(invalid.every((g) => globs.includes(g))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('package patterns never throw', () => {
    fc.assert(
      fc.property(glob, nastyString, (pattern, name) => typeof matchesPackagePattern(name, [pattern]) === 'boolean'),
      { numRuns: RUNS },
    );
  });
});

describe('cases the fuzzer found', () => {
  it('a dependency named by a lone surrogate is an invalid spec, not a URIError', () => {
    const { manifest, errors } = readManifest(
      '/project',
      'package.json',
      '{"dependencies":{"\\ud800":"^1.0.0","ok":"^1.0.0"}}',
    );
    expect(errors).toEqual([]);
    expect(manifest?.dependencies.map((d) => [d.name, d.kind])).toEqual([
      ['\ud800', 'invalid'],
      ['ok', 'registry'],
    ]);
  });
});
