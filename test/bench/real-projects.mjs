#!/usr/bin/env node
// Sweep a depverify build over a directory of real project snapshots, for judging precision.
//
// Not part of the test suite (vitest runs test/**/*.test.ts only). The snapshots live OUTSIDE
// the repository: one plain directory tree per project, <snapshots>/<name>/.
//
// Usage:
//   node test/bench/real-projects.mjs <snapshots-dir> [options]
//
// Options:
//   --bin <path>          depverify entry point to run (default: this repository's bin/depverify.js)
//   --cache-dir <dir>     cache directory passed to every run (default: a fresh temporary directory)
//   --timeout-min <n>     time limit per project in minutes (default 15); the run is killed after it
//   --concurrency <n>     projects checked at once (default 2)
//   --only <a,b,...>      check only these project names
//   --skip <a,b,...>      leave these project names out
//   --out <file>          write the JSON summary here (default: stdout)
//   --md <file>           write a markdown table and the list of error findings here
//   --args "<extra>"      extra arguments for every depverify run (split on spaces)
//   --keep-reports <dir>  keep each project's full JSON report as <dir>/<name>.json
//   --judgements <tsv>    hand verdicts of earlier error findings (columns: project, code, package,
//                         location, verdict, cause, ...): each error is matched on project, code,
//                         package and file:line and counted as true/false/mirror, or as new (unjudged)
//
// Each run is `node <bin> <project> --format json --quiet --cache-dir <dir> --output <tmp>`.
// A crash, a timeout or unreadable JSON is recorded with the exit code and the tail of stderr;
// the sweep goes on with the next project.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const opts = {
    bin: resolve(here, '../../bin/depverify.js'),
    cacheDir: undefined,
    timeoutMin: 15,
    concurrency: 2,
    only: undefined,
    skip: [],
    out: undefined,
    md: undefined,
    extra: [],
    keepReports: undefined,
    judgements: undefined,
    dir: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--bin') opts.bin = resolve(next());
    else if (a === '--cache-dir') opts.cacheDir = resolve(next());
    else if (a === '--timeout-min') opts.timeoutMin = Number(next());
    else if (a === '--concurrency') opts.concurrency = Math.max(1, Number(next()) | 0);
    else if (a === '--only') opts.only = next().split(',').filter(Boolean);
    else if (a === '--skip') opts.skip = next().split(',').filter(Boolean);
    else if (a === '--out') opts.out = resolve(next());
    else if (a === '--md') opts.md = resolve(next());
    else if (a === '--args') opts.extra = next().split(/\s+/).filter(Boolean);
    else if (a === '--keep-reports') opts.keepReports = resolve(next());
    else if (a === '--judgements') opts.judgements = resolve(next());
    else if (a === '-h' || a === '--help') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0] + '\n');
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (opts.dir === undefined) opts.dir = resolve(a);
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!opts.dir) throw new Error('the snapshots directory is required (see --help)');
  if (!Number.isFinite(opts.timeoutMin) || opts.timeoutMin <= 0)
    throw new Error('--timeout-min must be a positive number');
  return opts;
}

function runOne(opts, name, work) {
  const projectDir = join(opts.dir, name);
  const outFile = join(work, `${name}.json`);
  const args = [
    opts.bin,
    projectDir,
    '--format',
    'json',
    '--quiet',
    '--cache-dir',
    opts.cacheDir,
    '--output',
    outFile,
    ...opts.extra,
  ];
  const started = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, args, { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    let stdout = '';
    let timedOut = false;
    child.stdout.on('data', (d) => {
      stdout = (stdout + d).slice(-20_000);
    });
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-20_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMin * 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallSec = Math.round((Date.now() - started) / 100) / 10;
      let report;
      let parseError;
      try {
        report = JSON.parse(readFileSync(outFile, 'utf8'));
      } catch (e) {
        // Some builds may ignore --output: fall back to stdout.
        try {
          report = JSON.parse(stdout);
        } catch {
          parseError = String((e && e.message) || e);
        }
      }
      resolveRun({
        name,
        exitCode: code,
        signal,
        timedOut,
        wallSec,
        stderrTail: stderr.slice(-2000),
        report,
        parseError,
      });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolveRun({
        name,
        exitCode: null,
        signal: null,
        timedOut: false,
        wallSec: 0,
        stderrTail: String(e.message),
        report: undefined,
        parseError: 'spawn failed',
      });
    });
  });
}

