import type * as TypeScript from 'typescript';
import { loadTypeScript } from './load-typescript.js';

/** The TypeScript compiler, loaded when this module is (modules that always need it). */
const ts: typeof TypeScript = loadTypeScript();

export default ts;
