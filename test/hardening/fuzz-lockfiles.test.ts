/**
 * Every lockfile reader, fed valid lockfiles with parts replaced by hostile values and text
 * mutations of them: each returns a result or input errors naming the file, and never throws.
 */
import fc from 'fast-check';
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Lockfile } from '../../src/model/references.js';
import type { LockfileRead } from '../../src/scan/lockfile.js';
import { readBunLockfile } from '../../src/scan/lockfiles/bun.js';
import { readNpmLockfile } from '../../src/scan/lockfiles/npm.js';
import { readPnpmLockfile } from '../../src/scan/lockfiles/pnpm.js';
import { readYarnLockfile } from '../../src/scan/lockfiles/yarn.js';
import { jsoncToJson } from '../../src/scan/jsonc.js';
import { fixture } from '../helpers/lockfiles.js';
import { RUNS, expectWellFormedErrors, mutatedDocument, mutatedText } from './fuzz-arbitraries.js';

type Reader = (file: string, text: string) => LockfileRead | Promise<LockfileRead>;

function expectWellFormedLockfile(lockfile: Lockfile | undefined, file: string): void {
  if (!lockfile) return;
  expect(lockfile.path).toBe(file);
  for (const pkg of lockfile.packages) {
    expect(typeof pkg.name).toBe('string');
    expect(typeof pkg.version).toBe('string');
    expect(typeof pkg.path).toBe('string');
    expect(pkg.lockfile).toBe(file);
    if (pkg.line !== undefined) expect(pkg.line).toBeGreaterThanOrEqual(1);
  }
}

async function check(read: Reader, file: string, text: string): Promise<void> {
  const result = await read(file, text);
  expect(Array.isArray(result.errors)).toBe(true);
  expectWellFormedErrors(result.errors, file, text);
  expectWellFormedLockfile(result.lockfile, file);
  // Either something was read or the reader said why not.
  if (!result.lockfile) expect(result.errors.length).toBeGreaterThan(0);
}

const reg = (name: string, version: string) =>
  `https://registry.example.test/${name}/-/${name.split('/').pop()}-${version}.tgz`;
const entry = (name: string, version: string, extra: object = {}) => ({
  version,
  resolved: reg(name, version),
  integrity: 'sha512-AAAA',
  ...extra,
});

const NPM_V1 = {
  name: 'app',
  lockfileVersion: 1,
  requires: true,
  dependencies: {
    'left-pad': entry('left-pad', '1.3.0'),
    alias: { version: 'npm:chalk@4.1.2', resolved: reg('chalk', '4.1.2') },
    'is-odd': entry('is-odd', '3.0.1', {
      dev: true,
      dependencies: { 'is-number': entry('is-number', '6.0.0', { dependencies: { deep: entry('deep', '1.0.0') } }) },
    }),
    local: { version: 'file:vendor/local' },
  },
};
const NPM_PACKAGES = {
  '': { name: 'app', version: '1.0.0', dependencies: { 'left-pad': '^1.3.0' } },
  'node_modules/left-pad': entry('left-pad', '1.3.0'),
  'node_modules/@scope/pkg': entry('@scope/pkg', '2.0.0', { dev: true, optional: true }),
  'node_modules/alias': { ...entry('chalk', '4.1.2'), name: 'chalk' },
  'node_modules/linked': { resolved: 'packages/linked', link: true },
  'packages/linked': { name: 'linked', version: '0.1.0' },
  'node_modules/a/node_modules/b': entry('b', '1.0.0', { inBundle: true, devOptional: true }),
};
const NPM_V2 = {
  name: 'app',
  lockfileVersion: 2,
  requires: true,
  packages: NPM_PACKAGES,
  dependencies: NPM_V1.dependencies,
};
const NPM_V3 = { name: 'app', lockfileVersion: 3, requires: true, packages: NPM_PACKAGES };

const asJson = (doc: unknown) => fc.constantFrom(JSON.stringify(doc, null, 2), JSON.stringify(doc));

describe('npm package-lock.json', () => {
  it.each([
    ['v1', NPM_V1],
    ['v2', NPM_V2],
    ['v3', NPM_V3],
  ])('%s with hostile values in any field', async (_, base) => {
    await fc.assert(
      fc.asyncProperty(mutatedDocument(base), fc.boolean(), async (doc, pretty) =>
        check(readNpmLockfile, 'package-lock.json', JSON.stringify(doc, null, pretty ? 2 : undefined)),
      ),
      { numRuns: RUNS },
    );
  });

  it('text mutations of v1 and v3', async () => {
    const text = fc.oneof(asJson(NPM_V1), asJson(NPM_V3)).chain((t) => mutatedText(t));
    await fc.assert(
      fc.asyncProperty(text, async (t) => check(readNpmLockfile, 'package-lock.json', t)),
      { numRuns: RUNS },
    );
  });
});

describe('bun.lock', () => {
  const text = fixture('bun/bun.lock');
  const doc = JSON.parse(jsoncToJson(text)) as unknown;

  it('with hostile values in any field', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedDocument(doc), async (d) =>
        check(readBunLockfile, 'bun.lock', JSON.stringify(d, null, 2)),
      ),
      { numRuns: RUNS },
    );
  });

  it('text mutations (comments and trailing commas included)', async () => {
    const mutated = mutatedText(text, ['//', '/*', '*/', ',', ',}', '/* unterminated']);
    await fc.assert(
      fc.asyncProperty(mutated, async (t) => check(readBunLockfile, 'bun.lock', t)),
      { numRuns: RUNS },
    );
  });
});

