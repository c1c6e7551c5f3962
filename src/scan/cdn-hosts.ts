/**
 * Hosts that serve JavaScript modules by URL, as answers use them in `<script src>`, `<link
 * href>` and `import` (`https://<cdn>/pkg@1/dist/x.js`). They are not registries: nothing is
 * fetched from them. The table says how a URL's path names the npm package it serves, and which
 * module hosts serve something else (a Deno or JSR module is no npm package), so their URLs are
 * never read as npm names. A host not listed here is read only by the `/npm/<pkg>@<ver>/` shape,
 * and by `/<pkg>@<ver>/` where a URL is loaded as a script or module.
 */
export interface CdnHost {
  host: string;
  /**
   * What stands before the package name in the path (after the leading `/`); `null`: the host
   * serves no npm packages. Paths under `others` prefixes (`gh/`, `jsr/`) serve something else.
   */
  prefix: RegExp | null;
  others?: RegExp;
}

const CDN_HOSTS: readonly CdnHost[] = [
  { host: 'unpkg.com', prefix: /^/ },
  { host: 'npmcdn.com', prefix: /^/ },
  { host: 'cdn.jsdelivr.net', prefix: /^npm\// },
  { host: 'fastly.jsdelivr.net', prefix: /^npm\// },
  { host: 'esm.run', prefix: /^/ },
  { host: 'esm.sh', prefix: /^(?:v\d+\/|stable\/)?/, others: /^(?:v\d+\/)?(?:gh|jsr|pr)\// },
  { host: 'cdn.esm.sh', prefix: /^(?:v\d+\/|stable\/)?/, others: /^(?:v\d+\/)?(?:gh|jsr|pr)\// },
  { host: 'cdn.skypack.dev', prefix: /^/ },
  { host: 'ga.jspm.io', prefix: /^npm:/ },
  { host: 'jspm.dev', prefix: /^(?:npm:)?/ },
  // Module hosts that are not npm: Deno's, JSR, nest.land.
  { host: 'deno.land', prefix: null },
  { host: 'cdn.deno.land', prefix: null },
  { host: 'jsr.io', prefix: null },
  { host: 'esm.town', prefix: null },
  { host: 'x.nest.land', prefix: null },
  { host: 'nest.land', prefix: null },
  { host: 'denopkg.com', prefix: null },
  { host: 'crux.land', prefix: null },
];

export function cdnHost(host: string): CdnHost | undefined {
  const lower = host.toLowerCase().replace(/^www\./, '');
  return CDN_HOSTS.find((h) => h.host === lower);
}
