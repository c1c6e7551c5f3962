// Cost of the member check on a realistic project (issue 5): `node test/bench/members-project.mjs`
// after `npm run build`. Needs the registry (npm's configuration); not part of `npm test`.
//
//   node test/bench/members-project.mjs [--runs N] [--engines ts7,ts6] [--skip-peer] [--keep]
//
// Generates a project of 100 TypeScript files importing 30 typed packages (15 of them typed by
// @types), then times, each as a separate process from spawn to exit:
//   - depverify cold: empty cache directory (packuments, version documents and tarballs fetched);
//   - depverify warm: the same cache directory again (the median of --runs), with every source
//     file unchanged (the member results are reused) and with one file edited (re-checked);
//   - the peer: `npm install --ignore-scripts` with an empty npm cache, then `tsc --noEmit`.
// Every request of both goes through a counting proxy on loopback in front of the configured
// registry (tarball URLs in packuments are rewritten to the proxy), so "bytes" are the bytes that
// came from the registry on the wire, compressed where the registry compressed them.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
/** What came over the wire since `before` (a copy of byKind), by kind: `packuments 30 (12.1 MB), …`. */
function kindsSince(stats, before) {
  return Object.entries(stats.byKind)
    .map(([kind, now]) => [kind, now.requests - (before[kind]?.requests ?? 0), now.bytes - (before[kind]?.bytes ?? 0)])
    .filter(([, requests]) => requests > 0)
    .map(([kind, requests, bytes]) => `${kind} ${requests} (${(bytes / 1e6).toFixed(1)} MB)`)
    .join(', ');
}
const copyKinds = (stats) => Object.fromEntries(Object.entries(stats.byKind).map(([k, v]) => [k, { ...v }]));

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'generate-only': { type: 'string' },
    'skip-peer': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    engines: { type: 'string', default: 'ts7' },
  },
});
const runs = Math.max(1, Number(opts.runs));

