/**
 * Inputs known to send parsers into super-linear time or endless loops. Each must finish with a
 * result or an input error; the timeout is only a hang guard (timing is measured by
 * test/bench/scan-scaling.mjs, never here).
 */
import { describe, expect, it } from 'vitest';
import { matchesPackagePattern } from '../../src/config/config.js';
import { readManifest } from '../../src/scan/manifest.js';
import { readBunLockfile } from '../../src/scan/lockfiles/bun.js';
import { readNpmLockfile } from '../../src/scan/lockfiles/npm.js';
import { readPnpmLockfile } from '../../src/scan/lockfiles/pnpm.js';
import { readYarnLockfile } from '../../src/scan/lockfiles/yarn.js';
import { readImports } from '../../src/scan/parse-imports.js';
import { expandWorkspaces } from '../../src/scan/workspace-glob.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { afterAll } from 'vitest';

afterAll(removeTrees);

const HANG_GUARD = { timeout: 20_000 };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('import scanner', HANG_GUARD, () => {
  it.each([
    ['an unterminated block comment', `import a from 'a';\n/*${'x * '.repeat(250_000)}`],
    ['an unterminated string', `import a from 'a';\nconst s = '${'x'.repeat(1_000_000)}`],
    ['an unterminated template', `import a from 'a';\nconst s = \`${'${a}`'.repeat(20_000)}`],
    ['thousands of `require(` fragments', 'require('.repeat(50_000)],
    ['a huge single line', `import a from 'a'; x = ${'a + '.repeat(250_000)}1;`],
    [
      'regex-backtracking bait in code',
      `import a from 'a'; x = /${'(a+)+'.repeat(20)}$/.test('${'a'.repeat(100_000)}!');`,
    ],
  ])('%s', (_, text) => {
    const { imports, error } = readImports('a.ts', text);
    expect(imports.map((i) => i.specifier).slice(0, 1)).toEqual(text.startsWith('import') ? ['a'] : []);
    if (error) expect(error.file).toBe('a.ts');
  });

  it('100k nested brackets of every kind end in a too-deep error', () => {
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{a:', '}'],
      ['f(', ')'],
      ['<T>', ''],
    ]) {
      const { error } = readImports('a.ts', `x = ${open!.repeat(100_000)}1${close!.repeat(100_000)};`);
      expect(error).toMatchObject({ file: 'a.ts' });
    }
  });
});

