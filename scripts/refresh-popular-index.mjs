#!/usr/bin/env node
// Refreshes the popular-package snapshot from a downloads endpoint in the shape of npm's public
// downloads API, for scripts/build-popular-index.mjs to turn into data/popular-packages.tsv.gz.
//
//   npm run build
//   node scripts/refresh-popular-index.mjs --downloads-url <url> [--names FILE]... [--index FILE]
//                                          [--min N] [--out snapshot.tsv]
//   node scripts/build-popular-index.mjs snapshot.tsv
//
// --downloads-url  the endpoint a name is appended to, e.g. <host>/downloads/point/last-month/
//                  (required: no host is built in).
// --names FILE     more names to count, one per line (the downloads API cannot list packages, so
//                  new names come from lists like a registry's `_all_docs` or a dependency crawl).
// --index FILE     the index whose names are re-counted (default: the shipped one).
// --min N          keep names with at least N downloads a month (default 480, the shipped floor).
// --out FILE       where to write the snapshot (default: stdout).
//
// A name the endpoint could not answer after retries fails the run: a snapshot with holes would
// make real packages look unpopular, which is what the typosquat check reads as suspicious.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    'downloads-url': { type: 'string' },
    names: { type: 'string', multiple: true, default: [] },
    index: { type: 'string' },
    min: { type: 'string', default: '480' },
    out: { type: 'string' },
    retries: { type: 'string', default: '4' },
  },
});
const url = opts['downloads-url'];
if (!url) {
  console.error('usage: node scripts/refresh-popular-index.mjs --downloads-url <url> [--names FILE]... [--index FILE] [--min N] [--out FILE]');
  process.exit(2);
}
const min = Number(opts.min);
const retries = Number(opts.retries);

let modules;
try {
  modules = {
    ...(await import('../dist/popularity/popular-index.js')),
    ...(await import('../dist/popularity/downloads.js')),
  };
} catch {
  console.error('run `npm run build` first: this script uses the built downloads client');
  process.exit(2);
}
const { loadPopularIndex, fetchMonthlyDownloads } = modules;

const names = new Set(loadPopularIndex(opts.index).names);
for (const file of opts.names) {
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) if (line.trim() && !line.startsWith('#')) names.add(line.trim());
}

const counts = new Map();
let pending = [...names];
for (let attempt = 0; pending.length > 0 && attempt <= retries; attempt++) {
  if (attempt > 0) {
    // The public endpoint rate-limits bulk clients: back off before asking again.
    await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1)));
  }
  const failed = [];
  for (let i = 0; i < pending.length; i += 2048) {
    const chunk = pending.slice(i, i + 2048);
    const answers = await fetchMonthlyDownloads(chunk, { url });
    for (const name of chunk) {
      const answer = answers.get(name);
      if (answer?.state === 'known') counts.set(name, answer.downloads);
      else failed.push(name);
    }
    process.stderr.write(`\rcounted ${counts.size} of ${names.size}`);
  }
  pending = failed;
}
process.stderr.write('\n');
if (pending.length > 0) {
  console.error(`${pending.length} names could not be counted (first: ${pending.slice(0, 5).join(', ')}); nothing written`);
  process.exit(1);
}

const kept = [...counts].filter(([, count]) => count >= min);
const header = [
  `# npm package names with their monthly download counts, most downloaded first: ${kept.length} packages with at least ${min} downloads a month, refreshed ${new Date().toISOString().slice(0, 10)}.`,
  '# columns: name<TAB>downloads_a_month',
];
kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const text = `${header.join('\n')}\n${kept.map(([n, c]) => `${n}\t${c}`).join('\n')}\n`;
if (opts.out) writeFileSync(opts.out, text);
else process.stdout.write(text);
console.error(`${kept.length} of ${names.size} names have at least ${min} downloads a month`);
