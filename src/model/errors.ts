/**
 * Configuration or usage that cannot work (a bad key, a ref that is not a commit): the run stops
 * with a message, not a stack trace. Here rather than in config/ because the scanner and the
 * registry client throw it too.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
