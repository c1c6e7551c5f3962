/**
 * TypeScript 6's answers to the member check's questions (MemberQueries): the checker of the
 * program in this process.
 */
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';
import type { VirtualProgram } from './program.js';
import { type DeprecatedDeclaration, isProjectFile, type MemberQueries } from './receivers.js';

type Lookups = Pick<MemberQueries, 'propertyNames' | 'exportNames' | 'suggestionDiagnostics' | 'deprecatedDeclaration'>;
type SuggestionProgram = TypeScript.Program & {
  getSuggestionDiagnostics?(sf: TypeScript.SourceFile): readonly TypeScript.DiagnosticWithLocation[];
};

function ts6Lookups(program: TypeScript.Program): Lookups {
  const checker = program.getTypeChecker();
  const aliased = (symbol: TypeScript.Symbol): TypeScript.Symbol =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return {
    propertyNames: (expr) =>
      checker.getPropertiesOfType(checker.getApparentType(checker.getTypeAtLocation(expr))).map((s) => s.name),
    exportNames: (node) => {
      const symbol = checker.getSymbolAtLocation(node);
      return symbol ? checker.getExportsOfModule(aliased(symbol)).map((s) => s.name) : [];
    },
    suggestionDiagnostics: (sf) => {
      const suggestions = (program as SuggestionProgram).getSuggestionDiagnostics;
      if (typeof suggestions !== 'function') return [];
      return suggestions
        .call(program, sf)
        .flatMap((d) =>
          d.start === undefined ? [] : [{ code: d.code, start: d.start, end: d.start + (d.length ?? 0) }],
        );
    },
    deprecatedDeclaration: (node, call): DeprecatedDeclaration | undefined => {
      const signature = call ? checker.getResolvedSignature(call) : undefined;
      const found = checker.getSymbolAtLocation(node);
      const symbol = found && aliased(found);
      const declaration = signature?.declaration ?? symbol?.declarations?.[0];
      if (!declaration || ts.isJSDocSignature(declaration)) return undefined;
      const owner = declaration.parent;
      const container =
        owner && (ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner)) && owner.name
          ? owner.name.text
          : undefined;
      const tag = (signature ? signature.getJsDocTags() : (symbol?.getJsDocTags(checker) ?? [])).find(
        (t) => t.name === 'deprecated',
      );
      // A link's text follows its name as a part of its own: `{@link name | text}`, as written.
      const text = tag?.text
        ?.map((part, i, parts) =>
          part.kind === 'linkText' && parts[i - 1]?.kind === 'linkName' ? ` | ${part.text}` : part.text,
        )
        .join('');
      return {
        fileName: declaration.getSourceFile().fileName,
        ...(container ? { container } : {}),
        ...(text ? { text } : {}),
      };
    },
  };
}

/** TypeScript 6's answers, from the program in this process. */
export function ts6Queries(vp: VirtualProgram): MemberQueries {
  const { program } = vp;
  const checker = program.getTypeChecker();
  return {
    sourceFile: (file) => program.getSourceFile(file),
    diagnostics: (sf) =>
      program
        .getSemanticDiagnostics(sf)
        .map((d) => ({ code: d.code, start: d.start, text: ts.flattenDiagnosticMessageText(d.messageText, ' ') })),
    declarationsOf: (node) => checker.getSymbolAtLocation(node)?.declarations ?? [],
    hasMemberSomewhere: (receiver, member) => hasMemberSomewhere(checker, receiver, member),
    typeDeclarations: (receiver) => {
      const type = checker.getTypeAtLocation(receiver);
      const sets: { fileName: string; global: boolean }[][] = [];
      for (const t of type.isUnionOrIntersection() ? type.types : [type]) {
        for (const symbol of [t.getSymbol(), t.aliasSymbol])
          sets.push(
            (symbol?.declarations ?? []).map((decl) => ({
              fileName: decl.getSourceFile().fileName,
              global: isGlobalDeclaration(decl),
            })),
          );
      }
      return sets;
    },
    saysNothing: (receiver) => saysNothing(checker, receiver),
    moduleResolves: (literal) => checker.getSymbolAtLocation(literal) !== undefined,
    typeNames: (receiver) => {
      const type = checker.getTypeAtLocation(receiver);
      return [
        ...new Set(
          [type, ...(type.isUnionOrIntersection() ? type.types : [])].flatMap((t) => t.getSymbol()?.getName() ?? []),
        ),
      ];
    },
    reexportsUnresolved: (literal) => reexportsUnresolved(checker, literal),
    ...ts6Lookups(program),
    packageOf: vp.packageOf,
  };
}

