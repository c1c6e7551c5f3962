/**
 * A snippet as an assistant writes it: plain JS/TS, or Markdown whose fenced code blocks hold the
 * code and whose shell blocks (or lines) install packages. Read into code blocks and install specs
 * with where each came from, so findings can point into the answer itself.
 */
import { lexer, type Token, type Tokens } from 'marked';
import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';
import {
  type FoundSpec,
  isPackageManagerLine,
  scriptsOfHtml,
  specsInText,
  specsOfCdnUrls,
  specsOfManifestBlock,
  specsOfShell,
} from './snippet-installs.js';

export type SnippetLang = 'js' | 'jsx' | 'ts' | 'tsx' | 'mjs' | 'cjs' | 'mts' | 'cts';

export interface CodeBlock {
  /** 1-based among all fenced blocks of the Markdown (1 for a plain snippet). */
  block: number;
  lang: SnippetLang;
  code: string;
  /** 1-based line in the snippet file where the code's first line is. */
  startLine: number;
  /** Columns of indentation (or `> `) the answer has before each line of the code (a block in a list item). */
  indent?: number;
}

export interface InstallSpec {
  /** As written: `express`, `zod@^3`, `@types/node`. */
  spec: string;
  /** The package manager line it came from. */
  command: string;
  kind: FoundSpec['kind'];
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
  js: 'js',
  javascript: 'js',
  node: 'js',
  jsx: 'jsx',
  ts: 'ts',
  typescript: 'ts',
  tsx: 'tsx',
  mjs: 'mjs',
  cjs: 'cjs',
  mts: 'mts',
  cts: 'cts',
};
const SHELLS = new Set(['sh', 'bash', 'shell', 'console', 'zsh', 'terminal', 'powershell', 'ps', 'cmd', 'bat']);
const HTML = new Set(['html', 'htm', 'xhtml', 'vue', 'svelte']);

export function parseLang(raw: string | undefined): SnippetLang | undefined {
  return raw === undefined ? undefined : LANGS[raw.trim().toLowerCase()];
}

