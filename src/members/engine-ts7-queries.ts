/**
 * TypeScript 7's answers to the member check's questions (MemberQueries) about TypeScript 6 nodes
 * of the same text: a node is found in TypeScript 7's tree by its span and kind. All of a
 * program's diagnostics come in one round trip; JSDoc `@deprecated` tags of the signature a call
 * resolves to are read from its declaration's syntax (TypeScript 7's API gives tags of symbols only).
 */
import type * as TypeScript from 'typescript';
import type { Node as Node7, SourceFile as SourceFile7 } from 'typescript7/unstable/ast';
import type {
  Checker as Checker7,
  NodeHandle,
  Project as Project7,
  Symbol as Symbol7,
  Type as Type7,
} from 'typescript7/unstable/sync';
import ts from '../scan/typescript.js';
import { isProjectFile, type MemberQueries } from './receivers.js';
import { norm, readDisk } from './program.js';

export type Sync = typeof import('typescript7/unstable/sync');
export type Ast = typeof import('typescript7/unstable/ast');

/** TypeScript 7's answers about TypeScript 6 nodes of the same text. */
export function ts7Queries(
  project: Project7,
  ast: Ast,
  sync: Sync,
  owners: Map<string, string>,
  files: string[],
  virtualFiles: Map<string, string>,
): MemberQueries {
  const checker: Checker7 = project.checker;
  const program = project.program;
  const inProgram = new Set(program.getSourceFileNames().map(norm));
  // Every file's diagnostics in one round trip.
  const diagnostics = new Map<string, { code: number; start: number; text: string }[]>();
  const wanted = new Set(files);
  for (const d of program.getSemanticDiagnostics()) {
    const file = d.fileName === undefined ? undefined : norm(d.fileName);
    if (!file || !wanted.has(file)) continue;
    const list = diagnostics.get(file) ?? [];
    list.push({ code: d.code, start: d.pos, text: d.text });
    diagnostics.set(file, list);
  }
  const trees6 = new Map<string, TypeScript.SourceFile>();
  const tree6 = (fileName: string): TypeScript.SourceFile | undefined => {
    const file = norm(fileName);
    if (trees6.has(file)) return trees6.get(file);
    const text = virtualFiles.get(file) ?? readDisk(file);
    const sf =
      text === undefined ? undefined : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    if (sf) trees6.set(file, sf);
    return sf;
  };
  const trees7 = new Map<string, SourceFile7 | undefined>();
  const tree7 = (fileName: string): SourceFile7 | undefined => {
    if (!trees7.has(fileName)) trees7.set(fileName, program.getSourceFile(fileName));
    return trees7.get(fileName);
  };
  /** The TypeScript 7 node of the same span (and kind) as a TypeScript 6 node. */
  const to7 = (node: TypeScript.Node): Node7 | undefined => {
    const sf7 = tree7(node.getSourceFile().fileName);
    if (!sf7) return undefined;
    const name = ts.SyntaxKind[node.kind];
    let best: Node7 | undefined;
    const visit = (n: Node7): void => {
      if (node.pos < n.pos || node.end > n.end) return;
      if (n.pos === node.pos && n.end === node.end) {
        if (!best || (ast.SyntaxKind as unknown as Record<number, string>)[n.kind] === name) best = n;
      }
      n.forEachChild((c) => visit(c) as undefined);
    };
    visit(sf7);
    return best;
  };
  /** The TypeScript 6 node of the same span (and kind) as a TypeScript 7 declaration. */
  const to6 = (handle: NodeHandle): TypeScript.Node | undefined => {
    const n7 = handle.resolve();
    const sf6 = n7 && tree6(handle.path);
    if (!n7 || !sf6) return undefined;
    const name = (ast.SyntaxKind as unknown as Record<number, string>)[handle.kind];
    let best: TypeScript.Node | undefined;
    const visit = (n: TypeScript.Node): void => {
      if (n7.pos < n.pos || n7.end > n.end) return;
      if (
        n.pos === n7.pos &&
        n.end === n7.end &&
        (!best ||
          ts.SyntaxKind[n.kind] === name ||
          (name !== undefined && (ts.SyntaxKind as unknown as Record<string, number>)[name] === n.kind))
      )
        best = n;
      ts.forEachChild(n, visit);
    };
    if (sf6.pos === n7.pos && sf6.end === n7.end && handle.kind === ast.SyntaxKind.SourceFile) return sf6;
    visit(sf6);
    return best;
  };
  const globalDeclaration7 = (n: Node7): boolean => {
    const sf = n.getSourceFile();
    if (sf.externalModuleIndicator === undefined) {
      for (let p: Node7 | undefined = n.parent; p && p !== sf; p = p.parent)
        if (ast.isModuleDeclaration(p) && ast.isStringLiteral(p.name)) return false;
      return true;
    }
    // `declare global { }`: TypeScript 7 has no GlobalAugmentation flag; the name says it.
    for (let p: Node7 | undefined = n.parent; p; p = p.parent) {
      if (
        ast.isModuleDeclaration(p) &&
        ast.isIdentifier(p.name) &&
        p.name.text === 'global' &&
        p.keyword !== ast.SyntaxKind.NamespaceKeyword
      )
        return true;
    }
    return false;
  };
  const declarations = new Map<TypeScript.Node, readonly TypeScript.Declaration[]>();
  const { TypeFlags, SymbolFlags } = sync;
  const aliased = (symbol: Symbol7): Symbol7 =>
    symbol.flags & SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return {
    sourceFile: (file) => (inProgram.has(norm(file)) ? tree6(file) : undefined),
    diagnostics: (sf) => diagnostics.get(norm(sf.fileName)) ?? [],
    declarationsOf: (node) => {
      const known = declarations.get(node);
      if (known) return known;
      const n7 = to7(node);
      const symbol = n7 && checker.getSymbolAtLocation(n7);
      const found = (symbol?.declarations ?? []).map(to6).filter((d): d is TypeScript.Declaration => d !== undefined);
      declarations.set(node, found);
      return found;
    },
    hasMemberSomewhere: (receiver6, member) => {
      const receiver = to7(receiver6);
      const type = receiver && checker.getTypeAtLocation(receiver);
      if (!receiver || !type) return false;
      const has = (t: Type7): boolean => {
        const apparent = checker.getApparentType(t);
        return apparent !== undefined && checker.getPropertyOfType(apparent, member) !== undefined;
      };
      if (type.flags & TypeFlags.Union) {
        const parts = (type as Type7 & { getTypes(): readonly Type7[] })
          .getTypes()
          .filter((t) => !(t.flags & (TypeFlags.Null | TypeFlags.Undefined | TypeFlags.Void)));
        if (parts.length > 1 && parts.some(has)) return true;
      }
      const dflt = checker.getPropertyOfType(type, 'default');
      if (
        dflt &&
        ((type as Type7 & { getSymbol(): { flags: number } | undefined }).getSymbol()?.flags ?? 0) &
          SymbolFlags.ValueModule
      ) {
        const value = checker.getTypeOfSymbolAtLocation(dflt, receiver);
        if (has(value)) return 'default';
      }
      return false;
    },
    typeDeclarations: (receiver6) => {
      const receiver = to7(receiver6);
      const type = receiver && checker.getTypeAtLocation(receiver);
      if (!type) return [];
      const t = type as Type7 & { getTypes(): readonly Type7[] | undefined };
      const parts = type.flags & (TypeFlags.Union | TypeFlags.Intersection) ? (t.getTypes() ?? []) : [type];
      const sets: { fileName: string; global: boolean }[][] = [];
      for (const part of parts) {
        const p = part as Type7 & {
          getSymbol(): { declarations: readonly NodeHandle[] } | undefined;
          getAliasSymbol(): { declarations: readonly NodeHandle[] } | undefined;
        };
        for (const symbol of [p.getSymbol(), p.getAliasSymbol()]) {
          sets.push(
            (symbol?.declarations ?? []).map((h) => {
              const n7 = h.resolve();
              return { fileName: h.path, global: n7 ? globalDeclaration7(n7) : false };
            }),
          );
        }
      }
      return sets;
    },
    saysNothing: (receiver6) => {
      const receiver = to7(receiver6);
      const type = receiver && checker.getTypeAtLocation(receiver);
      if (!type) return false;
      const all =
        type.flags & TypeFlags.Union
          ? ((type as Type7 & { getTypes(): readonly Type7[] | undefined }).getTypes() ?? [])
          : [type];
      const parts = all.filter((t) => !(t.flags & (TypeFlags.Null | TypeFlags.Undefined | TypeFlags.Void)));
      return (
        parts.length > 0 &&
        parts.every((t) => {
          if (t.flags & (TypeFlags.NonPrimitive | TypeFlags.TypeParameter)) return true;
          if (!(t.flags & (TypeFlags.Object | TypeFlags.Intersection))) return false;
          const props = checker.getPropertiesOfType(t);
          // `{}` as written (see saysNothing in members.ts); the project's own declarations, not its augmentations.
          if (props.length === 0) {
            const decls =
              (t as Type7 & { getSymbol(): { declarations: readonly NodeHandle[] } | undefined }).getSymbol()
                ?.declarations ?? [];
            const literal = decls.every((h) => {
              const n = h.resolve();
              return n !== undefined && ast.isTypeLiteralNode(n) && n.members.length === 0;
            });
            return (
              literal &&
              checker.getSignaturesOfType(t, sync.SignatureKind.Call).length === 0 &&
              checker.getSignaturesOfType(t, sync.SignatureKind.Construct).length === 0 &&
              checker.getIndexInfosOfType(t).length === 0
            );
          }
          const own = (h: NodeHandle): boolean => {
            for (let n: Node7 | undefined = h.resolve()?.parent; n; n = n.parent)
              if (ast.isModuleDeclaration(n)) return false;
            return isProjectFile(h.path);
          };
          return props.every((p) => p.declarations.length > 0 && p.declarations.every(own));
        })
      );
    },
    moduleResolves: (literal6) => {
      const literal = to7(literal6);
      return literal !== undefined && checker.getSymbolAtLocation(literal) !== undefined;
    },
    typeNames: (receiver6) => {
      const receiver = to7(receiver6);
      const type = receiver && checker.getTypeAtLocation(receiver);
      if (!type) return [];
      const t = type as Type7 & { getTypes(): readonly Type7[] | undefined };
      const parts = type.flags & (TypeFlags.Union | TypeFlags.Intersection) ? [type, ...(t.getTypes() ?? [])] : [type];
      return [
        ...new Set(
          parts.flatMap(
            (part) => (part as Type7 & { getSymbol(): { name: string } | undefined }).getSymbol()?.name ?? [],
          ),
        ),
      ];
    },
    reexportsUnresolved: (literal6) => {
      const literal = to7(literal6);
      const start =
        literal && checker.getSymbolAtLocation(literal)?.declarations.find((h) => h.kind === ast.SyntaxKind.SourceFile);
      if (!start) return false;
      const seen = new Set<string>();
      const queue: string[] = [start.path];
      while (queue.length && seen.size < 200) {
        const file = queue.shift()!;
        if (seen.has(file)) continue;
        seen.add(file);
        const sf = tree7(file);
        if (!sf) continue;
        // Only `export * from` can hide a name: `export { a } from` lists its names whether or not the module resolves.
        const specifiers = sf.statements
          .filter(ast.isExportDeclaration)
          .filter((s) => !s.exportClause)
          .map((s) => s.moduleSpecifier)
          .filter((m): m is NonNullable<typeof m> => m !== undefined);
        if (!specifiers.length) continue;
        // One round trip for all of a file's re-exports.
        for (const symbol of checker.getSymbolAtLocation(specifiers)) {
          if (!symbol) return true;
          const target = symbol.declarations.find((h) => h.kind === ast.SyntaxKind.SourceFile);
          if (target) queue.push(target.path);
        }
      }
      return false;
    },
    packageOf: (fileName) => owners.get(norm(fileName)),
    propertyNames: (expr6) => {
      const expr = to7(expr6);
      const type = expr && checker.getTypeAtLocation(expr);
      const apparent = type && checker.getApparentType(type);
      return apparent ? checker.getPropertiesOfType(apparent).map((s) => s.name) : [];
    },
    exportNames: (node6) => {
      const node = to7(node6);
      const symbol = node && checker.getSymbolAtLocation(node);
      return symbol ? checker.getExportsOfModule(aliased(symbol)).map((s) => s.name) : [];
    },
    suggestionDiagnostics: (sf) =>
      wanted.has(norm(sf.fileName))
        ? program.getSuggestionDiagnostics(sf.fileName).map((d) => ({ code: d.code, start: d.pos, end: d.end }))
        : [],
    deprecatedDeclaration: (node6, call6) => {
      const node = to7(node6);
      const call = call6 && to7(call6);
      const signature = call ? checker.getResolvedSignature(call) : undefined;
      const found = node && checker.getSymbolAtLocation(node);
      const symbol = found && aliased(found);
      const handle = signature?.declaration ?? symbol?.declarations[0];
      if (!handle || handle.kind === ast.SyntaxKind.JSDocSignature) return undefined;
      const declaration = handle.resolve();
      const owner = declaration?.parent;
      const container =
        owner && (ast.isClassDeclaration(owner) || ast.isInterfaceDeclaration(owner)) && owner.name
          ? owner.name.text
          : undefined;
      // Read from the declarations' syntax: the API gives tags of symbols only (not of the one
      // signature a call resolves to), and their text as written (`{@link a b}`, not its parts).
      const tagged = signature?.declaration
        ? [declaration]
        : (symbol?.declarations ?? []).map((h) => (h === handle ? declaration : h.resolve()));
      let text: string | undefined;
      for (const d of tagged) if (text === undefined && d) text = deprecatedTagText(ast, d);
      return { fileName: handle.path, ...(container ? { container } : {}), ...(text ? { text } : {}) };
    },
  };
}

