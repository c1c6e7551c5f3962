/**
 * TypeScript 6's answers to the lookups of the deprecation and name-suggestion checks (the rest
 * of its MemberQueries are in members.ts): the checker of the program in this process.
 */
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';
import type { DeprecatedDeclaration, MemberQueries } from './receivers.js';

type Lookups = Pick<MemberQueries, 'propertyNames' | 'exportNames' | 'suggestionDiagnostics' | 'deprecatedDeclaration'>;
type SuggestionProgram = TypeScript.Program & {
  getSuggestionDiagnostics?(sf: TypeScript.SourceFile): readonly TypeScript.DiagnosticWithLocation[];
};

export function ts6Lookups(program: TypeScript.Program): Lookups {
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
        .flatMap((d) => (d.start === undefined ? [] : [{ code: d.code, start: d.start }]));
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
