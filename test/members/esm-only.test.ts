/** Issue 15 item 5: an ESM-only package required from CommonJS is said to be that, not "no member". */
import { describe, expect, it } from 'vitest';
import { isEsmOnly } from '../../src/members/esm-only.js';
import { publish } from '../helpers/publish.js';
import { mockRegistryRuns } from '../helpers/mock-runs.js';

const { mock, verifyFiles } = mockRegistryRuns('esm');
const json = (x: object) => JSON.stringify(x);
const DTS = 'declare const chalk: { green(s: string): string; red(s: string): string };\nexport default chalk;\n';

async function check(files: Record<string, string>) {
  const { report } = await verifyFiles(files);
  return report.findings.filter((f) => f.code === 'INVENTED_MEMBER' || f.code === 'INVENTED_EXPORT');
}

describe('ESM-only packages required from CommonJS', () => {
  it('which manifests are ESM-only', () => {
    expect(isEsmOnly(json({ type: 'module', exports: './source/index.js' }))).toBe(true);
    expect(isEsmOnly(json({ type: 'module', exports: { '.': { types: './i.d.ts', default: './i.js' } } }))).toBe(true);
    expect(isEsmOnly(json({ exports: { '.': { import: './i.mjs', require: './i.cjs' } } }))).toBe(false);
    expect(isEsmOnly(json({ main: 'index.js' }))).toBe(false);
    expect(isEsmOnly(json({ type: 'module', main: 'index.cjs' }))).toBe(false);
    expect(isEsmOnly('not json')).toBe(false);
  });

  const publishChalky = () =>
    publish(mock, 'chalky', {
      '4.1.2': {
        'package.json': json({ main: 'index.js', types: 'index.d.ts' }),
        'index.d.ts': DTS,
        'index.js': 'module.exports = require("./lib");\n',
      },
      '5.3.0': {
        'package.json': json({ type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } }),
        'index.d.ts': DTS,
        'index.js': 'export default {};\n',
      },
    });
  const code = "const chalk = require('chalky');\nconsole.log(chalk.green('ok'), chalk.nope('x'));\n";

  it('require() of chalk-5-like: the finding says ESM-only, with the fix', async () => {
    publishChalky();
    const at5 = await check({
      'package.json': json({ name: 'app', dependencies: { chalky: '5.3.0' } }),
      'src/a.js': code,
    });
    expect(at5.map((f) => [f.code, f.details?.name, f.details?.esmOnly, f.locations[0]?.line])).toEqual([
      ['INVENTED_MEMBER', 'green', true, 2],
      ['INVENTED_MEMBER', 'nope', true, 2],
    ]);
    expect(at5[0]!.message).toBe(
      'chalky@5.3.0 is ESM-only and is loaded with require(): Node before 20.19 throws ERR_REQUIRE_ESM, later ones return the module namespace, which has no green.',
    );
    expect(at5[0]!.hint).toContain('Use `import`');
  });

  it('the CommonJS major, and an import of the ESM major, are unchanged', async () => {
    publishChalky();
    // CommonJS major: the default export is module.exports; only the invented name is reported, plainly.
    const at4 = await check({
      'package.json': json({ name: 'app', dependencies: { chalky: '4.1.2' } }),
      'src/a.js': code,
    });
    expect(at4.map((f) => [f.details?.name, f.details?.esmOnly, f.message])).toEqual([
      ['nope', undefined, 'chalky@4.1.2 has no member nope.'],
    ]);
    // import at 5: fine for green.
    const imported = await check({
      'package.json': json({ name: 'app', dependencies: { chalky: '5.3.0' } }),
      'src/a.ts': "import chalk from 'chalky';\nchalk.green('ok');\n",
    });
    expect(imported).toEqual([]);
  });
});
