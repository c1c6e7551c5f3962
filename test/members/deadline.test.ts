/**
 * Issue 14.11: `--deadline` bounds the member check too. A deadline passed before a program is
 * built builds none; one passed between files checks no further file. What is left is
 * TYPES_UNKNOWN (the run incomplete, exit 2), never clean. The clock is a fake one: no timing.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { scanProject } from '../../src/scan/project.js';
import { collectRequests } from '../../src/plan/requests.js';
import type { Lookup } from '../../src/model/facts.js';
import { UNKNOWN_CODES } from '../../src/report/build.js';
import { checkTypes, memberCheckStats } from '../../src/members/check-types.js';
import { writeTree } from '../helpers/fixture.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, client } = mockRegistryRuns('deadline');

const json = (x: object) => JSON.stringify(x);

async function run(deadlineAt: number, now: () => number) {
  publish(mock, 'lib', {
    '1.0.0': { 'package.json': json({ types: 'index.d.ts' }), 'index.d.ts': 'export declare function ok(): void;\n' },
  });
  const root = await writeTree({
    'package.json': json({ name: 'app', dependencies: { lib: '1.0.0' } }),
    'src/a.ts': "import { ok, nope } from 'lib';\nok(); nope();\n",
    'src/b.ts': "import { ok, gone } from 'lib';\nok(); gone();\n",
  });
  const scan = await scanProject(root, parseConfig({}, 'test'));
  const requests = collectRequests(scan);
  const registry = client(root, false);
  const lookups = new Map<string, Lookup>([['lib', await registry.lookup('lib')]]);
  const before = memberCheckStats.programs;
  const findings = await checkTypes({ scan, requests, lookups, client: registry, deadlineAt, now });
  return {
    findings,
    programs: memberCheckStats.programs - before,
    rows: findings.map((f) => [f.code, f.package, f.locations.map((l) => l.file).join(',')]),
  };
}

describe('the deadline and the member check', () => {
  it('a deadline passed before the checker starts builds no program: every member is unknown', async () => {
    const { findings, programs, rows } = await run(100, () => 100);
    expect(programs).toBe(0);
    expect(rows).toEqual([['TYPES_UNKNOWN', 'lib', 'src/a.ts,src/b.ts']]);
    expect(findings[0]!.details).toMatchObject({ reason: 'deadline' });
    expect(UNKNOWN_CODES.has(findings[0]!.code)).toBe(true);
  });

  it('a deadline passed between files leaves the rest unchecked, and what was checked stands', async () => {
    // The clock is read before the program (t=1) and before each file (t=2, t=3).
    let t = 0;
    const { programs, rows } = await run(3, () => ++t);
    expect(programs).toBe(1);
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'lib', 'src/a.ts'],
      ['TYPES_UNKNOWN', 'lib', 'src/b.ts'],
    ]);
  });

  it('without a deadline both files are checked', async () => {
    const { rows } = await run(Number.POSITIVE_INFINITY, () => 0);
    expect(rows).toEqual([
      ['INVENTED_EXPORT', 'lib', 'src/a.ts'],
      ['INVENTED_EXPORT', 'lib', 'src/b.ts'],
    ]);
  });
});