// name → [import line(s), statements using it]; every usage is correct code for the newest major.
const PACKAGES = {
  express: [
    "import express from 'express';",
    "const app = express(); app.use(express.json()); app.get('/', (_req, res) => { res.status(200).json({ ok: true }); });",
  ],
  pg: [
    "import pg from 'pg';",
    "const pool = new pg.Pool({ max: 2 }); const rows = (await pool.query<{ n: number }>('select 1 as n')).rows; rows[0]?.n; await pool.end();",
  ],
  axios: [
    "import axios from 'axios';",
    "const client = axios.create({ baseURL: '/api' }); const got = await client.get<{ id: number }>('/x'); got.data.id;",
  ],
  lodash: [
    "import _ from 'lodash';",
    'const grouped = _.groupBy([1, 2, 3], (n) => n % 2); _.chunk(Object.keys(grouped), 2); _.debounce(() => undefined, 10).cancel();',
  ],
  zod: [
    "import { z } from 'zod';",
    "const User = z.object({ name: z.string().min(1), age: z.number().int().optional() }); User.safeParse({ name: 'a' }).success;",
  ],
  mongoose: [
    "import mongoose from 'mongoose';",
    "const schema = new mongoose.Schema({ name: String }); const Model = mongoose.model(`M${Math.random()}`, schema); await Model.findOne({ name: 'a' }).lean().exec();",
  ],
  yargs: [
    "import yargs from 'yargs';\nimport { hideBin } from 'yargs/helpers';",
    "const argv = yargs(hideBin(process.argv)).option('verbose', { type: 'boolean' }).parseSync(); argv.verbose;",
  ],
  commander: [
    "import { Command } from 'commander';",
    "const program = new Command().name('x').option('-d, --debug').argument('[file]'); program.parse(); program.opts().debug;",
  ],
  chalk: ["import chalk from 'chalk';", "console.log(chalk.bold.red('x'), chalk.hex('#ff0000')('y'));"],
  dayjs: [
    "import dayjs from 'dayjs';",
    "dayjs().add(1, 'day').startOf('hour').format('YYYY-MM-DD'); dayjs('2020-01-01').isBefore(dayjs());",
  ],
  'date-fns': [
    "import { addDays, format, differenceInDays } from 'date-fns';",
    "format(addDays(new Date(), 3), 'yyyy-MM-dd'); differenceInDays(new Date(), new Date(0));",
  ],
  uuid: ["import { v4 as uuidv4, validate } from 'uuid';", 'validate(uuidv4());'],
  ioredis: [
    "import { Redis } from 'ioredis';",
    "const redis = new Redis({ lazyConnect: true }); await redis.set('k', 'v', 'EX', 10); await redis.get('k'); redis.disconnect();",
  ],
  jsonwebtoken: [
    "import jwt from 'jsonwebtoken';",
    "const token = jwt.sign({ sub: '1' }, 'secret', { expiresIn: '1h' }); jwt.verify(token, 'secret'); jwt.decode(token);",
  ],
  bcrypt: [
    "import bcrypt from 'bcrypt';",
    "const hash = await bcrypt.hash('pw', await bcrypt.genSalt(10)); await bcrypt.compare('pw', hash);",
  ],
  ws: [
    "import { WebSocketServer, WebSocket } from 'ws';",
    "const wss = new WebSocketServer({ noServer: true }); wss.clients.forEach((c) => { if (c.readyState === WebSocket.OPEN) c.send('hi'); }); wss.close();",
  ],
  'fs-extra': [
    "import fse from 'fs-extra';",
    "await fse.ensureDir('/tmp/x'); await fse.outputJson('/tmp/x/a.json', { a: 1 }); await fse.pathExists('/tmp/x');",
  ],
  cheerio: [
    "import * as cheerio from 'cheerio';",
    "const $ = cheerio.load('<p class=\"a\">x</p>'); $('p.a').text(); $('p').attr('class');",
  ],
  dotenv: ["import dotenv from 'dotenv';", "dotenv.config({ path: '.env.local' });"],
  cors: ["import cors from 'cors';", "cors({ origin: ['https://app.example.test'], credentials: true });"],
  morgan: ["import morgan from 'morgan';", "morgan('combined', { skip: (_req, res) => res.statusCode < 400 });"],
  nodemailer: [
    "import nodemailer from 'nodemailer';",
    "const transport = nodemailer.createTransport({ host: 'smtp.example.test', port: 587 }); await transport.sendMail({ to: 'a@example.test', subject: 's', text: 't' });",
  ],
  semver: [
    "import semver from 'semver';",
    "semver.satisfies('1.2.3', '^1.0.0'); semver.coerce('v2')?.version; semver.gt('1.0.0', '0.9.0');",
  ],
  pino: ["import { pino } from 'pino';", "const log = pino({ level: 'info' }); log.child({ m: 'x' }).info('hello');"],
  winston: [
    "import winston from 'winston';",
    "const logger = winston.createLogger({ level: 'info', format: winston.format.json(), transports: [new winston.transports.Console()] }); logger.info('x');",
  ],
  rxjs: [
    "import { of, map, filter } from 'rxjs';",
    'of(1, 2, 3).pipe(map((x) => x * 2), filter((x) => x > 2)).subscribe((x) => x);',
  ],
  luxon: [
    "import { DateTime, Duration } from 'luxon';",
    "DateTime.now().plus({ days: 1 }).toISODate(); Duration.fromObject({ hours: 2 }).as('minutes');",
  ],
  validator: [
    "import validator from 'validator';",
    "validator.isEmail('a@example.test'); validator.isURL('https://example.test'); validator.escape('<a>');",
  ],
  debug: [
    "import createDebug from 'debug';",
    "const dbg = createDebug('app:x'); dbg('value %o', { a: 1 }); dbg.enabled;",
  ],
  yaml: [
    "import YAML from 'yaml';",
    "YAML.parse('a: 1'); YAML.stringify({ a: 1 }); new YAML.Document({ a: 1 }).toString();",
  ],
};
const TYPES = [
  'express',
  'pg',
  'lodash',
  'yargs',
  'jsonwebtoken',
  'bcrypt',
  'ws',
  'fs-extra',
  'cors',
  'morgan',
  'nodemailer',
  'semver',
  'luxon',
  'validator',
  'debug',
];
// Three invented names, so the run has something to find: each goes into the first file from the
// given index on that imports its package.
const INVENTED = [
  [7, 'pg', 'const legacyPool = new pg.Pool(); await legacyPool.connectSecure();'],
  [42, 'lodash', '_.deepFlattenKeys({ a: { b: 1 } });'],
  [77, 'axios', "await axios.fetchJson('/x');"],
];

