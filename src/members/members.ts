/**
 * Invented exports and members: TypeScript's own diagnostics over the virtual program, kept only
 * where the expression is rooted at an import of a checked package. depverify is not a type
 * checker: argument types, the user's own code and anything typed `any` never produce a finding.
 */
import path from 'node:path';
import type * as TypeScript from 'typescript';
import { makeFinding } from '../model/codes.js';
import type { Finding, FindingCode } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import { nodeBuiltinName, packageNameOf } from '../scan/classify-specifier.js';
import ts from '../scan/typescript.js';
import { NODE_KEY } from './builtins.js';
import { claimBuiltin } from './builtin-members.js';
import { deprecatedUses } from './deprecations.js';
import { ts6Queries } from './engine-ts6.js';
import { candidateNames, suggestNames } from './suggestions.js';
import { typesPackageName } from './declarations.js';
import {
  enclosingModuleSpecifier,
  isModuleBinding,
  madeFromUnresolved,
  type MemberCheckInput,
  type MemberQueries,
  nodeAt,
  requireSpecifier,
  rootSpecifier,
} from './receivers.js';

/** Diagnostics that mean "this name is not there", by what they are about. */
const EXPORT_CODES = new Set([2305, 2724, 2614, 2459, 2460, 1192, 2613]);
const MEMBER_CODES = new Set([2339, 2551, 2694]);
const MODULE_CODES = new Set([2307]);

const relative = (root: string, file: string): string => path.relative(root, file).split(path.sep).join('/');

export interface MemberCheckResult {
  findings: Finding[];
  /** Files the checker failed on (a stack overflow in a deep type): their member verdicts are unknown. */
  failed: { file: string; reason: string }[];
  /** Files not checked because `stop` said so (relative, forward slashes). */
  skipped: string[];
}

export function checkMembers(input: MemberCheckInput): MemberCheckResult {
  const q = input.queries ?? ts6Queries(input.vp!);
  const findings: Finding[] = [];
  const failed: MemberCheckResult['failed'] = [];
  const skipped: string[] = [];
  const generated = new Map<string, Finding>();
  for (const file of input.files) {
    if (input.stop?.()) {
      skipped.push(path.relative(input.root, file).split(path.sep).join('/'));
      continue;
    }
    const sf = q.sourceFile(file);
    if (!sf) continue;
    // A failure inside the compiler for one file (deeply recursive types overflow its stack) is
    // that file's verdicts unknown, never the end of the run.
    try {
      findings.push(...checkFile(input, q, sf, file, generated));
      findings.push(...deprecatedUses(input, q, sf, file));
    } catch (err) {
      failed.push({
        file: path.relative(input.root, file).split(path.sep).join('/'),
        reason: sanitize(String((err as Error)?.message ?? err).slice(0, 200)),
      });
    }
  }
  return { findings, failed, skipped };
}

