/**
 * Modules a framework provides at build time (virtual modules, aliases it sets up), which are
 * never registry packages. One plugin per framework, all of one shape; a plugin is active for a
 * file when one of its enabling packages is a dependency (of any kind) of the file's nearest
 * package.json, the way knip enables its plugins.
 */
import { readFileSync, statSync } from './observed-fs.js';
import path from 'node:path';
import { isRecord } from '../model/json.js';
import type { Manifest } from '../model/references.js';
import { MAX_PROJECT_FILE_BYTES } from './read-text.js';

interface FrameworkPlugin {
  name: string;
  /** Package names (or patterns) whose presence in the nearest package.json enables the plugin. */
  enablers: readonly (string | RegExp)[];
  /** Module patterns: an exact name, `prefix/*` for everything below a prefix, or a RegExp. */
  modules: readonly (string | RegExp)[];
  /** The package that ships these modules, when one does: what code importing them needs installed. */
  provider?: string;
  /**
   * An option of the framework's config (beside the package.json) that turns the plugin on or
   * off: active when some config's text matches `on`, or, with `off`, unless one matches `off`.
   * The config is read as text, never run.
   */
  option?: { configs: readonly string[]; on?: RegExp; off?: RegExp };
}

const CONFIG_EXTS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
const REACT_MODULES = ['react', 'react/*', 'react-dom', 'react-dom/*'];

