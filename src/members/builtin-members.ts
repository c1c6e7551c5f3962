/**
 * Which missing names of Node's own modules are claimed invented. @types/node describes Node's
 * API but lags it (`stream.isDisturbed`, legacy `zlib.Z_*` constants, `Module._nodeModulePaths`),
 * and values that flow through callbacks are typed by guesses (a test runner's `t`): only names
 * looked up on the module itself or a static path of it (`fs.promises.x`) are claimed; never one
 * the code feature-detects (`stream.isDestroyed?.(x)`, `typeof fs.x`), never an internal
 * (`_name`), and never one the running Node has when it is at least the version checked: Node's
 * own modules are Node's, loading one runs no package code. A name bound to a local
 * (`const { ReadableStreamTee } = require('node:stream/web')`, `import { x }`, `const x = fs.x`)
 * is feature-detected when any use of that local is (`ReadableStreamTee?.(…) ?? fallback`).
 */
import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';

const nodeRequire = createRequire(import.meta.url);

export interface BuiltinClaimHelpers {
  isModuleBinding(receiver: TypeScript.Node): boolean;
  /** The declarations of the symbol an identifier refers to (the engine's answer). */
  declarationsOf(node: TypeScript.Node): readonly TypeScript.Declaration[];
  requireSpecifier(call: TypeScript.CallExpression): string | undefined;
}

/** Property names from the module binding to the receiver (`fs.promises` → `['promises']`), if the receiver is one. */
function staticPath(expr: TypeScript.Node, helpers: BuiltinClaimHelpers, depth = 0): string[] | undefined {
  if (depth > 4) return undefined;
  if (ts.isParenthesizedExpression(expr)) return staticPath(expr.expression, helpers, depth + 1);
  if (ts.isIdentifier(expr) || (ts.isCallExpression(expr) && helpers.requireSpecifier(expr)))
    return helpers.isModuleBinding(expr) ? [] : undefined;
  if (ts.isPropertyAccessExpression(expr) && !expr.questionDotToken) {
    const base = staticPath(expr.expression, helpers, depth + 1);
    return base && [...base, expr.name.text];
  }
  return undefined;
}

/** The access is a test of whether the name is there (`typeof x.y`, `if (x.y)`, `x.y && …`, `x.y?.()`). */
function featureDetected(access: TypeScript.Node): boolean {
  let node = access;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (
    (ts.isCallExpression(parent) && parent.questionDotToken) ||
    (ts.isPropertyAccessExpression(parent) && parent.questionDotToken)
  )
    return true;
  if (
    ts.isTypeOfExpression(parent) ||
    (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)
  )
    return true;
  if (
    ts.isBinaryExpression(parent) &&
    parent.left === node &&
    [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(
      parent.operatorToken.kind,
    )
  )
    return true;
  if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.InKeyword)
    return true;
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && parent.expression === node) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === node) return true;
  return false;
}

/**
 * Whether some use of the local `binding` declares (an import specifier's or a destructured
 * name, a variable's) is feature-detected in its file.
 */
function bindingFeatureDetected(binding: TypeScript.Node, helpers: BuiltinClaimHelpers): boolean {
  if (!ts.isIdentifier(binding)) return false;
  // The declaration the local's uses resolve to (the specifier, binding element or variable).
  const declaration = binding.parent;
  let found = false;
  const visit = (n: TypeScript.Node): void => {
    if (found) return;
    if (
      ts.isIdentifier(n) &&
      n !== binding &&
      n.text === binding.text &&
      featureDetected(n) &&
      helpers.declarationsOf(n).includes(declaration as TypeScript.Declaration)
    )
      found = true;
    else ts.forEachChild(n, visit);
  };
  visit(binding.getSourceFile());
  return found;
}

/** Whether the running Node's module (`node:fs`) has `name` at `path`; undefined when it cannot tell. */
function runtimeHas(builtin: string, path: string[], name: string): boolean | undefined {
  try {
    let value: unknown = nodeRequire(builtin);
    for (const p of path) value = (value as Record<string, unknown> | null | undefined)?.[p];
    if (value === null || value === undefined) return undefined;
    return name in Object(value);
  } catch {
    return undefined;
  }
}

/**
 * Whether a missing `name` at `node` (the diagnostic's node) of builtin `builtin` is claimed.
 * `checkedMajor`: the Node major of the @types/node checked against.
 */
export function claimBuiltin(
  node: TypeScript.Node,
  builtin: string,
  checkedMajor: number,
  helpers: BuiltinClaimHelpers,
): boolean | 'if-removed' {
  const name = ts.isIdentifier(node) || ts.isStringLiteralLike(node) ? node.text : undefined;
  if (!name || name.startsWith('_')) return false;
  const parent = node.parent;
  let path: string[] | undefined;
  if (parent && (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent))) {
    if (ts.isImportSpecifier(parent) && bindingFeatureDetected(parent.name, helpers)) return false;
    path = [];
  } else if (parent && ts.isBindingElement(parent)) {
    if (bindingFeatureDetected(parent.name, helpers)) return false;
    // `const { x } = require('fs')` only: a nested pattern or another value is not the module.
    const decl = parent.parent.parent;
    path =
      ts.isVariableDeclaration(decl) &&
      decl.initializer &&
      ts.isCallExpression(decl.initializer) &&
      helpers.requireSpecifier(decl.initializer)
        ? []
        : undefined;
  } else if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) {
    if (parent.questionDotToken || featureDetected(parent)) return false;
    if (
      ts.isVariableDeclaration(parent.parent) &&
      parent.parent.initializer === parent &&
      bindingFeatureDetected(parent.parent.name, helpers)
    )
      return false;
    path = staticPath(parent.expression, helpers);
  }
  if (!path) return false;
  const running = Number(process.versions.node.split('.')[0]);
  const has = runtimeHas(builtin, path, name);
  // The running Node has it: @types/node lags, when the runtime is at least the version checked.
  // An older runtime's may since have been removed: claimed only if its @types/node deprecated it.
  if (has === true) return running < checkedMajor ? 'if-removed' : false;
  // Cannot tell what the module is at runtime (a path through a function): claimed from the types only when the runtime is the checked version.
  if (has === undefined && running !== checkedMajor) return false;
  return true;
}