function checkFile(
  input: MemberCheckInput,
  q: MemberQueries,
  sf: TypeScript.SourceFile,
  file: string,
  generated: Map<string, Finding>,
): Finding[] {
  const findings: Finding[] = [];
  {
    for (const d of q.diagnostics(sf)) {
      if (d.start === undefined) continue;
      const isExport = EXPORT_CODES.has(d.code);
      const isMember = MEMBER_CODES.has(d.code);
      const isModule = MODULE_CODES.has(d.code);
      if (!isExport && !isMember && !isModule) continue;
      const node = nodeAt(sf, d.start) ?? sf;
      let specifier: string | undefined;
      let code: FindingCode;
      /** What the member is looked up on: the module itself, or a value the package makes. */
      let of: 'module' | 'value' = 'module';
      /** Attributed by the receiver's type (typeOwner), not by a specifier written in this file. */
      let owned = false;
      let viaDefault = false;
      /** What the member is looked up on, for a member of a value (whose runtime may define it). */
      let valueReceiver: TypeScript.Node | undefined;
      if (isModule) {
        specifier = ts.isStringLiteralLike(node) ? node.text : undefined;
        // `npm:x@1` (Deno, Bun) names the package itself; the compiler here resolves no such
        // scheme, so nothing can be said about it from a failed resolution.
        if (specifier && /^[a-z][a-z0-9+.-]*:/i.test(specifier)) continue;
        code = 'SUBPATH_NOT_FOUND';
      } else if (isExport) {
        specifier = enclosingModuleSpecifier(node);
        code = 'INVENTED_EXPORT';
      } else {
        const parent = node.parent;
        if (parent && ts.isBindingElement(parent)) {
          // `const { nope } = require('x')` (or of any import-rooted value). The pattern is the
          // receiver: `const { port } = server.address()` on `string | AddressInfo` is the union
          // rule's as much as `server.address().port` is (a property name, not a computed one).
          const member = parent.propertyName
            ? ts.isIdentifier(parent.propertyName) || ts.isStringLiteral(parent.propertyName)
              ? parent.propertyName.text
              : undefined
            : ts.isIdentifier(parent.name)
              ? parent.name.text
              : undefined;
          if (
            member !== undefined &&
            ts.isObjectBindingPattern(parent.parent) &&
            q.hasMemberSomewhere(parent.parent, member) === true
          )
            continue;
          let decl: TypeScript.Node = parent;
          while (ts.isBindingElement(decl) || ts.isObjectBindingPattern(decl) || ts.isArrayBindingPattern(decl))
            decl = decl.parent;
          const init = ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
          specifier = init ? rootSpecifier(q, init) : undefined;
          code = init && ts.isCallExpression(init) && requireSpecifier(init) ? 'INVENTED_EXPORT' : 'INVENTED_MEMBER';
          if (code === 'INVENTED_MEMBER') {
            of = 'value';
            valueReceiver = parent.parent;
            if (q.saysNothing(parent.parent) || (init && madeFromUnresolved(q, init))) continue;
          }
        } else {
          const receiver =
            parent && (ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent))
              ? ts.isPropertyAccessExpression(parent)
                ? parent.expression
                : parent.left
              : undefined;
          const member = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) ? node.text : undefined;
          // A member some part of the receiver's type has is not invented (see hasMemberSomewhere).
          const somewhere = receiver && member ? q.hasMemberSomewhere(receiver, member) : false;
          // On the default export: fine for a CommonJS module, not for an ESM-only one required
          // from CommonJS (esm-only.ts decides, with the package's manifest).
          if (somewhere === true || (somewhere === 'default' && !isRequireBinding(q, receiver!))) continue;
          if (somewhere === 'default') viaDefault = true;
          // `conn.__knexUid = id`: the code puts the property there itself (an expando), it does not
          // claim the package provides it.
          if (
            parent &&
            ts.isPropertyAccessExpression(parent) &&
            ts.isBinaryExpression(parent.parent) &&
            parent.parent.left === parent &&
            parent.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
          )
            continue;
          specifier = receiver ? rootSpecifier(q, receiver) : undefined;
          if (receiver && specifier === undefined && !userAnnotated(q, receiver)) {
            specifier = typeOwner(q, receiver, input);
            owned = true;
          }
          code = receiver && isNamespaceImportOf(q, receiver) ? 'INVENTED_EXPORT' : 'INVENTED_MEMBER';
          if (!receiver || !isModuleBinding(q, receiver)) of = 'value';
          if (of === 'value' && code === 'INVENTED_MEMBER') valueReceiver = receiver;
          if (valueReceiver && (q.saysNothing(valueReceiver) || madeFromUnresolved(q, valueReceiver))) continue;
        }
      }
      // Node's own modules: checked against @types/node under one key, reported as `node:<module>`.
      const builtin = specifier ? nodeBuiltinName(specifier) : undefined;
      if (
        specifier !== undefined &&
        !owned &&
        !builtin &&
        input.isPackageImport &&
        !input.isPackageImport(relative(input.root, file), specifier)
      )
        continue;
      const pkg = builtin ?? (specifier ? packageNameOf(specifier) : undefined);
      const checked = builtin ? input.packages.get(NODE_KEY) : pkg ? input.packages.get(pkg) : undefined;
      if (!pkg || !checked) continue;
      // A module Node does not have at this version may be newer than it: not claimed.
      if (builtin && code === 'SUBPATH_NOT_FOUND') continue;
      const claim = builtin
        ? claimBuiltin(node, builtin, Number(checked.version.split('.')[0]), {
            isModuleBinding: (receiver) => isModuleBinding(q, receiver),
            declarationsOf: (n) => q.declarationsOf(n),
            requireSpecifier,
          })
        : true;
      if (!claim) continue;
      if (code === 'INVENTED_EXPORT' && specifier && reexportsUnresolvedAt(q, node)) {
        // `@prisma/client` re-exports `.prisma/client`, written by `prisma generate`: what it
        // exports exists only after a build step, so its absence here proves nothing.
        const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
        const location = {
          file: path.relative(input.root, file).split(path.sep).join('/'),
          line: line + 1,
          column: character + 1,
        };
        const known = generated.get(pkg);
        if (known) known.locations.push(location);
        else {
          const finding: Finding = makeFinding('TYPES_UNAVAILABLE', {
            package: pkg,
            version: checked.version,
            message: sanitize(
              `${specifier} re-exports modules that are not in the package (generated by a build step, such as a code generator): its exports were not checked.`,
            ),
            hint: 'Nothing is claimed about what this module exports; run its generator to have them checked.',
            locations: [location],
            details: { unavailable: 'generated', specifier },
          });
          generated.set(pkg, finding);
          findings.push(finding);
        }
        continue;
      }
      if (code === 'SUBPATH_NOT_FOUND' && specifier === pkg) continue; // the package itself: existence is the registry pass's
      const text = d.text.slice(0, 2000);
      // A name only: "Did you mean to use 'import x from …'" advises a statement, not a name.
      const name =
        ts.isIdentifier(node) || ts.isPrivateIdentifier(node)
          ? node.text
          : ts.isStringLiteralLike(node)
            ? node.text
            : node.getText(sf).slice(0, 100);
      const suggestions =
        code === 'SUBPATH_NOT_FOUND' || d.code === 1192 || d.code === 2613
          ? []
          : suggestNames(name, candidateNames(q, node), /Did you mean '([^' ]+)'/.exec(text)?.[1]);
      const suggestion = suggestions[0];
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
      const what = `${code === 'INVENTED_EXPORT' ? 'export' : 'member'} ${name}`;
      const where =
        code === 'SUBPATH_NOT_FOUND'
          ? `${specifier} is not a subpath ${pkg}@${checked.version} provides`
          : builtin
            ? `${pkg} has no ${what} (Node's API as ${checked.typesFrom} declares it)`
            : `${pkg}@${checked.version} has no ${what}`;
      // The packages whose declarations type the receiver (fastify's `router` is find-my-way's):
      // their JavaScript may define what their declarations lag behind (check-types.ts looks).
      const typedBy = valueReceiver ? declaringPackages(q, valueReceiver).filter((name) => name !== pkg) : [];
      // The classes the receiver is an instance of, by name: their runtime may give them members under computed names.
      const receiverTypes = valueReceiver
        ? q
            .typeNames(valueReceiver)
            .filter((n) => /^[A-Za-z_$][\w$]*$/.test(n))
            .sort()
        : [];
      findings.push(
        makeFinding(code, {
          package: pkg,
          version: checked.version,
          message: sanitize(`${where}${suggestion ? `; did you mean ${suggestion}?` : '.'}`),
          hint: `Checked against the type declarations of ${checked.typesFrom}. Use what the package provides${suggestion ? ` (${suggestion})` : ''}, or check its documentation for the version you install.`,
          locations: [
            { file: path.relative(input.root, file).split(path.sep).join('/'), line: line + 1, column: character + 1 },
          ],
          details: {
            name,
            ts: d.code,
            typesFrom: checked.typesFrom,
            ...(suggestion ? { suggestion, suggestions } : {}),
            ...(specifier ? { specifier } : {}),
            ...(code !== 'SUBPATH_NOT_FOUND' ? { of } : {}),
            ...(claim === 'if-removed' ? { ifRemoved: process.versions.node.split('.')[0] } : {}),
            ...(viaDefault ? { viaDefault: true } : {}),
            ...(typedBy.length ? { typedBy } : {}),
            ...(receiverTypes.length ? { receiverTypes } : {}),
          },
        }),
      );
    }
  }
  return findings;
}

