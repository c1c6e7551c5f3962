/**
 * Which files share a program: configs with the same options that matter to a member's type.
 * Where a package emits (outDir, rootDir, composite…) and checks that only add diagnostics of
 * their own (noUnusedLocals…) do not split a monorepo into a program per package.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupByConfig } from '../../src/members/project-config.js';
import { writeTree } from '../helpers/fixture.js';

const json = (x: object) => JSON.stringify(x);

describe('groupByConfig', () => {
  it('configs that differ only in emit options or diagnostics-only checks share one program, without the emit options', async () => {
    const base = { strict: true, module: 'nodenext', moduleResolution: 'nodenext' };
    const root = await writeTree({
      'tsconfig.base.json': json({ compilerOptions: base }),
      'packages/a/tsconfig.json': json({
        extends: '../../tsconfig.base.json',
        compilerOptions: { outDir: 'dist', rootDir: 'src', composite: true, tsBuildInfoFile: 'x.tsbuildinfo' },
        include: ['src'],
      }),
      'packages/a/src/index.ts': 'export const a = 1;\n',
      'packages/b/tsconfig.json': json({
        extends: '../../tsconfig.base.json',
        compilerOptions: { outDir: 'build', noUnusedLocals: true, verbatimModuleSyntax: true },
        include: ['src'],
      }),
      'packages/b/src/index.ts': 'export const b = 1;\n',
      // strict off changes types: a program of its own.
      'packages/c/tsconfig.json': json({
        extends: '../../tsconfig.base.json',
        compilerOptions: { strict: false, outDir: 'dist' },
        include: ['src'],
      }),
      'packages/c/src/index.ts': 'export const c = 1;\n',
    });
    const files = ['a', 'b', 'c'].map((p) => path.join(root, 'packages', p, 'src', 'index.ts'));
    const { groups } = groupByConfig(root, files);
    const names = groups.map((g) => g.files.map((f) => path.relative(root, f).split(path.sep)[1]).sort());
    expect(names.sort()).toEqual([['a', 'b'], ['c']]);
    const shared = groups.find((g) => g.files.length === 2)!;
    expect([shared.options?.outDir, shared.options?.composite, shared.options?.rootDir]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(shared.options?.strict).toBe(true);
    // A group of its own keeps its options as they are.
    expect(groups.find((g) => g.files.length === 1)?.options?.outDir).toMatch(/dist$/);
  });

  it("not when one of them has an augmentation of its own: it would reach the other's files", async () => {
    const base = { strict: true, module: 'nodenext', moduleResolution: 'nodenext' };
    const root = await writeTree({
      'tsconfig.base.json': json({ compilerOptions: base }),
      'packages/a/tsconfig.json': json({
        extends: '../../tsconfig.base.json',
        compilerOptions: { outDir: 'a-out' },
        include: ['src'],
      }),
      'packages/a/src/index.ts': 'export const a = 1;\n',
      'packages/a/src/env.d.ts': "declare module 'lib' { interface Session { role: string } }\n",
      'packages/b/tsconfig.json': json({
        extends: '../../tsconfig.base.json',
        compilerOptions: { outDir: 'b-out' },
        include: ['src'],
      }),
      'packages/b/src/index.ts': 'export const b = 1;\n',
    });
    const files = ['a', 'b'].map((p) => path.join(root, 'packages', p, 'src', 'index.ts'));
    const { groups } = groupByConfig(root, files);
    expect(groups).toHaveLength(2);
    expect(groups.find((g) => g.files[0]!.includes(`${path.sep}a${path.sep}`))?.declarations).toHaveLength(1);
  });
});
