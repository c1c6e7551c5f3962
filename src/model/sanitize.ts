// C0/C1 controls and DEL, which covers ESC (ANSI/CSI), OSC introducers and BEL; the Unicode bidi
// marks and overrides that can make a line read differently from what it is; line and paragraph
// separators; zero-width characters that hide text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** Make an untrusted registry string safe for one terminal line: controls become spaces. */
export function sanitize(text: string, maxLength = 500): string {
  const clean = redactCredentials(text.replace(CONTROL, ' ')).replace(/ {2,}/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

// `scheme://user:password@` or `scheme://token@`: the whole userinfo is a secret as often as not.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>()[\]{}]+@/gi;

/** URL credentials (`https://user:token@host/`) replaced by `***`: output never carries them. */
export function redactCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}

/** `redactCredentials` on every string of a JSON-like value (a report), keys included. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactCredentials(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactCredentials(k), redactDeep(v)])) as T;
  return value;
}
