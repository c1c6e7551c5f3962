import { describe, expect, it } from 'vitest';
import { indexKeyLines, jsonErrorPosition, parseJson } from '../../src/scan/json-lines.js';

describe('parseJson', () => {
  it('parses and drops a leading BOM', () => {
    expect(parseJson('a.json', '\uFEFF{"a": 1}')).toEqual({ value: { a: 1 } });
  });

  it('reports NUL bytes as a binary file', () => {
    const { value, error } = parseJson('a.json', '{"a"\0: 1}');
    expect(value).toBeUndefined();
    expect(error).toMatchObject({ file: 'a.json', reason: 'binary' });
  });

  it('gives the line and column of a syntax error', () => {
    const { error } = parseJson('package.json', '{\n  "a": 1,\n}\n');
    expect(error).toMatchObject({ file: 'package.json', reason: 'invalid-json', line: 3, column: 1 });
  });

  it('counts the BOM-less text for positions', () => {
    const { error } = parseJson('package.json', '\uFEFF{\n  "a" 1\n}');
    expect(error).toMatchObject({ reason: 'invalid-json', line: 2, column: 7 });
  });

  it('points a truncated document at its end', () => {
    const { error } = parseJson('x.json', '{\n  "a": {\n    "b": 1\n');
    expect(error).toMatchObject({ reason: 'invalid-json', line: 4, column: 1 });
  });

  it('still reports errors whose message has no position', () => {
    const { error } = parseJson('x.json', '{"a":}');
    expect(error).toMatchObject({ file: 'x.json', reason: 'invalid-json' });
  });

  it('reads both forms of V8 error positions', () => {
    const text = '{\n  "a": 1,\n}';
    expect(jsonErrorPosition(text, 'Expected double-quoted property name in JSON at position 12')).toEqual({
      line: 3,
      column: 1,
    });
    expect(
      jsonErrorPosition(text, 'Expected double-quoted property name in JSON at position 12 (line 3 column 1)'),
    ).toEqual({ line: 3, column: 1 });
    expect(jsonErrorPosition(text, 'Unexpected token')).toEqual({});
  });

  it('keeps control characters out of the message', () => {
    const { error } = parseJson('x.json', '{"a":\u0001}');
    expect(error?.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('reads empty text as invalid JSON', () => {
    expect(parseJson('x.json', '').error?.reason).toBe('invalid-json');
  });
});

describe('indexKeyLines', () => {
  const text = [
    '{', //                                   1
    '  "name": "x",', //                      2
    '  "dependencies": {', //                 3
    '    "left-pad": "^1.0.0",', //           4
    '    "@scope/pkg": "npm:real@1"', //      5
    '  },', //                                6
    '  "tricky": "a \\" { [ \\"b\\": ",', //  7
    '  "list": [{"inArray": 1}, "s"],', //    8
    '  "we\\"ird\\u0041": {', //              9
    '    "deep": { "deeper": true }', //      10
    '  },', //                                11
    '  "last": null', //                      12
    '}',
  ].join('\n');

  it('records the line of every key by path', () => {
    const lines = indexKeyLines(text);
    expect(lines.lineOf(['name'])).toBe(2);
    expect(lines.lineOf(['dependencies'])).toBe(3);
    expect(lines.lineOf(['dependencies', 'left-pad'])).toBe(4);
    expect(lines.lineOf(['dependencies', '@scope/pkg'])).toBe(5);
    expect(lines.lineOf(['tricky'])).toBe(7);
    expect(lines.lineOf(['list'])).toBe(8);
    expect(lines.lineOf(['we"irdA'])).toBe(9);
    expect(lines.lineOf(['we"irdA', 'deep', 'deeper'])).toBe(10);
    expect(lines.lineOf(['last'])).toBe(12);
  });

  it('does not descend into arrays or mistake values for keys', () => {
    const lines = indexKeyLines(text);
    expect(lines.lineOf(['list', 'inArray'])).toBeUndefined();
    expect(lines.lineOf(['inArray'])).toBeUndefined();
    expect(lines.lineOf(['b'])).toBeUndefined();
    expect(lines.lineOf(['x'])).toBeUndefined();
    expect(lines.lineOf(['name', 'x'])).toBeUndefined();
  });

  it('records only the objects the filter accepts', () => {
    const lines = indexKeyLines(text, (p) => p.length === 0 || p[0] === 'dependencies');
    expect(lines.lineOf(['dependencies', 'left-pad'])).toBe(4);
    expect(lines.lineOf(['we"irdA'])).toBe(9);
    expect(lines.lineOf(['we"irdA', 'deep'])).toBeUndefined();
    expect(lines.lineOf(['last'])).toBe(12);
  });

  it('counts lines across skipped containers holding brackets and quotes in strings', () => {
    const skipped = '{\n"a": {\n"x": "}}]\\"{",\n"y": [\n"[", {"z": "\\\\"}\n]\n},\n"b": [\n"]"\n],\n"c": 1\n}';
    expect(JSON.parse(skipped)).toEqual({ a: { x: '}}]"{', y: ['[', { z: '\\' }] }, b: [']'], c: 1 });
    const lines = indexKeyLines(skipped, (p) => p.length === 0);
    expect([lines.lineOf(['a']), lines.lineOf(['b']), lines.lineOf(['c'])]).toEqual([2, 8, 11]);
    expect(lines.lineOf(['a', 'x'])).toBeUndefined();
  });

  it('handles CRLF, minified text and a top-level array', () => {
    expect(indexKeyLines('{\r\n"a": 1,\r\n"b": 2}').lineOf(['b'])).toBe(3);
    expect(indexKeyLines('{"a":{"b":{"c":1}},"d":2}').lineOf(['a', 'b', 'c'])).toBe(1);
    expect(indexKeyLines('[{"a": 1}]').lineOf(['a'])).toBeUndefined();
  });

  it('keeps the last line of a duplicated key, as JSON.parse keeps the last value', () => {
    expect(indexKeyLines('{\n"a": 1,\n"a": 2\n}').lineOf(['a'])).toBe(3);
  });

  it('stays linear on a large document', () => {
    const entries = Array.from(
      { length: 20_000 },
      (_, i) =>
        `    "node_modules/p${i}": {\n      "version": "1.0.${i}",\n      "resolved": "https://r/p${i}/-/p${i}-1.0.${i}.tgz"\n    }`,
    );
    const big = `{\n  "packages": {\n${entries.join(',\n')}\n  }\n}\n`;
    const lines = indexKeyLines(big, (p) => p.length <= 1);
    expect(lines.lineOf(['packages', 'node_modules/p0'])).toBe(3);
    expect(lines.lineOf(['packages', 'node_modules/p19999'])).toBe(3 + 4 * 19_999);
  });
});
