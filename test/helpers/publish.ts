/** Publishes fixture packages (files packed into real tarballs) into the msw mock registry. */
import { createHash } from 'node:crypto';
import { HttpResponse } from 'msw';
import { REGISTRY, type createMockRegistry } from './registry.js';
import { packageTarball } from './tarball.js';

type Mock = ReturnType<typeof createMockRegistry>;
const daysAgo = (days: number): string => new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString();
export type PackageFiles = Record<string, string>;

/**
 * `versions` maps each version to its files (package.json is added when missing). The packument,
 * each version document and each tarball are served as the public registry serves them, with a
 * real sha512 integrity (or a wrong one with `corrupt`).
 */
export function publish(
  mock: Mock,
  name: string,
  versions: Record<string, PackageFiles>,
  opts: { corrupt?: string[] } = {},
): void {
  const bare = name.split('/').pop()!;
  const docs: Record<string, Record<string, unknown>> = {};
  for (const [version, files] of Object.entries(versions)) {
    const manifest = {
      name,
      version,
      license: 'MIT',
      ...(files['package.json'] ? (JSON.parse(files['package.json']) as object) : {}),
    };
    const data = packageTarball({ ...files, 'package.json': JSON.stringify(manifest) });
    const integrity = `sha512-${createHash('sha512')
      .update(opts.corrupt?.includes(version) ? 'other bytes' : data)
      .digest('base64')}`;
    const tarball = `${REGISTRY}${name}/-/${bare}-${version}.tgz`;
    docs[version] = { ...manifest, dist: { tarball, integrity } };
    mock.set(
      `${name}/-/${bare}-${version}.tgz`,
      () => new HttpResponse(data, { headers: { 'content-type': 'application/octet-stream' } }),
    );
    mock.set(`${name}/${version}`, docs[version]!);
  }
  const names = Object.keys(versions);
  mock.set(name, {
    _id: name,
    name,
    'dist-tags': { latest: names.at(-1) },
    versions: docs,
    // Alive and not brand new, so the fixtures raise neither UNMAINTAINED nor SUSPICIOUS_PACKAGE.
    time: { created: daysAgo(400), ...Object.fromEntries(names.map((v, i) => [v, daysAgo(60 - i)])) },
    maintainers: [{ name: 'a' }, { name: 'b' }],
    description: `${name} fixture`,
    repository: { type: 'git', url: `git+https://git.example.test/${name}.git` },
    license: 'MIT',
  });
}

/**
 * `name@1.0.0` with `files`, answered by `host` only (packument, version document; the tarball
 * from `tarballHost`, default the same host), so a request to any other host is a 404 that the
 * recorded requests show. The tarball has a length: msw never ends a chunked body that follows a
 * redirect (a real server does).
 */
export function publishAt(
  mock: Mock,
  host: string,
  name: string,
  files: PackageFiles,
  opts: { tarballHost?: string; createdDaysAgo?: number } = {},
): { tarballPath: string } {
  const version = '1.0.0';
  const manifest = {
    name,
    version,
    license: 'MIT',
    ...(files['package.json'] ? (JSON.parse(files['package.json']) as object) : {}),
  };
  const data = packageTarball({ ...files, 'package.json': JSON.stringify(manifest) });
  const tarballPath = `${name}/-/${name.split('/').pop()}-${version}.tgz`;
  const tarballHost = opts.tarballHost ?? host;
  const doc = {
    ...manifest,
    dist: {
      tarball: `https://${tarballHost}/${tarballPath}`,
      integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
    },
  };
  mock.set(
    `${tarballHost}/${tarballPath}`,
    () =>
      new HttpResponse(data, {
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      }),
  );
  mock.set(`${host}/${name}/${version}`, doc);
  mock.set(`${host}/${name}`, {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: { [version]: doc },
    time: { created: daysAgo(opts.createdDaysAgo ?? 400), [version]: daysAgo(opts.createdDaysAgo ?? 60) },
    maintainers: [{ name: 'a' }, { name: 'b' }],
    description: 'fixture',
    repository: { type: 'git', url: `git+https://git.example.test/${name}.git` },
    license: 'MIT',
  });
  return { tarballPath };
}
