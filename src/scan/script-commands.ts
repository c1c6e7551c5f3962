/**
 * The commands a package.json script runs, as package binaries: `tsup src/index.ts && tsc` runs
 * `tsup` and `tsc`. Only what is plainly a command word is taken; shell builtins, system tools,
 * references to other scripts, paths and anything built at run time (`$CMD`, `$(…)`) are not.
 */
import { SYSTEM_COMMANDS } from './system-commands.js';

export interface ScriptCommand {
  /** The command name (`tsup`). */
  bin: string;
  /**
   * How it is run: `plain` as a command word; `local` through `pnpm exec`/`yarn exec`/
   * `node_modules/.bin/`, which run an installed package's command and nothing else; `download`
   * through `npx`/`pnpx`/`bunx`/`npm exec`, which fetch the package of that name when none
   * installed provides it (`bin` is then the package name, its `@version` dropped).
   */
  via: 'plain' | 'local' | 'download';
}

/** Commands that run the rest of their words as a command (`cross-env A=1 tsup`, `time tsc`). */
const WRAPPERS: ReadonlySet<string> = new Set([
  'cross-env',
  'cross-env-shell',
  'env',
  'nohup',
  'time',
  'sudo',
  'exec',
  'command',
  'nice',
  'dotenv',
  'env-cmd',
]);

/** Shell keywords a command follows (`then vite build`, `! grep`). */
const KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', '{']);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** A word that can be a command name: no path, no expansion, no glob. */
const COMMAND_NAME = /^[A-Za-z0-9@][\w.+@-]*$/;

/** The commands of one script line, in order. Unreadable parts are skipped, never guessed at. */
export function scriptCommands(script: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  for (const words of segments(script)) {
    const found = commandOf(words);
    if (found) commands.push(found);
  }
  return commands;
}

/** Splits a command line into simple commands (at `&&`, `||`, `;`, `|`, `&`, line breaks, subshell parentheses), each as words. */
function segments(script: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quoted = false;
  const endWord = (): void => {
    if (word !== '' || quoted) words.push(word);
    word = '';
    quoted = false;
  };
  const endSegment = (): void => {
    endWord();
    if (words.length) out.push(words);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === '"' || c === "'") {
      const end = script.indexOf(c, i + 1);
      if (end < 0) return out; // an unterminated quote: the rest is not read
      word += script.slice(i + 1, end);
      quoted = true;
      i = end;
    } else if (c === '\\') {
      word += script[i + 1] ?? '';
      i++;
    } else if (c === '`') {
      // Command substitution: what it runs is not a command word of this line.
      const end = script.indexOf('`', i + 1);
      word += '$()';
      if (end < 0) return out;
      i = end;
    } else if (c === '$' && script[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < script.length; j++) {
        if (script[j] === '(') depth++;
        else if (script[j] === ')' && --depth === 0) break;
      }
      word += '$()';
      i = j;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '&' || c === '|' || c === ';' || c === '\n' || c === '\r' || c === '(' || c === ')') {
      // `2>&1` is a redirection, not a separator.
      if (c === '&' && (script[i - 1] === '>' || script[i + 1] === '>')) word += c;
      else endSegment();
    } else {
      word += c;
    }
  }
  endSegment();
  return out;
}

function commandOf(all: string[]): ScriptCommand | undefined {
  // Redirections (`> out.txt`, `2>&1`, `<in`) are not words of the command.
  const words: string[] = [];
  for (let i = 0; i < all.length; i++) {
    const w = all[i]!;
    if (/^\d*[<>]/.test(w)) {
      if (/^\d*[<>]+&?$/.test(w)) i++; // the target is the next word
      continue;
    }
    words.push(w);
  }
  let i = 0;
  let via: ScriptCommand['via'] = 'plain';
  for (;;) {
    while (i < words.length && ASSIGNMENT.test(words[i]!)) i++;
    const w = words[i];
    if (w === undefined) return undefined;
    if (KEYWORDS.has(w)) {
      i++;
      continue;
    }
    if (WRAPPERS.has(w)) {
      i++;
      // Their options (`env -i`, `dotenv -e .env --`) come before the command.
      while (i < words.length && words[i]!.startsWith('-')) {
        const opt = words[i++]!;
        if (opt === '--') break;
        if (
          (w === 'dotenv' || w === 'env-cmd') &&
          /^-[a-z]$/.test(opt) &&
          i < words.length &&
          !words[i]!.startsWith('-')
        )
          i++;
      }
      continue;
    }
    // Runners that execute a package's bin: `npx x`, `pnpm exec x`, `yarn exec x`, `npm exec -- x`, `bunx x`, `bun x x`.
    const runner = runnerLength(words, i);
    if (runner !== undefined) {
      if (runner < 0) return undefined; // `npx -p pkg cmd`: not read
      via = /^(?:npx|pnpx|bunx|npm|bun)$/.test(words[i]!) ? 'download' : 'local';
      i += runner;
      continue;
    }
    break;
  }
  let bin = words[i]!;
  const binPath = /^(?:\.\/)?node_modules\/\.bin\/([^/]+)$/.exec(bin);
  if (binPath) {
    bin = binPath[1]!;
    via = 'local';
  }
  if (via === 'download') {
    // A package spec: `serverless@4`, `@scope/create-x@latest`.
    const spec = /^(@[^@/]+\/[^@/]+|[^@/]+)(?:@[^/]*)?$/.exec(bin);
    if (!spec) return undefined;
    bin = spec[1]!;
    if (bin.startsWith('@')) return isValidScoped(bin) ? { bin, via } : undefined;
  }
  if (!COMMAND_NAME.test(bin) || SYSTEM_COMMANDS.has(bin)) return undefined;
  return { bin, via };
}

/** How many words a runner prefix at `i` takes (its flags included); -1 for a form that is not read; undefined when there is none. */
function runnerLength(words: string[], i: number): number | undefined {
  const w = words[i];
  const next = words[i + 1];
  let n: number;
  if (w === 'npx' || w === 'bunx' || w === 'pnpx') n = 1;
  else if (
    (w === 'pnpm' || w === 'yarn' || w === 'npm' || w === 'bun') &&
    (next === 'exec' || (w === 'bun' && next === 'x'))
  )
    n = 2;
  else return undefined;
  while (i + n < words.length && words[i + n]!.startsWith('-')) {
    const flag = words[i + n]!;
    // A package named apart from the command, or a download-and-run: the command is not the package's name.
    if (/^(?:-p|--package|--call|-c)(?:=|$)/.test(flag)) return -1;
    n++;
    if (flag === '--') break;
  }
  return n;
}

function isValidScoped(name: string): boolean {
  return /^@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*$/i.test(name);
}
