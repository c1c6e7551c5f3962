// Accuracy of the member check against tsc (issue 5): `node test/bench/members-accuracy.mjs`
// after `npm run build`. Needs the registry (npm's configuration); not part of `npm test`.
//
// test/fixtures/members-corpus/corpus.json lists snippets over popular typed packages at pinned
// versions, with what `tsc` reported for each after a real `npm install` of those versions (its
// ground-truth.mjs recreates that). Here each snippet is put in a fresh project that declares the
// same versions (exact ranges, the @types companions as devDependencies) and checked by
// depverify WITHOUT installing. Agreement means the same names at the same line and column.
// Every disagreement is printed; the exit code is 1 if there is any.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const corpusDir = path.join(repoRoot, 'test/fixtures/members-corpus');
const corpus = JSON.parse(readFileSync(path.join(corpusDir, 'corpus.json'), 'utf8'));
const { verify } = await import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href);
const cacheDir = path.join(repoRoot, '.bench', 'members-cache');
const CODES = new Set(['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND', 'TYPES_UNAVAILABLE']);
const typesOf = (name) => `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'depverify-accuracy-'));
let agree = 0;
const disagreements = [];
const started = performance.now();
try {
  for (const [i, c] of corpus.cases.entries()) {
    const root = path.join(scratch, String(i));
    mkdirSync(path.join(root, 'src'), { recursive: true });
    const dependencies = Object.fromEntries(c.packages.map((n) => [n, corpus.packages[n]]));
    const devDependencies = Object.fromEntries(
      [...c.packages.map(typesOf), '@types/node'].filter((n) => corpus.packages[n]).map((n) => [n, corpus.packages[n]]),
    );
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ name: `case-${i}`, private: true, type: 'module', dependencies, devDependencies }),
    );
    const file = path.join('src', path.basename(c.file));
    writeFileSync(path.join(root, file), readFileSync(path.join(corpusDir, c.file)));
    const report = await verify({ root, cacheDir, popularIndex: false });
    const got = report.findings
      .filter((f) => CODES.has(f.code))
      .map(
        (f) =>
          `${f.code === 'TYPES_UNAVAILABLE' ? 'unavailable' : f.details?.name}@${f.locations[0]?.line}:${f.locations[0]?.column}`,
      )
      .sort();
    const want = c.expected.map((e) => `${e.name}@${e.line}:${e.column}`).sort();
    if (JSON.stringify(got) === JSON.stringify(want)) agree++;
    else
      disagreements.push({
        file: c.file,
        kind: c.kind,
        want,
        got,
        other: report.findings.filter((f) => !CODES.has(f.code)).map((f) => f.code),
      });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const invented = corpus.cases.filter((c) => c.invented).length;
console.log(
  `${agree} of ${corpus.cases.length} cases agree with tsc (${invented} with an invented name, ${corpus.cases.length - invented} correct; ${Object.keys(corpus.packages).length} packages) in ${seconds} s`,
);
for (const d of disagreements)
  console.log(
    `DISAGREE ${d.file} (${d.kind}): tsc ${JSON.stringify(d.want)}, depverify ${JSON.stringify(d.got)}${d.other.length ? `, other findings ${d.other.join(',')}` : ''}`,
  );
process.exit(disagreements.length ? 1 : 0);
