/** Parsed JSON (a manifest, a lockfile, a packument, a cache entry) before its shape is checked. */
export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export const isRecord = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((x) => typeof x === 'string');
