import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadConfig,
  matchesPackagePattern,
  normaliseHost,
  parseConfig,
  withPnpmSettings,
} from '../../src/config/config.js';
import { removeTrees, writeTree } from '../helpers/fixture.js';

afterAll(removeTrees);

/** The message parseConfig refuses `raw` with. */
const refusal = (raw: unknown): string => {
  try {
    parseConfig(raw, 'cfg.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(raw)}`);
};

describe('parseConfig', () => {
  it('an empty configuration is the defaults, with its source', () => {
    expect(parseConfig({}, 'cfg.json')).toEqual({
      ignore: { packages: [], paths: [] },
      release: { minimumReleaseAge: null, minimumReleaseAgeExclude: [], installScriptsAllow: null },
      lockfile: { allowedHosts: [] },
      licenses: { allow: [], deny: [], exceptions: [] },
      maintenance: { infoAfterDays: 730, warnAfterDays: 1460, errorAfterDays: null },
      squatting: {
        allow: [],
        newPackageDays: 30,
        newMaintainerDays: 7,
        fewVersions: 2,
        minTargetDownloads: 1_000_000,
        popularityRatio: 100,
        popularDownloads: 50_000,
        lowDownloads: 500,
      },
      severity: {},
      internalScopes: [],
      source: 'cfg.json',
    });
    // `$schema` is allowed for editors, and means nothing.
    expect(parseConfig({ $schema: './schema.json' }, 'cfg.json').source).toBe('cfg.json');
  });

  it('minimumReleaseAge: durations and minutes; anything else is refused', () => {
    expect(parseConfig({ minimumReleaseAge: '3d' }, 't').release.minimumReleaseAge).toBe(4320);
    expect(parseConfig({ minimumReleaseAge: '12h' }, 't').release.minimumReleaseAge).toBe(720);
    expect(parseConfig({ minimumReleaseAge: 90 }, 't').release.minimumReleaseAge).toBe(90);
    expect(() => parseConfig({ minimumReleaseAge: 'a week' }, 't')).toThrow(/minimumReleaseAge/);
    expect(() => parseConfig({ installScripts: { allowed: [] } }, 't')).toThrow(/installScripts.allowed/);
  });

  it('more durations: weeks, minutes, fractions, spaces; the source is kept for messages', () => {
    const age = (value: unknown) => parseConfig({ minimumReleaseAge: value }, 't').release;
    expect(age('1w').minimumReleaseAge).toBe(7 * 24 * 60);
    expect(age(' 90 min ').minimumReleaseAge).toBe(90);
    expect(age('1.5h').minimumReleaseAge).toBe(90);
    expect(age('45').minimumReleaseAge).toBe(45);
    expect(age('2D').minimumReleaseAge).toBe(2880);
    expect(age(0)).toMatchObject({ minimumReleaseAge: 0, minimumReleaseAgeSource: 't' });
    for (const bad of [-1, '3 days', '1y', Number.POSITIVE_INFINITY, true])
      expect(() => age(bad), String(bad)).toThrow('t: minimumReleaseAge must be minutes or a duration');
  });

  it('reads every section', () => {
    const config = parseConfig(
      {
        ignore: { packages: ['left-pad'], paths: ['vendor/**'] },
        licenses: {
          allow: ['MIT'],
          deny: ['GPL-3.0-only'],
          exceptions: [{ package: 'pkg@^1', reason: 'internal' }],
        },
        maintenance: { infoAfterDays: 10, warnAfterDays: 20, errorAfterDays: 30 },
        lockfile: { allowedHosts: ['https://Mirror.Example.test:8443/npm/', 'cdn.example.test'] },
        minimumReleaseAgeExclude: ['@corp/*'],
        installScripts: { allow: ['esbuild'] },
        severity: { DEPRECATED: 'error', UNMAINTAINED: 'off' },
        internalScopes: ['corp', '@Tools/*', '@infra/'],
      },
      'cfg.json',
    );
    expect(config).toMatchObject({
      ignore: { packages: ['left-pad'], paths: ['vendor/**'] },
      licenses: { allow: ['MIT'], deny: ['GPL-3.0-only'], exceptions: [{ package: 'pkg@^1', reason: 'internal' }] },
      maintenance: { infoAfterDays: 10, warnAfterDays: 20, errorAfterDays: 30 },
      lockfile: { allowedHosts: ['mirror.example.test:8443', 'cdn.example.test'] },
      release: { minimumReleaseAge: null, minimumReleaseAgeExclude: ['@corp/*'], installScriptsAllow: ['esbuild'] },
      severity: { DEPRECATED: 'error', UNMAINTAINED: 'off' },
      internalScopes: ['@corp', '@tools', '@infra'],
    });
    expect(parseConfig({ maintenance: { errorAfterDays: null } }, 't').maintenance.errorAfterDays).toBeNull();
  });

  it.each([
    [[], 'cfg.json: the configuration must be an object'],
    [null, 'cfg.json: the configuration must be an object'],
    [{ ignores: {} }, 'cfg.json: unknown key "ignores"'],
    [{ ignore: 'x' }, 'cfg.json: "ignore" must be an object'],
    [{ ignore: { packages: 'left-pad' } }, 'cfg.json: ignore.packages must be an array of strings'],
    [{ ignore: { paths: [1] } }, 'cfg.json: ignore.paths must be an array of strings'],
    [{ licenses: [] }, 'cfg.json: licenses must be an object'],
    [{ licenses: { allowed: [] } }, 'cfg.json: unknown key "licenses.allowed"'],
    [{ licenses: { exceptions: {} } }, 'cfg.json: licenses.exceptions must be an array'],
    [
      { licenses: { exceptions: [{ package: 'x' }] } },
      'cfg.json: licenses.exceptions[0] needs "package" and a "reason"',
    ],
    [
      { licenses: { exceptions: [{ package: 'x', reason: '  ' }] } },
      'cfg.json: licenses.exceptions[0] needs "package" and a "reason"',
    ],
    [{ maintenance: { warnAfterDays: -1 } }, 'cfg.json: maintenance.warnAfterDays must be a number of days'],
    [{ maintenance: { errorAfterDays: '1y' } }, 'cfg.json: maintenance.errorAfterDays must be a number of days'],
    [{ maintenance: { days: 1 } }, 'cfg.json: unknown key "maintenance.days"'],
    [{ lockfile: { hosts: [] } }, 'cfg.json: unknown key "lockfile.hosts"'],
    [{ lockfile: { allowedHosts: ['https://'] } }, 'cfg.json: lockfile.allowedHosts: "https://" is not a host'],
    [{ installScripts: [] }, 'cfg.json: installScripts must be an object'],
    [{ severity: 'off' }, 'cfg.json: "severity" must be an object'],
    [{ severity: { NOPE: 'off' } }, 'cfg.json: unknown finding code "NOPE"'],
    [{ severity: { DEPRECATED: 'warn' } }, 'cfg.json: severity of DEPRECATED must be error, warning, info or off'],
    [{ internalScopes: ['@'] }, 'cfg.json: internalScopes: "@" is not a scope'],
    [{ internalScopes: ['@corp/pkg'] }, 'cfg.json: internalScopes: "@corp/pkg" is not a scope'],
    [{ minimumReleaseAgeExclude: 'x' }, 'cfg.json: minimumReleaseAgeExclude must be an array of strings'],
  ])('refuses %j: %s', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });
});

describe('loadConfig', () => {
  it('depverify.config.json first, else package.json#depverify, else the defaults', async () => {
    const both = await writeTree({
      'depverify.config.json': JSON.stringify({ internalScopes: ['@file'] }),
      'package.json': JSON.stringify({ name: 'app', depverify: { internalScopes: ['@manifest'] } }),
    });
    expect(await loadConfig(both)).toMatchObject({ internalScopes: ['@file'], source: 'depverify.config.json' });
    const manifestOnly = await writeTree({
      'package.json': JSON.stringify({ name: 'app', depverify: { internalScopes: ['@manifest'] } }),
    });
    expect(await loadConfig(manifestOnly)).toMatchObject({
      internalScopes: ['@manifest'],
      source: 'package.json#depverify',
    });
    const none = await writeTree({ 'package.json': '{ broken' });
    const defaults = await loadConfig(none);
    expect(defaults.internalScopes).toEqual([]);
    expect(defaults.source).toBeUndefined();
  });

  it('an explicit file is read relative to the root and must exist', async () => {
    const root = await writeTree({ 'config/strict.json': JSON.stringify({ severity: { DEPRECATED: 'error' } }) });
    expect(await loadConfig(root, 'config/strict.json')).toMatchObject({
      severity: { DEPRECATED: 'error' },
      source: 'config/strict.json',
    });
    await expect(loadConfig(root, 'config/absent.json')).rejects.toThrow(/^cannot read config\/absent\.json: /);
  });

  it('broken JSON and invalid settings are errors naming the file', async () => {
    const broken = await writeTree({ 'depverify.config.json': '{ "severity": ' });
    await expect(loadConfig(broken)).rejects.toThrow(ConfigError);
    await expect(loadConfig(broken)).rejects.toThrow(/^depverify\.config\.json: /);
    const invalid = await writeTree({ 'package.json': JSON.stringify({ depverify: { typo: true } }) });
    await expect(loadConfig(invalid)).rejects.toThrow('package.json#depverify: unknown key "typo"');
  });
});

describe('matchesPackagePattern', () => {
  it('a name matches itself exactly, a pattern by its stars', () => {
    expect(matchesPackagePattern('esbuild', ['esbuild'])).toBe(true);
    expect(matchesPackagePattern('esbuild-wasm', ['esbuild'])).toBe(false);
    expect(matchesPackagePattern('@corp/tool', ['@corp/*'])).toBe(true);
    expect(matchesPackagePattern('@corporate/tool', ['@corp/*'])).toBe(false);
    expect(matchesPackagePattern('eslint-plugin-x', ['prettier', 'eslint-*'])).toBe(true);
    expect(matchesPackagePattern('anything', [])).toBe(false);
  });
});

describe('normaliseHost', () => {
  it('takes the host (and port) of a host, host:port or URL, in lower case', () => {
    expect(normaliseHost('Mirror.Example.test', 'w')).toBe('mirror.example.test');
    expect(normaliseHost(' mirror.example.test:8080 ', 'w')).toBe('mirror.example.test:8080');
    expect(normaliseHost('https://mirror.example.test/npm/', 'w')).toBe('mirror.example.test');
    expect(() => normaliseHost('http://', 'where')).toThrow('where: "http://" is not a host');
  });
});

describe('withPnpmSettings', () => {
  it("fills in what depverify's configuration leaves unset, and adds to the exclude list", () => {
    const config = parseConfig({ minimumReleaseAgeExclude: ['a'] }, 't');
    withPnpmSettings(config, {
      minimumReleaseAge: 60,
      minimumReleaseAgeExclude: ['b'],
      onlyBuiltDependencies: ['esbuild'],
    });
    expect(config.release).toEqual({
      minimumReleaseAge: 60,
      minimumReleaseAgeSource: 'pnpm-workspace.yaml',
      minimumReleaseAgeExclude: ['a', 'b'],
      installScriptsAllow: ['esbuild'],
    });
  });

  it("never overrides depverify's own settings", () => {
    const config = parseConfig({ minimumReleaseAge: '1d', installScripts: { allow: [] } }, 'cfg.json');
    withPnpmSettings(config, { minimumReleaseAge: 5, onlyBuiltDependencies: ['esbuild'] });
    expect(config.release).toEqual({
      minimumReleaseAge: 1440,
      minimumReleaseAgeSource: 'cfg.json',
      minimumReleaseAgeExclude: [],
      installScriptsAllow: [],
    });
  });
});
