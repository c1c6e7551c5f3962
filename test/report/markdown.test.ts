import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { distilPackument } from '../../src/registry/distil.js';
import { escapeCell, formatMarkdown } from '../../src/report/markdown.js';
import { verify } from '../../src/verify.js';
import { writeTree } from '../helpers/fixture.js';
import { RECENTLY, REGISTRY, packument } from '../helpers/registry.js';

function report(findings: Finding[], status: Report['status'] = findings.length ? 'findings' : 'clean'): Report {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  return {
    schemaVersion: 1,
    tool: { name: 'depverify', version: '0.0.0' },
    status,
    summary: {
      packages: 3,
      ok: 1,
      finding: 2,
      unknown: status === 'incomplete' ? 1 : 0,
      names: 3,
      skipped: 0,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      manifests: 1,
      sourceFiles: 1,
      imports: 1,
    },
    packages: [],
    findings,
  };
}

const notFound: Finding = {
  code: 'NOT_FOUND',
  severity: 'error',
  package: 'pg-secure-pool',
  message: 'pg-secure-pool does not exist on the registry.',
  hint: 'Do not install it.',
  locations: [{ file: 'package.json', line: 13, field: 'dependencies.pg-secure-pool' }],
};
const deprecated: Finding = {
  code: 'DEPRECATED',
  severity: 'warning',
  package: 'request',
  message: 'request is deprecated: "use | fetch <img src=x> [link](http://evil.example.test)\u001b[31m"',
  locations: [{ file: 'package.json', line: 14 }],
};

/** The cells of the table rows that hold findings. */
const rows = (text: string): string[][] =>
  text
    .split('\n')
    .filter(
      (l) => l.startsWith('| ') && !l.startsWith('| Severity') && !l.startsWith('| Change') && !l.startsWith('| ---'),
    )
    .map((l) =>
      l
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );

describe('formatMarkdown', () => {
  it('a headline with the counts, then one row a finding, errors first, with code, package and location', () => {
    const text = formatMarkdown(report([deprecated, notFound]));
    expect(text.split('\n')[0]).toMatch(/^### ❌ depverify: 1 error, 1 warning \(3 packages checked\)$/);
    const table = rows(text);
    expect(table.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['❌ error', '`pg-secure-pool`', '`NOT_FOUND`'],
      ['⚠️ warning', '`request`', '`DEPRECATED`'],
    ]);
    expect(table[0]![4]).toBe('`package.json:13 (dependencies.pg-secure-pool)`');
    expect(table[0]![3]).toContain('→ Do not install it.');
  });

  it('registry text cannot break the table or inject markup', () => {
    const text = formatMarkdown(report([deprecated]));
    const table = rows(text);
    expect(table).toHaveLength(1);
    expect(table[0]).toHaveLength(5);
    expect(text).not.toContain('\u001b');
    // Markdown's characters arrive escaped: shown as text, never rendered as a tag or a link.
    expect(text).not.toMatch(/(?<!\\)<img/);
    expect(text).not.toMatch(/(?<!\\)\]\(http/);
    expect(text).toContain('\\<img src=x\\>');
    expect(escapeCell('a|b\nc')).toBe('a\\|b c');
  });

  it('says clean and incomplete plainly', () => {
    expect(formatMarkdown(report([]))).toMatch(/^### ✅ depverify: no problems found/);
    expect(formatMarkdown(report([], 'incomplete'))).toMatch(/^### ⚠️ depverify: incomplete.*1 could not be checked/);
  });

  it('with --changed-since, lists the locked packages the change added, updated and removed', async () => {
    const git = (root: string, ...args: string[]) =>
      execFileSync('git', [
        '-C',
        root,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.test',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ]);
    const lock = (pkgs: Record<string, string>) =>
      JSON.stringify({
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', dependencies: Object.fromEntries(Object.keys(pkgs).map((n) => [n, '*'])) },
          ...Object.fromEntries(
            Object.entries(pkgs).map(([n, v]) => [
              `node_modules/${n}`,
              { version: v, resolved: `${REGISTRY}${n}/-/${n}-${v}.tgz`, integrity: 'sha512-AAAA' },
            ]),
          ),
        },
      });
    const deps = (pkgs: Record<string, string>) =>
      JSON.stringify({ name: 'app', dependencies: Object.fromEntries(Object.keys(pkgs).map((n) => [n, '*'])) });
    const before = { alpha: '1.0.0', gone: '1.0.0' };
    const after = { alpha: '1.1.0', beta: '1.0.0' };
    const root = await writeTree({ 'package.json': deps(before), 'package-lock.json': lock(before) });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    writeFileSync(path.join(root, 'package.json'), deps(after));
    writeFileSync(path.join(root, 'package-lock.json'), lock(after));
    const client = {
      registryFor: () => REGISTRY,
      lookup: async (name: string) =>
        distilPackument(
          name,
          REGISTRY,
          packument(name, { versions: { '1.0.0': {}, '1.1.0': {} }, releasedFrom: RECENTLY }),
        ),
    };
    const result = await verify({ root, client, changedSince: 'HEAD', popularIndex: false, cacheDir: false });
    expect(result.lockfileChanges).toEqual({
      ref: 'HEAD',
      lockfile: 'package-lock.json',
      added: [{ name: 'beta', versions: ['1.0.0'] }],
      removed: [{ name: 'gone', versions: ['1.0.0'] }],
      updated: [{ name: 'alpha', from: ['1.0.0'], to: ['1.1.0'] }],
    });
    const text = formatMarkdown(result);
    expect(text).toContain('1 added, 1 removed, 1 updated.');
    expect(rows(text)).toEqual([
      ['added', '`beta`', '1.0.0'],
      ['updated', '`alpha`', '1.0.0 → 1.1.0'],
      ['removed', '`gone`', '1.0.0'],
    ]);
  });
});