function generate(root) {
  const names = Object.keys(PACKAGES);
  const dependencies = Object.fromEntries(names.map((n) => [n, 'latest']));
  const devDependencies = Object.fromEntries([...TYPES, 'node'].map((n) => [`@types/${n}`, 'latest']));
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(
    path.join(root, 'package.json'),
    `${JSON.stringify({ name: 'bench-members', private: true, type: 'module', dependencies, devDependencies }, null, 2)}\n`,
  );
  writeFileSync(
    path.join(root, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src'] }, null, 2)}\n`,
  );
  const pending = [...INVENTED];
  for (let i = 0; i < 100; i++) {
    // Four or five packages per file, rotating so each package appears in 13–17 files.
    const picked = [0, 7, 13, 22, 29].slice(0, 4 + (i % 2)).map((k) => names[(i + k) % names.length]);
    const uses = [...new Set(picked)];
    const imports = uses.map((n) => PACKAGES[n][0]).join('\n');
    const body = uses.map((n) => `  {\n    ${PACKAGES[n][1]}\n  }`).join('\n');
    const hit = pending.findIndex(([from, name]) => i >= from && uses.includes(name));
    const extra = hit >= 0 ? `  ${pending.splice(hit, 1)[0][2]}\n` : '';
    writeFileSync(
      path.join(root, 'src', `module-${String(i).padStart(3, '0')}.ts`),
      `${imports}\n\nexport async function run${i}(): Promise<void> {\n${body}\n${extra}}\n`,
    );
  }
}

// ------------------------------------------------------------------ counting proxy
function startProxy(upstream) {
  const up = new URL(upstream);
  const agent = new (up.protocol === 'https:' ? https : http).Agent({ keepAlive: true, maxSockets: 32 });
  const stats = { requests: 0, bytes: 0, byKind: {} };
  // `/name/-/name-1.0.0.tgz` a tarball, `/name/1.0.0` a version document, `/name` a packument.
  const kindOf = (url) => {
    const parts = new URL(url, up).pathname.split('/').filter(Boolean);
    if (parts.at(-1)?.endsWith('.tgz')) return 'tarballs';
    const nameParts = parts[0]?.startsWith('@') && !parts[0].includes('%2') ? 2 : 1;
    return parts.length > nameParts ? 'version documents' : 'packuments';
  };
  const server = http.createServer((req, res) => {
    stats.requests++;
    const target = new URL(req.url, up);
    const headers = { ...req.headers, host: up.host, 'accept-encoding': 'gzip' };
    const call = (up.protocol === 'https:' ? https : http).request(
      target,
      { method: req.method, headers, agent },
      (upRes) => {
        const chunks = [];
        const kind = (stats.byKind[kindOf(req.url)] ??= { requests: 0, bytes: 0 });
        kind.requests++;
        upRes.on('data', (c) => {
          stats.bytes += c.length;
          kind.bytes += c.length;
          chunks.push(c);
        });
        upRes.on('end', () => {
          let body = Buffer.concat(chunks);
          const enc = upRes.headers['content-encoding'];
          if (enc === 'gzip') body = gunzipSync(body);
          else if (enc === 'br') body = brotliDecompressSync(body);
          else if (enc === 'deflate') body = inflateSync(body);
          const type = String(upRes.headers['content-type'] ?? '');
          if (type.includes('json'))
            body = Buffer.from(body.toString('utf8').replaceAll(`${up.origin}/`, `${origin}/`));
          const out = { ...upRes.headers, 'content-length': String(body.length) };
          delete out['content-encoding'];
          delete out['transfer-encoding'];
          delete out.connection;
          res.writeHead(upRes.statusCode ?? 502, out);
          res.end(body);
        });
      },
    );
    call.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(call);
  });
  let origin = '';
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        stats,
        close: () =>
          new Promise((r) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(r);
          }),
      });
    }),
  );
}

function timed(command, args, cwd, env = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, seconds: (performance.now() - started) / 1000, stdout, stderr }));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n) => (n / 1e6).toFixed(1);

