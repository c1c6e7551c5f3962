/**
 * Modules a framework provides at build time (virtual modules, aliases it sets up), which are
 * never registry packages. One plugin per framework, all of one shape; a plugin is active for a
 * file when one of its enabling packages is a dependency (of any kind) of the file's nearest
 * package.json, the way knip enables its plugins.
 */
import type { Manifest } from '../model/references.js';

export interface FrameworkPlugin {
  name: string;
  /** Package names (or patterns) whose presence in the nearest package.json enables the plugin. */
  enablers: readonly (string | RegExp)[];
  /** Module patterns: an exact name, `prefix/*` for everything below a prefix, or a RegExp. */
  modules: readonly (string | RegExp)[];
}

export const FRAMEWORK_PLUGINS: readonly FrameworkPlugin[] = [
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
    modules: ['$app/*', '$lib', '$lib/*', '$env/*', '$service-worker', '__sveltekit/*', 'SERVER', 'MANIFEST', 'HANDLER', 'SHIMS', 'ENV'],
  },
  { name: 'astro', enablers: ['astro'], modules: [/^astro:/] },
  { name: 'nuxt', enablers: ['nuxt', 'nuxt3', 'nuxt-edge', 'nitropack', 'nitro'], modules: [/^#/] },
  // The VS Code extension host provides `vscode` (typed by @types/vscode); the npm package of that name is long obsolete.
  { name: 'vscode-extension', enablers: ['@types/vscode'], modules: ['vscode'] },
  { name: 'qwik-city', enablers: ['@builder.io/qwik-city', '@qwik.dev/router'], modules: ['@qwik-city-plan', '@qwik-city-sw-register', '@qwik-client-manifest'] },
];

function matches(pattern: string | RegExp, name: string): boolean {
  if (typeof pattern !== 'string') return pattern.test(name);
  if (pattern.endsWith('/*')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

/** The directory-sorted view of the manifests that answers "which plugins apply to this file". */
export function frameworkModules(manifests: readonly Manifest[]): (file: string, specifier: string) => boolean {
  const byDepth = [...manifests].sort((a, b) => b.dir.length - a.dir.length);
  const active = new Map<Manifest, FrameworkPlugin[]>();
  const pluginsOf = (m: Manifest): FrameworkPlugin[] => {
    let found = active.get(m);
    if (found === undefined) {
      const names = m.dependencies.map((d) => d.name);
      found = FRAMEWORK_PLUGINS.filter((p) => p.enablers.some((e) => names.some((n) => matches(e, n))));
      active.set(m, found);
    }
    return found;
  };
  return (file, specifier) => {
    const nearest = byDepth.find((m) => m.dir === '' || file.startsWith(`${m.dir}/`));
    if (nearest === undefined) return false;
    return pluginsOf(nearest).some((p) => p.modules.some((pattern) => matches(pattern, specifier)));
  };
}
