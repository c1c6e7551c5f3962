import { describe, expect, it } from 'vitest';
import { jsoncToJson } from '../../src/scan/jsonc.js';

describe('jsoncToJson', () => {
  it('blanks comments and trailing commas, keeping length and lines', () => {
    const text = '{\n  // line\n  "a": [1, 2, /* x,\n y */],\n  "b": {"c": 1,},\n}';
    const json = jsoncToJson(text);
    expect(json).toHaveLength(text.length);
    expect(json.split('\n')).toHaveLength(text.split('\n').length);
    expect(JSON.parse(json)).toEqual({ a: [1, 2], b: { c: 1 } });
  });

  it('leaves strings alone', () => {
    const text = '{"u": "https://x.example.test/a,]", "q": "say \\"hi\\", // not a comment",}';
    expect(JSON.parse(jsoncToJson(text))).toEqual({ u: 'https://x.example.test/a,]', q: 'say "hi", // not a comment' });
  });

  it('returns plain JSON unchanged', () => {
    const text = '{"a": [1, 2]}';
    expect(jsoncToJson(text)).toBe(text);
  });
});
