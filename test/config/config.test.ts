import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';

describe('parseConfig', () => {
  it('minimumReleaseAge: durations and minutes; anything else is refused', () => {
    expect(parseConfig({ minimumReleaseAge: '3d' }, 't').release.minimumReleaseAge).toBe(4320);
    expect(parseConfig({ minimumReleaseAge: '12h' }, 't').release.minimumReleaseAge).toBe(720);
    expect(parseConfig({ minimumReleaseAge: 90 }, 't').release.minimumReleaseAge).toBe(90);
    expect(() => parseConfig({ minimumReleaseAge: 'a week' }, 't')).toThrow(/minimumReleaseAge/);
    expect(() => parseConfig({ installScripts: { allowed: [] } }, 't')).toThrow(/installScripts.allowed/);
  });
});
