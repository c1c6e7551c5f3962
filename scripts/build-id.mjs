// Writes dist/build-id.json after the build: a hash of the built code, the shipped data and the
// versions of the dependencies installed beside it. The run memo (src/cache/run-memo.ts) is keyed
// by it, so a rebuilt depverify never reuses a report another build made.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hash = createHash('sha256');

function addTree(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) addTree(file);
    else if (entry.isFile() && entry.name !== 'build-id.json' && !entry.name.endsWith('.map')) {
      hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
}

addTree(path.join(root, 'dist'));
addTree(path.join(root, 'data'));
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
hash.update(JSON.stringify(manifest));
for (const name of Object.keys(manifest.dependencies ?? {}).sort()) {
  let version = 'absent';
  try {
    version = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    // Installed elsewhere (hoisted above a published install): the name and range stand in.
  }
  hash.update(`${name}@${version}\0`);
}
writeFileSync(path.join(root, 'dist', 'build-id.json'), `${JSON.stringify({ id: hash.digest('hex').slice(0, 32) })}\n`);
