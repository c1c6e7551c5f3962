/**
 * Where a value in the user's code comes from: the queries the attribution asks of the compiler
 * (MemberQueries, answered by TypeScript 6 or 7), the member check's input, and the walks from an
 * expression back to the import or require that roots it. Shared by the member check
 * (members.ts) and the deprecation check (deprecations.ts).
 */
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';
import type { VirtualProgram } from './program.js';

/**
 * What the attribution asks of the compiler behind it (TypeScript 6 in process, or TypeScript 7
 * over IPC: see engine-ts7.ts). Syntax is always TypeScript 6's tree of the file; the answers
 * are about the same text, so positions agree whichever compiler gives them.
 */
export interface MemberQueries {
  /** The file's syntax tree (undefined: not in the program). */
  sourceFile(file: string): TypeScript.SourceFile | undefined;
  /** The semantic diagnostics of one file, with the message flattened. */
  diagnostics(sf: TypeScript.SourceFile): { code: number; start: number | undefined; text: string }[];
  /** The declarations of the symbol a node (an identifier) refers to. */
  declarationsOf(node: TypeScript.Node): readonly TypeScript.Declaration[];
  /** See hasMemberSomewhere ('default': only on the default export of a CommonJS-typed module). */
  hasMemberSomewhere(receiver: TypeScript.Node, member: string): boolean | 'default';
  /** For each symbol (and alias symbol) of each constituent of the receiver's type: its declarations' files, and whether each is global. */
  typeDeclarations(receiver: TypeScript.Node): { fileName: string; global: boolean }[][];
  /**
   * Whether the receiver's type says nothing about what a package has: `object`, `{}` or a type
   * parameter (no properties to miss), or a shape whose every property the project declares
   * (`reactive({ loaded })` maps the project's literal): see saysNothing in members.ts.
   */
  saysNothing(receiver: TypeScript.Node): boolean;
  /** Whether an import's module specifier resolves to a typed module (false: unresolved, or untyped and so any). */
  moduleResolves(literal: TypeScript.Expression): boolean;
  /** The names of the symbols of the receiver's type and of each constituent of a union or intersection (`TestAgent`). */
  typeNames(receiver: TypeScript.Node): string[];
  /** See reexportsUnresolved: the literal is an import or require's module specifier. */
  reexportsUnresolved(literal: TypeScript.Expression): boolean;
  /** The package a file of the virtual node_modules belongs to, if it does. */
  packageOf(fileName: string): string | undefined;
  /** The names the apparent type of an expression's value has (its properties). */
  propertyNames(expr: TypeScript.Expression): string[];
  /**
   * The exports of the module a name or module specifier refers to (`ns` of `ns.X` in a type,
   * an import's module specifier), through aliases; [] when it refers to no module.
   */
  exportNames(node: TypeScript.Node): string[];
  /** The suggestion diagnostics of one file (deprecations among them: deprecations.ts). */
  suggestionDiagnostics(sf: TypeScript.SourceFile): { code: number; start: number; end: number }[];
  /**
   * What a deprecated name (an identifier) refers to: the signature `call` resolves to, when
   * given, else the symbol's first declaration, through aliases. Undefined: no declaration (or a
   * JSDoc signature's, which has no file of its own to attribute).
   */
  deprecatedDeclaration(
    node: TypeScript.Identifier,
    call: TypeScript.CallLikeExpression | undefined,
  ): DeprecatedDeclaration | undefined;
}

/** A declaration a deprecation suggestion points at. */
export interface DeprecatedDeclaration {
  fileName: string;
  /** The name of the class or interface it is a member of, if it is one. */
  container?: string;
  /** The text of its `@deprecated` tag, links as `{@link name}` or `{@link name | text}`; undefined: no tag (or no text). */
  text?: string;
}