/**
 * Whether the module `specifier` resolves to from `from` re-exports everything (`export * from`) of
 * a module the program could not resolve, directly or through its own files.
 */
function reexportsUnresolvedAt(q: MemberQueries, node: TypeScript.Node): boolean {
  let literal: TypeScript.Expression | undefined;
  for (let n: TypeScript.Node | undefined = node; n && !literal; n = n.parent) {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier) literal = n.moduleSpecifier;
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference))
      literal = n.moduleReference.expression;
    else if (
      ts.isVariableDeclaration(n) &&
      n.initializer &&
      ts.isCallExpression(n.initializer) &&
      requireSpecifier(n.initializer)
    )
      literal = n.initializer.arguments[0];
    else if (ts.isStatement(n)) break;
  }
  return literal !== undefined && q.reexportsUnresolved(literal);
}

/**
 * Whether the receiver is a variable whose type is the user's own annotation (`/** @type
 * {import("next").Redirect} *\/ const r = []`) over a value no import roots: then a missing
 * member is the annotation's mistake, not the package's.
 */
function userAnnotated(q: MemberQueries, receiver: TypeScript.Node): boolean {
  if (!ts.isIdentifier(receiver)) return false;
  for (const decl of q.declarationsOf(receiver)) {
    if (!ts.isVariableDeclaration(decl) && !ts.isPropertyDeclaration(decl)) continue;
    if (decl.type || ts.getJSDocType(decl)) return true;
  }
  return false;
}