/** The text of the `@deprecated` tag in a declaration's own JSDoc, links as `{@link name | text}` (as TypeScript 6 gives them: engine-ts6.ts). */
function deprecatedTagText(ast: Ast, declaration: Node7): string | undefined {
  const entityName = (n: Node7): string =>
    ast.isIdentifier(n) ? n.text : ast.isQualifiedName(n) ? `${entityName(n.left)}.${n.right.text}` : '';
  // `/** @deprecated */ export const x`: the comment is the statement's.
  const holder =
    ast.isVariableDeclaration(declaration) && ast.isVariableDeclarationList(declaration.parent)
      ? declaration.parent.parent
      : declaration;
  for (const doc of [...(holder.jsDoc ?? [])].reverse()) {
    if (!ast.isJSDoc(doc)) continue;
    const tag = doc.tags?.find((t) => ast.isJSDocDeprecatedTag(t));
    if (!tag) continue;
    return (tag.comment ?? [])
      .map((part) => {
        if (ast.isJSDocText(part)) return part.text;
        const kind =
          part.kind === ast.SyntaxKind.JSDocLinkCode
            ? 'linkcode'
            : part.kind === ast.SyntaxKind.JSDocLinkPlain
              ? 'linkplain'
              : 'link';
        const name = part.name ? entityName(part.name) : '';
        // `{@link https://x}` parses as the name `https` and the text `://x`.
        if (!name || part.text.startsWith('://')) return `{@${kind} ${name}${part.text}}`;
        const text = part.text.replace(/^\s*\|?\s*/, '');
        return `{@${kind} ${name}${text ? ` | ${text}` : ''}}`;
      })
      .join('');
  }
  return undefined;
}

function scriptKind(file: string): TypeScript.ScriptKind {
  if (/\.d\.[mc]?ts$|\.[mc]?ts$/.test(file)) return ts.ScriptKind.TS;
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.json$/.test(file)) return ts.ScriptKind.JSON;
  return ts.ScriptKind.JS;
}
