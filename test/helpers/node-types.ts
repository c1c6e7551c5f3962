/** A small fake @types/node for the member check's tests of Node's own modules. */
const json = (x: object) => JSON.stringify(x);

/** A fake @types/node: `removed` leaves createCipher out, as Node 22 removed it. */
export function nodeTypes(removed: boolean): Record<string, string> {
  return {
    'package.json': json({ types: 'index.d.ts' }),
    'index.d.ts': [
      '/// <reference path="fs.d.ts" />',
      '/// <reference path="crypto.d.ts" />',
      '/// <reference path="url.d.ts" />',
      '/// <reference path="globals.d.ts" />',
      '',
    ].join('\n'),
    'fs.d.ts': [
      "declare module 'fs' {",
      '  export function readFile(p: string, cb: (err: Error | null, data: string) => void): void;',
      '  export function readFileSync(p: string): string;',
      '  export function existsSync(p: string): boolean;',
      '  /** @deprecated Since v1.0.0 - Use {@link stat} or {@link access} instead. */',
      '  export function exists(p: string, cb: (e: boolean) => void): void;',
      '  export function stat(p: string): void;',
      "  export * as promises from 'fs/promises';",
      '}',
      "declare module 'node:fs' { export * from 'fs'; }",
      "declare module 'fs/promises' { export function readFile(p: string): Promise<string>; export function writeFile(p: string, d: string): Promise<void>; }",
      "declare module 'node:fs/promises' { export * from 'fs/promises'; }",
      '',
    ].join('\n'),
    'crypto.d.ts': [
      "declare module 'crypto' {",
      '  interface Hash { update(d: string): Hash; digest(e: string): string }',
      '  export function createHash(a: string): Hash;',
      '  export function randomUUID(): string;',
      '  export function createCipheriv(a: string, k: string, iv: string): unknown;',
      removed
        ? ''
        : '  /** @deprecated since v10.0.0 use {@link createCipheriv} */\n  export function createCipher(a: string, p: string): unknown;',
      '}',
      "declare module 'node:crypto' { export * from 'crypto'; }",
      '',
    ].join('\n'),
    'url.d.ts': [
      "declare module 'url' {",
      '  interface UrlWithStringQuery { host: string | null }',
      '  /** @deprecated Use the WHATWG URL API instead. */',
      '  export function parse(u: string): UrlWithStringQuery;',
      '  export function fileURLToPath(u: string): string;',
      '}',
      "declare module 'node:url' { export * from 'url'; }",
      '',
    ].join('\n'),
    'globals.d.ts': [
      'interface Buffer { length: number; toString(e?: string): string }',
      'interface BufferConstructor {',
      '  /** @deprecated since v10.0.0 - Use `Buffer.from(string[, encoding])` instead. */',
      '  new (str: string, encoding?: string): Buffer;',
      '  from(s: string, encoding?: string): Buffer;',
      '}',
      'declare var Buffer: BufferConstructor;',
      '',
    ].join('\n'),
  };
}