/** `require('x')` itself, or a variable initialised with it. */
function isRequireBinding(q: MemberQueries, receiver: TypeScript.Node): boolean {
  if (ts.isCallExpression(receiver)) return requireSpecifier(receiver) !== undefined;
  if (!ts.isIdentifier(receiver)) return false;
  return q
    .declarationsOf(receiver)
    .some(
      (d) =>
        ts.isVariableDeclaration(d) &&
        ts.isIdentifier(d.name) &&
        !!d.initializer &&
        ts.isCallExpression(d.initializer) &&
        requireSpecifier(d.initializer) !== undefined,
    );
}

/**
 * The checked package whose declarations the receiver's type comes from (`catch (e) { if (e
 * instanceof z.ZodError) e.errors }`), for values no import roots syntactically. Types from the
 * project's own code, the standard library or @types/node belong to no checked package.
 */
function typeOwner(q: MemberQueries, receiver: TypeScript.Node, input: MemberCheckInput): string | undefined {
  {
    for (const decls of q.typeDeclarations(receiver)) {
      // A global a package augments (`interface Function { once… }` in @types/once) is not that
      // package's type: every declaration must be in the package's own module files.
      const owners = new Set(decls.map((decl) => (decl.global ? undefined : q.packageOf(decl.fileName))));
      if (owners.size !== 1) continue;
      const [owner] = owners;
      if (!owner) continue;
      for (const name of input.packages.keys()) if (owner === name || owner === typesPackageName(name)) return name;
    }
  }
  return undefined;
}

/** The packages of the virtual node_modules whose own modules declare the receiver's type (globals they augment aside). */
function declaringPackages(q: MemberQueries, receiver: TypeScript.Node): string[] {
  const names = new Set<string>();
  for (const decls of q.typeDeclarations(receiver)) {
    for (const decl of decls) {
      const owner = decl.global ? undefined : q.packageOf(decl.fileName);
      if (owner) names.add(owner);
    }
  }
  return [...names].sort();
}

/** `import * as pg from 'pg'; pg.nope`: a missing export, not a missing member. */
function isNamespaceImportOf(q: MemberQueries, receiver: TypeScript.Node): boolean {
  if (!ts.isIdentifier(receiver)) return false;
  return q.declarationsOf(receiver).some((d) => ts.isNamespaceImport(d));
}
