/**
 * Package names wherever assistants' answers put them, beside the code itself: shell lines
 * (installs, and `npx`/`dlx` runs), install commands quoted in prose or left in a code block (as
 * its first line, or in a `// npm install x` comment), `package.json` blocks, and CDN URLs in
 * `<script src>` or `import` (`https://<cdn>/pkg@1/…`).
 */
import { type PackageCommand, readPackageCommands } from './command-line.js';

export interface FoundSpec {
  spec: string;
  /** `npm install`, `npx`, `pnpm dlx`, `package.json`, `cdn`… */
  command: string;
  /** 0-based line within the text it was read from. */
  line: number;
}

const PM_LINE = /^\s*(?:[$>#%]\s*)?(?:sudo\s+)?(?:npm|npx|pnpm|pnpx|yarn|bun|bunx)\s/;

function commandName(c: PackageCommand): string {
  const [first, second] = c.words;
  if (first === 'npx' || first === 'bunx' || first === 'pnpx') return first;
  if (first === 'yarn' && second === 'global') return 'yarn global add';
  return c.words.length === 1 ? first! : `${first} ${second}`;
}

/** What one shell line installs or runs: each package spec, with the command it came from. */
function specsOfShellLine(text: string, line: number): FoundSpec[] {
  if (!PM_LINE.test(text)) return [];
  const stripped = text.replace(/^\s*(?:[$>#%]\s*)/, '');
  let commands: PackageCommand[];
  try {
    commands = readPackageCommands(stripped);
  } catch {
    return [];
  }
  return commands.flatMap((c) => c.specs.map((spec) => ({ spec, command: commandName(c), line })));
}

/** Every line of a shell block. */
export function specsOfShell(text: string): FoundSpec[] {
  return text.split('\n').flatMap((lineText, i) => specsOfShellLine(lineText, i));
}

/**
 * Install commands inside code or prose: a line that is one (`npm install x` as the first line of
 * a JavaScript block), a `//` or `#` comment holding one, or one in quotes or backticks.
 */
export function specsInText(text: string, options: { wholeLines: boolean }): FoundSpec[] {
  const out: FoundSpec[] = [];
  text.split('\n').forEach((lineText, i) => {
    if (options.wholeLines && PM_LINE.test(lineText)) {
      out.push(...specsOfShellLine(lineText, i));
      return;
    }
    const comment = /^\s*(?:\/\/|#|\/\*+|\*)\s*(.*?)(?:\*\/)?\s*$/.exec(lineText)?.[1];
    if (comment && PM_LINE.test(comment)) {
      out.push(...specsOfShellLine(comment, i));
      return;
    }
    for (const m of lineText.matchAll(/[`'"“‘]([^`'"”’\n]+)[`'"”’]/g)) out.push(...specsOfShellLine(m[1]!, i));
  });
  return out;
}

/** A JSON block that is a package.json: its dependency fields are declarations. */
export function specsOfManifestBlock(text: string): FoundSpec[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [];
  const lines = text.split('\n');
  const out: FoundSpec[] = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    const deps = (doc as Record<string, unknown>)[field];
    if (typeof deps !== 'object' || deps === null) continue;
    for (const [name, range] of Object.entries(deps)) {
      if (typeof range !== 'string' || /^(?:file:|link:|workspace:|git|https?:|github:|\.|\/)/.test(range)) continue;
      const line = Math.max(0, lines.findIndex((l) => l.includes(JSON.stringify(name))));
      out.push({ spec: range && range !== '*' && range !== 'latest' ? `${name}@${range}` : name, command: 'package.json', line });
    }
  }
  return out;
}

// Public CDNs that serve npm packages by name: `<host>/<prefix><name>[@version][/file]`.
const CDN = /https?:\/\/(?:unpkg\.com\/|cdn\.jsdelivr\.net\/npm\/|esm\.sh\/(?:v\d+\/)?|cdn\.skypack\.dev\/|esm\.run\/|ga\.jspm\.io\/npm:|cdn\.esm\.sh\/)((?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*)(?:@([\w.^~<>=|*+-]+))?/gi;

/** The npm package (and version) each CDN URL in the text serves. */
export function specsOfCdnUrls(text: string): FoundSpec[] {
  const out: FoundSpec[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(CDN)) out.push({ spec: m[2] ? `${m[1]!.toLowerCase()}@${m[2]}` : m[1]!.toLowerCase(), command: 'cdn', line: i });
  });
  return out;
}

/** The code of each `<script type="module">` (or plain inline `<script>`) of an HTML block, with its first line. */
export function scriptsOfHtml(html: string): Array<{ code: string; line: number; column: number }> {
  const out: Array<{ code: string; line: number; column: number }> = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? '';
    if (/\bsrc\s*=/.test(attrs) || (/\btype\s*=/.test(attrs) && !/\btype\s*=\s*["']?(?:module|text\/javascript)\b/i.test(attrs))) continue;
    const start = (m.index ?? 0) + m[0].indexOf('>') + 1;
    const before = html.slice(0, start).split('\n');
    out.push({ code: m[2] ?? '', line: before.length - 1, column: before.at(-1)!.length });
  }
  return out;
}
