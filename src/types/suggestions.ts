/**
 * "Did you mean": for a name the declarations do not have, what they do have that it was
 * probably meant to be. TypeScript's own spelling suggestion comes first (`z.strin` → `string`,
 * edit distance); then a real name the invented one extends at a word boundary, the usual shape
 * of an assistant's invention (`pg.connect_secure` → `connect`, `fs.readFileAsync` → `readFile`,
 * `fs.existsAsync` → `exists`), longest first.
 */
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';

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
  for (const c of list.filter((c) => extendsAtBoundary(name, c)).sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) add(c);
  return out;
}

/** The names the declarations offer where `node` (a missing name) was looked up. */
export function candidateNames(checker: TypeScript.TypeChecker, node: TypeScript.Node): string[] {
  try {
    const parent = node.parent;
    if (!parent) return [];
    if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
      return checker.getPropertiesOfType(checker.getApparentType(checker.getTypeAtLocation(parent.expression))).map((s) => s.name);
    }
    if (ts.isQualifiedName(parent) && parent.right === node) {
      const symbol = checker.getSymbolAtLocation(parent.left);
      return symbol ? checker.getExportsOfModule(symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol).map((s) => s.name) : [];
    }
    if (ts.isBindingElement(parent)) {
      let decl: TypeScript.Node = parent;
      while (ts.isBindingElement(decl) || ts.isObjectBindingPattern(decl) || ts.isArrayBindingPattern(decl)) decl = decl.parent;
      const init = ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
      return init ? checker.getPropertiesOfType(checker.getApparentType(checker.getTypeAtLocation(init))).map((s) => s.name) : [];
    }
    for (let n: TypeScript.Node | undefined = parent; n; n = n.parent) {
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
        const module = checker.getSymbolAtLocation(n.moduleSpecifier);
        return module ? checker.getExportsOfModule(module).map((s) => s.name) : [];
      }
      if (ts.isStatement(n)) break;
    }
  } catch {
    // A suggestion is a courtesy: a checker failure here changes no verdict.
  }
  return [];
}
