/** Which package names a run leaves out: its internal scopes and `ignore.packages`. */
import { type DepverifyConfig, matchesPackagePattern } from './config.js';

export interface SkipRules {
  /** Whether a name is skipped (an internal scope, or ignore.packages); remembers the ones that are. */
  skip(name: string): boolean;
  skipped: Set<string>;
  /** A name of an internal scope: its own registry's, never compared with public packages. */
  isInternal(name: string): boolean;
  /** skip() without remembering the name. */
  isExcluded(name: string): boolean;
}

export function skipRules(config: DepverifyConfig): SkipRules {
  const skipped = new Set<string>();
  const isInternal = (name: string): boolean =>
    config.internalScopes.some((scope) => name.toLowerCase().startsWith(`${scope}/`));
  const isExcluded = (name: string): boolean => isInternal(name) || matchesPackagePattern(name, config.ignore.packages);
  return {
    skipped,
    isInternal,
    isExcluded,
    skip(name) {
      if (isExcluded(name)) skipped.add(name);
      return skipped.has(name);
    },
  };
}
