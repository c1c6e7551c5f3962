/**
 * `resolve.alias` names of Vite and webpack configs, read statically from the syntax tree (the
 * config is never run): `alias: { '@lib': … }` or `alias: [{ find: 'x', replacement: … }]`. An
 * import of such a name is the project's own mapping, not a registry package. So are webpack's
 * `externals` (`['add', { subtract: … }]`: provided by the environment at run time) and module
 * federation `remotes` (`{ 'mfe-b': 'mfeB@/b.js' }`: another build's modules). Only literal keys
 * count; a computed or spread alias table is not guessed at.
 */
import { readFileSync, statSync } from './observed-fs.js';
import path from 'node:path';
import type * as TS from 'typescript';
import { loadTypeScript } from './load-typescript.js';
import { MAX_PROJECT_FILE_BYTES } from './read-text.js';

const CONFIG_STEMS = ['vite.config', 'vitest.config', 'webpack.config', 'vite.config.base', 'webpack.common'];
const CONFIG_EXTS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** Whether a (root-relative) file is a bundler config whose aliases count for the files below its directory. */
export function isBundlerConfig(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && CONFIG_EXTS.includes(base.slice(dot)) && CONFIG_STEMS.includes(base.slice(0, dot));
}

interface AliasKey {
  name: string;
  /** webpack's `name$`: the exact name only, not `name/sub`. */
  exact: boolean;
}

/** Alias keys of the bundler configs in `dir` (relative to root; '' for the root). */
export function readBundlerAliases(root: string, dir: string): AliasKey[] {
  const keys: AliasKey[] = [];
  for (const stem of CONFIG_STEMS) {
    for (const ext of CONFIG_EXTS) {
      const abs = path.join(root, dir, stem + ext);
      const info = statSync(abs, { throwIfNoEntry: false });
      if (!info?.isFile() || info.size > MAX_PROJECT_FILE_BYTES) continue;
      let text: string;
      try {
        text = readFileSync(abs, 'utf8');
      } catch {
        continue;
      }
      keys.push(...aliasKeysOf(abs, text));
    }
  }
  return keys;
}

function aliasKeysOf(file: string, text: string): AliasKey[] {
  const ts = loadTypeScript();
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const keys: AliasKey[] = [];
  const add = (raw: string): void => {
    const exact = raw.endsWith('$');
    const name = exact ? raw.slice(0, -1) : raw;
    if (name !== '') keys.push({ name, exact });
  };
  const keysOf = (value: TS.Expression): void => {
    if (ts.isStringLiteralLike(value)) add(value.text);
    else if (ts.isArrayLiteralExpression(value)) for (const el of value.elements) keysOf(el);
    else if (ts.isObjectLiteralExpression(value)) {
      for (const p of value.properties) {
        if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) {
          const n = propertyName(p.name);
          if (n !== undefined) add(n);
        }
      }
    }
  };
  const visit = (node: TS.Node): void => {
    const key = ts.isPropertyAssignment(node) ? propertyName(node.name) : undefined;
    if (key === 'externals' || key === 'remotes') keysOf((node as TS.PropertyAssignment).initializer);
    // `new DllReferencePlugin({ scope: 'beta', … })`: `beta/…` is the prebuilt bundle's content.
    if (ts.isNewExpression(node) && /(?:^|\.)DllReferencePlugin$/.test(node.expression.getText(sf))) {
      const options = node.arguments?.[0];
      if (options && ts.isObjectLiteralExpression(options)) {
        for (const p of options.properties) {
          if (ts.isPropertyAssignment(p) && propertyName(p.name) === 'scope' && ts.isStringLiteralLike(p.initializer))
            add(p.initializer.text);
        }
      }
    }
    if (ts.isPropertyAssignment(node) && key === 'alias') {
      const value = node.initializer;
      if (ts.isObjectLiteralExpression(value)) {
        for (const p of value.properties) {
          if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) {
            const n = propertyName(p.name);
            if (n !== undefined) add(n);
          }
        }
      } else if (ts.isArrayLiteralExpression(value)) {
        for (const el of value.elements) {
          if (!ts.isObjectLiteralExpression(el)) continue;
          for (const p of el.properties) {
            if (ts.isPropertyAssignment(p) && propertyName(p.name) === 'find' && ts.isStringLiteralLike(p.initializer))
              add(p.initializer.text);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return keys;
}

function propertyName(name: TS.PropertyName): string | undefined {
  const ts = loadTypeScript();
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** Whether a specifier is one of the alias keys (`key` itself or `key/…` unless the key is exact). */
export function matchesAlias(keys: readonly AliasKey[], specifier: string): boolean {
  return keys.some(
    (k) => specifier === k.name || (!k.exact && specifier.startsWith(k.name.endsWith('/') ? k.name : `${k.name}/`)),
  );
}
