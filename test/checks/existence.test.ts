import { describe, expect, it } from 'vitest';
import { checkExistence } from '../../src/checks/existence.js';
import { found, input, manifestAt } from '../helpers/package-input.js';
import { packument, securityHolding, unpublished } from '../helpers/registry.js';

describe('existence', () => {
  it('NOT_FOUND carries every location and the suggestions', () => {
    const [finding, ...rest] = checkExistence.run(
      input({ state: 'missing', reason: 'not-found' }, [manifestAt('^1.0.0', 3), manifestAt('^1.0.0', 8)], ['pkgs']),
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'NOT_FOUND',
      severity: 'error',
      package: 'pkg',
      details: { suggestions: [{ name: 'pkgs' }] },
    });
    expect(finding?.locations.map((l) => l.line)).toEqual([3, 8]);
    expect(finding?.message).toContain('pkgs');
  });

  it('UNPUBLISHED and SECURITY_HOLDING from their documents', () => {
    expect(checkExistence.run(input(found(unpublished('pkg')), [manifestAt('*')]))[0]?.code).toBe('UNPUBLISHED');
    expect(checkExistence.run(input(found(securityHolding('pkg')), [manifestAt('*')]))[0]?.code).toBe(
      'SECURITY_HOLDING',
    );
  });

  it('REGISTRY_UNKNOWN says why, sanitised', () => {
    const [finding] = checkExistence.run(
      input({ state: 'unknown', reason: 'HTTP 500 \u001b[31mred' }, [manifestAt('*')]),
    );
    expect(finding).toMatchObject({ code: 'REGISTRY_UNKNOWN', severity: 'error' });
    expect(finding?.message).not.toContain('\u001b');
    expect(finding?.details?.reason).toContain('HTTP 500');
  });

  it('a found package has no existence finding', () => {
    expect(
      checkExistence.run(input(found(packument('pkg', { versions: { '1.0.0': {} } })), [manifestAt('*')])),
    ).toEqual([]);
  });
});
