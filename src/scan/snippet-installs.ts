/**
 * Package names wherever assistants' answers put them, beside the code itself: shell lines
 * (installs, and `npx`/`dlx` runs), install commands quoted in prose or left in a code block (as
 * its first line, or in a `// npm install x` comment), `package.json` blocks, and CDN URLs in
 * `<script src>` or `import` (`https://<cdn>/pkg@1/…`).
 */
import { cdnHost } from './cdn-hosts.js';
import { type PackageCommand, readPackageCommands } from './command-line.js';

export interface FoundSpec {
  spec: string;
  /** `npm install`, `npx`, `pnpm dlx`, `package.json`, `cdn`… */
  command: string;
  /** Installed, run without installing (`npx`, `dlx`, `npm create`), declared in a package.json block, or served by a CDN. */
  kind: 'install' | 'exec' | 'manifest' | 'cdn';
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

/**
 * A package-manager command as a line of code (`npm init -y`, `npm run dev`, `yarn add x`): never
 * JavaScript, since the program's name is followed by a subcommand or flag (`bun = 1` is code).
 */
export function isPackageManagerLine(text: string): boolean {
  return PM_LINE.test(text) && /^\s*(?:[$>#%]\s*)?(?:sudo\s+)?[a-z]+\s+[a-z@-]/i.test(text);
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
  return commands.flatMap((c) => c.specs.map((spec) => ({ spec, command: commandName(c), kind: c.kind, line })));
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
      const line = Math.max(
        0,
        lines.findIndex((l) => l.includes(JSON.stringify(name))),
      );
      out.push({
        spec: range && range !== '*' && range !== 'latest' ? `${name}@${range}` : name,
        command: 'package.json',
        kind: 'manifest',
        line,
      });
    }
  }
  return out;
}

const URL_IN_TEXT = /https?:\/\/[^\s'"`<>()\\]+/gi;
const NAME_IN_PATH = /^((?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*)(?:@([\w.^~<>=|*+-]+))?(?=[/?#]|$)/i;
/** A version as a URL pins it: `1`, `1.2.3`, `^1.2`, `4.0.0-beta.1` (not Deno's `v1`, not a word). */
const PINNED = /^[~^]?\d+(?:\.\d+){0,2}(?:-[\w.]+)?$/;
/** Just before a URL that is loaded as code: `src="`, `href='`, `from '`, `import("`, `import '`. */
const LOADED = /(?:\b(?:src|href)\s*=\s*["']?|\b(?:from|import)\s*\(?\s*["'])$/i;

/** The npm package (and version) one URL serves, if it serves one. */
function cdnSpec(url: string, loaded: boolean): string | undefined {
  let parsed: URL;
  let rest: string;
  try {
    parsed = new URL(url);
    rest = decodeURI(parsed.pathname).slice(1);
  } catch {
    return undefined;
  }
  const known = cdnHost(parsed.hostname);
  let pinnedOnly = false;
  if (known) {
    if (known.prefix === null || known.others?.test(rest)) return undefined;
    const prefix = known.prefix.exec(rest);
    if (!prefix || prefix.index !== 0) return undefined;
    rest = rest.slice(prefix[0].length);
  } else if (rest.startsWith('npm/')) {
    rest = rest.slice('npm/'.length);
    pinnedOnly = true;
  } else if (loaded) {
    pinnedOnly = true;
  } else return undefined;
  const m = NAME_IN_PATH.exec(rest);
  if (!m) return undefined;
  // Elsewhere, only the shape of a versioned package path says a URL serves an npm package.
  if (pinnedOnly && !(m[2] && PINNED.test(m[2]))) return undefined;
  const name = m[1]!.toLowerCase();
  return m[2] ? `${name}@${m[2]}` : name;
}

/**
 * The npm package (and version) each CDN URL in the text serves: on the hosts of the CDN table by
 * their own path shapes; on any other host by `/npm/<pkg>@<ver>/`, or by `/<pkg>@<ver>/` where
 * the URL is loaded as a script, stylesheet or module.
 */
export function specsOfCdnUrls(text: string): FoundSpec[] {
  const out: FoundSpec[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(URL_IN_TEXT)) {
      const url = m[0].replace(/[.,;:]+$/, '');
      const spec = cdnSpec(url, LOADED.test(lineText.slice(Math.max(0, m.index - 40), m.index)));
      if (spec) out.push({ spec, command: 'cdn', kind: 'cdn', line: i });
    }
  });
  return out;
}

/** The code of each `<script type="module">` (or plain inline `<script>`) of an HTML block, with its first line. */
export function scriptsOfHtml(html: string): Array<{ code: string; line: number; column: number }> {
  const out: Array<{ code: string; line: number; column: number }> = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? '';
    if (
      /\bsrc\s*=/.test(attrs) ||
      (/\btype\s*=/.test(attrs) && !/\btype\s*=\s*["']?(?:module|text\/javascript)\b/i.test(attrs))
    )
      continue;
    const start = (m.index ?? 0) + m[0].indexOf('>') + 1;
    const before = html.slice(0, start).split('\n');
    out.push({ code: m[2] ?? '', line: before.length - 1, column: before.at(-1)!.length });
  }
  return out;
}
