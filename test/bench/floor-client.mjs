// Floor client for the registry-pass benchmark: fetch every name in --names from --base,
// --concurrency at a time over keep-alive connections, read each body fully and JSON.parse it.
// --client fetch (default): Node's global fetch (undici), the floor of record.
// --client http: node:http with a keep-alive Agent (maxSockets = concurrency), for comparison:
// it is what npm-registry-fetch/minipass-fetch sit on.
// Run as its own Node process so its startup counts like depverify's.
// Prints one JSON line: { client, names, ok, notFound, other, bytes, innerMs }.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    names: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    client: { type: 'string', default: 'fetch' },
  },
});
const t0 = performance.now();
const names = JSON.parse(readFileSync(values.names, 'utf8'));
const concurrency = Number(values.concurrency);
const base = values.base.endsWith('/') ? values.base : `${values.base}/`;
const out = { client: values.client, names: names.length, ok: 0, notFound: 0, other: 0, errors: [], bytes: 0 };

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const httpGet = (url) =>
  new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { accept: 'application/json' } }, (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
const fetchGet = async (url) => {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  return { status: res.status, text: await res.text() };
};
const get = values.client === 'http' ? httpGet : fetchGet;

let next = 0;
async function worker() {
  while (next < names.length) {
    const name = names[next++];
    const url = base + (name.startsWith('@') ? name.replace('/', '%2f') : name);
    try {
      const { status, text } = await get(url);
      if (status === 200) {
        JSON.parse(text);
        out.ok++;
        out.bytes += text.length;
      } else if (status === 404) out.notFound++;
      else out.other++;
    } catch (err) {
      out.errors.push(`${name}: ${err?.cause?.code ?? err}`);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
out.innerMs = Math.round(performance.now() - t0);
out.errors = out.errors.slice(0, 10);
agent.destroy();
process.stdout.write(`${JSON.stringify(out)}\n`);
