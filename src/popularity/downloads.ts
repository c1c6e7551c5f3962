/**
 * Monthly downloads from an endpoint in the shape of npm's public downloads API
 * (`<url><name>` → `{ downloads }`; unscoped names batched as `<url>a,b,c` → `{ a: {…}, b: null }`).
 * The endpoint is configuration: private registries have none, and depverify works without it.
 */
import pLimit from 'p-limit';

export type DownloadsAnswer = { state: 'known'; downloads: number } | { state: 'unknown'; reason: string };

export interface DownloadsOptions {
  /** The endpoint the name is appended to, e.g. `https://downloads.example.test/downloads/point/last-month/`. */
  url: string;
  timeout?: number;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
}

/** The public API accepts up to 128 names per bulk request, and only unscoped ones. */
const BATCH = 128;

export async function fetchMonthlyDownloads(
  names: readonly string[],
  options: DownloadsOptions,
): Promise<Map<string, DownloadsAnswer>> {
  const answers = new Map<string, DownloadsAnswer>();
  const unscoped = [...new Set(names)].filter((n) => !n.startsWith('@'));
  const scoped = [...new Set(names)].filter((n) => n.startsWith('@'));
  const batches: string[][] = [];
  for (let i = 0; i < unscoped.length; i += BATCH) batches.push(unscoped.slice(i, i + BATCH));
  // A batch of one gets the single-package shape, so it goes with the scoped names.
  const singles = [...scoped, ...batches.filter((b) => b.length === 1).flat()];
  const limit = pLimit(8);
  await Promise.all([
    ...batches.filter((b) => b.length > 1).map((batch) => limit(() => ask(batch, options, answers))),
    ...singles.map((name) => limit(() => ask([name], options, answers))),
  ]);
  return answers;
}

async function ask(names: string[], options: DownloadsOptions, answers: Map<string, DownloadsAnswer>): Promise<void> {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const fail = (reason: string): void => {
    for (const name of names) answers.set(name, { state: 'unknown', reason });
  };
  let response: Response;
  try {
    const signals = [AbortSignal.timeout(options.timeout ?? 30_000), ...(options.signal ? [options.signal] : [])];
    response = await (options.fetch ?? fetch)(base + names.join(','), {
      signal: AbortSignal.any(signals),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    options.signal?.throwIfAborted();
    fail(`downloads endpoint: ${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message}`);
    return;
  }
  // The public API answers 404 for a name it has no counts for: a package too new to be counted.
  if (response.status === 404 && names.length === 1) {
    answers.set(names[0]!, { state: 'known', downloads: 0 });
    return;
  }
  if (!response.ok) return fail(`downloads endpoint answered ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return fail('downloads endpoint sent malformed JSON');
  }
  const read = (value: unknown): number | undefined => {
    const downloads =
      typeof value === 'object' && value !== null ? (value as { downloads?: unknown }).downloads : undefined;
    return typeof downloads === 'number' && Number.isFinite(downloads) && downloads >= 0 ? downloads : undefined;
  };
  if (names.length === 1) {
    const downloads = read(body);
    if (downloads === undefined) fail('downloads endpoint sent no download count');
    else answers.set(names[0]!, { state: 'known', downloads });
    return;
  }
  const bulk = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  for (const name of names) {
    const entry = bulk[name];
    const downloads = read(entry);
    if (entry === null) answers.set(name, { state: 'known', downloads: 0 });
    else if (downloads === undefined)
      answers.set(name, { state: 'unknown', reason: 'downloads endpoint sent no count for it' });
    else answers.set(name, { state: 'known', downloads });
  }
}
