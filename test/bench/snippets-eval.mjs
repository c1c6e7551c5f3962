// Evaluation of snippet mode (issue 7): `node test/bench/snippets-eval.mjs` after `npm run build`.
// Needs the registry (npm's configuration); not part of `npm test`.
//
// test/fixtures/snippets-eval holds 53 assistant answers in Markdown (prose, install lines, code)
// and labels.json: for each answer the packages that do not exist, the deprecated ones, and the
// invented exports and members as `tsc` reported them after a real install (block, line in the
// block, column, name). Each answer is checked with verifySnippet, as `depverify snippet` does,
// and compared: the verdict (problems or not), and the exact sets of missing packages and
// invented names. Deprecation is compared only where the registry publishes `deprecated`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const evalDir = path.join(repoRoot, 'test/fixtures/snippets-eval');
const labels = JSON.parse(readFileSync(path.join(evalDir, 'labels.json'), 'utf8'));
const { verifySnippet } = await import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href);
const { readSnippet } = await import(pathToFileURL(path.join(repoRoot, 'dist/scan/snippet.js')).href);
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
  const starts = new Map(readSnippet(text, { fileName }).blocks.map((b) => [b.block, b.startLine]));
  const report = await verifySnippet({ text, fileName, cacheDir, popularIndex: false });
  const missing = sorted(report.findings.filter((f) => f.code === 'NOT_FOUND').map((f) => f.package));
  const invented = sorted(
    report.findings
      .filter((f) => f.code === 'INVENTED_EXPORT' || f.code === 'INVENTED_MEMBER')
      .map((f) => {
        const loc = f.locations[0] ?? {};
        const block = Number(/^block (\d+)$/.exec(loc.field ?? '')?.[1]);
        return `${f.details?.name}@${block}:${loc.line - (starts.get(block) ?? 1) + 1}:${loc.column}`;
      }),
  );
  const at = (f) => {
    const loc = f.locations[0] ?? {};
    const block = Number(/^block (\d+)$/.exec(loc.field ?? '')?.[1]);
    return `${f.details?.name}@${block}:${loc.line - (starts.get(block) ?? 1) + 1}:${loc.column}`;
  };
  // Deprecated APIs (DEPRECATED_API) against TypeScript's deprecation suggestions, every location.
  const deprecatedApi = sorted(report.findings.filter((f) => f.code === 'DEPRECATED_API').flatMap((f) => f.locations.map((loc) => at({ ...f, locations: [loc] }))));
  const wantDeprecatedApi = sorted((answer.deprecatedApi ?? []).map((i) => `${i.name}@${i.block}:${i.line}:${i.column}`));
  const deprecated = sorted(report.findings.filter((f) => f.code === 'DEPRECATED').map((f) => f.package));
  if (deprecated.length) deprecationSeen++;
  const wantMissing = sorted(answer.missing ?? []);
  const wantInvented = sorted((answer.invented ?? []).map((i) => `${i.name}@${i.block}:${i.line}:${i.column}`));
  const flagged = missing.length + invented.length > 0;
  const shouldFlag = wantMissing.length + wantInvented.length > 0;
  if (flagged === shouldFlag) verdicts++;
  const same = JSON.stringify([missing, invented, deprecatedApi]) === JSON.stringify([wantMissing, wantInvented, wantDeprecatedApi]);
  if (same) exact++;
  else rows.push(`DISAGREE ${answer.file}: missing ${JSON.stringify(missing)} vs ${JSON.stringify(wantMissing)}; invented ${JSON.stringify(invented)} vs ${JSON.stringify(wantInvented)}; deprecated APIs ${JSON.stringify(deprecatedApi)} vs ${JSON.stringify(wantDeprecatedApi)}; other ${sorted(report.findings.map((f) => f.code)).join(',')}`);
}
const n = labels.answers.length;
const problems = labels.answers.filter((a) => (a.missing ?? []).length + (a.invented ?? []).length > 0).length;
console.log(`${n} answers (${problems} with invented packages or members, ${n - problems} without) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`verdict agrees: ${verdicts} of ${n}; exact sets of missing packages and invented names: ${exact} of ${n}`);
console.log(`deprecation: ${deprecationSeen} answers got DEPRECATED from this registry (labelled: ${labels.answers.filter((a) => (a.deprecated ?? []).length).length}); mirrors that strip "deprecated" report none`);
for (const row of rows) console.log(row);
process.exit(exact === n ? 0 : 1);
