#!/usr/bin/env node
// Builds data/popular-packages.tsv.gz from a `name<TAB>monthly_downloads` TSV snapshot.
//
//   node scripts/build-popular-index.mjs <snapshot.tsv>
//
// Every name is kept, however small: the typosquat check needs "absent from the index" to mean
// "fewer downloads than the snapshot's floor", not "cut by this script".
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const input = process.argv[2];
if (!input) {
  console.error('usage: node scripts/build-popular-index.mjs <snapshot.tsv>');
  process.exit(2);
}
const outUrl = new URL('../data/popular-packages.tsv.gz', import.meta.url);

const comments = [];
const rows = [];
const seen = new Set();
const lines = readFileSync(input, 'utf8').split(/\r?\n/);
for (const [i, line] of lines.entries()) {
  if (line === '') continue;
  if (line.startsWith('#')) {
    // The column line is rewritten below; the rest describes the snapshot and is carried over,
    // marked as quoted because its own counts are the source's claim, not this file's.
    if (!/^#\s*columns:/i.test(line)) comments.push(`# source: ${line.replace(/^#\s*/, '')}`);
    continue;
  }
  const fields = line.split('\t');
  const [name, count] = fields;
  // A bad row must stop the build: a silently shorter index would make real packages look absent.
  if (fields.length !== 2 || !name || !/^\d+$/.test(count ?? '')) {
    throw new Error(`${input}:${i + 1}: expected name<TAB>downloads, got ${JSON.stringify(line)}`);
  }
  if (/\s/.test(name)) throw new Error(`${input}:${i + 1}: whitespace in name ${JSON.stringify(name)}`);
  if (seen.has(name)) throw new Error(`${input}:${i + 1}: duplicate name ${name}`);
  seen.add(name);
  rows.push([name, Number(count)]);
}
if (rows.length === 0) throw new Error(`${input}: no rows`);

// Code-unit order, not localeCompare, so the output is the same byte for byte on every machine.
rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const header = [
  '# depverify popular-package index: npm package names with monthly download counts,',
  "# from npm's public downloads counts. See data/README.md for provenance and rebuilding.",
  ...comments,
  `# rows: ${rows.length}`,
  '# columns: name<TAB>downloads_a_month',
];
const body = rows.map(([name, count]) => `${name}\t${count}`).join('\n');
// Node writes mtime 0 in the gzip header, so rebuilding from the same snapshot gives identical bytes.
const gz = gzipSync(`${header.join('\n')}\n${body}\n`, { level: constants.Z_BEST_COMPRESSION });

mkdirSync(new URL('.', outUrl), { recursive: true });
writeFileSync(outUrl, gz);
console.log(`wrote ${fileURLToPath(outUrl)}: ${rows.length} rows, ${gz.length} bytes`);