describe('lockfiles', HANG_GUARD, () => {
  it('one-line JSON with thousands of entries (a skipped container used to search to the end for a newline)', () => {
    const packages = Object.fromEntries(range(40_000).map((i) => [`node_modules/p${i}`, { version: '1.0.0' }]));
    const { lockfile, errors } = readNpmLockfile('package-lock.json', JSON.stringify({ lockfileVersion: 3, packages }));
    expect(errors).toEqual([]);
    expect(lockfile?.packages).toHaveLength(40_000);
  });

  it('npm v1: a dependency chain 100k deep stops at the depth limit with an error at its line', () => {
    const text = `{"lockfileVersion":1,"dependencies":${'{"a":{"version":"1.0.0","dependencies":'.repeat(100_000)}{}${'}}'.repeat(100_000)}}`;
    const { lockfile, errors } = readNpmLockfile('package-lock.json', text);
    expect(errors).toEqual([expect.objectContaining({ file: 'package-lock.json', line: 1, reason: 'too-deep' })]);
    expect(lockfile?.packages.length).toBeGreaterThan(100);
  });

  it('bun.lock: an unterminated comment, and thousands of commas and comments', () => {
    expect(readBunLockfile('bun.lock', `{"lockfileVersion": 1, /*${' x'.repeat(1_000_000)}`).errors).toEqual([
      expect.objectContaining({ file: 'bun.lock', reason: 'invalid-json' }),
    ]);
    const text = `{"lockfileVersion": 1, "packages": {${range(20_000)
      .map((i) => `"p${i}": ["p${i}@1.0.0", /* c */ ], // x\n`)
      .join('')}}}`;
    expect(readBunLockfile('bun.lock', text).lockfile?.packages).toHaveLength(20_000);
  });

  it('pnpm: aliases of one mapping under many keys are refused (a small file would expand without bound)', () => {
    const deps = range(2000)
      .map((i) => `      p${i}: {specifier: x, version: 'link:../p${i}'}\n`)
      .join('');
    const text = `lockfileVersion: '6.0'\nimporters:\n  a0: &deps\n    dependencies:\n${deps}${range(2000)
      .map((i) => `  a${i + 1}: *deps\n`)
      .join('')}`;
    const { lockfile, errors } = readPnpmLockfile('pnpm-lock.yaml', text);
    expect(lockfile).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ file: 'pnpm-lock.yaml', reason: 'invalid-syntax' })]);
  });

  it('pnpm: long version strings against the importer version regex', () => {
    const text = `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n${range(2000)
      .map((i) => `      p${i}:\n        specifier: x\n        version: '@1.1.1-${'a.'.repeat(500)}!'\n`)
      .join('')}`;
    expect(readPnpmLockfile('pnpm-lock.yaml', text).errors).toEqual([]);
  });

  it.each([
    ['an unterminated string', `# yarn lockfile v1\n\na@^1:\n  version "${'x'.repeat(1_000_000)}`, 4],
    [
      'an unterminated string before more entries',
      `# yarn lockfile v1\n\na@^1:\n  version "1\n\nb@^1:\n  version "1"\n`,
      4,
    ],
    ['a final comment without a newline', `# yarn lockfile v1\n#${'x'.repeat(1_000_000)}`, undefined],
  ])('yarn classic: %s', async (_, text, line) => {
    const { errors } = await readYarnLockfile('yarn.lock', text);
    if (line === undefined) expect(errors).toEqual([]);
    else expect(errors).toEqual([expect.objectContaining({ file: 'yarn.lock', line, reason: 'invalid-syntax' })]);
  });

  it('yarn berry: one entry with 20k merged descriptors', async () => {
    const text = `__metadata:\n  version: 8\n\n"${range(20_000)
      .map((i) => `p@npm:^1.${i}`)
      .join(', ')}":\n  version: 1.0.0\n  resolution: "p@npm:1.0.0"\n`;
    const { lockfile, errors } = await readYarnLockfile('yarn.lock', text);
    expect(errors).toEqual([]);
    expect(lockfile?.packages).toHaveLength(1);
  });
});

describe('manifests and patterns', HANG_GUARD, () => {
  it('package.json nested 1M deep outside the fields read', () => {
    const { manifest, errors } = readManifest(
      '/r',
      'package.json',
      `{"name":"a","x":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)},"dependencies":{"ms":"1"}}`,
    );
    expect(errors).toEqual([]);
    expect(manifest?.dependencies.map((d) => d.name)).toEqual(['ms']);
  });

  it('many-star patterns against long names (a regex of `.*` runs took polynomial time)', () => {
    expect(matchesPackagePattern('a'.repeat(50_000), ['*a*a*a*a*a*a*a*a*a*a*a*a*b'])).toBe(false);
    expect(matchesPackagePattern(`${'a'.repeat(50_000)}b`, ['*a*a*a*a*a*a*a*a*a*a*a*a*b'])).toBe(true);
  });

  it('many-star workspace globs against a long directory name, and many ** segments', async () => {
    const long = 'a'.repeat(200);
    const deep = range(40)
      .map(() => 'd')
      .join('/');
    const root = await writeTree({ [`packages/${long}/package.json`]: '{}', [`${deep}/package.json`]: '{}' });
    const { dirs } = await expandWorkspaces(root, [
      'packages/*a*a*a*a*a*a*a*a*a*a*a*a*b',
      `packages/${'{a,b}'.repeat(20)}`,
      '**/d/**/d/**/d/**/d/**/d/**/x',
      `!${'**/'.repeat(12)}zz`,
    ]);
    expect(dirs).toEqual([]);
  });
});
