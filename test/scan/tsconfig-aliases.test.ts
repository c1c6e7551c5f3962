import { afterAll, describe, expect, it } from 'vitest';
import { readPathAliases } from '../../src/scan/tsconfig-aliases.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';

afterAll(removeTrees);

const aliasesOf = async (files: Record<string, string>, specifiers: string[]) => {
  const { isAlias, errors, warnings } = readPathAliases(await writeTree(files));
  return { hits: specifiers.filter((s) => isAlias(s)), errors, warnings };
};

describe('readPathAliases', () => {
  it('matches wildcard and exact paths keys from a commented tsconfig', async () => {
    const tsconfig = `{
      // JSONC: comments and trailing commas are fine
      "compilerOptions": {
        "paths": { "@/*": ["./src/*"], "~/*": ["./src/*"], "config": ["./src/config.ts"], "*.svg": ["./svg/*"], },
      },
    }`;
    const { hits, errors } = await aliasesOf({ 'tsconfig.json': tsconfig }, [
      '@/lib/x',
      '~/a',
      'config',
      'config/x',
      'logo.svg',
      '@scope/pkg',
      'react',
    ]);
    expect(hits).toEqual(['@/lib/x', '~/a', 'config', 'logo.svg']);
    expect(errors).toEqual([]);
  });

  it('follows relative extends, as a string or an array, and a package base in node_modules', async () => {
    const { hits, errors } = await aliasesOf(
      {
        'tsconfig.json': '{ "extends": ["@acme/tsconfig/strict.json", "./configs/base"] }',
        'configs/base.json': '{ "extends": "./paths.json" }',
        'configs/paths.json': '{ "compilerOptions": { "paths": { "@app/*": ["../src/*"] } } }',
        'node_modules/@acme/tsconfig/strict.json': '{ "compilerOptions": { "paths": { "#shared/*": ["x/*"] } } }',
      },
      ['@app/x', '#shared/y', 'lodash'],
    );
    // A later base's paths replace an earlier one's, as TypeScript merges compilerOptions.
    expect(hits).toEqual(['@app/x']);
    expect(errors).toEqual([]);
  });

  it('uses a package base when present and ignores one that is not installed', async () => {
    const withBase = await aliasesOf(
      {
        'tsconfig.json': '{ "extends": "@acme/tsconfig" }',
        'node_modules/@acme/tsconfig/tsconfig.json': '{ "compilerOptions": { "paths": { "@lib/*": ["./lib/*"] } } }',
      },
      ['@lib/a', '@acme/tsconfig'],
    );
    expect(withBase).toEqual({ hits: ['@lib/a'], errors: [], warnings: [] });
    const missing = await aliasesOf({ 'tsconfig.json': '{ "extends": "@tsconfig/node20/tsconfig.json" }' }, ['x']);
    expect(missing).toEqual({ hits: [], errors: [], warnings: [] });
  });

  it('a missing relative base is a warning naming the file; an extends cycle is an error', async () => {
    const missing = await aliasesOf(
      { 'tsconfig.json': '{ "extends": "./nope.json", "compilerOptions": { "paths": { "@/*": ["src/*"] } } }' },
      ['@/x'],
    );
    expect(missing.hits).toEqual(['@/x']);
    expect(missing.errors).toEqual([]);
    expect(missing.warnings).toEqual([
      expect.objectContaining({
        file: 'tsconfig.json',
        field: 'extends',
        reason: 'missing-file',
        message: expect.stringContaining('nope.json'),
      }),
    ]);

    const cycle = await aliasesOf(
      { 'tsconfig.json': '{ "extends": "./a.json" }', 'a.json': '{ "extends": "./tsconfig.json" }' },
      ['x'],
    );
    expect(cycle.errors).toEqual([expect.objectContaining({ field: 'extends', reason: 'invalid-entry' })]);
  });

  it('treats a bare specifier that exists under baseUrl as an alias', async () => {
    const { hits } = await aliasesOf(
      {
        'jsconfig.json': '{ "compilerOptions": { "baseUrl": "src" } }',
        'src/components/Button.jsx': '',
        'src/utils/index.ts': '',
        'src/config.ts': '',
        'src/helpers.ts': '',
      },
      ['components/Button', 'utils', 'config', 'helpers.js', 'components/Missing', 'react', 'lodash/fp'],
    );
    expect(hits).toEqual(['components/Button', 'utils', 'config', 'helpers.js']);
  });

  it('counts a catch-all "*" key only where a target exists outside node_modules', async () => {
    const { hits } = await aliasesOf(
      {
        'tsconfig.json': '{ "compilerOptions": { "paths": { "*": ["./node_modules/*", "./types/*"] } } }',
        'types/untyped-lib/index.d.ts': '',
        'node_modules/react/index.js': '',
      },
      ['untyped-lib', 'react', 'lodash'],
    );
    expect(hits).toEqual(['untyped-lib']);
  });

  it('reads the referenced projects of a solution-style tsconfig', async () => {
    const { hits } = await aliasesOf(
      {
        'tsconfig.json': '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./node" }] }',
        'tsconfig.app.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
        'node/tsconfig.json': '{ "compilerOptions": { "paths": { "$node/*": ["./*"] } } }',
      },
      ['@/x', '$node/y', 'vite'],
    );
    expect(hits).toEqual(['@/x', '$node/y']);
  });

  it('keeps what it could parse from a broken config and reports where it broke', async () => {
    const { hits, errors } = await aliasesOf(
      { 'tsconfig.json': '{\n  "compilerOptions": { "paths": { "@/*": ["./src/*"] } }\n  "include": []\n}' },
      ['@/x'],
    );
    expect(hits).toEqual(['@/x']);
    expect(errors).toEqual([
      expect.objectContaining({ file: 'tsconfig.json', line: 3, column: 3, reason: 'invalid-json' }),
    ]);
  });

  it('has no aliases and no errors without a config', async () => {
    expect(await aliasesOf({ 'src/a.ts': '' }, ['@/x', 'src/a'])).toEqual({ hits: [], errors: [], warnings: [] });
  });
});
