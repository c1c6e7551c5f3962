import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';

// `require` rather than `import`: importing the 9 MB CommonJS compiler from ESM makes Node run
// cjs-module-lexer over it for named exports, which costs ~0.6 s on each run.
const ts: typeof TypeScript = createRequire(import.meta.url)('typescript');

export default ts;
