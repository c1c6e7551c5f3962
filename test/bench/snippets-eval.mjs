// Evaluation of snippet mode (issue 7): `node test/bench/snippets-eval.mjs` after `npm run build`.
// Needs the registry (npm's configuration); not part of `npm test`.
//
// test/fixtures/snippets-eval holds 66 assistant answers in Markdown (prose, install lines, code)
// and labels.json: for each answer the packages that do not exist, the deprecated ones, the
// invented exports and members as `tsc` reported them after a real install (block, line in the
// block, column, name), and the install lines that name a Node built-in (`builtins`). Each
// answer is checked with verifySnippet, as `depverify snippet` does, and compared: the verdict
// (problems or not), and the exact sets of missing packages, invented names and built-ins
// installed. Deprecation is compared only where the registry publishes `deprecated`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const evalDir = path.join(repoRoot, 'test/fixtures/snippets-eval');
const labels = JSON.parse(readFileSync(path.join(evalDir, 'labels.json'), 'utf8'));
const { verifySnippet } = await import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href);
const { readSnippet } = await import(pathToFileURL(path.join(repoRoot, 'dist/scan/read-snippet.js')).href);
const cacheDir = path.join(repoRoot, '.bench', 'snippets-cache');

const sorted = (xs) => [...new Set(xs)].sort();
let verdicts = 0;
let exact = 0;
let deprecationSeen = 0;
const rows = [];
const started = performance.now();
for (const answer of labels.answers) {
  const text = readFileSync(path.join(evalDir, answer.file), 'utf8');
  const fileName = path.basename(answer.file);
  const read = readSnippet(text, { fileName }).blocks;
  const starts = new Map(read.map((b) => [b.block, b.startLine]));
  // A block in a list item is indented in the answer; tsc's columns are the block's own.
  const indents = new Map(read.map((b) => [b.block, b.indent ?? 0]));
  const report = await verifySnippet({ text, fileName, cacheDir, popularIndex: false });
  const missing = sorted(report.findings.filter((f) => f.code === 'NOT_FOUND').map((f) => f.package));
  const invented = sorted(
    report.findings
      .filter((f) => f.code === 'INVENTED_EXPORT' || f.code === 'INVENTED_MEMBER')
      .map((f) => {
        const loc = f.locations[0] ?? {};
        const block = Number(/^block (\d+)$/.exec(loc.field ?? '')?.[1]);
        return `${f.details?.name}@${block}:${loc.line - (starts.get(block) ?? 1) + 1}:${loc.column - (indents.get(block) ?? 0)}`;
      }),
  );
  const builtins = sorted(report.findings.filter((f) => f.code === 'BUILTIN_INSTALLED').map((f) => f.package));
  const at = (f) => {
    const loc = f.locations[0] ?? {};
    const block = Number(/^block (\d+)$/.exec(loc.field ?? '')?.[1]);
    return `${f.details?.name}@${block}:${loc.line - (starts.get(block) ?? 1) + 1}:${loc.column}`;
  };
  // Deprecated APIs (DEPRECATED_API) against TypeScript's deprecation suggestions, every location.
  const deprecatedApi = sorted(
    report.findings
      .filter((f) => f.code === 'DEPRECATED_API')
      .flatMap((f) => f.locations.map((loc) => at({ ...f, locations: [loc] }))),
  );
  const wantDeprecatedApi = sorted(
    (answer.deprecatedApi ?? []).map((i) => `${i.name}@${i.block}:${i.line}:${i.column}`),
  );
  const deprecated = sorted(report.findings.filter((f) => f.code === 'DEPRECATED').map((f) => f.package));
  if (deprecated.length) deprecationSeen++;
  const wantMissing = sorted(answer.missing ?? []);
  const wantInvented = sorted((answer.invented ?? []).map((i) => `${i.name}@${i.block}:${i.line}:${i.column}`));
  const wantBuiltins = sorted(answer.builtins ?? []);
  const flagged = missing.length + invented.length + builtins.length > 0;
  const shouldFlag = wantMissing.length + wantInvented.length + wantBuiltins.length > 0;
  if (flagged === shouldFlag) verdicts++;
  const same =
    JSON.stringify([missing, invented, builtins, deprecatedApi]) ===
    JSON.stringify([wantMissing, wantInvented, wantBuiltins, wantDeprecatedApi]);
  if (same) exact++;
  else
    rows.push(
      `DISAGREE ${answer.file}: missing ${JSON.stringify(missing)} vs ${JSON.stringify(wantMissing)}; invented ${JSON.stringify(invented)} vs ${JSON.stringify(wantInvented)}; built-ins ${JSON.stringify(builtins)} vs ${JSON.stringify(wantBuiltins)}; deprecated APIs ${JSON.stringify(deprecatedApi)} vs ${JSON.stringify(wantDeprecatedApi)}; other ${sorted(report.findings.map((f) => f.code)).join(',')}`,
    );
}
const n = labels.answers.length;
const problems = labels.answers.filter(
  (a) => (a.missing ?? []).length + (a.invented ?? []).length + (a.builtins ?? []).length > 0,
).length;
console.log(
  `${n} answers (${problems} with invented packages or members or built-in names installed, ${n - problems} without) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  `verdict agrees: ${verdicts} of ${n}; exact sets of missing packages, invented names and installed built-ins: ${exact} of ${n}`,
);
console.log(
  `deprecation: ${deprecationSeen} answers got DEPRECATED from this registry (labelled: ${labels.answers.filter((a) => (a.deprecated ?? []).length).length}); mirrors that strip "deprecated" report none`,
);
for (const row of rows) console.log(row);
process.exit(exact === n ? 0 : 1);
