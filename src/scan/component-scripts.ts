/**
 * The module code of single-file components: the `<script>` blocks of `.vue` and `.svelte` files,
 * the frontmatter and processed `<script>` tags of `.astro` files. No framework compiler: the
 * markup is walked just far enough to know which `<script>` elements are code the bundler
 * compiles, and everything else is blanked to spaces (line breaks kept), so the code is parsed in
 * place and every position is the one in the original file.
 */

export const COMPONENT_EXTENSIONS: readonly string[] = ['.vue', '.svelte', '.astro'];

export type ComponentKind = 'vue' | 'svelte' | 'astro';

export function componentKind(file: string): ComponentKind | undefined {
  const dot = file.lastIndexOf('.');
  const ext = dot < 0 ? '' : file.slice(dot + 1).toLowerCase();
  return ext === 'vue' || ext === 'svelte' || ext === 'astro' ? ext : undefined;
}

export interface ComponentCode {
  /** The file's text with everything but module code blanked; same length and lines as the file. */
  code: string;
  /** The extension the code parses as (`lang="ts"` → `.ts`, `lang="tsx"` → `.tsx`). */
  extension: '.js' | '.jsx' | '.ts' | '.tsx';
  /** Number of code ranges kept (script blocks, frontmatter). */
  blocks: number;
}

interface Range {
  start: number;
  end: number;
  lang?: string;
}

/** Elements whose content is text up to their closing tag, never markup. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** `type` values of a script that holds JavaScript (a JSON-LD or template script does not). */
const JS_TYPE = /^(?:module|(?:text|application)\/(?:javascript|ecmascript|typescript|babel)|ts|js)$/i;

/** The module code of a component, or undefined for a file that is not one. */
export function componentCode(file: string, text: string): ComponentCode | undefined {
  const kind = componentKind(file);
  if (kind === undefined) return undefined;
  const ranges: Range[] = [];
  let from = 0;
  if (kind === 'astro') {
    // The frontmatter: a `---` fence on the first line that is not blank, to the next `---` line.
    const open = /^(?:[ \t]*\r?\n)*[ \t]*---[ \t]*\r?\n/.exec(text);
    if (open) {
      const start = open[0].length;
      const close = /^[ \t]*---[ \t]*\r?$/m.exec(text.slice(start));
      const end = close ? start + close.index : text.length;
      ranges.push({ start, end, lang: 'ts' });
      from = close ? end + close[0].length : text.length;
    }
  }
  for (const script of scripts(text, from)) {
    if (!keepScript(kind, script)) continue;
    ranges.push({
      start: script.contentStart,
      end: script.contentEnd,
      ...(script.attrs.lang ? { lang: script.attrs.lang } : {}),
    });
  }
  return { code: blankOutside(text, ranges), extension: extensionOf(kind, ranges), blocks: ranges.length };
}

interface ScriptElement {
  attrs: Record<string, string>;
  /** Elements open around it (0: a top-level block). */
  depth: number;
  contentStart: number;
  contentEnd: number;
}

function keepScript(kind: ComponentKind, script: ScriptElement): boolean {
  const { attrs } = script;
  if (attrs.type !== undefined && !JS_TYPE.test(attrs.type.trim())) return false;
  if (attrs.src !== undefined) return false;
  // Astro bundles a <script> wherever it stands, unless it has any attribute other than `src`
  // (then it is left inline, as written, for the browser: no bundler resolves its imports).
  if (kind === 'astro') return Object.keys(attrs).length === 0;
  // Vue and Svelte compile their top-level <script> blocks; one nested in markup (inside
  // <svelte:head>, say) is an element of the page.
  return script.depth === 0;
}

function extensionOf(kind: ComponentKind, ranges: readonly Range[]): ComponentCode['extension'] {
  const langs = ranges.map((r) => (r.lang ?? '').toLowerCase());
  if (langs.some((l) => l === 'tsx')) return '.tsx';
  if (langs.some((l) => l === 'jsx')) return kind === 'vue' && langs.some((l) => l === 'ts') ? '.tsx' : '.jsx';
  if (kind === 'astro' || langs.some((l) => l === 'ts' || l === 'typescript')) return '.ts';
  return '.js';
}

function blankOutside(text: string, ranges: readonly Range[]): string {
  const keep = [...ranges].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  const blank = (s: string): string => s.replace(/[^\r\n]/g, ' ');
  for (const r of keep) {
    if (r.start < at) continue;
    out += blank(text.slice(at, r.start)) + text.slice(r.start, r.end);
    at = r.end;
  }
  return out + blank(text.slice(at));
}

/**
 * Every `<script>` element of a markup text, from `from` on, with the depth of elements open
 * around it. Comments, raw-text elements (`<style>`, whose CSS may hold `<script`), quoted
 * attribute values and `{…}` expressions (Svelte, Astro, Vue's `{{ }}`) are skipped, so a
 * `<script>` written inside text or a string is not taken for one.
 */
function scripts(text: string, from: number): ScriptElement[] {
  const found: ScriptElement[] = [];
  let depth = 0;
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '{') {
      i = skipBraces(text, i);
      continue;
    }
    if (c !== '<') {
      i++;
      continue;
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (text[i + 1] === '!' || text[i + 1] === '?') {
      const end = text.indexOf('>', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const closing = text[i + 1] === '/';
    const name = /^[A-Za-z][\w:.-]*/.exec(text.slice(i + (closing ? 2 : 1), i + 200))?.[0];
    if (!name) {
      i++;
      continue;
    }
    const tag = readTag(text, i + (closing ? 2 : 1) + name.length);
    const lower = name.toLowerCase();
    if (closing) {
      depth = Math.max(0, depth - 1);
      i = tag.end;
      continue;
    }
    if (RAW_TEXT.has(lower) && !tag.selfClosing) {
      const close = new RegExp(`</${lower}\\s*>`, 'i').exec(text.slice(tag.end));
      const contentEnd = close ? tag.end + close.index : n;
      if (lower === 'script') found.push({ attrs: tag.attrs, depth, contentStart: tag.end, contentEnd });
      i = close ? contentEnd + close[0].length : n;
      continue;
    }
    if (!tag.selfClosing && !VOID.has(lower)) depth++;
    i = tag.end;
  }
  return found;
}

/** The attributes of a start tag from just after its name, and where the tag ends. */
function readTag(text: string, from: number): { attrs: Record<string, string>; end: number; selfClosing: boolean } {
  const attrs: Record<string, string> = {};
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '>') return { attrs, end: i + 1, selfClosing: text[i - 1] === '/' };
    if (c === '{') {
      i = skipBraces(text, i);
      continue;
    }
    const attr = /^([^\s"'<>/={}]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>{}]+)))?/.exec(text.slice(i, i + 4096));
    if (attr && attr[0].length > 0 && !/\s/.test(c)) {
      const name = attr[1]!.toLowerCase();
      if (!(name in attrs)) attrs[name] = attr[2] ?? attr[3] ?? attr[4] ?? '';
      i += attr[0].length;
      continue;
    }
    i++;
  }
  return { attrs, end: n, selfClosing: false };
}

/** From an opening `{` to just after its matching `}`, skipping strings and template literals. */
function skipBraces(text: string, from: number): number {
  let depth = 0;
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i);
      continue;
    }
    i++;
  }
  return n;
}

function skipString(text: string, from: number): number {
  const quote = text[from];
  let i = from + 1;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n' && quote !== '`')
      return i + 1; // an apostrophe in prose, not a string
    else i++;
  }
  return n;
}
