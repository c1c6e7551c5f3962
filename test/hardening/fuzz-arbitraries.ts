/**
 * Structure-aware arbitraries for the fuzz suites: valid documents with one part replaced by a
 * hostile value (wrong type, prototype key, huge number, long string, deep nesting), and text
 * mutations of valid files. Shared by test/hardening/fuzz-*.test.ts.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { InputError } from '../../src/model/references.js';

/** Property runs per suite: enough to reach most fields, few enough for a few seconds a file. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** An own `__proto__` key, as JSON.parse makes it (an object literal would set the prototype). */
const protoObject = (value: unknown): unknown =>
  JSON.parse(`{"__proto__": ${JSON.stringify(value) ?? 'null'}, "constructor": {"prototype": {"polluted": true}}}`);

const deepArray = (depth: number): unknown => {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};
const deepObject = (depth: number, key: string): unknown => {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { [key]: value };
  return value;
};

/** Strings that have broken parsers and terminals before. */
export const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '\u001b[31mred\u001b[0m',
    '\u001b]8;;https://evil.example.test\u0007link\u001b]8;;\u0007',
    '\u202eevil',
    'a\rb\bc\u0007',
    'x'.repeat(70_000),
    '@',
    '@/',
    '@scope/',
    'npm:',
    'npm:@',
    'patch:a@npm%3A1#~',
    'workspace:',
    'link:',
    'file:',
    'git+',
    'https://',
    '%E0%A4%A',
    '1.2.3(',
    '/a/1.0.0_',
    '\\',
    '"',
    "'",
    '\ud800',
    '${',
  ),
);

/**
 * Any JSON value, and the values readers are least likely to expect. `maxDepth` bounds the deep
 * nesting (YAML block style indents each level, so deep YAML costs its depth squared to write).
 */
const hostileValueOf = (maxDepth: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
    { arbitrary: nastyString, weight: 4 },
    {
      arbitrary: fc.constantFrom<unknown>(
        null,
        true,
        false,
        0,
        -1,
        1e308,
        -1e308,
        Number.MAX_SAFE_INTEGER + 2,
        1.5,
        [],
        {},
        [null],
        ['a@1.0.0'],
        { version: 1 },
        { version: '1.0.0', resolved: 42, integrity: [], dependencies: 'x' },
      ),
      weight: 3,
    },
    { arbitrary: nastyString.map(protoObject), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: maxDepth }).map(deepArray), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: maxDepth }), fc.constantFrom('dependencies', 'a', '__proto__'))
        .map(([d, k]) => deepObject(d, k)),
      weight: 1,
    },
  );

type Container = Record<string, unknown> | unknown[];

/** Every container of `doc` with a path to it, root first. */
function containers(doc: unknown, out: Container[] = []): Container[] {
  if (typeof doc !== 'object' || doc === null || out.length > 5000) return out;
  out.push(doc as Container);
  for (const value of Object.values(doc)) containers(value, out);
  return out;
}

interface Mutation {
  at: number;
  key: number;
  op: 'set' | 'delete' | 'rename' | 'add';
  value: unknown;
  name: string;
}

const mutationOf = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
  fc.record({
    at: fc.nat(),
    key: fc.nat(),
    op: fc.constantFrom<Mutation['op']>('set', 'set', 'set', 'delete', 'rename', 'add'),
    value,
    name: nastyString,
  });

/** Applies mutations in place (the document is a fresh copy each run). */
function mutate(doc: unknown, mutations: readonly Mutation[]): unknown {
  for (const original of mutations) {
    // A copy: the same generated value placed twice, or inside itself, would make a cycle.
    const m = {
      ...original,
      value: original.value === undefined ? undefined : (JSON.parse(JSON.stringify(original.value)) as unknown),
    };
    const all = containers(doc);
    if (all.length === 0) return m.value;
    const target = all[m.at % all.length]!;
    const keys = Object.keys(target);
    const key = keys.length ? keys[m.key % keys.length]! : m.name;
    if (Array.isArray(target)) {
      const i = keys.length ? m.key % target.length : 0;
      if (m.op === 'delete') target.splice(i, 1);
      else if (m.op === 'add') target.push(m.value);
      else target[i] = m.value;
      continue;
    }
    // defineProperty, so `__proto__` and `constructor` become plain own keys as in parsed JSON.
    const define = (k: string, v: unknown) =>
      Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
    if (m.op === 'delete') delete target[key];
    else if (m.op === 'rename') {
      // An empty object has no key to rename; an inherited one (`constructor`) is a function, which no parser makes.
      if (!Object.hasOwn(target, key)) continue;
      const value = target[key];
      delete target[key];
      define(m.name, value);
    } else if (m.op === 'add') define(m.name, m.value);
    else define(key, m.value);
  }
  return doc;
}

/** A valid document with 1–4 parts replaced, as a fresh copy each run. */
export function mutatedDocument(base: unknown, maxDepth = 2000): fc.Arbitrary<unknown> {
  const text = JSON.stringify(base);
  return fc
    .array(mutationOf(hostileValueOf(maxDepth)), { minLength: 1, maxLength: 4 })
    .map((ms) => mutate(JSON.parse(text), ms));
}

/** Text edits that keep most of a file intact: insert, delete, duplicate, truncate. */
export function mutatedText(base: string, fragments: readonly string[] = []): fc.Arbitrary<string> {
  const piece = fc.oneof(
    nastyString,
    fc.constantFrom(
      ...[
        '{',
        '}',
        '[',
        ']',
        '"',
        ':',
        ',',
        '\n',
        '  ',
        '\t',
        '#',
        '-',
        '---\n',
        '&a',
        '*a',
        '!!',
        '|',
        '>',
        '\r\n',
        '\0',
        ...fragments,
      ],
    ),
  );
  const edit = fc.record({
    at: fc.nat(),
    len: fc.nat({ max: 200 }),
    op: fc.constantFrom('insert', 'delete', 'duplicate', 'truncate'),
    piece,
  });
  return fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => {
    let text = base;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      if (e.op === 'insert') text = text.slice(0, at) + e.piece + text.slice(at);
      else if (e.op === 'delete') text = text.slice(0, at) + text.slice(at + e.len);
      else if (e.op === 'duplicate')
        text = text.slice(0, at + e.len) + text.slice(at, at + e.len) + text.slice(at + e.len);
      else text = text.slice(0, at);
    }
    return text;
  });
}

/** What every reader promises about its errors: the file named, a message, a real line if any. */
export function expectWellFormedErrors(errors: readonly InputError[], file: string, text: string): void {
  // Parsers count CR, CRLF and the Unicode separators as line ends too.
  const lines = text.split(/\r\n?|\n|\u2028|\u2029/).length;
  for (const error of errors) {
    expect(error.file).toBe(file);
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
    if (error.line !== undefined) {
      expect(Number.isInteger(error.line)).toBe(true);
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.line).toBeLessThanOrEqual(lines + 1);
    }
    if (error.column !== undefined) expect(error.column).toBeGreaterThanOrEqual(1);
  }
}