export interface MemberCheckInput {
  root: string;
  /** The TypeScript 6 program (queries: another engine's answers instead). */
  vp?: VirtualProgram;
  queries?: MemberQueries;
  /** Files to report on (absolute). */
  files: string[];
  /** Checked packages: name → the version the declarations are of, and where they come from. */
  packages: Map<string, { version: string; typesFrom: string }>;
  /** Asked before each file: true ends the check there (the run's deadline has passed). */
  stop?: () => boolean;
  /**
   * Whether the scan read `specifier` in `file` (relative) as an import of a registry package:
   * a name an import map or alias sends elsewhere (`"fresh": "jsr:@fresh/core"`) is not the
   * registry package of that name, whatever the compiler resolves it to.
   */
  isPackageImport?: (file: string, specifier: string) => boolean;
}

/**
 * Whether a value (the receiver of a missing member) is made from something imported from a
 * module that does not resolve (`useQuery(trpc.greeting.queryOptions())` with trpc's module
 * unresolved, or untyped): its type is then a guess the project's build would not make, and a
 * member missing from it proves nothing. Follows the receiver's chain, the arguments of its
 * calls and the initialisers of its locals, a few steps; function bodies are not entered.
 */
export function madeFromUnresolved(q: MemberQueries, node: TypeScript.Node, depth = 0): boolean {
  if (depth > 4) return false;
  let found = false;
  const visit = (n: TypeScript.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isPropertyAccessExpression(n)) return visit(n.expression);
    if (!ts.isIdentifier(n)) return void ts.forEachChild(n, visit);
    for (const decl of q.declarationsOf(n)) {
      const literal = importLiteral(decl);
      const local =
        !literal &&
        ts.isVariableDeclaration(decl) &&
        decl.initializer !== undefined &&
        decl.getSourceFile() === n.getSourceFile();
      found = literal
        ? !q.moduleResolves(literal)
        : local && madeFromUnresolved(q, (decl as TypeScript.VariableDeclaration).initializer!, depth + 1);
      if (found) return;
    }
  };
  visit(node);
  return found;
}

/** The module specifier of the import a declaration is a binding of. */
function importLiteral(decl: TypeScript.Declaration): TypeScript.Expression | undefined {
  let node: TypeScript.Node = decl;
  if (ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) node = node.parent.parent;
  if (ts.isImportClause(node)) node = node.parent;
  if (ts.isImportDeclaration(node)) return node.moduleSpecifier;
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
    return node.moduleReference.expression;
  return undefined;
}

/** A file of the project (or a linked workspace package), not of a node_modules or the compiler's lib. */
export const isProjectFile = (fileName: string): boolean => !/[\\/]node_modules[\\/]/.test(fileName);

/** The module specifier an expression's value comes from, following locals a few steps. */
export function rootSpecifier(q: MemberQueries, node: TypeScript.Node, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  let expr: TypeScript.Node = node;
  // Down to the leftmost operand: a.b.c(), new A().b, (await a.b()).c, a!.b, a[0].b
  for (;;) {
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) expr = expr.expression;
    else if (ts.isCallExpression(expr)) {
      const required = requireSpecifier(expr);
      if (required) return required;
      expr = expr.expression;
    } else if (
      ts.isNewExpression(expr) ||
      ts.isParenthesizedExpression(expr) ||
      ts.isNonNullExpression(expr) ||
      ts.isAwaitExpression(expr)
    )
      expr = expr.expression;
    else if (ts.isAsExpression(expr) || ts.isTypeAssertionExpression(expr) || ts.isSatisfiesExpression(expr))
      expr = expr.expression;
    else break;
  }
  if (!ts.isIdentifier(expr)) return undefined;
  for (const decl of q.declarationsOf(expr)) {
    const found = specifierOfDeclaration(q, decl, depth);
    if (found) return found;
  }
  return undefined;
}

export function requireSpecifier(call: TypeScript.CallExpression): string | undefined {
  const [arg] = call.arguments;
  return ts.isIdentifier(call.expression) && call.expression.text === 'require' && arg && ts.isStringLiteralLike(arg)
    ? arg.text
    : undefined;
}

