/**
 * Receivers whose types the project itself decides: workspace packages not yet built (their
 * sources stand for their declarations), a package whose `index.ts` resolves before its
 * `index.d.ts`, and generic wrappers of the project's own shapes (`reactive({...})`, `object`).
 */
import { describe, expect, it } from 'vitest';
import { mockRegistryRuns } from '../helpers/mock-runs.js';
import { publish } from '../helpers/publish.js';

const { mock, verifyFiles } = mockRegistryRuns('unbuilt');

const json = (value: object) => JSON.stringify(value);
const CODES = ['INVENTED_EXPORT', 'INVENTED_MEMBER', 'SUBPATH_NOT_FOUND'];

async function check(files: Record<string, string>) {
  const { report } = await verifyFiles(files);
  return report.findings
    .filter((f) => CODES.includes(f.code))
    .map((f) => [f.code, f.package, f.details?.name, f.locations[0]?.file, f.locations[0]?.line]);
}

const VFILE = {
  'package.json': json({ types: 'index.d.ts' }),
  'index.d.ts':
    'export interface DataMap {}\nexport interface Data extends Partial<DataMap> {}\nexport declare class VFile { data: Data; path: string }\n',
};

describe('a workspace package whose declarations are not built', () => {
  it('its sources stand for its dist declarations: an augmentation there is seen', async () => {
    publish(mock, 'vfile', { '1.0.0': VFILE });
    const rows = await check({
      'package.json': json({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/remark/package.json': json({
        name: '@mono/remark',
        type: 'module',
        types: './dist/index.d.ts',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
        dependencies: { vfile: '^1.0.0' },
      }),
      'packages/remark/tsconfig.json': json({ compilerOptions: { rootDir: './src', outDir: './dist' } }),
      'packages/remark/src/index.ts':
        "export * from './headings.js';\ndeclare module 'vfile' {\n  interface DataMap { astro: { headings: string[] } }\n}\n",
      'packages/remark/src/headings.ts': 'export const depth = 2;\n',
      // Conditional exports to .d.mts/.d.cts, the tsconfig naming only a declarationDir; an `npm:` spec pnpm links.
      'packages/satteri/package.json': json({
        name: '@mono/satteri',
        type: 'module',
        main: './dist/index.cjs',
        types: './dist/index.d.cts',
        exports: {
          '.': {
            import: { types: './dist/index.d.mts', default: './dist/index.mjs' },
            require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
          },
        },
      }),
      'packages/satteri/tsconfig.build.json': json({ compilerOptions: { declarationDir: 'dist' }, include: ['src'] }),
      'packages/satteri/src/index.ts':
        "import type {} from 'vfile';\ndeclare module 'vfile' {\n  interface DataMap { satteri: { toc: string[] } }\n}\nexport default function satteri() {}\n",
      'packages/mdx/package.json': json({
        name: '@mono/mdx',
        type: 'module',
        dependencies: { vfile: '^1.0.0', '@mono/remark': 'workspace:*', '@mono/satteri': 'npm:@mono/satteri' },
      }),
      'packages/mdx/tsconfig.json': json({ references: [{ path: '../remark' }] }),
      'packages/mdx/src/a.ts':
        "import { depth } from '@mono/remark';\nimport satteri from '@mono/satteri';\nimport type { VFile } from 'vfile';\nexport function collect(file: VFile) {\n  return [depth, satteri, file.data.astro!.headings, file.data.satteri!.toc, file.pathh];\n}\n",
    });
    // `astro` and `satteri` are the workspaces' augmentations; `pathh` really is missing from vfile.
    expect(rows).toEqual([['INVENTED_MEMBER', 'vfile', 'pathh', 'packages/mdx/src/a.ts', 5]]);
  });
});