function loadJudgements(file) {
  const map = new Map();
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  for (const line of lines.slice(1)) {
    const [project, code, pkg, location, verdict, cause] = line.split('\t');
    // Columns may be dropped from the location (file:line:column): match on file:line.
    const key = [project, code, pkg, location.split(':').slice(0, 2).join(':')].join('\t');
    map.set(key, { verdict: verdict.startsWith('true') ? 'true' : verdict, cause });
  }
  return map;
}

function judge(map, e) {
  if (!map) return undefined;
  const key = [e.project, e.code, e.package, e.location.split(':').slice(0, 2).join(':')].join('\t');
  return map.get(key) ?? { verdict: 'new', cause: '' };
}

function loc(f) {
  const l = (f.locations || [])[0];
  if (!l) return '';
  return `${l.file ?? ''}${l.line ? `:${l.line}` : ''}${l.column ? `:${l.column}` : ''}`;
}

function summarise(r, jmap) {
  const rep = r.report;
  const findings = rep?.findings ?? [];
  const byCode = {};
  const warnByCode = {};
  const errors = [];
  for (const f of findings) {
    if (f.severity === 'error') {
      byCode[f.code] = (byCode[f.code] ?? 0) + 1;
      const e = {
        project: r.name,
        code: f.code,
        package: f.package ?? '',
        location: loc(f),
        message: String(f.message ?? '').replace(/\s+/g, ' '),
      };
      const j = judge(jmap, e);
      if (j) {
        e.verdict = j.verdict;
        e.cause = j.cause;
      }
      errors.push(e);
    } else if (f.severity === 'warning') {
      warnByCode[f.code] = (warnByCode[f.code] ?? 0) + 1;
    }
  }
  const s = rep?.summary ?? {};
  return {
    name: r.name,
    exitCode: r.exitCode,
    signal: r.signal,
    timedOut: r.timedOut,
    wallSec: r.wallSec,
    status: rep?.status ?? null,
    files: s.sourceFiles ?? null,
    manifests: s.manifests ?? null,
    packages: s.packages ?? null,
    unknown: s.unknown ?? null,
    errors: rep ? (s.errors ?? errors.length) : null,
    warnings: rep ? (s.warnings ?? Object.values(warnByCode).reduce((a, b) => a + b, 0)) : null,
    infos: s.infos ?? null,
    errorsByCode: byCode,
    verdicts: jmap
      ? errors.reduce((acc, e) => {
          acc[e.verdict] = (acc[e.verdict] ?? 0) + 1;
          return acc;
        }, {})
      : undefined,
    warningsByCode: warnByCode,
    errorFindings: errors,
    parseError: r.parseError,
    stderrTail: r.exitCode === 0 || r.exitCode === 1 ? (r.stderrTail ? r.stderrTail.slice(-500) : '') : r.stderrTail,
  };
}

