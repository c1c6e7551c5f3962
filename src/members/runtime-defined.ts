/**
 * Declarations lag the runtime: a member the package's own JavaScript defines (runtime-names.ts)
 * is not invented, whatever its types say.
 */
import type { Finding } from '../model/finding.js';
import { NODE_KEY } from './builtins.js';
import type { DeclarationLoader } from './declarations.js';
import { runtimeDefines, runtimeGeneratesMembers } from './runtime-names.js';

async function typedByDefines(
  typedBy: unknown,
  name: string,
  classes: string[],
  loader: DeclarationLoader,
): Promise<boolean> {
  if (!Array.isArray(typedBy)) return false;
  for (const id of typedBy) {
    if (typeof id !== 'string') continue;
    const at = id.lastIndexOf('@');
    const owner = id.slice(0, at);
    const pkg = await loader.load(owner, id.slice(at + 1));
    const runtime = typeof pkg === 'string' ? undefined : await loader.runtimeOf(pkg);
    if (typeof pkg === 'string' || !runtime) continue;
    const manifest = pkg.files.get('package.json');
    if (
      runtimeDefines(runtime, manifest, owner, owner, name, 'value') ||
      runtimeGeneratesMembers(runtime, manifest, owner, owner, classes)
    )
      return true;
  }
  return false;
}

/**
 * Declarations lag the runtime (`router.onBadUrl` set in a constructor, `ejs.__express`): a
 * member the package's own JavaScript defines is not invented, whatever its types say.
 */
export async function dropRuntimeDefined(
  findings: Finding[],
  loader: DeclarationLoader,
  npmTarget: (specifier: string) => string | undefined,
): Promise<Finding[]> {
  const kept: Finding[] = [];
  for (const f of findings) {
    const name = f.details?.name;
    // A missing default export (1192, 2613) names the local binding, not an export: not searched.
    if (
      (f.code === 'INVENTED_MEMBER' || f.code === 'INVENTED_EXPORT') &&
      typeof name === 'string' &&
      f.version &&
      !f.package.startsWith(NODE_KEY) &&
      f.details?.ts !== 1192 &&
      f.details?.ts !== 2613
    ) {
      const pkg = await loader.load(f.package, f.version);
      const written = typeof f.details?.specifier === 'string' ? f.details.specifier : f.package;
      const specifier = npmTarget(written) ?? written;
      // An alias's specifiers start with the name it is installed as (`my-x/sub`).
      const installedAs = typeof f.details?.installedAs === 'string' ? f.details.installedAs : f.package;
      const of = f.details?.of === 'value' ? 'value' : 'module';
      // An instance of a class the JavaScript gives members under names it computes (supertest's
      // TestAgent, a method per http.METHODS): nothing says the name is not one of them.
      const classes =
        of === 'value' && Array.isArray(f.details?.receiverTypes)
          ? f.details.receiverTypes.filter((n): n is string => typeof n === 'string')
          : [];
      const runtime = typeof pkg === 'string' ? undefined : await loader.runtimeOf(pkg);
      if (typeof pkg !== 'string' && runtime) {
        const manifest = pkg.files.get('package.json');
        if (
          runtimeDefines(runtime, manifest, installedAs, specifier, name, of) ||
          runtimeGeneratesMembers(runtime, manifest, installedAs, specifier, classes)
        )
          continue;
      }
      // A value another package's declarations type (fastify's router is find-my-way's): that
      // package's JavaScript, from its main entry, may set what its declarations lag behind.
      if (of === 'value' && (await typedByDefines(f.details?.typedBy, name, classes, loader))) continue;
    }
    kept.push(f);
  }
  return kept;
}