describe('a package whose index.ts resolves before its index.d.ts', () => {
  it('the module index.ts is read, not the global index.d.ts; a real miss is still reported', async () => {
    publish(mock, 'workers', {
      '1.0.0': {
        'package.json': json({ name: 'workers' }),
        'index.d.ts':
          'declare interface ImageTransform { width?: number }\ndeclare interface ImageOutputOptions { format: string }\n',
        'index.ts':
          'export interface ImageTransform { width?: number }\nexport interface ImageOutputOptions { format: string }\n',
      },
    });
    const rows = await check({
      'package.json': json({ name: 'app', type: 'module', devDependencies: { workers: '^1.0.0' } }),
      'tsconfig.json': json({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, verbatimModuleSyntax: true },
      }),
      'src/a.ts':
        "import type { ImageOutputOptions, ImageTransform, ImageNope } from 'workers';\nexport const t: ImageTransform = {};\nexport type O = ImageOutputOptions | ImageNope;\n",
    });
    expect(rows).toEqual([['INVENTED_EXPORT', 'workers', 'ImageNope', 'src/a.ts', 1]]);
  });
});

describe('a package shipping its TypeScript sources beside its declarations', () => {
  it('a source with no declaration of its name still exists: importing it is no missing subpath', async () => {
    publish(mock, 'docs-plugin', {
      '1.0.0': {
        'package.json': json({ types: 'lib/index.d.ts', main: 'lib/index.js' }),
        'lib/index.d.ts': 'export interface SidebarsConfig { items: string[] }\n',
        'lib/index.js': 'module.exports = {};\n',
        'src/sidebars/types.ts': 'export interface CategoryConfig { label: string }\n',
      },
    });
    const rows = await check({
      'package.json': json({ name: 'app', type: 'module', devDependencies: { 'docs-plugin': '^1.0.0' } }),
      'src/a.ts':
        "import type { SidebarsConfig } from 'docs-plugin';\nimport type { CategoryConfig } from 'docs-plugin/src/sidebars/types.js';\nexport type A = SidebarsConfig | CategoryConfig;\n",
    });
    expect(rows).toEqual([]);
  });
});

describe("a package's generic wrapper of the project's own shape", () => {
  it('reactive({...}) is the literal mapped, prompt<T = object>() is object: nothing claimed; the package type still is', async () => {
    publish(mock, 'reactivity', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts': [
          'export interface Ref<T> { value: T }',
          'export type UnwrapNestedRefs<T> = T extends Ref<any> ? T : { [K in keyof T]: T[K] };',
          'export declare function reactive<T extends object>(target: T): UnwrapNestedRefs<T>;',
          'export declare function ref<T>(value: T): Ref<T>;',
          'export declare function prompt<T = object>(question: { name: string }): Promise<T>;',
          'export declare function blank(): {};',
        ].join('\n'),
      },
    });
    const rows = await check({
      'package.json': json({ name: 'app', type: 'module', dependencies: { reactivity: '^1.0.0' } }),
      'src/a.ts': [
        "import { blank, prompt, reactive, ref } from 'reactivity';",
        'const state = reactive({ loaded: false });',
        'Object.assign(state, { availableOptions: [] });',
        'console.log(state.loaded, state.availableOptions);',
        "const { otp } = await prompt({ name: 'otp' });",
        'console.log(otp, blank().anything);',
        'console.log(ref(1).valu);',
      ].join('\n'),
    });
    expect(rows).toEqual([['INVENTED_MEMBER', 'reactivity', 'valu', 'src/a.ts', 7]]);
  });
});

describe('a value made from a module that does not resolve', () => {
  it('a call given what an unresolved import provides is not claimed on; the same call on known values is', async () => {
    publish(mock, 'query', {
      '1.0.0': {
        'package.json': json({ types: 'index.d.ts' }),
        'index.d.ts':
          'export interface Options { key: string[] }\nexport declare function useQuery(options: Options): { data: { id: string }; status: string };\n',
      },
    });
    const rows = await check({
      'package.json': json({ name: 'app', type: 'module', dependencies: { query: '^1.0.0' } }),
      'src/a.ts': [
        "import { useQuery } from 'query';",
        "import { api } from './generated/api.js';",
        "const greeting = useQuery(api.greeting.queryOptions({ name: 'x' }));",
        'const { text } = greeting.data;',
        'console.log(text, greeting.data.text);',
        "console.log(useQuery({ key: ['a'] }).data.text);",
      ].join('\n'),
    });
    expect(rows).toEqual([['INVENTED_MEMBER', 'query', 'text', 'src/a.ts', 6]]);
  });
});
