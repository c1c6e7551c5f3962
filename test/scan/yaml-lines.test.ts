import { describe, expect, it } from 'vitest';
import { indexYamlKeyLines, parseYaml } from '../../src/scan/yaml-lines.js';

const all = () => true;

describe('indexYamlKeyLines', () => {
  it('records block-mapping keys by path, quoted or plain', () => {
    const text = [
      'a: 1', // 1
      '# comment: not a key',
      'b:', // 3
      "  'it''s@1.0.0':", // 4
      '    x: {y: 1, z: 2}', // 5
      '  "esc\\"aped": 2', // 6
      '  file:vendor/x: 3', // 7
      '  url@https://h.example.test/a.tgz:', // 8
      '',
      'c: end', // 10
    ].join('\n');
    const lines = indexYamlKeyLines(text, all);
    expect(lines.lineOf(['a'])).toBe(1);
    expect(lines.lineOf(['b', "it's@1.0.0"])).toBe(4);
    expect(lines.lineOf(['b', "it's@1.0.0", 'x'])).toBe(5);
    expect(lines.lineOf(['b', 'esc"aped'])).toBe(6);
    expect(lines.lineOf(['b', 'file:vendor/x'])).toBe(7);
    expect(lines.lineOf(['b', 'url@https://h.example.test/a.tgz'])).toBe(8);
    expect(lines.lineOf(['c'])).toBe(10);
    expect(lines.lineOf(['y'])).toBeUndefined();
  });

  it('steps over block scalars, sequences and CRLF line ends', () => {
    const text = 'a: |\r\n  looks: like a key\r\n  - no\r\nlist:\r\n  - k: v\r\nb:\r\n  c: 1\r\n';
    const lines = indexYamlKeyLines(text, all);
    expect(lines.lineOf(['looks'])).toBeUndefined();
    expect(lines.lineOf(['a', 'looks'])).toBeUndefined();
    expect(lines.lineOf(['b'])).toBe(6);
    expect(lines.lineOf(['b', 'c'])).toBe(7);
  });

  it('records only keys in mappings the filter accepts', () => {
    const lines = indexYamlKeyLines('a:\n  b:\n    c: 1\n', (p) => p.length < 2);
    expect([lines.lineOf(['a']), lines.lineOf(['a', 'b']), lines.lineOf(['a', 'b', 'c'])]).toEqual([1, 2, undefined]);
  });

  it('starts from a later document', () => {
    const text = 'a: 1\n---\na: 2\n';
    expect(indexYamlKeyLines(text, all, text.indexOf('---')).lineOf(['a'])).toBe(3);
  });
});

describe('parseYaml', () => {
  it('keeps scalars as strings with failsafe', () => {
    expect(parseYaml('x.yaml', 'v: 1.10\nb: true\n', { failsafe: true }).value).toEqual({ v: '1.10', b: 'true' });
    expect(parseYaml('x.yaml', 'v: 5.4\nb: true\n').value).toEqual({ v: 5.4, b: true });
  });

  it('rejects repeated keys unless told to let the last win', () => {
    expect(parseYaml('x.yaml', 'a: 1\na: 2\n').error).toMatchObject({ reason: 'invalid-syntax', line: 2 });
    expect(parseYaml('x.yaml', 'a: 1\na: 2\n', { json: true }).value).toEqual({ a: 2 });
  });

  it('reads the last document and says where it starts', () => {
    expect(parseYaml('x.yaml', '---\na: 1\n---\na: 2\n')).toEqual({ value: { a: 2 }, start: 9 });
  });
});
