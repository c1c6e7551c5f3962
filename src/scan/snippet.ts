/**
 * A snippet as an assistant writes it: plain JS/TS, or Markdown whose fenced code blocks hold the
 * code and whose shell blocks (or lines) install packages. Read into code blocks and install specs
 * with where each came from, so findings can point into the answer itself.
 */
import { lexer, type Token, type Tokens } from 'marked';
import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';

export type SnippetLang = 'js' | 'jsx' | 'ts' | 'tsx' | 'mjs' | 'cjs' | 'mts' | 'cts';

export interface CodeBlock {
  /** 1-based among all fenced blocks of the Markdown (1 for a plain snippet). */
  block: number;
  lang: SnippetLang;
  code: string;
  /** 1-based line in the snippet file where the code's first line is. */
  startLine: number;
}

export interface InstallSpec {
  /** As written: `express`, `zod@^3`, `@types/node`. */
  spec: string;
  /** The package manager line it came from. */
  command: string;
  block?: number;
  /** 1-based line in the snippet file. */
  line: number;
}

export interface Snippet {
  kind: 'markdown' | 'code';
  blocks: CodeBlock[];
  installs: InstallSpec[];
}

const LANGS: Record<string, SnippetLang> = {
  js: 'js', javascript: 'js', node: 'js', jsx: 'jsx', ts: 'ts', typescript: 'ts', tsx: 'tsx',
  mjs: 'mjs', cjs: 'cjs', mts: 'mts', cts: 'cts',
};
const SHELLS = new Set(['sh', 'bash', 'shell', 'console', 'zsh', 'terminal', 'powershell', 'ps', 'cmd', 'bat']);
// `npm i x`, `yarn add x`, `pnpm add x`, `bun add x`, optionally after a prompt or `sudo`.
const INSTALL = /^\s*(?:[$>#]\s*)?(?:sudo\s+)?(npm\s+(?:install|i|add)|yarn\s+(?:global\s+)?add|pnpm\s+(?:add|install|i)|bun\s+(?:add|install|i))\b(.*)$/;

export function parseLang(raw: string | undefined): SnippetLang | undefined {
  return raw === undefined ? undefined : LANGS[raw.trim().toLowerCase()];
}

/** Whether text is Markdown rather than code: by file extension, else by a fenced block at line start. */
export function looksLikeMarkdown(text: string, fileName?: string): boolean {
  if (fileName && /\.(md|markdown|mdx)$/i.test(fileName)) return true;
  if (fileName && /\.[cm]?[jt]sx?$/i.test(fileName)) return false;
  return /^ {0,3}(```|~~~)/m.test(text);
}

/** Package specs of one install command line; flags and their values are left out. */
function installSpecs(args: string): string[] {
  const specs: string[] = [];
  for (const word of args.split(/\s+/)) {
    if (!word || word.startsWith('-')) continue;
    if (/^[&|;#>]/.test(word)) break; // the next command, a comment or a redirect
    if (/^(?:\.{0,2}\/|file:|git[+:]|https?:|link:|workspace:)/.test(word)) continue;
    specs.push(word.replace(/^['"]|['"]$/g, ''));
  }
  return specs;
}

function installsIn(text: string, firstLine: number, block?: number): InstallSpec[] {
  const out: InstallSpec[] = [];
  text.split('\n').forEach((lineText, i) => {
    const m = INSTALL.exec(lineText);
    if (!m) return;
    for (const spec of installSpecs(m[2] ?? '')) out.push({ spec, command: m[1]!.replace(/\s+/g, ' '), line: firstLine + i, ...(block ? { block } : {}) });
  });
  return out;
}

// Loaded only when an untagged block has to be told apart from prose: importing this module (as
// the library and the CLI do) must not cost the compiler's load time.
let tsModule: typeof TypeScript | undefined;
const loadTs = (): typeof TypeScript => (tsModule ??= createRequire(import.meta.url)('typescript') as typeof TypeScript);

/** Code that parses as JavaScript (or TypeScript) with at least one statement. */
function parsesAsCode(code: string): boolean {
  const ts = loadTs();
  const sf = ts.createSourceFile('x.tsx', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const diagnostics = (sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? [];
  return diagnostics.length === 0 && sf.statements.length > 0;
}

export function readSnippet(text: string, options: { fileName?: string; lang?: SnippetLang } = {}): Snippet {
  const normalised = text.replace(/\r\n?/g, '\n');
  if (options.lang || !looksLikeMarkdown(normalised, options.fileName)) {
    const fromName = options.fileName ? parseLang(/\.([a-z]+)$/i.exec(options.fileName)?.[1]) : undefined;
    const lang = options.lang ?? fromName ?? (/(^|\W)(interface|type)\s+\w+\s*[={<]|:\s*(string|number|boolean)\b/.test(normalised) ? 'ts' : 'js');
    return { kind: 'code', blocks: [{ block: 1, lang, code: normalised, startLine: 1 }], installs: [] };
  }
  const blocks: CodeBlock[] = [];
  const installs: InstallSpec[] = [];
  let offsetLine = 1;
  let index = 0;
  const visit = (tokens: Token[]): void => {
    for (const token of tokens) {
      const startLine = offsetLine;
      if (token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented') {
        const code = token as Tokens.Code;
        index++;
        // The code starts on the line after the opening fence.
        const first = startLine + 1 + (/^\n*/.exec(code.raw)?.[0].length ?? 0);
        const info = (code.lang ?? '').split(/[\s{]/)[0]!.toLowerCase();
        const lang = parseLang(info);
        if (lang) blocks.push({ block: index, lang, code: code.text, startLine: first });
        else if (SHELLS.has(info) || info === '') {
          const fromShell = installsIn(code.text, first, index);
          installs.push(...fromShell);
          if (info === '' && fromShell.length === 0 && parsesAsCode(code.text)) blocks.push({ block: index, lang: 'ts', code: code.text, startLine: first });
        }
      } else {
        // Prose: an install command quoted inline (`npm install express`), in a paragraph, a list
        // item or a quote; the line is where the quote is.
        for (const m of token.raw.matchAll(/`([^`\n]+)`/g)) {
          const line = startLine + (token.raw.slice(0, m.index).match(/\n/g) ?? []).length;
          installs.push(...installsIn(m[1]!, line));
        }
      }
      offsetLine += (token.raw.match(/\n/g) ?? []).length;
    }
  };
  visit(lexer(normalised));
  return { kind: 'markdown', blocks, installs };
}
