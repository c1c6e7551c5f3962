import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadNpmConfig } from '../../src/registry/npmrc.js';
import { CORP_REGISTRY, REGISTRY } from '../helpers/registry.js';

let dir: string;
let root: string;
let userRc: string;
let globalRc: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'depverify-npmrc-'));
  root = path.join(dir, 'project');
  await mkdir(root);
  userRc = path.join(dir, 'user-npmrc');
  globalRc = path.join(dir, 'global-npmrc');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The .npmrc files given (project, user, global), read with only this environment. */
async function load(
  files: { project?: string[]; user?: string[]; global?: string[] },
  env: Record<string, string> = {},
  overrides?: Record<string, string>,
) {
  if (files.project) await writeFile(path.join(root, '.npmrc'), files.project.join('\n'));
  if (files.user) await writeFile(userRc, files.user.join('\n'));
  if (files.global) await writeFile(globalRc, files.global.join('\n'));
  return loadNpmConfig({
    root,
    env: { HOME: dir, npm_config_userconfig: userRc, npm_config_globalconfig: globalRc, ...env },
    ...(overrides ? { overrides } : {}),
  });
}

describe('loadNpmConfig', () => {
  it('reads global, user and project files in that order; the later wins, then the environment, then overrides', async () => {
    const loaded = await load(
      {
        global: ['registry=https://global.example.test/', 'strict-ssl=false'],
        user: ['registry=https://user.example.test/', 'proxy=http://proxy.example.test:8080'],
        project: [`registry=${REGISTRY}`],
      },
      { npm_config_proxy: 'http://env-proxy.example.test:3128' },
    );
    expect(loaded.files).toEqual([globalRc, userRc, path.join(root, '.npmrc')]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.config).toEqual({
      registry: REGISTRY,
      proxy: 'http://env-proxy.example.test:3128',
      strictSSL: false,
    });
    const overridden = await load({}, {}, { registry: CORP_REGISTRY });
    expect(overridden.config.registry).toBe(CORP_REGISTRY);
  });

  it('passes scoped registries and per-host credentials through as they are written', async () => {
    const loaded = await load({
      project: [
        `@corp:registry=${CORP_REGISTRY}`,
        '//npm.corp.example.test/:_authToken=abc123',
        '//npm.corp.example.test/:always-auth=true',
        '//registry.example.test/:_auth=dXNlcjpwYXNz',
      ],
    });
    expect(loaded.config).toEqual({
      '@corp:registry': CORP_REGISTRY,
      '//npm.corp.example.test/:_authToken': 'abc123',
      '//npm.corp.example.test/:always-auth': 'true',
      '//registry.example.test/:_auth': 'dXNlcjpwYXNz',
    });
  });

  it('expands ${VAR} and ${VAR?} from the environment, as npm does; an escaped one stays literal', async () => {
    const loaded = await load(
      {
        project: [
          '//npm.corp.example.test/:_authToken=${CORP_TOKEN}',
          '//a.example.test/:_authToken=${UNSET_TOKEN}',
          '//b.example.test/:_authToken=${UNSET_TOKEN?}',
          '//c.example.test/:_authToken=\\${CORP_TOKEN}',
          'registry=https://${REG_HOST}/npm/',
        ],
      },
      { CORP_TOKEN: 's3cret', REG_HOST: 'registry.example.test' },
    );
    expect(loaded.config).toEqual({
      '//npm.corp.example.test/:_authToken': 's3cret',
      '//a.example.test/:_authToken': '${UNSET_TOKEN}',
      '//b.example.test/:_authToken': '',
      '//c.example.test/:_authToken': '${CORP_TOKEN}',
      registry: 'https://registry.example.test/npm/',
    });
  });

  it('ignores comments, blank lines and settings that are not about fetching', async () => {
    const loaded = await load({
      project: [
        '; a comment',
        '# another comment',
        '',
        `registry=${REGISTRY}`,
        'save-exact=true',
        'engine-strict=true',
        '  ; indented comment',
      ],
    });
    expect(loaded.config).toEqual({ registry: REGISTRY });
  });

  it('reads npm_config_* variables as npm names them: lower case and dashes, scoped and host keys as written', async () => {
    const loaded = await load(
      {},
      {
        NPM_CONFIG_HTTPS_PROXY: 'http://secure-proxy.example.test:8443',
        npm_config_proxy: 'http://plain-proxy.example.test:8080',
        npm_config_no_proxy: 'internal.example.test',
        'npm_config_@corp:registry': CORP_REGISTRY,
        'npm_config_//npm.corp.example.test/:_authToken': 'from-env',
        npm_config_local_address: '10.0.0.2',
      },
    );
    expect(loaded.config).toEqual({
      '@corp:registry': CORP_REGISTRY,
      '//npm.corp.example.test/:_authToken': 'from-env',
      // https-proxy wins over proxy.
      proxy: 'http://secure-proxy.example.test:8443',
      noProxy: 'internal.example.test',
      localAddress: '10.0.0.2',
    });
    // The variables that name the files are not settings.
    expect(Object.keys(loaded.config)).not.toContain('userconfig');
  });

  it('strict-ssl is on unless written false; ca and cafile become a list of certificates', async () => {
    const cert = (n: number) => `-----BEGIN CERTIFICATE-----\nAAAA${n}\n-----END CERTIFICATE-----`;
    const cafile = path.join(dir, 'bundle.pem');
    await writeFile(cafile, `${cert(1)}\n\n${cert(2)}\n`);
    const loaded = await load({
      project: ['strict-ssl=true', `ca=${cert(0).replace(/\n/g, '\\n')}`, `cafile=${cafile}`],
    });
    expect(loaded.config).toEqual({ strictSSL: true, ca: [cert(0), cert(1), cert(2)] });
  });

  it('a missing file is no error; an unreadable one and a missing cafile are, naming the file', async () => {
    expect((await load({})).errors).toEqual([]);
    await mkdir(path.join(root, '.npmrc'));
    const missingCa = path.join(dir, 'absent.pem');
    const loaded = await load({ user: [`cafile=${missingCa}`] });
    expect(loaded.files).toEqual([userRc]);
    expect(loaded.errors.map((e) => e.file)).toEqual([path.join(root, '.npmrc'), missingCa]);
    expect(loaded.errors[1]!.message).toMatch(/^cafile: ENOENT/);
    expect(loaded.config).toEqual({});
  });
});
