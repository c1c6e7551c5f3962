#!/usr/bin/env node
/**
 * Scaling of the import scanner and every lockfile reader: each input at size N and 8N, normal and
 * adversarial, best of a few runs; the ratio is ~8 for linear time, ~64 for quadratic.
 *
 *   npm run build && node test/bench/scan-scaling.mjs [N-multiplier]
 *
 * Reads dist/, so build first. Nothing touches the network or the disk beyond the import.
 */
import { performance } from 'node:perf_hooks';

const dist = new URL('../../dist/scan/', import.meta.url);
const load = (p) => import(new URL(p, dist).href);
const { readImports } = await load('parse-imports.js');
const { readNpmLockfile } = await load('lockfiles/npm.js');
const { readBunLockfile } = await load('lockfiles/bun.js');
const { readPnpmLockfile } = await load('lockfiles/pnpm.js');
const { readYarnLockfile } = await load('lockfiles/yarn.js');
const { readManifest } = await load('manifest.js');
const { matchesPackagePattern } = await import(new URL('../config/config.js', dist).href);

const SCALE = Number(process.argv[2] ?? 1);
const reg = (name, v) => `https://registry.example.test/${name}/-/${name}-${v}.tgz`;
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** name, size N, reader, input builder (from a count). */
const CASES = [
  // Import scanner
  [
    'imports: normal code',
    2000,
    (t) => readImports('a.ts', t),
    (n) =>
      range(n)
        .map((i) => `import x${i} from 'pkg-${i}';\nconst y${i} = require('cjs-${i}') + f(x${i}, { a: [1, 2] });\n`)
        .join(''),
  ],
  [
    'imports: unterminated comment',
    200_000,
    (t) => readImports('a.ts', t),
    (n) => `import a from 'a';\n/*${'x * '.repeat(n)}`,
  ],
  [
    'imports: unterminated string',
    200_000,
    (t) => readImports('a.ts', t),
    (n) => `import a from 'a';\nconst s = '${'x'.repeat(n)}`,
  ],
  [
    'imports: unterminated template',
    20_000,
    (t) => readImports('a.ts', t),
    (n) => `import a from 'a';\nconst s = \`${'${a}`'.repeat(n)}`,
  ],
  ['imports: require( fragments', 20_000, (t) => readImports('a.js', t), (n) => 'require('.repeat(n)],
  [
    'imports: require() calls on one line',
    20_000,
    (t) => readImports('a.js', t),
    (n) =>
      range(n)
        .map((i) => `require('p${i}');`)
        .join(''),
  ],
  [
    'imports: nested brackets (to the limit)',
    500,
    (t) => readImports('a.js', t),
    (n) => `x = ${'['.repeat(n)}${']'.repeat(n)};`,
  ],
  ['imports: huge single line', 200_000, (t) => readImports('a.js', t), (n) => `x = ${'a + '.repeat(n)}1;`],
  [
    'imports: regex bait',
    50_000,
    (t) => readImports('a.js', t),
    (n) => `x = /${'(a+)+'.repeat(10)}/.test('${'a'.repeat(n)}!');`,
  ],
  // package.json
  [
    'manifest: many dependencies',
    5000,
    (t) => readManifest('/r', 'package.json', t),
    (n) =>
      JSON.stringify(
        { name: 'a', dependencies: Object.fromEntries(range(n).map((i) => [`p${i}`, `^${i}.0.0`])) },
        null,
        2,
      ),
  ],
  [
    'manifest: deep nesting',
    20_000,
    (t) => readManifest('/r', 'package.json', t),
    (n) => `{"name":"a","x":${'['.repeat(n)}${']'.repeat(n)}}`,
  ],
  [
    'manifest: escaped quotes',
    100_000,
    (t) => readManifest('/r', 'package.json', t),
    (n) => `{"name":"a","description":"${'\\"'.repeat(n)}","dependencies":{"a":"1"}}`,
  ],
  // npm
  [
    'npm v3: normal',
    5000,
    (t) => readNpmLockfile('package-lock.json', t),
    (n) =>
      JSON.stringify(
        {
          lockfileVersion: 3,
          packages: Object.fromEntries(
            range(n).map((i) => [
              `node_modules/p${i}`,
              { version: '1.0.0', resolved: reg(`p${i}`, '1.0.0'), integrity: 'sha512-AAAA' },
            ]),
          ),
        },
        null,
        2,
      ),
  ],
  [
    'npm v1: normal',
    5000,
    (t) => readNpmLockfile('package-lock.json', t),
    (n) =>
      JSON.stringify(
        {
          lockfileVersion: 1,
          dependencies: Object.fromEntries(
            range(n).map((i) => [
              `p${i}`,
              { version: '1.0.0', resolved: reg(`p${i}`, '1.0.0'), dependencies: { q: { version: '2.0.0' } } },
            ]),
          ),
        },
        null,
        2,
      ),
  ],
  [
    'npm v1: deep dependency chain',
    5000,
    (t) => readNpmLockfile('package-lock.json', t),
    (n) =>
      `{"lockfileVersion":1,"dependencies":${'{"a":{"version":"1.0.0","dependencies":'.repeat(n)}{}${'}}'.repeat(n)}}`,
  ],
  [
    'npm v3: backslash-heavy keys',
    5000,
    (t) => readNpmLockfile('package-lock.json', t),
    (n) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: Object.fromEntries(
          range(n).map((i) => [`node_modules/${'\\"'.repeat(20)}${i}`, { version: '1.0.0' }]),
        ),
      }),
  ],
  // bun
  [
    'bun: normal',
    5000,
    (t) => readBunLockfile('bun.lock', t),
    (n) =>
      `{\n  "lockfileVersion": 1,\n  "packages": {\n${range(n)
        .map((i) => `    "p${i}": ["p${i}@1.0.0", "", {}, "sha512-AAAA"],\n`)
        .join('')}  },\n}\n`,
  ],
  [
    'bun: unterminated comment',
    200_000,
    (t) => readBunLockfile('bun.lock', t),
    (n) => `{"lockfileVersion": 1, /*${' x'.repeat(n)}`,
  ],
  [
    'bun: comments and commas',
    20_000,
    (t) => readBunLockfile('bun.lock', t),
    (n) =>
      `{"lockfileVersion": 1, "packages": {${range(n)
        .map((i) => `"p${i}": ["p${i}@1.0.0", /* c */ ], // x\n`)
        .join('')}}}`,
  ],
  // pnpm
  [
    'pnpm 9: normal',
    3000,
    (t) => readPnpmLockfile('pnpm-lock.yaml', t),
    (n) =>
      `lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n${range(n)
        .map((i) => `      p${i}:\n        specifier: ^1.0.0\n        version: 1.0.${i}\n`)
        .join('')}\npackages:\n${range(n)
        .map((i) => `  p${i}@1.0.${i}:\n    resolution: {integrity: sha512-AAAA}\n`)
        .join('')}\nsnapshots:\n${range(n)
        .map((i) => `  p${i}@1.0.${i}: {}\n`)
        .join('')}`,
  ],
  [
    'pnpm 5.4: normal',
    3000,
    (t) => readPnpmLockfile('pnpm-lock.yaml', t),
    (n) =>
      `lockfileVersion: 5.4\n\ndependencies:\n${range(n)
        .map((i) => `  p${i}: 1.0.${i}\n`)
        .join('')}\npackages:\n${range(n)
        .map((i) => `  /p${i}/1.0.${i}:\n    resolution: {integrity: sha512-AAAA}\n    dev: false\n`)
        .join('')}`,
  ],
  [
    'pnpm: long version strings',
    2000,
    (t) => readPnpmLockfile('pnpm-lock.yaml', t),
    (n) =>
      `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n${range(n)
        .map((i) => `      p${i}:\n        specifier: x\n        version: '@1.1.1-${'a.'.repeat(200)}!'\n`)
        .join('')}`,
  ],
  [
    'pnpm: aliases to one importer',
    300,
    (t) => readPnpmLockfile('pnpm-lock.yaml', t),
    (n) =>
      `lockfileVersion: '6.0'\nimporters:\n  a0: &deps\n    dependencies:\n${range(n)
        .map((i) => `      p${i}: {specifier: x, version: 'link:../p${i}'}\n`)
        .join('')}${range(n)
        .map((i) => `  a${i + 1}: *deps\n`)
        .join('')}`,
  ],
  // yarn
  [
    'yarn classic: normal',
    3000,
    (t) => readYarnLockfile('yarn.lock', t),
    (n) =>
      `# yarn lockfile v1\n\n${range(n)
        .map(
          (i) =>
            `p${i}@^1.0.0:\n  version "1.0.${i}"\n  resolved "${reg(`p${i}`, `1.0.${i}`)}#abc"\n  integrity sha512-AAAA\n  dependencies:\n    q "^2"\n\n`,
        )
        .join('')}`,
  ],
  [
    'yarn classic: unterminated string',
    200_000,
    (t) => readYarnLockfile('yarn.lock', t),
    (n) => `# yarn lockfile v1\n\na@^1:\n  version "${'x'.repeat(n)}`,
  ],
  [
    'yarn classic: final comment, no newline',
    200_000,
    (t) => readYarnLockfile('yarn.lock', t),
    (n) => `# yarn lockfile v1\n#${'x'.repeat(n)}`,
  ],
  [
    'yarn berry: normal',
    3000,
    (t) => readYarnLockfile('yarn.lock', t),
    (n) =>
      `__metadata:\n  version: 8\n\n${range(n)
        .map(
          (i) =>
            `"p${i}@npm:^1.0.0, p${i}@npm:^1.0.1":\n  version: 1.0.${i}\n  resolution: "p${i}@npm:1.0.${i}"\n  checksum: 10c0/abc\n  languageName: node\n  linkType: hard\n\n`,
        )
        .join('')}`,
  ],
  [
    'yarn berry: many merged descriptors',
    20_000,
    (t) => readYarnLockfile('yarn.lock', t),
    (n) =>
      `__metadata:\n  version: 8\n\n"${range(n)
        .map((i) => `p@npm:^1.${i}`)
        .join(', ')}":\n  version: 1.0.0\n  resolution: "p@npm:1.0.0"\n`,
  ],
  // patterns from config and workspaces
  [
    'ignore.packages: star bait',
    2000,
    (t) => matchesPackagePattern(t, ['*a*a*a*a*a*a*a*a*a*a*b']),
    (n) => 'a'.repeat(n),
  ],
];

