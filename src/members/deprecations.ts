/**
 * Deprecated APIs reached from imports: TypeScript's own deprecation suggestions (6385, 6387:
 * per signature, so a call that resolves to a current overload is not reported), kept where the
 * deprecated declaration is in the declarations of the checked package the expression is rooted
 * at (or in @types/node, for Node's own modules and globals). The message carries the
 * declaration's own `@deprecated` text.
 */
import path from 'node:path';
import type * as TypeScript from 'typescript';
import { makeFinding } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import { nodeBuiltinName, packageNameOf } from '../scan/classify-specifier.js';
import ts from '../scan/typescript.js';
import { NODE_KEY, NODE_TYPES } from './builtins.js';
import { typesPackageName } from './declaration-loader.js';
import {
  type MemberCheckInput,
  type MemberQueries,
  enclosingModuleSpecifier,
  nodeAt,
  rootSpecifier,
} from './receivers.js';

/** Diagnostics of a deprecated symbol (6385) and of a deprecated signature (6387). */
const DEPRECATION_CODES = new Set([6385, 6387]);

/** The text of a `@deprecated` tag, links rendered as their names. */
function deprecationText(text: string): string {
  return text
    .replace(/\{@link(?:code|plain)?\s+([^}]*)\}/g, (_, inner: string) =>
      (inner.includes('|') ? inner.slice(inner.indexOf('|') + 1) : inner).trim(),
    )
    .replace(/\s+/g, ' ')
    .trim();
}

/** The call or `new` the name is the callee of (`x.f()`, `f()`, `new X()`), if it is. */
function calleeOf(node: TypeScript.Node): TypeScript.CallLikeExpression | undefined {
  let expr: TypeScript.Node = node;
  if (expr.parent && ts.isPropertyAccessExpression(expr.parent) && expr.parent.name === expr) expr = expr.parent;
  const call = expr.parent;
  return call && (ts.isCallExpression(call) || ts.isNewExpression(call)) && call.expression === expr ? call : undefined;
}

/** `Buffer.slice` (the declaring class or interface), else `url.parse` or `ns.Type` (the receiver as written), else the name. */
function qualifiedName(container: string | undefined, node: TypeScript.Identifier): string {
  if (container && !/Constructor$/.test(container)) return `${container}.${node.text}`;
  const parent = node.parent;
  if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node && ts.isIdentifier(parent.expression))
    return `${parent.expression.text}.${node.text}`;
  if (parent && ts.isQualifiedName(parent) && parent.right === node && ts.isIdentifier(parent.left))
    return `${parent.left.text}.${node.text}`;
  return node.text;
}

/**
 * The name a deprecation is about. Its span can cover a whole dotted name (`JSX.HTMLAttributes<T>`
 * in an `extends` clause starts at `JSX`): the deprecated one is the last name within it.
 */
function lastNameIn(first: TypeScript.Identifier, end: number): TypeScript.Identifier {
  let chain: TypeScript.Node = first;
  while (
    chain.parent &&
    (ts.isPropertyAccessExpression(chain.parent) || ts.isQualifiedName(chain.parent)) &&
    chain.parent.end <= end
  )
    chain = chain.parent;
  if (ts.isPropertyAccessExpression(chain) && ts.isIdentifier(chain.name)) return chain.name;
  if (ts.isQualifiedName(chain)) return chain.right;
  return first;
}

/** `A` of `A.B.C` (a qualified name in a type). */
function leftmost(name: TypeScript.QualifiedName): TypeScript.Identifier {
  let left: TypeScript.EntityName = name.left;
  while (ts.isQualifiedName(left)) left = left.left;
  return left;
}

export function deprecatedUses(
  input: MemberCheckInput,
  q: MemberQueries,
  sf: TypeScript.SourceFile,
  file: string,
): Finding[] {
  const findings: Finding[] = [];
  for (const d of q.suggestionDiagnostics(sf)) {
    if (!DEPRECATION_CODES.has(d.code)) continue;
    const first = nodeAt(sf, d.start);
    if (!first || !ts.isIdentifier(first)) continue;
    const node = lastNameIn(first, d.end);
    const parent = node.parent;
    // Where the name comes from: an import's module, or the value its receiver is rooted at.
    let specifier: string | undefined;
    if (parent && (ts.isImportSpecifier(parent) || ts.isImportClause(parent)))
      specifier = enclosingModuleSpecifier(parent);
    else if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node)
      specifier = rootSpecifier(q, parent.expression);
    else if (parent && ts.isQualifiedName(parent) && parent.right === node)
      // `ns.Type` in a type: rooted at the leftmost name of the qualified name.
      specifier = rootSpecifier(q, leftmost(parent));
    else if (parent && ts.isBindingElement(parent)) specifier = enclosingModuleSpecifier(parent);
    else specifier = rootSpecifier(q, node);
    // The deprecated declaration: the signature a call resolves to, else the symbol.
    const declaration = q.deprecatedDeclaration(node, d.code === 6387 ? calleeOf(node) : undefined);
    if (!declaration) continue;
    const owner = q.packageOf(declaration.fileName);
    if (!owner) continue; // the project's own code, or the standard library
    const builtin = specifier ? nodeBuiltinName(specifier) : undefined;
    let pkg: string | undefined;
    let checked = undefined as { version: string; typesFrom: string } | undefined;
    if (builtin || (!specifier && owner === NODE_TYPES)) {
      // A Node module's member, or a Node global (`new Buffer()`).
      checked = input.packages.get(NODE_KEY);
      pkg = builtin ?? 'node';
      if (owner !== NODE_TYPES) continue;
    } else if (specifier) {
      pkg = packageNameOf(specifier);
      checked = pkg ? input.packages.get(pkg) : undefined;
      if (pkg && owner !== pkg && owner !== typesPackageName(pkg)) continue;
    }
    if (!pkg || !checked) continue;
    const text = declaration.text === undefined ? undefined : deprecationText(declaration.text);
    const name = node.text;
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
    const shown = qualifiedName(declaration.container, node);
    const where =
      pkg.startsWith(NODE_KEY) || pkg === 'node'
        ? `${shown} is deprecated (${pkg === 'node' ? '' : `${pkg}, `}${checked.typesFrom})`
        : `${shown} of ${pkg}@${checked.version} is deprecated`;
    const reason = text ? sanitize(text, 400) : undefined;
    findings.push(
      makeFinding('DEPRECATED_API', {
        package: pkg,
        version: checked.version,
        message: sanitize(`${where}${reason ? `: ${reason}` : '.'}`),
        hint: `Marked @deprecated in the declarations of ${checked.typesFrom}. Move to what the deprecation names: a deprecated API may be gone in a later major.`,
        locations: [
          { file: path.relative(input.root, file).split(path.sep).join('/'), line: line + 1, column: character + 1 },
        ],
        details: {
          name,
          ts: d.code,
          typesFrom: checked.typesFrom,
          ...(reason ? { deprecation: reason } : {}),
          ...(specifier ? { specifier } : {}),
        },
      }),
    );
  }
  return findings;
}
