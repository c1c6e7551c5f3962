/**
 * Package-manager commands in a shell line, as a coding agent or a person types them: installs
 * (`npm i x`, `pnpm add x`, `yarn add x`, `bun add x`, or a bare `npm install` of the project)
 * and packages run without installing (`npx x`, `npm exec`, `pnpm dlx`, `yarn dlx`, `bunx`, and
 * the initializers of `npm create vite`/`npm init vite`, `yarn create`, `pnpm create`, `bun
 * create`, which run `create-vite`). `pnpm exec` and `yarn exec` run local bins only: nothing.
 * The line is split as a shell splits it (shell-quote): `&&`, `;`, pipes, subshells, `cd`,
 * environment prefixes and `sudo` are understood; nothing is expanded or run.
 */
import { parse } from 'shell-quote';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface PackageCommand {
  manager: PackageManager;
  /** `install` adds packages (or, with no specs, installs the project); `exec` runs one without installing. */
  kind: 'install' | 'exec';
  /** Package specs as written (`express`, `zod@^3`), braces expanded; paths, URLs and git specs left out. */
  specs: string[];
  /** The directory a preceding `cd` moved to, relative to where the line starts (undefined: no `cd`). */
  cd?: string;
  /** The command's words, for messages. */
  words: string[];
}

// Flags that take the next word as their value (the value is not a package).
const VALUE_FLAGS = new Set([
  '-w',
  '--workspace',
  '--prefix',
  '-C',
  '--dir',
  '--registry',
  '--tag',
  '--cache',
  '--userconfig',
  '--loglevel',
  '--omit',
  '--include',
  '--install-strategy',
  '--before',
  '--filter',
  '-F',
  '--reporter',
  '--cwd',
  '--cache-dir',
  '--backend',
  '-c',
  '--config',
  '--call',
  '--save-prefix',
  '--network-concurrency',
  '--modules-folder',
  '--mutex',
]);
const WRAPPERS = new Set(['sudo', 'env', 'time', 'command', 'exec', 'nohup']);
const NOT_A_PACKAGE =
  /^(?:\.{0,2}\/|~\/|file:|git[+:]|github:|gitlab:|bitbucket:|https?:|link:|workspace:|portal:|patch:)|\.(?:tgz|tar\.gz|tar)$/;

/** `@commitlint/{cli,config-conventional}` → both names, as the shell would expand them. */
export function expandBraces(word: string): string[] {
  const m = /^(.*?)\{([^{}]*,[^{}]*)\}(.*)$/.exec(word);
  if (!m) return [word];
  return m[2]!.split(',').flatMap((part) => expandBraces(`${m[1]}${part}${m[3]}`));
}

/** The line's simple commands, as word lists; a comment ends the line. */
function simpleCommands(line: string): string[][] {
  const commands: string[][] = [];
  for (const physical of line.split(/\r?\n/)) {
    // Variables stay as written: the line is read, never evaluated.
    const entries = parse(physical, (key) => `$${key}`);
    let current: string[] = [];
    for (const entry of entries) {
      if (typeof entry === 'string') current.push(entry);
      // A glob (`op: 'glob'`) is a word the shell would expand; every other operator ends a command.
      else if ('pattern' in entry) current.push(entry.pattern);
      else if ('comment' in entry) break;
      else {
        if (current.length) commands.push(current);
        current = [];
      }
    }
    if (current.length) commands.push(current);
  }
  return commands;
}

/** Words after the subcommand that name packages: flags and their values left out. */
function specWords(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') continue;
    if (word.startsWith('-')) {
      if (VALUE_FLAGS.has(word)) i++;
      continue;
    }
    for (const spec of expandBraces(word)) if (spec && !NOT_A_PACKAGE.test(spec) && !spec.includes('$')) out.push(spec);
  }
  return out;
}

/** `npx [-p pkg]… name args`: the packages are the -p values, else the first word that is not a flag. */
function execSpecs(words: string[]): string[] {
  const named: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-p' || word === '--package') {
      if (words[i + 1] !== undefined) named.push(words[++i]!);
    } else if (word.startsWith('--package=')) named.push(word.slice('--package='.length));
    else if (word === '--') continue;
    else if (word.startsWith('-')) {
      if (VALUE_FLAGS.has(word)) i++;
    } else {
      return specWords(named.length ? named : [word]);
    }
  }
  return specWords(named);
}

