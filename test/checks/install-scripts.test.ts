import { describe, expect, it } from 'vitest';
import { checkInstallScripts } from '../../src/checks/install-scripts.js';
import { DAY, declared, foundAs, locked, publishedDoc, releaseInput } from '../helpers/release-input.js';

describe('INSTALL_SCRIPT_NOT_ALLOWED', () => {
  const lookup = foundAs(
    publishedDoc('pkg', {
      '1.1.0': { age: 10 * DAY },
      '1.2.0': { age: 5 * DAY, scripts: { postinstall: 'node setup.js' } },
    }),
  );

  it('only when an allow list is kept', () => {
    expect(checkInstallScripts.run(releaseInput(lookup, [locked('1.2.0')]))).toEqual([]);
    expect(
      checkInstallScripts
        .run(releaseInput(lookup, [locked('1.2.0')], { installScripts: { allow: ['esbuild'] } }))
        .map((f) => [f.code, f.version]),
    ).toEqual([['INSTALL_SCRIPT_NOT_ALLOWED', '1.2.0']]);
    expect(
      checkInstallScripts.run(releaseInput(lookup, [locked('1.2.0')], { installScripts: { allow: ['p*'] } })),
    ).toEqual([]);
  });

  it('judges locked versions only, and only those that run a script; one finding per version', () => {
    const config = { installScripts: { allow: [] } };
    expect(checkInstallScripts.run(releaseInput(lookup, [declared('^1.2.0')], config))).toEqual([]);
    expect(checkInstallScripts.run(releaseInput(lookup, [locked('1.1.0')], config))).toEqual([]);
    const twice = { ...locked('1.2.0'), locations: [{ file: 'packages/a/package-lock.json', line: 3 }] };
    const findings = checkInstallScripts.run(releaseInput(lookup, [locked('1.2.0'), twice], config));
    expect(findings.map((f) => [f.code, f.severity, f.version, f.locations.map((l) => `${l.file}:${l.line}`)])).toEqual(
      [['INSTALL_SCRIPT_NOT_ALLOWED', 'warning', '1.2.0', ['package-lock.json:7', 'packages/a/package-lock.json:3']]],
    );
    expect(findings[0]!.message).toBe('pkg@1.2.0 runs an install script and is not in installScripts.allow.');
  });
});
