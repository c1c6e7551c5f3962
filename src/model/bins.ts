import { posix } from 'node:path';
import { isRecord } from './json.js';

/**
 * The command names a package.json's `bin` field links, named as npm names them
 * (npm-normalize-package-bin): a string `bin` after the package, an array by its files, an object
 * by its keys, each cut to its last path segment (so `@scope/tool` links `tool`); an entry without
 * a target links nothing, and so does a string `bin` of a package without a name.
 * `[]`: the manifest links no command. `undefined`: which commands it links is not in the
 * manifest but in the package's files (a `directories.bin` folder and no `bin`).
 */
export function binNames(manifest: Record<string, unknown>, packageName: string | undefined): string[] | undefined {
  const { bin } = manifest;
  if (!bin || (typeof bin !== 'string' && typeof bin !== 'object')) {
    return isRecord(manifest.directories) && manifest.directories.bin ? undefined : [];
  }
  const entries: Array<[string, unknown]> =
    typeof bin === 'string'
      ? packageName
        ? [[packageName, bin]]
        : []
      : Array.isArray(bin)
        ? bin.filter((file): file is string => typeof file === 'string').map((file) => [file, file])
        : Object.entries(bin);
  const names = new Set<string>();
  for (const [key, target] of entries) {
    const name = posix.join('/', posix.basename(key.replace(/[\\:]/g, '/'))).slice(1);
    if (name && typeof target === 'string' && posix.join('/', target.replace(/\\/g, '/')).slice(1)) names.add(name);
  }
  return [...names];
}