function specifierOfDeclaration(q: MemberQueries, decl: TypeScript.Declaration, depth: number): string | undefined {
  let node: TypeScript.Node = decl;
  if (ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) node = node.parent.parent;
  if (ts.isImportClause(node)) node = node.parent;
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) return node.moduleSpecifier.text;
  if (
    ts.isImportEqualsDeclaration(node) &&
    ts.isExternalModuleReference(node.moduleReference) &&
    ts.isStringLiteral(node.moduleReference.expression)
  ) {
    return node.moduleReference.expression.text;
  }
  // `const { a } = require('x')`, `const pool = new Pool()`, `const res = await pool.query()`
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node))
    node = node.parent;
  if (ts.isVariableDeclaration(node) && node.initializer) return rootSpecifier(q, node.initializer, depth + 1);
  if (ts.isParameter(node)) {
    // `(req: Request) => req.foo`, when Request is imported
    if (node.type && ts.isTypeReferenceNode(node.type)) {
      const name = node.type.typeName;
      return rootSpecifier(q, ts.isQualifiedName(name) ? leftmost(name) : name, depth + 1);
    }
    // `app.get('/', (req, res) => req.foo)`: a callback typed by the call it is passed to
    const fn = node.parent;
    if (
      !node.type &&
      (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
      fn.parent &&
      ts.isCallExpression(fn.parent) &&
      fn.parent.arguments.includes(fn)
    ) {
      return rootSpecifier(q, fn.parent.expression, depth + 1);
    }
  }
  return undefined;
}

function leftmost(name: TypeScript.QualifiedName): TypeScript.Identifier {
  let n: TypeScript.EntityName = name;
  while (ts.isQualifiedName(n)) n = n.left;
  return n;
}

/** The module specifier of the import or export declaration a node is in. */
export function enclosingModuleSpecifier(node: TypeScript.Node): string | undefined {
  for (let n: TypeScript.Node | undefined = node; n; n = n.parent) {
    if (
      (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) &&
      n.moduleSpecifier &&
      ts.isStringLiteral(n.moduleSpecifier)
    )
      return n.moduleSpecifier.text;
    if (
      ts.isImportEqualsDeclaration(n) &&
      ts.isExternalModuleReference(n.moduleReference) &&
      ts.isStringLiteral(n.moduleReference.expression)
    )
      return n.moduleReference.expression.text;
    // `const { nope } = require('x')` in a JavaScript file
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isCallExpression(n.initializer))
      return requireSpecifier(n.initializer);
    if (ts.isStatement(n)) return undefined;
  }
  return undefined;
}

/** The receiver is the module itself: a default, namespace or `require()` binding. */
export function isModuleBinding(q: MemberQueries, receiver: TypeScript.Node): boolean {
  if (!ts.isIdentifier(receiver)) return ts.isCallExpression(receiver) && requireSpecifier(receiver) !== undefined;
  return q
    .declarationsOf(receiver)
    .some(
      (d) =>
        ts.isNamespaceImport(d) ||
        ts.isImportClause(d) ||
        ts.isImportEqualsDeclaration(d) ||
        (ts.isVariableDeclaration(d) &&
          ts.isIdentifier(d.name) &&
          !!d.initializer &&
          ts.isCallExpression(d.initializer) &&
          requireSpecifier(d.initializer) !== undefined),
    );
}

/** The innermost node of `sf` whose span holds `pos` (undefined: only the file itself). */
export function nodeAt(sf: TypeScript.SourceFile, pos: number): TypeScript.Node | undefined {
  let found: TypeScript.Node | undefined;
  const visit = (n: TypeScript.Node): void => {
    if (pos >= n.getStart(sf) && pos < n.getEnd()) {
      found = n;
      ts.forEachChild(n, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return found;
}