function cell(v) {
  return String(v ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
}

function markdown(results, opts) {
  const lines = [];
  const judged = results.some((r) => r.verdicts);
  lines.push(`# depverify real-project sweep`, '');
  lines.push(`bin: \`${opts.bin}\`, ${new Date().toISOString()}`, '');
  const vcols = judged ? ['true', 'false', 'mirror', 'new'] : [];
  lines.push(
    `| project | exit | wall s | files | manifests | packages | unknown | errors | ${vcols.map((v) => `${v} | `).join('')}warnings | errors by code |`,
  );
  lines.push(`| --- | --- | --- | --- | --- | --- | --- | --- | ${vcols.map(() => '--- | ').join('')}--- | --- |`);
  const vtot = {};
  const tot = { files: 0, packages: 0, errors: 0, warnings: 0, wall: 0 };
  const codeTot = {};
  for (const r of results) {
    const codes = Object.entries(r.errorsByCode)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    const exit = r.timedOut ? 'TIMEOUT' : r.signal ? r.signal : r.exitCode;
    const vc = vcols
      .map((v) => {
        vtot[v] = (vtot[v] ?? 0) + (r.verdicts?.[v] ?? 0);
        return `${r.verdicts?.[v] ?? 0} | `;
      })
      .join('');
    lines.push(
      `| ${cell(r.name)} | ${exit}${r.parseError ? ' (no report)' : ''} | ${r.wallSec} | ${r.files ?? ''} | ${r.manifests ?? ''} | ${r.packages ?? ''} | ${r.unknown ?? ''} | ${r.errors ?? ''} | ${vc}${r.warnings ?? ''} | ${cell(codes)} |`,
    );
    tot.files += r.files ?? 0;
    tot.packages += r.packages ?? 0;
    tot.errors += r.errors ?? 0;
    tot.warnings += r.warnings ?? 0;
    tot.wall += r.wallSec;
    for (const [c, n] of Object.entries(r.errorsByCode)) codeTot[c] = (codeTot[c] ?? 0) + n;
  }
  lines.push(
    `| **total** | | ${Math.round(tot.wall)} | ${tot.files} | | ${tot.packages} | | ${tot.errors} | ${vcols.map((v) => `${vtot[v] ?? 0} | `).join('')}${tot.warnings} | ${cell(
      Object.entries(codeTot)
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c} ${n}`)
        .join(', '),
    )} |`,
  );
  const bad = results.filter((r) => r.timedOut || r.parseError || (r.exitCode !== 0 && r.exitCode !== 1));
  if (bad.length) {
    lines.push('', '## Runs that did not complete cleanly (exit 2+, crash, timeout, no report)', '');
    for (const r of bad) {
      lines.push(
        `### ${r.name}: exit ${r.exitCode}${r.signal ? ` signal ${r.signal}` : ''}${r.timedOut ? ' TIMEOUT' : ''}${r.parseError ? ` (report: ${r.parseError})` : ''}`,
        '',
      );
      if (r.stderrTail) lines.push('```', r.stderrTail.trim().slice(-1500), '```', '');
    }
  }
  lines.push('', '## Every error finding', '');
  lines.push(`| project | code | package | location | ${judged ? 'verdict | cause | ' : ''}message |`);
  lines.push(`| --- | --- | --- | --- | ${judged ? '--- | --- | ' : ''}--- |`);
  for (const r of results)
    for (const e of r.errorFindings) {
      lines.push(
        `| ${cell(e.project)} | ${cell(e.code)} | ${cell(e.package)} | ${cell(e.location)} | ${judged ? `${cell(e.verdict)} | ${cell(e.cause)} | ` : ''}${cell(e.message.slice(0, 300))} |`,
      );
    }
  return lines.join('\n') + '\n';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const jmap = opts.judgements ? loadJudgements(opts.judgements) : undefined;
  let tempCache;
  if (!opts.cacheDir) opts.cacheDir = tempCache = mkdtempSync(join(tmpdir(), 'dv-bench-cache-'));
  const work = opts.keepReports ?? mkdtempSync(join(tmpdir(), 'dv-bench-out-'));
  if (opts.keepReports) mkdirSync(opts.keepReports, { recursive: true });
  let names = readdirSync(opts.dir)
    .filter((n) => !n.startsWith('.') && statSync(join(opts.dir, n)).isDirectory())
    .sort();
  if (opts.only) {
    const missing = opts.only.filter((n) => !names.includes(n));
    if (missing.length) throw new Error(`no such project(s): ${missing.join(', ')}`);
    names = names.filter((n) => opts.only.includes(n));
  }
  names = names.filter((n) => !opts.skip.includes(n));
  const results = new Array(names.length);
  let next = 0;
  async function worker() {
    while (next < names.length) {
      const i = next++;
      const r = await runOne(opts, names[i], work);
      results[i] = summarise(r, jmap);
      const s = results[i];
      process.stderr.write(
        `${s.name}: exit ${s.timedOut ? 'TIMEOUT' : s.exitCode} ${s.wallSec}s errors=${s.errors} warnings=${s.warnings}${s.parseError ? ' NO REPORT' : ''}\n`,
      );
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, names.length) }, worker));
  const summary = { bin: opts.bin, snapshots: opts.dir, date: new Date().toISOString(), projects: results };
  const json = JSON.stringify(summary, null, 2) + '\n';
  if (opts.out) writeFileSync(opts.out, json);
  else process.stdout.write(json);
  if (opts.md) writeFileSync(opts.md, markdown(results, opts));
  if (!opts.keepReports) rmSync(work, { recursive: true, force: true });
  if (tempCache) rmSync(tempCache, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`real-projects: ${e.message}\n`);
  process.exit(2);
});
