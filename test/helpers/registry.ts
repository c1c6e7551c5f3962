import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';

/** Invented hosts only: tests never name a real registry. */
export const REGISTRY = 'https://registry.example.test/';
export const CORP_REGISTRY = 'https://npm.corp.example.test/';

export interface VersionSpec {
  deprecated?: string;
  license?: unknown;
  scripts?: Record<string, string>;
  types?: string;
  /** The version's `bin`: a path (the command is the package's name) or `{ command: path }`. */
  bin?: unknown;
}

export interface PackumentSpec {
  versions: Record<string, VersionSpec>;
  latest?: string;
  time?: Record<string, string>;
  description?: string;
  license?: unknown;
  /** Default: a repository on an invented git host; `null`: none. */
  repository?: unknown;
  extra?: Record<string, unknown>;
  /** First publish time (default 2020-01-01); version N is published N days later. */
  releasedFrom?: Date;
}

/** A first publish two months ago: fixtures of packages that are alive but not brand new. */
export const RECENTLY = new Date(Date.now() - 60 * 24 * 60 * 60 * 1000);

/** A full packument in the public registry's format. */
export function packument(name: string, spec: PackumentSpec): Record<string, unknown> {
  const versionNames = Object.keys(spec.versions);
  const latest = spec.latest ?? versionNames.at(-1);
  const versions: Record<string, unknown> = {};
  for (const [version, v] of Object.entries(spec.versions)) {
    versions[version] = {
      name,
      version,
      // `license: undefined` given explicitly means a manifest without one.
      ...('license' in v ? (v.license === undefined ? {} : { license: v.license }) : { license: 'MIT' }),
      ...(v.deprecated !== undefined ? { deprecated: v.deprecated } : {}),
      ...(v.scripts ? { scripts: v.scripts } : {}),
      ...(v.types ? { types: v.types } : {}),
      ...(v.bin !== undefined ? { bin: v.bin } : {}),
      dist: {
        tarball: `${REGISTRY}${name}/-/${name.split('/').pop()}-${version}.tgz`,
        integrity: 'sha512-AAAA',
        shasum: '0000',
      },
    };
  }
  const from = spec.releasedFrom?.getTime() ?? Date.UTC(2020, 0, 1);
  const day = 24 * 60 * 60 * 1000;
  const time: Record<string, string> = {
    created: new Date(from).toISOString(),
    modified: new Date(from + versionNames.length * day).toISOString(),
  };
  versionNames.forEach((v, i) => (time[v] = new Date(from + i * day).toISOString()));
  return {
    _id: name,
    name,
    'dist-tags': latest ? { latest } : {},
    versions,
    time: { ...time, ...spec.time },
    maintainers: [{ name: 'someone', email: 'someone@example.test' }],
    ...(spec.description !== undefined ? { description: spec.description } : { description: `${name} package` }),
    ...('license' in spec ? (spec.license == null ? {} : { license: spec.license }) : { license: 'MIT' }),
    ...(spec.repository === undefined
      ? { repository: { type: 'git', url: `git+https://git.example.test/${name}.git` } }
      : spec.repository === null
        ? {}
        : { repository: spec.repository }),
    ...spec.extra,
  };
}

/** npm's placeholder for a removed malicious package. */
export const securityHolding = (name: string): Record<string, unknown> => ({
  ...packument(name, { versions: { '0.0.1-security': {} }, description: 'security holding package' }),
  readme: 'Security holding package',
});

/** The public registry's answer for an unpublished package. */
export const unpublished = (name: string): Record<string, unknown> => ({
  _id: name,
  name,
  time: {
    created: '2020-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    unpublished: { time: '2024-01-01T00:00:00.000Z', versions: ['1.0.0'] },
  },
});

interface SeenRequest {
  host: string;
  path: string;
  name: string;
  headers: Record<string, string>;
}

export type Answer = Record<string, unknown> | number | ((request: Request) => Response | Promise<Response>);

/**
 * An msw registry answering from a map keyed by `host/name` or plain `name` (any host). Every
 * request is recorded; a name with no answer is a 404, like the registry. npm-registry-fetch's
 * requests reach msw as `https://host:80/...`, so matching is by path and host name only.
 */
export function createMockRegistry() {
  const answers = new Map<string, Answer>();
  const seen: SeenRequest[] = [];
  const handler = http.get('*', async ({ request }) => {
    const url = new URL(request.url);
    const name = decodeURIComponent(url.pathname.slice(1));
    seen.push({ host: url.hostname, path: url.pathname, name, headers: Object.fromEntries(request.headers) });
    const answer = answers.get(`${url.hostname}/${name}`) ?? answers.get(name);
    if (answer === undefined) return HttpResponse.json({ error: 'Not found' }, { status: 404 });
    if (typeof answer === 'number') return HttpResponse.json({ error: 'status' }, { status: answer });
    if (typeof answer === 'function') return answer(request);
    return HttpResponse.json(answer);
  });
  const server = setupServer(handler);
  return {
    server,
    seen,
    set(name: string, answer: Answer) {
      answers.set(name, answer);
    },
    reset() {
      answers.clear();
      seen.length = 0;
    },
    listen() {
      server.listen({ onUnhandledRequest: 'error' });
    },
    close() {
      server.close();
    },
  };
}

export { delay, HttpResponse };
