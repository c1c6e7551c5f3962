/**
 * A large project is checked on TypeScript 7 as several programs of at most `maxProgramFiles`
 * files each, one process after the other, so that peak memory follows the program and not the
 * project. The findings
 * are the same as one program's: each program has the group's declaring files (augmentations),
 * and a file another imports is loaded wherever it is.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { checkTypes, memberCheckStats } from '../../src/members/check-types.js';
import type { Lookup } from '../../src/model/facts.js';
import { collectRequests } from '../../src/plan/requests.js';
import { scanProject } from '../../src/scan/project.js';
import { writeTree } from '../helpers/fixture.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { publish } from '../helpers/publish.js';

const { mock, client } = mockRegistryRuns('program-size');
const json = (x: object) => JSON.stringify(x);

async function check(engine: 'ts6' | 'ts7', maxProgramFiles?: number) {
  publish(mock, 'lib', {
    '1.0.0': {
      'package.json': json({ types: 'index.d.ts' }),
      'index.d.ts': 'export declare function ok(): void;\nexport interface Box { size: number }\n',
    },
  });
  const root = await writeTree({
    'package.json': json({ name: 'app', dependencies: { lib: '1.0.0' } }),
    'tsconfig.json': json({ compilerOptions: { strict: true, module: 'nodenext' }, include: ['src'] }),
    // An augmentation in one file, used in others: every program must have it.
    'src/augment.ts': "export {};\ndeclare module 'lib' {\n  export function added(): void;\n}\n",
    'src/a.ts': "import { ok, added, nope } from 'lib';\nok(); added(); nope();\n",
    'src/c.ts': "import { added, gone } from 'lib';\nadded(); gone();\n",
    'src/d.ts': "import * as lib from 'lib';\nlib.added(); lib.missing();\n",
    'src/shared.ts': "import type { Box } from 'lib';\nexport const box: Box = { size: 1 };\n",
    'src/e.ts': "import { ok } from 'lib';\nimport { box } from './shared.js';\nok(); box.size;\n",
  });
  const scan = await scanProject(root, parseConfig({}, 'test'));
  const registry = client(root, false);
  const lookups = new Map<string, Lookup>([['lib', await registry.lookup('lib')]]);
  const before = memberCheckStats.programs;
  const findings = await checkTypes({
    scan,
    requests: collectRequests(scan),
    lookups,
    client: registry,
    engine,
    ...(maxProgramFiles ? { maxProgramFiles } : {}),
  });
  return {
    programs: memberCheckStats.programs - before,
    rows: findings.map((f) => [f.code, f.message, f.locations.map((l) => `${l.file}:${l.line}`).join(',')]),
  };
}

describe('programs of at most maxProgramFiles files', () => {
  it.each([
    ['ts7', 3],
    // TypeScript 6 keeps one program: in one process, programs in turn take more memory, not less.
    ['ts6', 1],
  ] as const)('%s: programs of two files (%i) find what one program finds', async (engine, programs) => {
    const whole = await check(engine);
    const split = await check(engine, 2);
    expect(whole.programs).toBe(1);
    expect(split.programs).toBe(programs);
    expect(whole.rows.map((r) => r[0])).toEqual(['INVENTED_EXPORT', 'INVENTED_EXPORT', 'INVENTED_EXPORT']);
    expect(whole.rows.map((r) => r[2])).toEqual(['src/a.ts:1', 'src/c.ts:1', 'src/d.ts:2']);
    expect(whole.rows.map((r) => r[1]).join(' ')).toMatch(/nope.*gone.*missing/);
    expect(split.rows).toEqual(whole.rows);
  });
});
