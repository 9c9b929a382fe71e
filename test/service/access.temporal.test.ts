// Authentication, scopes, limits and probes: what the service refuses before any onboarding is touched.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { hashApiKey, parseApiKeys } from '../../src/service';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { http, problemOf, READ_KEY, startService, useService, WRITE_KEY } from './helpers';

const t = useOnboardingEnv();
const s = useService(t);

test('no key or an unknown key: 401 with WWW-Authenticate; a read key cannot write: 403', async () => {
  const none = await s.anonymous.get('/v1/onboardings');
  expect(none.status).toBe(401);
  expect(problemOf(none).failureType).toBe('Unauthorized');
  expect(none.headers['www-authenticate']).toMatch(/^Bearer realm=/);

  const wrong = await http(s.url, { authorization: 'Bearer not-a-key' }).get('/v1/onboardings');
  expect(wrong.status).toBe(401);
  expect(wrong.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  const wrongHeader = await http(s.url, { 'x-api-key': `${WRITE_KEY}x` }).get('/v1/onboardings');
  expect(wrongHeader.status).toBe(401);

  const readOk = await s.read.get('/v1/onboardings?pageSize=1');
  expect(readOk.status).toBe(200);
  const writeWithRead = await s.read.post('/v1/onboardings', onboardingInput(), {
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(writeWithRead.status).toBe(403);
  expect(problemOf(writeWithRead).failureType).toBe('Forbidden');
  expect(t.sim.control.state().clients).toBe(0);

  // The key is checked before the body is read: an unauthenticated malformed body is still 401.
  const garbage = await s.anonymous.post('/v1/onboardings', '{', {
    headers: { 'content-type': 'application/json' },
  });
  expect(garbage.status).toBe(401);
});

test('with no keys configured every protected route refuses', async () => {
  const closed = await startService(t, { apiKeys: [] });
  try {
    for (const [method, url] of [
      ['get', '/v1/onboardings'],
      ['get', '/v1/onboardings/x'],
      ['post', '/v1/onboardings/x/cancel'],
    ] as const) {
      const res = await closed.write.request({ method, url });
      expect({ url, status: res.status }).toEqual({ url, status: 401 });
    }
    expect((await closed.anonymous.get('/healthz')).status).toBe(200);
  } finally {
    await closed.app.close();
  }
});

test('a JSON body over the limit is 413', async () => {
  const input = onboardingInput();
  const res = await s.write.post(
    '/v1/onboardings',
    { ...input, padding: 'x'.repeat(300 * 1024) },
    { headers: { 'idempotency-key': randomUUID() } },
  );
  expect(res.status).toBe(413);
  expect(problemOf(res).failureType).toBe('PayloadTooLarge');
});

test('rate limiting per key (and by IP without one): 429 with Retry-After', async () => {
  const limited = await startService(t, { rateLimitPerMinute: 3 });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.read.get('/v1/onboardings/unknown')).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const res = await limited.read.get('/v1/onboardings/unknown');
    expect(problemOf(res).failureType).toBe('RateLimited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);

    // Another key has its own budget; unauthenticated callers are counted by IP.
    expect((await limited.write.get('/v1/onboardings/unknown')).status).toBe(404);
    const anonymous: number[] = [];
    for (let i = 0; i < 4; i++) anonymous.push((await limited.anonymous.get('/v1/onboardings')).status);
    expect(anonymous).toEqual([401, 401, 401, 429]);
    // Probes are never limited.
    for (let i = 0; i < 5; i++) expect((await limited.anonymous.get('/healthz')).status).toBe(200);
  } finally {
    await limited.app.close();
  }
});

test('health is always 200; ready is 200 with Temporal and 503 without', async () => {
  expect((await s.anonymous.get('/healthz')).data).toEqual({ status: 'ok' });
  const ready = await s.anonymous.get('/readyz');
  expect(ready.status).toBe(200);

  const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const down = await startService(t, { client: unreachable, temporalTimeoutMs: 1000 });
  try {
    expect((await down.anonymous.get('/healthz')).status).toBe(200);
    const res = await down.anonymous.get('/readyz');
    expect(res.status).toBe(503);
    expect(problemOf(res).failureType).toBe('TemporalUnavailable');
    const api = await down.read.get('/v1/onboardings/x');
    expect(api.status).toBe(503);
    expect(problemOf(api).failureType).toBe('TemporalUnavailable');
  } finally {
    await down.app.close();
  }
});

test('docs, the OpenAPI document and unknown routes need no key; unknown routes are problems', async () => {
  const doc = await s.anonymous.get('/openapi.json');
  expect(doc.status).toBe(200);
  expect(doc.data.openapi).toBe('3.1.0');
  const page = await s.anonymous.get('/docs/');
  expect(page.status).toBe(200);
  expect(String(page.headers['content-type'])).toMatch(/text\/html/);
  const missing = await s.anonymous.get('/v2/nothing');
  expect(missing.status).toBe(404);
  expect(problemOf(missing).failureType).toBe('NotFound');
});

test('a mounted plugin is reachable without a key', async () => {
  const withPlugin = await startService(t, {
    plugins: [
      async (app) => {
        app.post('/notifications/circle', async () => ({ received: true }));
      },
    ],
  });
  try {
    const res = await withPlugin.anonymous.post('/notifications/circle', { hello: 1 });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ received: true });
  } finally {
    await withPlugin.app.close();
  }
});

test('API key configuration: hashes, and errors naming each bad entry', () => {
  expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const good = `ops:${hashApiKey(READ_KEY)}:read, ci:${hashApiKey(WRITE_KEY).toUpperCase()}:write`;
  expect(parseApiKeys(good)).toEqual([
    { name: 'ops', sha256: hashApiKey(READ_KEY), scope: 'read' },
    { name: 'ci', sha256: hashApiKey(WRITE_KEY), scope: 'write' },
  ]);
  expect(() => parseApiKeys(`ops:${hashApiKey('a')}:admin,bad entry,ops:1234:read`)).toThrow(
    /entry 1 \("ops"\): the scope must be "read" or "write"\n\s+entry 2 \("bad entry"\): must be name:sha256hex:scope\n\s+entry 3 \("ops"\): the hash must be 64 hex digits/,
  );
  expect(() => parseApiKeys(`a:${hashApiKey('x')}:read,b:${hashApiKey('x')}:write`)).toThrow(
    /entry 2 \("b"\): the hash is used by an earlier entry/,
  );
});
