import validateName from 'validate-npm-package-name';

/**
 * Whether npm would install a package by this name (legacy rules: capitals are allowed). The
 * validator URL-encodes the name, which throws on a lone surrogate (`"\ud800"` in a JSON or JS
 * string): such a name is simply not valid.
 */
export function isValidPackageName(name: string): boolean {
  try {
    return validateName(name).validForOldPackages;
  } catch {
    return false;
  }
}

/** Whether npm would accept this name for a package published today (no capitals, no `~'!()*`). */
export function isValidNewPackageName(name: string): boolean {
  try {
    return validateName(name).validForNewPackages;
  } catch {
    return false;
  }
}

/** The DefinitelyTyped package that types `name` (`@types/node`, `@types/babel__core`). */
export function typesPackageFor(name: string): string {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

/** The package a DefinitelyTyped package types (`@types/babel__core` → `@babel/core`), the inverse of typesPackageFor. */
export function typedPackageOf(typesName: string): string | undefined {
  if (!typesName.startsWith('@types/')) return undefined;
  const bare = typesName.slice('@types/'.length);
  return bare.includes('__') ? `@${bare.replace('__', '/')}` : bare;
}
