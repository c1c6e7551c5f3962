/**
 * Imports in single-file components (issue 15, item 6): the `<script>` blocks of `.vue` and
 * `.svelte` files and the frontmatter and bundled `<script>` tags of `.astro` files are module
 * code, read at their own lines; markup, comments, styles and inline scripts are not.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { exitCode } from '../../src/index.js';
import { componentCode } from '../../src/scan/component-scripts.js';
import { scanImports } from '../../src/scan/walk-imports.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { RECENTLY, packument } from '../helpers/registry.js';

const { mock, verifyProject } = mockRegistryRuns('components');
afterAll(removeTrees);

const ok = (name: string) => mock.set(name, packument(name, { versions: { '1.0.0': {} }, releasedFrom: RECENTLY }));
const notLocal = { isLocalPackage: () => false };
const sites = (imports: { specifier: string; file: string; line: number; column: number }[]) =>
  imports.map((i) => `${i.file}:${i.line}:${i.column} ${i.specifier}`);

const VUE = [
  '<template>',
  "  <div>{{ a < b ? \"<script>import x from 'not-a-dep-1'</script>\" : '' }}</div>",
  "  <!-- <script>import y from 'not-a-dep-2'</script> -->",
  '</template>',
  '',
  '<script lang="ts">',
  "import { defineComponent } from 'vue'",
  '</script>',
  '<script setup lang="ts">',
  "import axios from 'axios'",
  'const t = "</div>"',
  '</script>',
  '<style>',
  '.a::after { content: "<script>import z from \'not-a-dep-3\'</script>" }',
  '</style>',
  '<i18n>{"en": {"x": "<script>import w from \'not-a-dep-4\'</script>"}}</i18n>',
  '',
].join('\n');

const SVELTE = [
  '<script context="module" lang="ts">',
  "  import { browser } from '$app/environment';",
  '</script>',
  '<script>',
  "  import { onMount } from 'svelte';",
  "  import chunk from 'lodash-es/chunk';",
  '</script>',
  '<svelte:head>',
  '  <script type="module">import q from \'not-a-dep-5\'</script>',
  "  <script>import r from 'not-a-dep-6'</script>",
  '</svelte:head>',
  "<p>Don't {@html '<script>import s from \"not-a-dep-7\"</script>'}</p>",
  '{#if a < b}<span>x</span>{/if}',
  '',
].join('\n');

const ASTRO = [
  '---',
  "import Layout from '../layouts/Layout.astro';",
  "import { format } from 'date-fns';",
  "if (!Astro.props.x) return Astro.redirect('/');",
  'const fence = "---";',
  '---',
  '<Layout>',
  "  <p>{items.map((i) => <li>{i}</li>)} <code>&lt;script&gt; import u from 'not-a-dep-8'</code></p>",
  '  <script>',
  "    import confetti from 'canvas-confetti';",
  '  </script>',
  "  <script is:inline>import v from 'not-a-dep-9'</script>",
  '  <script type="module">import w from \'not-a-dep-10\'</script>',
  '</Layout>',
  '',
].join('\n');

describe('component code', () => {
  it('keeps the length and the lines of the file, and parses as the lang the blocks say', () => {
    const vue = componentCode('a.vue', VUE)!;
    expect(vue.code.length).toBe(VUE.length);
    expect(vue.code.split('\n').length).toBe(VUE.split('\n').length);
    expect(vue.extension).toBe('.ts');
    expect(vue.blocks).toBe(2);
    expect(componentCode('b.svelte', '<script>import a from "a"</script>')!.extension).toBe('.js');
    expect(componentCode('c.vue', '<script setup lang="tsx">const a = <div/></script>')!.extension).toBe('.tsx');
    expect(componentCode('d.ts', 'x')).toBeUndefined();
  });

  it('an .astro file without frontmatter or scripts has no code', () => {
    const astro = componentCode('page.astro', '<h1>Hello --- world</h1>\n')!;
    expect(astro.blocks).toBe(0);
    expect(astro.code.trim()).toBe('');
  });
});

describe('imports of .vue, .svelte and .astro files', () => {
  it('are read from script blocks and frontmatter, at their lines in the file; markup, comments, styles and inline scripts are not code', async () => {
    const root = await writeTree({
      'src/App.vue': VUE,
      'src/routes/+page.svelte': SVELTE,
      'src/pages/index.astro': ASTRO,
    });
    const result = await scanImports(root, notLocal);
    expect(result.errors).toEqual([]);
    expect(result.sourceFiles).toBe(3);
    expect(sites(result.imports)).toEqual([
      'src/App.vue:7:33 vue',
      'src/App.vue:10:19 axios',
      'src/pages/index.astro:3:24 date-fns',
      'src/pages/index.astro:10:26 canvas-confetti',
      'src/routes/+page.svelte:5:27 svelte',
      'src/routes/+page.svelte:6:21 lodash-es/chunk',
    ]);
  });

  it('a syntax error in a script block is reported at its line in the file', async () => {
    const root = await writeTree({
      'Broken.svelte': '<h1>Title</h1>\n\n<script>\n  import a from "a";\n  const = 1;\n</script>\n',
    });
    const result = await scanImports(root, notLocal);
    // The parser recovers and lost no import: a warning at the component's own line, `a` still read.
    expect(result.errors).toEqual([]);
    expect(result.warnings).toMatchObject([{ file: 'Broken.svelte', line: 5 }]);
    expect(result.imports.map((i) => i.specifier)).toEqual(['a']);
  });

  it('are checked like any import: undeclared is UNLISTED_DEPENDENCY at the component line, framework modules are not packages, the member check leaves them alone', async () => {
    for (const n of ['vue', 'nuxt', 'svelte', '@sveltejs/kit', 'astro', 'left-pad']) ok(n);
    const root = await writeTree({
      'package.json': JSON.stringify({ name: 'app', private: true, workspaces: ['site', 'kit'] }),
      'site/package.json': JSON.stringify({ name: 'site', dependencies: { nuxt: '1.0.0', vue: '1.0.0' } }),
      'site/app.vue':
        "<template><div/></template>\n<script setup lang=\"ts\">\nimport { useRoute } from '#imports'\nimport { ref } from 'vue'\nimport pad from 'left-pad'\n</script>\n",
      'kit/package.json': JSON.stringify({
        name: 'kit',
        dependencies: { svelte: '1.0.0', '@sveltejs/kit': '1.0.0', astro: '1.0.0' },
      }),
      'kit/src/routes/+page.svelte':
        "<script>\n  import { goto } from '$app/navigation';\n  import { onMount } from 'svelte';\n</script>\n",
      'kit/src/pages/a.astro': "---\nimport { getCollection } from 'astro:content';\n---\n<h1/>\n",
    });
    // With the member check on: it must not take a component for a module of its own.
    const report = await verifyProject(root);
    const problems = report.findings.filter((f) => f.severity !== 'info');
    expect(problems.map((f) => [f.code, f.package, f.locations])).toEqual([
      ['UNLISTED_DEPENDENCY', 'left-pad', [{ file: 'site/app.vue', line: 5, column: 17 }]],
    ]);
    expect(mock.seen.map((s) => s.name).sort()).not.toContain('#imports');
    expect(exitCode(report)).toBe(1);
  });
});
