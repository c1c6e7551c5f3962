import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatText, verify } from '../../src/index.js';
import { writeTree } from '../helpers/fixture.js';
import { recentPackument, recordingClient } from '../helpers/client.js';
import { REGISTRY } from '../helpers/registry.js';

const git = (root: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.test', '-c', 'commit.gpgsign=false', ...args],
    { encoding: 'utf8' },
  );

function lockfile(packages: Record<string, string>): string {
  const entries = Object.fromEntries(
    Object.entries(packages).map(([name, version]) => [
      `node_modules/${name}`,
      { version, resolved: `${REGISTRY}${name}/-/${name}-${version}.tgz`, integrity: 'sha512-AAAA' },
    ]),
  );
  return JSON.stringify(
    {
      name: 'app',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'app', dependencies: Object.fromEntries(Object.keys(packages).map((n) => [n, '^1.0.0'])) },
        ...entries,
      },
    },
    null,
    2,
  );
}

const client = () => recordingClient((name) => recentPackument(name, ['1.0.0']));

describe('--changed-since', () => {
  it('checks only what the change added: new declarations, new lock entries, imports in changed files', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { alpha: '^1.0.0' } }, null, 2),
      'package-lock.json': lockfile({ alpha: '1.0.0' }),
      'src/old.ts': "import alpha from 'alpha';\nimport stale from 'stale-unlisted';\n",
    });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ name: 'app', dependencies: { alpha: '^1.0.0', beta: '^1.0.0' } }, null, 2),
    );
    writeFileSync(path.join(root, 'package-lock.json'), lockfile({ alpha: '1.0.0', beta: '1.0.0' }));
    writeFileSync(path.join(root, 'src/new.ts'), "import gamma from 'gamma-unlisted';\n");

    const c = client();
    const report = await verify({ root, client: c, changedSince: 'HEAD', popularIndex: false, cacheDir: false });
    expect(c.asked.sort()).toEqual(['beta', 'gamma-unlisted']);
    expect(report.findings.map((f) => [f.code, f.package])).toEqual([['UNLISTED_DEPENDENCY', 'gamma-unlisted']]);
    // alpha's declaration and lock entry, and the stale import in the unchanged file.
    expect(report.summary).toMatchObject({ changedSince: 'HEAD', unchanged: 3 });
    expect(formatText(report, { color: false })).toContain('3 unchanged since HEAD skipped');

    // Without the option everything is checked, the old unlisted import included.
    const full = await verify({ root, client: client(), popularIndex: false, cacheDir: false });
    expect(full.findings.map((f) => f.package).sort()).toEqual(['gamma-unlisted', 'stale-unlisted']);
  });

  it('a changed version of an existing lock entry counts; an unknown ref is a configuration error', async () => {
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { alpha: '^1.0.0' } }),
      'package-lock.json': lockfile({ alpha: '1.0.0' }),
    });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    writeFileSync(path.join(root, 'package-lock.json'), lockfile({ alpha: '1.0.1' }));
    const c = client();
    const report = await verify({ root, client: c, changedSince: 'HEAD', popularIndex: false, cacheDir: false });
    expect(c.asked).toEqual(['alpha']);
    expect(report.findings.map((f) => [f.code, f.details?.['requested'] ?? f.version])).toEqual([
      ['VERSION_NOT_FOUND', '1.0.1'],
    ]);
    await expect(
      verify({ root, client: client(), changedSince: 'no-such-ref', popularIndex: false, cacheDir: false }),
    ).rejects.toMatchObject({ name: 'ConfigError' });
  });
});
