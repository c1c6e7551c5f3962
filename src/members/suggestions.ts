/**
 * "Did you mean": for a name the declarations do not have, what they do have that it was
 * probably meant to be. TypeScript's own spelling suggestion comes first (`z.strin` → `string`,
 * edit distance); then a real name the invented one extends at a word boundary, the usual shape
 * of an assistant's invention (`pg.connect_secure` → `connect`, `fs.readFileAsync` → `readFile`,
 * `fs.existsAsync` → `exists`), longest first.
 */
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';
import type { MemberQueries } from './receivers.js';

const MAX = 3;

/** Whether `name` is `base` plus more at a word boundary (`_x`, `X`, `$x`, a digit). */
const extendsAtBoundary = (name: string, base: string): boolean =>
  base.length >= 3 && name.length > base.length && name.startsWith(base) && /^[_$A-Z0-9]/.test(name.slice(base.length));

export function suggestNames(name: string, candidates: Iterable<string>, fromTypeScript?: string): string[] {
  const out: string[] = [];
  const add = (s: string | undefined): void => {
    if (s && s !== name && !out.includes(s) && out.length < MAX) out.push(s);
  };
  add(fromTypeScript);
  const list = [...new Set(candidates)].filter((c) => c !== 'default' && !c.startsWith('__'));
  for (const c of list) if (c.toLowerCase() === name.toLowerCase()) add(c);
  for (const c of list
    .filter((c) => extendsAtBoundary(name, c))
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1)))
    add(c);
  return out;
}

/** The names the declarations offer where `node` (a missing name) was looked up. */
export function candidateNames(q: MemberQueries, node: TypeScript.Node): string[] {
  try {
    const parent = node.parent;
    if (!parent) return [];
    if (ts.isPropertyAccessExpression(parent) && parent.name === node) return q.propertyNames(parent.expression);
    if (ts.isQualifiedName(parent) && parent.right === node) return q.exportNames(parent.left);
    if (ts.isBindingElement(parent)) {
      let decl: TypeScript.Node = parent;
      while (ts.isBindingElement(decl) || ts.isObjectBindingPattern(decl) || ts.isArrayBindingPattern(decl))
        decl = decl.parent;
      const init = ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
      return init ? q.propertyNames(init) : [];
    }
    for (let n: TypeScript.Node | undefined = parent; n; n = n.parent) {
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) return q.exportNames(n.moduleSpecifier);
      if (ts.isStatement(n)) break;
    }
  } catch {
    // A suggestion is a courtesy: a checker failure here changes no verdict.
  }
  return [];
}
