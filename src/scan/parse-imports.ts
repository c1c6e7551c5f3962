/**
 * Import specifiers of one JS/TS source text, read from a syntax tree (no type checking, no
 * resolution). Loads the TypeScript compiler, so callers that may have no sources import this
 * module lazily.
 */
import { parse as parseJavaScript } from 'acorn';
import type * as TS from 'typescript';
import ts from './typescript.js';
import type { ImportKind, InputError } from '../model/references.js';

export interface RawImport {
  specifier: string;
  kind: ImportKind;
  /** 1-based line of the specifier literal's opening quote. */
  line: number;
  /** 1-based column of the specifier literal's opening quote. */
  column: number;
}

export interface ReadImportsResult {
  imports: RawImport[];
  error?: InputError;
  /**
   * With a syntax error: whether the recovered tree lost an import, i.e. a token scan of the text
   * sees an import-like statement (`import … 'x'`, `from 'x'`, `require('x')`, `import('x')`)
   * that the tree does not hold at that line, or one whose string is cut off.
   */
  lostImports?: boolean;
}

const SCRIPT_KINDS: Record<string, TS.ScriptKind> = {
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
};

function scriptKindOf(file: string): TS.ScriptKind {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 ? SCRIPT_KINDS[file.slice(dot).toLowerCase()] : undefined) ?? ts.ScriptKind.TS;
}

const FILE_APPEARS_BINARY = 1490;
const MERGE_CONFLICT_MARKER = 1185;

/** `parseDiagnostics` is internal to TypeScript but stable since 1.x; typed here so misuse fails. */
interface WithParseDiagnostics {
  parseDiagnostics?: readonly TS.DiagnosticWithLocation[];
}

/**
 * Grammar errors that sloppy-mode JavaScript accepts (Annex B legacy octal: `0777`, `"\07"`,
 * `08`): TypeScript reports them while parsing, but the tree is whole and engines run the code.
 */
const SLOPPY_JS_ONLY = new Set([1121, 1487, 1489, 1536]);

/** The first bytes looked at to tell a binary from a text that holds a few NUL characters. */
const BINARY_SAMPLE = 8192;

/**
 * A real binary (image, archive, compiled code, UTF-16 text) has control characters all over; a
 * source file may hold a few NULs in a string or a test of one. Binary when at least one in ten
 * of the first characters is a control character other than whitespace and escape.
 */
function looksBinary(text: string): boolean {
  if (!text.includes('\0')) return false;
  const n = Math.min(text.length, BINARY_SAMPLE);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13 && c !== 11 && c !== 27) control++;
  }
  return control * 10 >= n;
}

/**
 * Source-phase imports (`import source mod from './m.wasm'`, TC39 stage 3) are not parsed by
 * TypeScript yet: the keyword is blanked (same length, so positions hold) and the rest is an
 * ordinary default import of the same specifier.
 */