function time(read, text) {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    const out = read(text);
    // Async readers (yarn) resolve at once: the work is synchronous inside.
    if (out && typeof out.then === 'function') throw new Error('use timeAsync');
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function timeAsync(read, text) {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    await read(text);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

// Warm the parsers so the first case does not pay for loading them.
readImports('a.ts', "import a from 'a';");
await readYarnLockfile('yarn.lock', '# yarn lockfile v1\n');
await readYarnLockfile('yarn.lock', '__metadata:\n  version: 8\n');
readPnpmLockfile('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");

console.log(
  `${'case'.padEnd(42)} ${'N'.padStart(8)} ${'bytes N'.padStart(10)} ${'ms N'.padStart(9)} ${'ms 8N'.padStart(9)}  ratio`,
);
const results = [];
for (const [name, n0, read, build] of CASES) {
  const n = Math.max(1, Math.round(n0 * SCALE));
  const small = build(n);
  const large = build(8 * n);
  const run = async (text) => {
    const out = read(text);
    return out && typeof out.then === 'function' ? timeAsync(read, text) : time(read, text);
  };
  const a = await run(small);
  const b = await run(large);
  // Below a millisecond the timer's noise dominates the ratio.
  const ratio = b / Math.max(a, 0.5);
  results.push({ name, ratio });
  console.log(
    `${name.padEnd(42)} ${String(n).padStart(8)} ${String(small.length).padStart(10)} ${a.toFixed(1).padStart(9)} ${b.toFixed(1).padStart(9)}  ${ratio.toFixed(1)}${ratio > 20 ? '  <-- super-linear?' : ''}`,
  );
}
const worst = results.reduce((w, r) => (r.ratio > w.ratio ? r : w));
console.log(`\nlinear ≈ 8, quadratic ≈ 64; worst: ${worst.name} at ${worst.ratio.toFixed(1)}`);
