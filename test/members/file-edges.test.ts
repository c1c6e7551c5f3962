import { describe, expect, it } from 'vitest';
import { affectedFiles, declaresForOthers, fileEdges } from '../../src/members/file-edges.js';

describe('declaresForOthers', () => {
  it('a module does not; a script, a declare global/module, a component file does', () => {
    expect(declaresForOthers('a.ts', "import x from 'y';\nexport const a = 1;\n")).toBe(false);
    expect(declaresForOthers('a.js', "const x = require('y');\nmodule.exports = x;\n")).toBe(false);
    expect(declaresForOthers('a.ts', 'function helper() {}\nvar shared = 1;\n')).toBe(true);
    // Words in comments are not module syntax; a dynamic import() does not make a module.
    expect(declaresForOthers('a.ts', '// import this later\n/* export */ const v = await import("y");\n')).toBe(true);
    expect(declaresForOthers('a.ts', 'export {};\ndeclare global { interface Window { x: 1 } }\n')).toBe(true);
    expect(declaresForOthers('a.ts', "import 'y';\ndeclare module 'y' { interface Y { z: 1 } }\n")).toBe(true);
    expect(declaresForOthers('a.vue', '<script setup>import x from "y"</script>')).toBe(true);
  });
});

describe('fileEdges and affectedFiles', () => {
  const texts = new Map([
    ['src/a.ts', "import { b } from './b.js';\nimport 'left';\n"],
    ['src/b.ts', "export * from './c';\n"],
    ['src/c.ts', 'export const c = 1;\n'],
    ['src/d.ts', "import { ui } from '@repo/ui';\n"],
    ['src/e.ts', "import { z } from '~/z';\n"],
    ['src/f.ts', "import { later } from './later';\n"],
    ['packages/ui/src/index.ts', 'export const ui = 1;\n'],
  ]);
  const edges = fileEdges(texts, (name) =>
    name === 'left' ? 'registry' : name === '@repo/ui' ? { workspace: 'packages/ui' } : undefined,
  );

  it('a paths alias names what its targets name, the folder below each included; an unmapped one any file', () => {
    const mapped = fileEdges(
      new Map([
        ['src/e.ts', "import { z } from '~/z';\nimport { y } from '~/lib/y.js';\n"],
        ['src/g.ts', "import { q } from 'unmapped/q';\n"],
      ]),
      () => undefined,
      (_file, spec) => (spec.startsWith('~/') ? [`src/${spec.slice(2)}`, `gen/${spec.slice(2)}`] : undefined),
    );
    expect(mapped['src/e.ts']).toEqual([
      'gen/lib/y',
      'gen/lib/y.js',
      'gen/lib/y.js/',
      'gen/z',
      'gen/z/',
      'src/lib/y',
      'src/lib/y.js',
      'src/lib/y.js/',
      'src/z',
      'src/z/',
    ]);
    expect(mapped['src/g.ts']).toBe('*');
    // A `#` import goes to package.json `imports` when no target is there: any file.
    const hash = fileEdges(
      new Map([['src/h.ts', "import { i } from '#internal/i';\n"]]),
      () => undefined,
      () => ['internal/i'],
    );
    expect(hash['src/h.ts']).toBe('*');
    expect([...affectedFiles(mapped, ['src/e.ts', 'src/g.ts', 'src/z/index.ts'], ['src/z/index.ts'])].sort()).toEqual([
      'src/e.ts',
      'src/g.ts',
      'src/z/index.ts',
    ]);
  });

  it('names the paths relative specifiers write, a workspace folder, or any file for an alias', () => {
    expect(edges['src/a.ts']).toEqual(['src/b', 'src/b.js']);
    expect(edges['src/b.ts']).toEqual(['src/c']);
    expect(edges['src/d.ts']).toEqual(['packages/ui/']);
    expect(edges['src/e.ts']).toBe('*');
  });

  it('an edit reaches the files that import it, directly or not; a new file the specifier named; the alias user always', () => {
    const files = [...texts.keys()];
    expect([...affectedFiles(edges, files, ['src/c.ts'])].sort()).toEqual([
      'src/a.ts',
      'src/b.ts',
      'src/c.ts',
      'src/e.ts',
    ]);
    expect([...affectedFiles(edges, files, ['packages/ui/src/index.ts'])].sort()).toEqual([
      'packages/ui/src/index.ts',
      'src/d.ts',
      'src/e.ts',
    ]);
    expect([...affectedFiles(edges, [...files, 'src/later.ts'], ['src/later.ts'])].sort()).toEqual([
      'src/e.ts',
      'src/f.ts',
      'src/later.ts',
    ]);
  });
});
