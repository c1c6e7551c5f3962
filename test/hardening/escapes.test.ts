/**
 * Terminal escapes and control characters in registry answers and project files: text and GitHub
 * annotations show them neutralised, JSON and SARIF escape them; no raw control byte reaches
 * stdout in any format.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistryClient,
  exitCode,
  formatGithub,
  formatJson,
  formatSarif,
  formatText,
  verify,
} from '../../src/index.js';
import type { Report } from '../../src/model/report.js';
import { writeTree } from '../helpers/fixture.js';
import { HttpResponse, RECENTLY, REGISTRY, createMockRegistry, packument } from '../helpers/registry.js';
import { runCli } from '../helpers/run-cli.js';

const ESC = '\u001b';
/** CSI colour, OSC 8 hyperlink with BEL, CR, backspace, bidi override, NUL, C1 CSI, DEL, line separator. */
const EVIL = `${ESC}[31mRED${ESC}[0m ${ESC}]8;;https://evil.example.test${ESC}\\link${ESC}]8;;\u0007 a\rb\bc \u202eevil\u202c x\u0000y \u009b31m \u007f \u2028end`;
/** Anything a terminal or a log viewer acts on; `\n` is allowed where the format uses it. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069]/;

const mock = createMockRegistry();
const cacheDir = mkdtempSync(path.join(tmpdir(), 'depverify-escapes-cache-'));
beforeAll(() => mock.listen());
afterAll(() => {
  mock.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

function hostilePackument(name: string): Record<string, unknown> {
  const doc = packument(name, {
    versions: { '1.0.0': { deprecated: `deprecated: ${EVIL}`, license: `MIT ${EVIL}` }, [`2.0.0-${EVIL}`]: {} },
    latest: '1.0.0',
    description: EVIL,
    license: `GPL ${EVIL}`,
    repository: { type: 'git', url: `git+https://git.example.test/${EVIL}.git` },
    releasedFrom: RECENTLY,
  });
  return {
    ...doc,
    maintainers: [{ name: EVIL, email: `${EVIL}@example.test` }],
    'dist-tags': { latest: '1.0.0', [EVIL]: '2.0.0' },
  };
}

let report: Report;
let root: string;

beforeAll(async () => {
  mock.set('evil-pkg', hostilePackument('evil-pkg'));
  // An unknown answer whose Retry-After carries a C1 CSI: HTTP refuses C0 controls in headers,
  // but bytes 0x80-0xff pass, and some terminals act on 0x9b.
  mock.set(
    'slow-pkg',
    () => new HttpResponse('busy', { status: 503, headers: { 'retry-after': '\u009b2J\u009b31m 5' } }),
  );
  root = await writeTree({
    'package.json': JSON.stringify({
      name: 'app',
      dependencies: { 'evil-pkg': '^1.0.0', 'slow-pkg': '1.0.0', [`bad${EVIL}`]: '1.0.0' },
    }),
    'package-lock.json': JSON.stringify(
      {
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          'node_modules/evil-pkg': {
            version: '1.0.0',
            resolved: `https://evil.example.test/${EVIL}.tgz`,
            integrity: 'sha1-AAAA',
          },
          [`node_modules/x${EVIL}`]: {
            name: `x${EVIL}`,
            version: `1.0.0${EVIL}`,
            resolved: `${REGISTRY}x/-/x-1.0.0.tgz`,
          },
        },
      },
      null,
      2,
    ),
    [`src/${ESC}[31mfile.js`]: `import a from 'evil-pkg';\nimport b from 'slow-pkg';\n`,
  });
  const client = createRegistryClient({ root, registry: REGISTRY, cacheDir, retries: 0 } as Parameters<
    typeof createRegistryClient
  >[0]);
  report = await verify({ root, client, popularIndex: false, types: false });
}, 30_000);

describe('hostile strings in every output format', () => {
  it('the run saw them: findings for the deprecated, unknown and invalid packages', () => {
    const codes = new Set(report.findings.map((f) => f.code));
    for (const code of ['DEPRECATED', 'REGISTRY_UNKNOWN', 'INVALID_SPEC', 'LOCKFILE_FOREIGN_HOST'])
      expect(codes).toContain(code);
    expect(exitCode(report)).toBe(2);
  });

  it.each([
    ['text', () => formatText(report, { color: false })],
    ['text with colour', () => formatText(report, { color: true }).replace(/\u001b\[\d+(;\d+)*m/g, '')],
    ['github', () => formatGithub(report)],
    ['json', () => formatJson(report)],
    ['sarif', () => formatSarif(report, { root })],
  ])('%s: no raw control character reaches the output', (_, format) => {
    const out = format();
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('RED');
  });

  it('github: registry text cannot start a workflow command or a new line', () => {
    for (const line of formatGithub(report).trimEnd().split('\n'))
      expect(line).toMatch(/^(::(error|warning|notice) |depverify:)/);
  });

  it.each([
    ['json', () => formatJson(report)],
    ['sarif', () => formatSarif(report, { root })],
  ])('%s parses and carries the text with its controls escaped or neutralised', (_, format) => {
    const out = format();
    const parsed = JSON.parse(out) as unknown;
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(parsed);
    expect(strings).toContainEqual(expect.stringMatching(/^deprecated: .*RED.*evil.*end$/));
    // Whatever control survives into a string value is written as an escape, never as the byte.
    const rawInValues = strings.filter((s) => RAW_CONTROL.test(s.replace(/\n/g, '')));
    // The two kept as written (a manifest key, a lockfile URL) still hold controls once parsed…
    expect(rawInValues.map((s) => s.slice(0, 12))).toEqual(['dependencies', 'https://evil']);
    // …and the document itself holds none.
    expect(out.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
  });
});

describe('through the CLI', () => {
  it('text output of a hostile packument and lockfile entry has no raw control byte', { timeout: 30_000 }, async () => {
    const run = await runCli([root, '--format', 'text', '--cache-dir', path.join(cacheDir, 'cli')], {
      fixtures: { 'evil-pkg': hostilePackument('evil-pkg'), 'slow-pkg': 503 },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('DEPRECATED');
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });
});
