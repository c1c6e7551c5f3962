/** How a licence family binds its users; `details.category` of LICENSE_NOT_ALLOWED. */
export type LicenseCategory = 'permissive' | 'weak-copyleft' | 'strong-copyleft' | 'network-copyleft' | 'other';

/**
 * The legacy `licenses: [{type}, …]` array as one SPDX expression: a package offered under several
 * licences may be used under any of them.
 */
export function joinLegacyLicenses(types: readonly string[]): string | undefined {
  if (types.length <= 1) return types[0];
  return `(${types.join(' OR ')})`;
}