const FRAMEWORK_PLUGINS: readonly FrameworkPlugin[] = [
  {
    name: 'docusaurus',
    enablers: [/^@docusaurus\//],
    modules: [
      '@theme',
      '@theme/*',
      '@theme-original/*',
      '@theme-init/*',
      '@site',
      '@site/*',
      '@generated/*',
      // Client modules the core aliases (`@docusaurus/Link`, `@docusaurus/router`, `@docusaurus/useBaseUrl`…).
      /^@docusaurus\/(?:router|constants|renderRoutes|[A-Z]|use[A-Z]|is[A-Z])/,
    ],
  },
  { name: 'vitepress', enablers: ['vitepress'], modules: ['@theme', '@theme/*', '@siteData', '@localSearchIndex'] },
  { name: 'vite', enablers: ['vite', 'rollup', 'rolldown'], modules: [/^virtual:/, '/@vite/*'] },
  { name: 'unplugin-icons', enablers: ['unplugin-icons'], modules: ['~icons/*', /^virtual:icons\//] },
  {
    name: 'sveltekit',
    enablers: ['@sveltejs/kit'],
    modules: [
      '$app/*',
      '$lib',
      '$lib/*',
      '$env/*',
      '$service-worker',
      '__sveltekit/*',
      'SERVER',
      'MANIFEST',
      'HANDLER',
      'SHIMS',
      'ENV',
    ],
  },
  { name: 'astro', enablers: ['astro'], modules: [/^astro:/] },
  { name: 'nuxt', enablers: ['nuxt', 'nuxt3', 'nuxt-edge', 'nitropack', 'nitro'], modules: [/^#/] },
  // The VS Code extension host provides `vscode` (typed by @types/vscode); the npm package of that name is long obsolete.
  { name: 'vscode-extension', enablers: ['@types/vscode'], modules: ['vscode'] },
  // ember-source ships Ember's own modules (`@ember/service`, `@ember/object/computed`…), which are
  // no registry packages; `@ember/test-helpers`, `@ember/string` and the like are, and stay packages.
  {
    name: 'ember',
    enablers: ['ember-source'],
    modules: [
      /^@ember\/(?:-internals|application|array|canary-features|component|controller|debug|deprecated-features|destroyable|engine|enumerable|error|helper|instrumentation|modifier|object|owner|polyfills|reactive|renderer|routing|runloop|service|template|template-compilation|template-compiler|template-factory|test|utils|version)(?:\/|$)/,
    ],
    provider: 'ember-source',
  },
  // Preact's compatibility layer stands in for React: `import React from 'react'` is preact/compat.
  // @preact/preset-vite aliases it unless told not to; @astrojs/preact only with `compat: true`.
  {
    name: 'preact-preset-vite',
    enablers: ['@preact/preset-vite'],
    modules: REACT_MODULES,
    option: { configs: ['vite.config'], off: /\breactAliasesEnabled\s*:\s*false\b/ },
  },
  {
    name: 'astro-preact-compat',
    enablers: ['@astrojs/preact'],
    modules: REACT_MODULES,
    option: { configs: ['astro.config'], on: /\bcompat\s*:\s*true\b/ },
  },
  // @vitejs/plugin-rsc resolves these markers to virtual modules of its own (validateImports, on by default).
  {
    name: 'vite-plugin-rsc',
    enablers: ['@vitejs/plugin-rsc'],
    modules: ['server-only', 'client-only'],
    option: { configs: ['vite.config'], off: /\bvalidateImports\s*:\s*false\b/ },
  },
  {
    name: 'qwik-city',
    enablers: ['@builder.io/qwik-city', '@qwik.dev/router'],
    modules: ['@qwik-city-plan', '@qwik-city-sw-register', '@qwik-client-manifest'],
  },
];

function matches(pattern: string | RegExp, name: string): boolean {
  if (typeof pattern !== 'string') return pattern.test(name);
  if (pattern.endsWith('/*')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

/** The package that provides a framework module (`@ember/service` → `ember-source`), whichever project imports it. */
export function providerOf(specifier: string): string | undefined {
  return FRAMEWORK_PLUGINS.find(
    (p) => p.provider !== undefined && p.modules.some((pattern) => matches(pattern, specifier)),
  )?.provider;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/**
 * Which plugins apply to a file: those of its nearest package.json on disk (a docs site's own
 * `website/package.json` even when it is no workspace), else of the nearest scanned manifest.
 */
export function frameworkModules(
  manifests: readonly Manifest[],
  root?: string,
): (file: string, specifier: string) => boolean {
  const byDepth = [...manifests].sort((a, b) => b.dir.length - a.dir.length);
  const byDir = new Map<string, FrameworkPlugin[] | null>();
  const pluginsFor = (names: string[], dir: string): FrameworkPlugin[] =>
    FRAMEWORK_PLUGINS.filter(
      (p) => p.enablers.some((e) => names.some((n) => matches(e, n))) && optionHolds(p, root, dir),
    );
  const onDisk = (dir: string): FrameworkPlugin[] | null => {
    let found = byDir.get(dir);
    if (found !== undefined) return found;
    found = null;
    const manifest = byDepth.find((m) => m.dir === dir);
    if (manifest)
      found = pluginsFor(
        manifest.dependencies.map((d) => d.name),
        dir,
      );
    else if (root !== undefined) {
      const names = readDependencyNames(path.join(root, dir, 'package.json'));
      if (names) found = pluginsFor(names, dir);
    }
    byDir.set(dir, found);
    return found;
  };
  return (file, specifier) => {
    let plugins: FrameworkPlugin[] | null = null;
    for (let dir = path.posix.dirname(file); plugins === null; dir = path.posix.dirname(dir)) {
      const d = dir === '.' ? '' : dir;
      plugins = onDisk(d);
      if (d === '') break;
    }
    return (plugins ?? []).some((p) => p.modules.some((pattern) => matches(pattern, specifier)));
  };
}

/** Whether a plugin's config option allows it in `dir` (no option: always; no root to read: only an `off` one). */
function optionHolds(plugin: FrameworkPlugin, root: string | undefined, dir: string): boolean {
  const option = plugin.option;
  if (option === undefined) return true;
  const texts =
    root === undefined
      ? []
      : option.configs.flatMap((stem) =>
          CONFIG_EXTS.flatMap((ext) => readText(path.join(root, dir, stem + ext)) ?? []),
        );
  if (option.on && !texts.some((t) => option.on!.test(t))) return false;
  return !(option.off && texts.some((t) => option.off!.test(t)));
}

function readText(abs: string): string | undefined {
  const info = statSync(abs, { throwIfNoEntry: false });
  if (!info?.isFile() || info.size > MAX_PROJECT_FILE_BYTES) return undefined;
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function readDependencyNames(abs: string): string[] | undefined {
  const info = statSync(abs, { throwIfNoEntry: false });
  if (!info?.isFile() || info.size > MAX_PROJECT_FILE_BYTES) return undefined;
  try {
    const json: unknown = JSON.parse(readFileSync(abs, 'utf8'));
    if (typeof json !== 'object' || json === null) return undefined;
    return DEPENDENCY_FIELDS.flatMap((f) => {
      const deps = (json as Record<string, unknown>)[f];
      return isRecord(deps) ? Object.keys(deps) : [];
    });
  } catch {
    // A broken package.json is reported where manifests are read; here it enables nothing.
    return [];
  }
}
