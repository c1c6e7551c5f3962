// Preloaded into a CLI child process (`node --import`): msw answers every registry request from
// the fixture file named by DEPVERIFY_TEST_FIXTURES and logs each request to DEPVERIFY_TEST_LOG.
// Nothing reaches the network: unhandled requests are errors.
import { appendFileSync, readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

const fixtures = JSON.parse(readFileSync(process.env.DEPVERIFY_TEST_FIXTURES, 'utf8'));
const log = process.env.DEPVERIFY_TEST_LOG;

const server = setupServer(
  http.get('*', ({ request }) => {
    const url = new URL(request.url);
    const name = decodeURIComponent(url.pathname.slice(1));
    if (log) appendFileSync(log, `${JSON.stringify({ host: url.hostname, name })}\n`);
    const answer = fixtures[`${url.hostname}/${name}`] ?? fixtures[name];
    if (answer === undefined) return HttpResponse.json({ error: 'Not found' }, { status: 404 });
    if (typeof answer === 'number') return HttpResponse.json({ error: 'status' }, { status: answer });
    return HttpResponse.json(answer);
  }),
);
server.listen({ onUnhandledRequest: 'error' });
