import { describe, expect, it } from 'vitest';
import { scriptCommands } from '../../src/scan/script-commands.js';

describe('scriptCommands', () => {
  it('splits command lines and finds command words', () => {
    const bins = (s: string) =>
      scriptCommands(s).map((c) => `${c.bin}${c.via === 'download' ? '*' : c.via === 'local' ? '+' : ''}`);
    expect(bins('tsup src/index.ts && tsc --noEmit')).toEqual(['tsup', 'tsc']);
    expect(bins('NODE_ENV=production cross-env FOO=1 webpack --mode production | tee out.log')).toEqual(['webpack']);
    expect(bins('rm -rf dist; mkdir dist && cp a b || echo failed')).toEqual([]);
    expect(bins('npm run build && pnpm run test && yarn lint')).toEqual([]);
    expect(
      bins('npx eslint . && pnpm exec prettier --check . && node_modules/.bin/vitest run && bunx --bun vite'),
    ).toEqual(['eslint*', 'prettier+', 'vitest+', 'vite*']);
    expect(bins('pnpx serverless@4.28.0 deploy && npx @scope/create-x@latest && npx ../local')).toEqual([
      'serverless*',
      '@scope/create-x*',
    ]);
    expect(bins('./scripts/build.sh && node scripts/x.js && $BIN x && $(npm bin)/y')).toEqual([]);
    expect(bins('echo "a && b" > out.txt 2>&1 && (cd x && jest)')).toEqual(['jest']);
    expect(bins('npx -p typescript tsc && npx --yes create-foo')).toEqual(['create-foo*']);
    expect(bins('if [ -f x ]; then vite build; fi')).toEqual(['vite']);
  });
});
