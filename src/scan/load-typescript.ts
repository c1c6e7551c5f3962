import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';

let loaded: typeof TypeScript | undefined;

/**
 * The TypeScript compiler, loaded on first use (about 0.2 s): a warm run whose parses are all
 * remembered (parse-memo.ts) never loads it. `require` rather than `import`: importing the 9 MB
 * CommonJS compiler from ESM makes Node run cjs-module-lexer over it for named exports, which
 * costs ~0.6 s on each run.
 */
export function loadTypeScript(): typeof TypeScript {
  loaded ??= createRequire(import.meta.url)('typescript') as typeof TypeScript;
  return loaded;
}
