// C0/C1 controls and DEL, which covers ESC (ANSI/CSI), OSC introducers and BEL; the Unicode bidi
// marks and overrides that can make a line read differently from what it is; line and paragraph
// separators; zero-width characters that hide text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** Make an untrusted registry string safe for one terminal line: controls become spaces. */
export function sanitize(text: string, maxLength = 500): string {
  const clean = text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