const SOURCE_PHASE = /(^|[;{}\n]\s*)import(\s+)source(\s+[\w$]+\s+from\s*['"])/g;

function withoutSourcePhase(text: string): string {
  if (!text.includes('source')) return text;
  return text.replace(
    SOURCE_PHASE,
    (_m, lead: string, gap: string, rest: string) => `${lead}import${gap}${' '.repeat('source'.length)}${rest}`,
  );
}

export function readImports(file: string, text: string): ReadImportsResult {
  if (looksBinary(text)) return { imports: [], error: { file, reason: 'binary', message: 'binary file, skipped' } };
  try {
    return parseImports(file, text);
  } catch (err) {
    // TypeScript's parser and tree walk recurse: thousands of nested brackets exhaust the stack.
    if (!(err instanceof RangeError)) throw err;
    return { imports: [], error: { file, reason: 'too-deep', message: 'nested too deeply to parse, skipped' } };
  }
}

function parseImports(file: string, text: string): ReadImportsResult {
  // Editors do not count a byte order mark as a column, so positions must not either.
  const source = withoutSourcePhase(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  // JSDoc is a third of the parse time on commented code, and no runtime import lives there.
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  const kind = scriptKindOf(file);
  const sf = ts.createSourceFile(file, source, options, false, kind);
  const imports: RawImport[] = [];

  // A declaration file (`.d.ts`) is types only: nothing it imports is loaded at run time.
  const types = sf.isDeclarationFile;
  const add = (literal: TS.Node, specifier: string, kind: ImportKind): void => {
    // A string cut off (`from 'zo`) names no module anyone meant: never checked (the file is lost).
    if ((literal as TS.LiteralLikeNode).isUnterminated) return;
    const { line, character } = sf.getLineAndCharacterOfPosition(literal.getStart(sf));
    imports.push({ specifier, kind: types ? 'import-type' : kind, line: line + 1, column: character + 1 });
  };

  // A stack of our own, in source order: a long `a + b + …` chain is a tree as deep as it is
  // long, which a recursive walk would not survive.
  const stack: TS.Node[] = [sf];
  const children: TS.Node[] = [];
  const push = (child: TS.Node): void => {
    children.push(child);
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    collect(node, add);
    ts.forEachChild(node, push);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    children.length = 0;
  }

  const isJs = kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX;
  const diagnostics = ((sf as unknown as WithParseDiagnostics).parseDiagnostics ?? []).filter(
    (d) => !(isJs && SLOPPY_JS_ONLY.has(d.code)),
  );
  const first = diagnostics[0];
  if (first === undefined) return { imports };
  // TypeScript's parser reads some valid JavaScript as a broken arrow function (`({ a: 1 })`
  // then a block on the next line: "'=>' expected"). A JavaScript file a standard parser takes
  // is no syntax error; its imports are still the recovered tree's, with the same loss check.
  if (
    kind === ts.ScriptKind.JS &&
    first.code !== FILE_APPEARS_BINARY &&
    isValidJavaScript(source) &&
    !lostImports(sf, kind, imports)
  )
    return { imports };
  const { line, character } = sf.getLineAndCharacterOfPosition(first.start);
  const message = ts.flattenDiagnosticMessageText(first.messageText, '\n');
  const at = { file, line: line + 1, column: character + 1 };
  // TypeScript's "File appears to be binary" is a U+FFFD in code: what bytes that are not UTF-8 read as.
  if (first.code === FILE_APPEARS_BINARY)
    return { imports, error: { ...at, reason: 'invalid-encoding', message: 'replacement character (U+FFFD) in code' } };
  // Between `=======` and `>>>>>>>` of a merge conflict, the parser skips the text as trivia,
  // imports and all: that part is lost whatever a scan finds.
  const conflict = diagnostics.some((d) => d.code === MERGE_CONFLICT_MARKER);
  return {
    imports,
    error: { ...at, message: `syntax error: ${message}` },
    lostImports: conflict || lostImports(sf, kind, imports),
  };
}

/** Whether an ECMAScript parser (acorn) accepts the text as a module or as a script. */
function isValidJavaScript(source: string): boolean {
  for (const sourceType of ['module', 'script'] as const) {
    try {
      parseJavaScript(source, {
        ecmaVersion: 'latest',
        sourceType,
        allowHashBang: true,
        allowReturnOutsideFunction: sourceType === 'script',
        allowAwaitOutsideFunction: true,
      });
      return true;
    } catch {
      // not this kind of program
    }
  }
  return false;
}

/** Tokens after which a `/` divides; after anything else it starts a regular expression. */
const ENDS_EXPRESSION = new Set<TS.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
]);

/**
 * Whether the tree the parser recovered misses an import a token scan of the same text sees (a
 * scanner of its own: comments and JSDoc are skipped, strings are read as strings, so an
 * `import('…')` in a comment is no import). Each `require('x')`, `import('x')`, `import 'x'` and
 * `from 'x'` must be in the tree at its line; a cut-off string there is a lost import too.
 */
function lostImports(sf: TS.SourceFile, kind: TS.ScriptKind, found: readonly RawImport[]): boolean {
  const have = new Set(found.map((i) => `${i.line}\0${i.specifier}`));
  const variant =
    kind === ts.ScriptKind.JSX || kind === ts.ScriptKind.TSX ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, sf.text);
  // `{` and template `${` openings, to tell a template's `}` from a block's.
  const braces: boolean[] = [];
  let prev = ts.SyntaxKind.Unknown;
  let lost = false;
  // After `import`, `require` or `from`: the string that names a module is due, and for `require`
  // (and a dynamic import) an opening parenthesis first.
  let pending: { paren: 'no' | 'may' | 'must'; sawParen: boolean } | undefined;
  let candidate: { paren: boolean; lost: boolean } | undefined;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken && !lost; token = scanner.scan()) {
    if ((token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) && !ENDS_EXPRESSION.has(prev))
      token = scanner.reScanSlashToken();
    else if (token === ts.SyntaxKind.OpenBraceToken) braces.push(false);
    else if (token === ts.SyntaxKind.TemplateHead) braces.push(true);
    else if (token === ts.SyntaxKind.CloseBraceToken && braces.pop() === true) {
      token = scanner.reScanTemplateToken(false);
      if (token === ts.SyntaxKind.TemplateMiddle) braces.push(true);
    }
    // `require('./x' + i)` names no module: a string in parentheses counts when `)` or `,` follows.
    if (candidate !== undefined) {
      if (!candidate.paren || token === ts.SyntaxKind.CloseParenToken || token === ts.SyntaxKind.CommaToken)
        lost = candidate.lost;
      candidate = undefined;
    }
    const string = token === ts.SyntaxKind.StringLiteral || token === ts.SyntaxKind.NoSubstitutionTemplateLiteral;
    if (pending && string && (pending.sawParen || pending.paren !== 'must')) {
      const { line } = sf.getLineAndCharacterOfPosition(scanner.getTokenStart());
      const missing = scanner.isUnterminated() || !have.has(`${line + 1}\0${scanner.getTokenValue()}`);
      if (missing && (!pending.sawParen || scanner.isUnterminated())) lost = true;
      else if (missing) candidate = { paren: true, lost: true };
      pending = undefined;
    } else if (pending && pending.paren !== 'no' && !pending.sawParen && token === ts.SyntaxKind.OpenParenToken) {
      pending.sawParen = true;
    } else {
      pending = undefined;
      // Keywords are words too: `from` and `require` are contextual keywords to the scanner.
      const word =
        token === ts.SyntaxKind.Identifier ||
        (token >= ts.SyntaxKind.FirstKeyword && token <= ts.SyntaxKind.LastKeyword)
          ? scanner.getTokenText()
          : '';
      // A member (`x.require('a')`, `Array.from('a')`) is not Node's require or an import, nor is
      // `new require('a')` (a construction, which the tree does not read as an import either).
      const member =
        prev === ts.SyntaxKind.DotToken || prev === ts.SyntaxKind.QuestionDotToken || prev === ts.SyntaxKind.NewKeyword;
      if (!member && word === 'require') pending = { paren: 'must', sawParen: false };
      else if (!member && word === 'import') pending = { paren: 'may', sawParen: false };
      else if (!member && word === 'from') pending = { paren: 'no', sawParen: false };
    }
    prev = token;
  }
  // A cut-off text ends right after the string: `require('x` lost it.
  return lost || candidate?.lost === true;
}

