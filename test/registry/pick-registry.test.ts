import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGISTRY,
  configuredRegistries,
  normaliseRegistry,
  pickRegistry,
} from '../../src/registry/pick-registry.js';
import { CORP_REGISTRY, REGISTRY } from '../helpers/registry.js';

describe('pickRegistry', () => {
  const config = {
    registry: 'https://registry.example.test',
    '@corp:registry': 'https://npm.corp.example.test',
    '//npm.corp.example.test/:_authToken': 'abc',
  };

  it("sends a scoped name to its scope's registry, anything else to the default, each with a trailing slash", () => {
    expect(pickRegistry('@corp/secret', config)).toBe(CORP_REGISTRY);
    expect(pickRegistry('lodash', config)).toBe(REGISTRY);
    expect(pickRegistry('@other/tool', config)).toBe(REGISTRY);
    // A name that merely starts like the scope is not in it.
    expect(pickRegistry('@corporate/x', config)).toBe(REGISTRY);
    expect(pickRegistry('corp', config)).toBe(REGISTRY);
  });

  it("without a configured registry, npm's default", () => {
    expect(DEFAULT_REGISTRY).toMatch(/^https:\/\/.+\/$/);
    expect(pickRegistry('lodash', {})).toBe(DEFAULT_REGISTRY);
    expect(pickRegistry('@corp/x', { '@corp:registry': CORP_REGISTRY })).toBe(CORP_REGISTRY);
    expect(pickRegistry('lodash', { registry: 42 })).toBe(DEFAULT_REGISTRY);
  });

  it('configuredRegistries lists the default and every scope registry once', () => {
    expect(
      configuredRegistries({
        ...config,
        '@corp2:registry': 'https://npm.corp.example.test/',
        '@tools:registry': 'https://tools.example.test/npm',
      }),
    ).toEqual([REGISTRY, CORP_REGISTRY, 'https://tools.example.test/npm/']);
    expect(configuredRegistries({})).toEqual([DEFAULT_REGISTRY]);
  });

  it('normaliseRegistry adds one trailing slash, never two', () => {
    expect(normaliseRegistry('https://registry.example.test')).toBe(REGISTRY);
    expect(normaliseRegistry(REGISTRY)).toBe(REGISTRY);
  });
});
