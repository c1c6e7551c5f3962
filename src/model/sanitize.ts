// C0/C1 controls and DEL, which covers ESC (ANSI/CSI), OSC introducers and BEL; plus the Unicode
// bidi overrides that can make a line read differently from what it is.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Make an untrusted registry string safe for one terminal line: controls become spaces. */
export function sanitize(text: string, maxLength = 500): string {
  const clean = text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