type Add = (literal: TS.Node, specifier: string, kind: ImportKind) => void;

function collect(node: TS.Node, add: Add): void {
  switch (node.kind) {
    case ts.SyntaxKind.ImportDeclaration: {
      const decl = node as TS.ImportDeclaration;
      if (ts.isStringLiteral(decl.moduleSpecifier)) {
        add(decl.moduleSpecifier, decl.moduleSpecifier.text, isTypeOnlyImport(decl) ? 'import-type' : 'import');
      }
      return;
    }
    case ts.SyntaxKind.ExportDeclaration: {
      const decl = node as TS.ExportDeclaration;
      if (decl.moduleSpecifier !== undefined && ts.isStringLiteral(decl.moduleSpecifier)) {
        add(decl.moduleSpecifier, decl.moduleSpecifier.text, isTypeOnlyExport(decl) ? 'import-type' : 'export');
      }
      return;
    }
    case ts.SyntaxKind.ImportEqualsDeclaration: {
      const decl = node as TS.ImportEqualsDeclaration;
      const ref = decl.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        add(ref.expression, ref.expression.text, decl.isTypeOnly ? 'import-type' : 'import');
      }
      return;
    }
    case ts.SyntaxKind.ImportType: {
      const arg = (node as TS.ImportTypeNode).argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal))
        add(arg.literal, arg.literal.text, 'import-type');
      return;
    }
    case ts.SyntaxKind.CallExpression:
      collectCall(node as TS.CallExpression, add);
      return;
  }
}

function collectCall(call: TS.CallExpression, add: Add): void {
  const callee = call.expression;
  const arg = call.arguments[0];
  if (arg === undefined || !ts.isStringLiteralLike(arg)) return;
  if (callee.kind === ts.SyntaxKind.ImportKeyword) {
    add(arg, arg.text, 'dynamic-import');
  } else if (ts.isIdentifier(callee) && callee.text === 'require') {
    // A second argument means this is not Node's require, so it is not an import.
    if (call.arguments.length === 1) add(arg, arg.text, 'require');
  } else if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'require' &&
    callee.name.text === 'resolve'
  ) {
    add(arg, arg.text, 'require-resolve');
  }
}

function isTypeOnlyImport(decl: TS.ImportDeclaration): boolean {
  const clause = decl.importClause;
  if (clause === undefined) return false;
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return true;
  if (clause.name !== undefined) return false;
  const bindings = clause.namedBindings;
  // `import {} from 'x'` keeps its side effect, so only a non-empty all-`type` list is type-only.
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((el) => el.isTypeOnly)
  );
}

function isTypeOnlyExport(decl: TS.ExportDeclaration): boolean {
  if (decl.isTypeOnly) return true;
  const clause = decl.exportClause;
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((el) => el.isTypeOnly)
  );
}