if (opts['generate-only']) {
  generate(path.resolve(opts['generate-only']));
  process.exit(0);
}
const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'depverify-members-bench-'));
const proxy = await startProxy(upstream);
try {
  const project = path.join(scratch, 'project');
  generate(project);
  const nodeStart = [];
  for (let r = 0; r < runs; r++) nodeStart.push((await timed(process.execPath, ['-e', '0'], project)).seconds);
  console.log(`node -e 0: median ${median(nodeStart).toFixed(3)} s of ${runs}`);
  const colds = {};
  let coldBytes = 0;
  for (const engine of opts.engines.split(',')) {
    const result = await depverifyRuns(engine);
    colds[engine] = result.cold;
    console.log(
      `[${engine}] ratios to node -e 0: warm ${(result.warm / median(nodeStart)).toFixed(1)}× (target ≤ 8), one file edited ${(result.edited / median(nodeStart)).toFixed(1)}× (target ≤ 20)`,
    );
  }

  async function depverifyRuns(engine) {
    const cacheDir = path.join(scratch, `cache-${engine}`);
    const env = { DEPVERIFY_ENGINE: engine };
    const cli = path.join(repoRoot, 'bin/depverify.js');
    const dvArgs = [
      cli,
      project,
      '--registry',
      `${proxy.origin}/`,
      '--cache-dir',
      cacheDir,
      '--format',
      'json',
      '--quiet',
    ];

    const before = { ...proxy.stats };
    const kindsBefore = copyKinds(proxy.stats);
    const cold = await timed(process.execPath, dvArgs, project, env);
    coldBytes = proxy.stats.bytes - before.bytes;
    const coldRequests = proxy.stats.requests - before.requests;
    const report = JSON.parse(cold.stdout || '{}');
    const codes = {};
    for (const f of report.findings ?? []) codes[f.code] = (codes[f.code] ?? 0) + 1;
    console.log(
      `[${engine}] depverify cold: ${cold.seconds.toFixed(2)} s, exit ${cold.code}, ${coldRequests} requests, ${mb(coldBytes)} MB (${kindsSince(proxy.stats, kindsBefore)}); findings ${JSON.stringify(codes)}`,
    );
    if (cold.code === 2 || !report.findings)
      console.log(cold.stderr.slice(0, 2000), JSON.stringify(report.summary ?? {}).slice(0, 2000));

    const warm = [];
    let warmBytes = 0;
    for (let r = 0; r < runs; r++) {
      const b = proxy.stats.bytes;
      warm.push((await timed(process.execPath, dvArgs, project, env)).seconds);
      warmBytes = proxy.stats.bytes - b;
    }
    console.log(
      `[${engine}] depverify warm: median ${median(warm).toFixed(2)} s of ${runs} (${warm.map((s) => s.toFixed(2)).join(', ')}), ${mb(warmBytes)} MB`,
    );
    // One source file edited: the kept member results no longer apply, the whole project is re-checked.
    const edited = [];
    for (let r = 0; r < runs; r++) {
      appendFileSync(path.join(project, 'src', 'module-000.ts'), `// edit ${r}\n`);
      edited.push((await timed(process.execPath, dvArgs, project, env)).seconds);
    }
    console.log(
      `[${engine}] depverify warm, one file edited: median ${median(edited).toFixed(2)} s of ${runs} (${edited.map((s) => s.toFixed(2)).join(', ')})`,
    );
    const noTypes = await timed(process.execPath, [...dvArgs, '--no-types'], project, env);
    console.log(`[${engine}] depverify warm --no-types: ${noTypes.seconds.toFixed(2)} s`);

    return { cold: cold.seconds, warm: median(warm), edited: median(edited) };
  }
  if (!opts['skip-peer']) {
    const npmCache = path.join(scratch, 'npm-cache');
    const b = proxy.stats.bytes;
    const peerKindsBefore = copyKinds(proxy.stats);
    const install = await timed(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', npmCache, '--registry', `${proxy.origin}/`],
      project,
    );
    const peerBytes = proxy.stats.bytes - b;
    const tsc = await timed(
      process.execPath,
      [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', project],
      project,
    );
    const peer = install.seconds + tsc.seconds;
    console.log(
      `peer: npm install ${install.seconds.toFixed(2)} s (exit ${install.code}, ${mb(peerBytes)} MB: ${kindsSince(proxy.stats, peerKindsBefore)}) + tsc ${tsc.seconds.toFixed(2)} s (exit ${tsc.code}) = ${peer.toFixed(2)} s`,
    );
    if (tsc.stdout.trim()) console.log(`tsc reported:\n${tsc.stdout.trim().split('\n').slice(0, 20).join('\n')}`);
    for (const [engine, cold] of Object.entries(colds))
      console.log(
        `[${engine}] ratio peer ÷ cold ${(peer / cold).toFixed(1)} (target ≥ 5); bytes peer ÷ cold ${(peerBytes / coldBytes).toFixed(1)}`,
      );
  }
} finally {
  await proxy.close();
  if (!opts.keep) rmSync(scratch, { recursive: true, force: true });
  else console.log(`kept ${scratch}`);
}