/**
 * Whether the member exists on some part of the receiver's type, so that the code can work:
 * a constituent of a union (`server.address().port` on `string | AddressInfo`; null and
 * undefined aside), or, for a module whose declarations `export default` a value, that value
 * (`const S = require('x'); S.object()` when the runtime is `module.exports = S`, the shape
 * esModuleInterop follows).
 */
function hasMemberSomewhere(
  checker: TypeScript.TypeChecker,
  receiver: TypeScript.Node,
  member: string,
): boolean | 'default' {
  const type = checker.getTypeAtLocation(receiver);
  const has = (t: TypeScript.Type): boolean =>
    checker.getPropertyOfType(checker.getApparentType(t), member) !== undefined;
  if (type.isUnion()) {
    const parts = type.types.filter(
      (t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)),
    );
    if (parts.length > 1 && parts.some(has)) return true;
  }
  const dflt = checker.getPropertyOfType(type, 'default');
  if (dflt && (type.getSymbol()?.flags ?? 0) & ts.SymbolFlags.ValueModule) {
    const value = checker.getTypeOfSymbolAtLocation(dflt, receiver);
    if (has(value)) return 'default';
  }
  return false;
}

/**
 * A receiver whose type names no package API: `object`, `{}` or a bare type parameter (a
 * `prompt<T = object>()` answer has no properties, so none is missing from the package), or a
 * shape all of whose properties the project's own files declare (a package's mapped or generic
 * type instantiated over the project's literal: `reactive({ loaded: false })` is the project's
 * object; keys it adds later are the project's business). Null and undefined parts aside, every
 * part of a union must say nothing.
 */
function saysNothing(checker: TypeScript.TypeChecker, receiver: TypeScript.Node): boolean {
  const type = checker.getTypeAtLocation(receiver);
  const parts = (type.isUnion() ? type.types : [type]).filter(
    (t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)),
  );
  return (
    parts.length > 0 &&
    parts.every((t) => {
      if (t.flags & (ts.TypeFlags.NonPrimitive | ts.TypeFlags.TypeParameter)) return true;
      if (!(t.flags & ts.TypeFlags.Object) && !(t.flags & ts.TypeFlags.Intersection)) return false;
      const props = checker.getPropertiesOfType(t);
      // `{}` as written: a mapped type over an interface still empty (`Partial<DataMap>`) is the package's.
      if (props.length === 0) {
        const literal = (t.getSymbol()?.declarations ?? []).every(
          (d) => ts.isTypeLiteralNode(d) && d.members.length === 0,
        );
        return (
          literal &&
          checker.getSignaturesOfType(t, ts.SignatureKind.Call).length === 0 &&
          checker.getSignaturesOfType(t, ts.SignatureKind.Construct).length === 0 &&
          checker.getIndexInfosOfType(t).length === 0
        );
      }
      // The project's own declarations, not its augmentations of a package's (`declare module 'x' { … }`).
      const own = (d: TypeScript.Declaration): boolean => {
        for (let n: TypeScript.Node | undefined = d.parent; n; n = n.parent)
          if (ts.isModuleDeclaration(n)) return false;
        return isProjectFile(d.getSourceFile().fileName);
      };
      return props.every((p) => (p.declarations ?? []).length > 0 && p.declarations!.every(own));
    })
  );
}

function reexportsUnresolved(checker: TypeScript.TypeChecker, literal: TypeScript.Expression): boolean {
  const start = checker.getSymbolAtLocation(literal)?.declarations?.find(ts.isSourceFile);
  if (!start) return false;
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length && seen.size < 200) {
    const sf = queue.shift()!;
    if (seen.has(sf.fileName)) continue;
    seen.add(sf.fileName);
    for (const statement of sf.statements) {
      // Only `export * from` can hide a name: `export { a } from` and `export * as ns from` list
      // theirs whether or not the module resolves.
      if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier || statement.exportClause) continue;
      const symbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
      if (!symbol) return true;
      const target = symbol.declarations?.find(ts.isSourceFile);
      if (target) queue.push(target);
    }
  }
  return false;
}

/** In a `declare global` block or a script (not module) file: a declaration of the global scope. */
function isGlobalDeclaration(decl: TypeScript.Declaration): boolean {
  const sf = decl.getSourceFile();
  if (!ts.isExternalModule(sf)) {
    // A script file: everything at its top level is global, `declare module 'x'` blocks aside.
    for (let n: TypeScript.Node | undefined = decl.parent; n && n !== sf; n = n.parent)
      if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return false;
    return true;
  }
  for (let n: TypeScript.Node | undefined = decl.parent; n; n = n.parent)
    if (ts.isModuleDeclaration(n) && (n.flags & ts.NodeFlags.GlobalAugmentation) !== 0) return true;
  return false;
}