describe('pnpm-lock.yaml', () => {
  it.each(['v5.4', 'v6.0', 'v9.0'])('%s with hostile values in any field', async (version) => {
    const doc = load(fixture(`pnpm/${version}/pnpm-lock.yaml`));
    const yaml = mutatedDocument(doc, 150).map((d) => dump(d, { noRefs: true, lineWidth: -1 }));
    await fc.assert(
      fc.asyncProperty(yaml, async (t) => check(readPnpmLockfile, 'pnpm-lock.yaml', t)),
      { numRuns: RUNS / 2 },
    );
  });

  it.each(['v5.4', 'v6.0', 'v9.0'])('%s text mutations', async (version) => {
    const mutated = mutatedText(fixture(`pnpm/${version}/pnpm-lock.yaml`), [
      '&anchor ',
      '*anchor',
      '<<: *anchor',
      "'quoted",
      '"\\x',
      '? ',
      '%YAML 1.2\n',
    ]);
    await fc.assert(
      fc.asyncProperty(mutated, async (t) => check(readPnpmLockfile, 'pnpm-lock.yaml', t)),
      { numRuns: RUNS / 2 },
    );
  });
});

describe('yarn.lock', () => {
  it('berry with hostile values in any field', async () => {
    const doc = load(fixture('yarn-berry/yarn.lock'));
    const yaml = mutatedDocument(doc, 150).map((d) => dump(d, { noRefs: true, lineWidth: -1 }));
    await fc.assert(
      fc.asyncProperty(yaml, async (t) => check(readYarnLockfile, 'yarn.lock', t)),
      { numRuns: RUNS },
    );
  });

  it('berry text mutations', async () => {
    const mutated = mutatedText(fixture('yarn-berry/yarn.lock'), [
      'resolution: "a@patch:b@npm%3A1#x"',
      'resolution: "x@npm:"',
      '__metadata:\n  version: 99\n',
    ]);
    await fc.assert(
      fc.asyncProperty(mutated, async (t) => check(readYarnLockfile, 'yarn.lock', t)),
      { numRuns: RUNS },
    );
  });

  it('classic text mutations', async () => {
    const mutated = mutatedText(fixture('yarn-classic/yarn.lock'), [
      '<<<<<<< HEAD\n',
      '=======\n',
      '>>>>>>> x\n',
      '  version "1"\n',
      'a@^1, "b@^2":\n',
      '  resolved 42\n',
    ]);
    await fc.assert(
      fc.asyncProperty(mutated, async (t) => check(readYarnLockfile, 'yarn.lock', t)),
      { numRuns: RUNS },
    );
  });

  it('classic entries with hostile keys and values', async () => {
    const quote = (s: string) => JSON.stringify(s);
    const entryText = fc
      .tuple(
        fc.string(),
        fc.string(),
        fc.string(),
        fc.constantFrom('version', 'resolved', 'integrity', 'dependencies', '__proto__', 'constructor'),
      )
      .map(
        ([key, version, value, field]) => `${quote(key)}:\n  version ${quote(version)}\n  ${field} ${quote(value)}\n`,
      );
    const text = fc.array(entryText, { maxLength: 5 }).map((entries) => `# yarn lockfile v1\n\n${entries.join('\n')}`);
    await fc.assert(
      fc.asyncProperty(text, async (t) => check(readYarnLockfile, 'yarn.lock', t)),
      { numRuns: RUNS },
    );
  });
});

describe('cases the fuzzer found', () => {
  it('classic: an unterminated string or a final comment without a newline ends in a syntax error', async () => {
    for (const text of [
      '"abc',
      'a@^1:\n  version "1',
      '# yarn lockfile v1\n\na@^1:\n  version "1"\n\n"b@^2',
      '# yarn lockfile v1\n# last',
    ]) {
      const { errors } = await readYarnLockfile('yarn.lock', text);
      expectWellFormedErrors(errors, 'yarn.lock', text);
    }
    const { errors } = await readYarnLockfile('yarn.lock', '"abc');
    expect(errors).toEqual([expect.objectContaining({ file: 'yarn.lock', reason: 'invalid-syntax', line: 1 })]);
  });

  it('berry: a malformed escape in a patch locator leaves it undecoded', async () => {
    const text =
      '__metadata:\n  version: 8\n\n"a@patch:a@npm%3A1#x":\n  version: 1.0.0\n  resolution: "a@patch:a@npm%E0%A4%A#~x"\n';
    const { lockfile, errors } = await readYarnLockfile('yarn.lock', text);
    expect(errors).toEqual([]);
    expect(lockfile?.packages).toHaveLength(1);
  });

  it('npm v1: a lockfileVersion nested 100k deep is reported, not stringified', () => {
    const text = `{"lockfileVersion":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const { errors } = readNpmLockfile('package-lock.json', text);
    expect(errors).toEqual([expect.objectContaining({ reason: 'unsupported-version', field: 'lockfileVersion' })]);
  });
});