/**
 * `npm init <initializer>` runs a package: `vite` → `create-vite`, `@scope` → `@scope/create`,
 * `@scope/x` → `@scope/create-x`, the version kept (`vite@latest` → `create-vite@latest`). The
 * first word that is not a flag names it; none (`npm init -y`) runs nothing.
 */
function initializerSpecs(words: string[]): string[] {
  let word: string | undefined;
  for (let i = 0; i < words.length && word === undefined; i++) {
    if (words[i] === '--') break;
    if (!words[i]!.startsWith('-')) word = words[i];
    else if (VALUE_FLAGS.has(words[i]!)) i++;
  }
  if (word === undefined || NOT_A_PACKAGE.test(word)) return [];
  const at = word.indexOf('@', word.startsWith('@') ? 1 : 0);
  const name = at === -1 ? word : word.slice(0, at);
  const version = at === -1 ? '' : word.slice(at);
  let target: string;
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    target = slash === -1 ? `${name}/create` : `${name.slice(0, slash)}/create-${name.slice(slash + 1)}`;
  } else if (name.includes('/'))
    return []; // `bun create user/repo`: a GitHub template, not a package
  else target = `create-${name}`;
  return specWords([target + version]);
}

const program = (word: string): string => word.slice(word.lastIndexOf('/') + 1).replace(/\.(?:cmd|exe)$/i, '');

function readCommand(all: string[]): Omit<PackageCommand, 'cd'> | undefined {
  let start = 0;
  while (
    start < all.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(all[start]!) ||
      WRAPPERS.has(all[start]!) ||
      (all[start]!.startsWith('-') && start > 0))
  )
    start++;
  const words = all.slice(start);
  const name = program(words[0] ?? '');
  const sub = words[1] ?? '';
  const rest = words.slice(2);
  const install = (manager: PackageManager, args: string[]): Omit<PackageCommand, 'cd'> => ({
    manager,
    kind: 'install',
    specs: specWords(args),
    words,
  });
  const exec = (manager: PackageManager, args: string[]): Omit<PackageCommand, 'cd'> => ({
    manager,
    kind: 'exec',
    specs: execSpecs(args),
    words,
  });
  const create = (manager: PackageManager, args: string[]): Omit<PackageCommand, 'cd'> | undefined => {
    const specs = initializerSpecs(args);
    return specs.length ? { manager, kind: 'exec', specs, words } : undefined;
  };
  switch (name) {
    case 'npm':
      if (['install', 'i', 'add', 'in', 'isntall', 'install-test', 'it', 'ci'].includes(sub))
        return install('npm', sub === 'ci' ? [] : rest);
      if (sub === 'exec' || sub === 'x') return exec('npm', rest);
      if (sub === 'init' || sub === 'create' || sub === 'innit') return create('npm', rest);
      return undefined;
    case 'npx':
      return exec('npm', words.slice(1));
    case 'pnpm':
      if (['add', 'install', 'i'].includes(sub)) return install('pnpm', rest);
      if (sub === 'dlx') return exec('pnpm', rest);
      if (sub === 'create') return create('pnpm', rest);
      return undefined;
    case 'pnpx':
      return exec('pnpm', words.slice(1));
    case 'yarn':
      if (words.length === 1) return install('yarn', []);
      if (sub === 'add' || sub === 'install') return install('yarn', rest);
      if (sub === 'global' && words[2] === 'add') return install('yarn', words.slice(3));
      if (sub === 'dlx') return exec('yarn', rest);
      if (sub === 'create') return create('yarn', rest);
      return undefined;
    case 'bun':
      if (['add', 'a', 'install', 'i'].includes(sub)) return install('bun', rest);
      if (sub === 'x') return exec('bun', rest);
      if (sub === 'create' || sub === 'c') return create('bun', rest);
      return undefined;
    case 'bunx':
      return exec('bun', words.slice(1));
    default:
      return undefined;
  }
}

/** Every package-manager command in a shell line, in order. */
export function readPackageCommands(line: string): PackageCommand[] {
  const out: PackageCommand[] = [];
  let cd: string | undefined;
  for (const words of simpleCommands(line)) {
    if (words[0] === 'cd') {
      const target = words[1] ?? '';
      cd = target.startsWith('/') || cd === undefined ? target : `${cd}/${target}`;
      continue;
    }
    const command = readCommand(words);
    if (command) out.push({ ...command, ...(cd !== undefined ? { cd } : {}) });
  }
  return out;
}
