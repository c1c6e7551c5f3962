import { describe, expect, it } from 'vitest';
import { expandBraces, readPackageCommands } from '../../src/scan/command-line.js';

const read = (line: string) =>
  readPackageCommands(line).map(({ manager, kind, specs, cd }) => ({
    manager,
    kind,
    specs,
    ...(cd !== undefined ? { cd } : {}),
  }));

describe('readPackageCommands', () => {
  it('reads installs of every package manager, leaving flags and their values out', () => {
    expect(read('npm install -D --save-exact -w packages/api zod@^3 @types/node')).toEqual([
      { manager: 'npm', kind: 'install', specs: ['zod@^3', '@types/node'] },
    ]);
    expect(read('pnpm add --filter web react')).toEqual([{ manager: 'pnpm', kind: 'install', specs: ['react'] }]);
    expect(read('yarn add lodash && yarn global add serve')).toEqual([
      { manager: 'yarn', kind: 'install', specs: ['lodash'] },
      { manager: 'yarn', kind: 'install', specs: ['serve'] },
    ]);
    expect(read('bun add hono; bun i elysia')).toEqual([
      { manager: 'bun', kind: 'install', specs: ['hono'] },
      { manager: 'bun', kind: 'install', specs: ['elysia'] },
    ]);
  });

  it('a bare install or npm ci is an install of the project (no specs)', () => {
    expect(read('npm ci')).toEqual([{ manager: 'npm', kind: 'install', specs: [] }]);
    expect(read('yarn')).toEqual([{ manager: 'yarn', kind: 'install', specs: [] }]);
    expect(read('pnpm install --frozen-lockfile')).toEqual([{ manager: 'pnpm', kind: 'install', specs: [] }]);
  });

  it('reads packages run without installing: the first word that is not a flag, or the -p values', () => {
    expect(read('npx -y create-express-secure-app my-app --template ts')).toEqual([
      { manager: 'npm', kind: 'exec', specs: ['create-express-secure-app'] },
    ]);
    expect(read('npx -p typescript -p ts-node tsc --init')).toEqual([
      { manager: 'npm', kind: 'exec', specs: ['typescript', 'ts-node'] },
    ]);
    expect(read('npm exec --package=cowsay -- cowsay hi')).toEqual([
      { manager: 'npm', kind: 'exec', specs: ['cowsay'] },
    ]);
    expect(read('pnpm dlx create-vite@latest app')).toEqual([
      { manager: 'pnpm', kind: 'exec', specs: ['create-vite@latest'] },
    ]);
    expect(read('yarn dlx -p @scope/tool tool')).toEqual([{ manager: 'yarn', kind: 'exec', specs: ['@scope/tool'] }]);
    expect(read('bunx cowsay hi')).toEqual([{ manager: 'bun', kind: 'exec', specs: ['cowsay'] }]);
  });

  it('initializers: npm create/init, yarn/pnpm/bun create run create-<name> (the version kept)', () => {
    expect(read('npm create vite@latest my-app -- --template react')).toEqual([
      { manager: 'npm', kind: 'exec', specs: ['create-vite@latest'] },
    ]);
    expect(read('npm init -w packages/web react-app-secure-zz')).toEqual([
      { manager: 'npm', kind: 'exec', specs: ['create-react-app-secure-zz'] },
    ]);
    expect(read('yarn create next-app web')).toEqual([{ manager: 'yarn', kind: 'exec', specs: ['create-next-app'] }]);
    expect(read('pnpm create @vue')).toEqual([{ manager: 'pnpm', kind: 'exec', specs: ['@vue/create'] }]);
    expect(read('bun create @scope/app@2 x')).toEqual([
      { manager: 'bun', kind: 'exec', specs: ['@scope/create-app@2'] },
    ]);
    // No initializer, a GitHub template, a local one: nothing is fetched from the registry.
    expect(read('npm init -y')).toEqual([]);
    expect(read('yarn init && pnpm init')).toEqual([]);
    expect(read('bun create user/template app; npm init ./local')).toEqual([]);
  });

  it('pnpm exec and yarn exec run local bins only: no package named', () => {
    expect(read('pnpm exec tsc --noEmit && yarn exec eslint .')).toEqual([]);
  });

  it('understands cd, environment prefixes, sudo, pipes, subshells and comments', () => {
    expect(read('cd web && NODE_ENV=production sudo -E npm i express | tee log.txt # then build')).toEqual([
      { manager: 'npm', kind: 'install', specs: ['express'], cd: 'web' },
    ]);
    expect(read('(cd api && pnpm add fastify) || echo failed')).toEqual([
      { manager: 'pnpm', kind: 'install', specs: ['fastify'], cd: 'api' },
    ]);
    expect(read('echo "npm install fake" && git status')).toEqual([]);
    expect(read('npm test && npm run build')).toEqual([]);
  });

  it('leaves out what is not a registry package: paths, URLs, git, tarballs, variables', () => {
    expect(
      read('npm i ./local ../x file:lib git+https://example.test/r.git https://example.test/p.tgz pkg.tgz $PKG real'),
    ).toEqual([{ manager: 'npm', kind: 'install', specs: ['real'] }]);
  });

  it('expands braces as the shell does', () => {
    expect(expandBraces('@commitlint/{cli,config-conventional}')).toEqual([
      '@commitlint/cli',
      '@commitlint/config-conventional',
    ]);
    expect(read('npm i -D @commitlint/{cli,config-conventional}')).toEqual([
      { manager: 'npm', kind: 'install', specs: ['@commitlint/cli', '@commitlint/config-conventional'] },
    ]);
  });

  it('reads several lines', () => {
    expect(read('npm i a\nnpx b')).toEqual([
      { manager: 'npm', kind: 'install', specs: ['a'] },
      { manager: 'npm', kind: 'exec', specs: ['b'] },
    ]);
  });
});