/** Whether text is Markdown rather than code: by file extension, else by a fenced block at line start. */
export function looksLikeMarkdown(text: string, fileName?: string): boolean {
  if (fileName && /\.(md|markdown|mdx)$/i.test(fileName)) return true;
  if (fileName && /\.[cm]?[jt]sx?$/i.test(fileName)) return false;
  return /^ {0,3}(```|~~~)/m.test(text);
}

function toInstalls(found: FoundSpec[], firstLine: number, block?: number): InstallSpec[] {
  return found.map((f) => ({
    spec: f.spec,
    command: f.command,
    kind: f.kind,
    line: firstLine + f.line,
    ...(block ? { block } : {}),
  }));
}

/**
 * A code block without its shell lines (an install command pasted as its first line, or `npm init
 * -y` and `npm run dev` around it): blank, so lines keep their numbers.
 */
function withoutShellLines(code: string, found: FoundSpec[]): string {
  const shellLines = new Set(found.filter((f) => f.kind !== 'cdn').map((f) => f.line));
  const lines = code.split('\n');
  return lines
    .map((l, i) => ((shellLines.has(i) && !/^\s*(?:\/\/|\/\*|\*)/.test(l)) || isPackageManagerLine(l) ? '' : l))
    .join('\n');
}

/** An HTML block as code: its inline scripts where they stand (same lines and columns), the rest blank. */
function htmlAsCode(html: string): string | undefined {
  const scripts = scriptsOfHtml(html);
  if (scripts.length === 0) return undefined;
  const lines = html.split('\n').map(() => '');
  for (const { code, line, column } of scripts) {
    code.split('\n').forEach((text, i) => (lines[line + i] = i === 0 ? ' '.repeat(column) + text : text));
  }
  return lines.join('\n');
}

// Loaded only when an untagged block has to be told apart from prose: importing this module (as
// the library and the CLI do) must not cost the compiler's load time.
let tsModule: typeof TypeScript | undefined;
const loadTs = (): typeof TypeScript =>
  (tsModule ??= createRequire(import.meta.url)('typescript') as typeof TypeScript);

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
    const lang =
      options.lang ??
      fromName ??
      (/(^|\W)(interface|type)\s+\w+\s*[={<]|:\s*(string|number|boolean)\b/.test(normalised) ? 'ts' : 'js');
    return { kind: 'code', blocks: [{ block: 1, lang, code: normalised, startLine: 1 }], installs: [] };
  }
  const blocks: CodeBlock[] = [];
  const installs: InstallSpec[] = [];
  let offsetLine = 1;
  let index = 0;
  const lines = normalised.split('\n');
  const newlines = (raw: string): number => (raw.match(/\n/g) ?? []).length;
  const visit = (tokens: Token[]): void => {
    for (const token of tokens) {
      const startLine = offsetLine;
      // Lists and quotes hold blocks too (an answer's numbered steps): read what they hold, at
      // its own lines. Each item restarts from its own text, so a miscount cannot carry over.
      if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) {
          const itemLine = offsetLine;
          visit(item.tokens);
          offsetLine = itemLine + newlines(item.raw);
        }
        offsetLine = startLine + newlines(token.raw);
        continue;
      }
      if (token.type === 'blockquote') {
        visit((token as Tokens.Blockquote).tokens);
        offsetLine = startLine + newlines(token.raw);
        continue;
      }
      if (token.type === 'code') {
        const code = token as Tokens.Code;
        if (code.codeBlockStyle === 'indented') {
          // Indented text is as often prose as code: only its install lines are read, and it is no numbered block.
          installs.push(...toInstalls(specsOfShell(code.text), startLine + (/^\n*/.exec(code.raw)?.[0].length ?? 0)));
          offsetLine = startLine + newlines(token.raw);
          continue;
        }
        index++;
        // The code starts on the line after the opening fence.
        const first = startLine + 1 + (/^\n*/.exec(code.raw)?.[0].length ?? 0);
        // Inside a list item or a quote the code is read without its indentation or `>`: columns
        // in the answer are that much further right.
        const firstText = code.text.split('\n').find((l) => l.trim() !== '');
        const at =
          firstText === undefined
            ? -1
            : (lines[first - 1 + code.text.split('\n').indexOf(firstText)] ?? '').indexOf(firstText);
        const indent = at > 0 ? { indent: at } : {};
        const info = (code.lang ?? '').split(/[\s{]/)[0]!.toLowerCase();
        const lang = parseLang(info);
        if (lang) {
          const found = specsInText(code.text, { wholeLines: true });
          installs.push(...toInstalls([...found, ...specsOfCdnUrls(code.text)], first, index));
          blocks.push({ block: index, lang, code: withoutShellLines(code.text, found), startLine: first, ...indent });
        } else if (SHELLS.has(info) || info === '') {
          const fromShell = toInstalls(specsOfShell(code.text), first, index);
          installs.push(...fromShell);
          if (info === '' && fromShell.length === 0 && parsesAsCode(code.text))
            blocks.push({ block: index, lang: 'ts', code: code.text, startLine: first, ...indent });
        } else if (info === 'json' || info === 'jsonc' || info === 'json5') {
          installs.push(...toInstalls(specsOfManifestBlock(code.text), first, index));
        } else if (HTML.has(info)) {
          installs.push(...toInstalls(specsOfCdnUrls(code.text), first, index));
          const scriptCode = htmlAsCode(code.text);
          if (scriptCode !== undefined)
            blocks.push({ block: index, lang: 'js', code: scriptCode, startLine: first, ...indent });
        }
      } else {
        // Prose: an install command quoted inline (`npm install express`, 'npm i zod'), in a
        // paragraph, a list item or a quote; the line is where the quote is.
        installs.push(...toInstalls(specsInText(token.raw, { wholeLines: false }), startLine));
      }
      offsetLine = startLine + newlines(token.raw);
    }
  };
  visit(lexer(normalised));
  return { kind: 'markdown', blocks, installs };
}
