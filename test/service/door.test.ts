// Bad input at the door is a 4xx problem with a named reason, never a 5xx nor Fastify's own body:
// deep JSON, malformed multipart, made-up page tokens, long ids, unsupported media types, unknown
// methods. No Temporal server: a lazy client that never connects, or a stand-in (fake-service.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { fakeTemporal, startFakeService } from './fake-service';
import { problemOf, type TestService } from './helpers';

let s: TestService;
let dir: string;
const fake = fakeTemporal();
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'door-'));
  s = await startFakeService(fake, { documents: { dir, maxBytes: 1024 * 1024 } });
});
afterAll(async () => {
  await s.app.close();
  rmSync(dir, { recursive: true, force: true });
});

const key = () => ({ 'idempotency-key': `k-${Math.random()}` });

test('JSON nested 3,000 deep (20 KB) is 400 BodyTooDeep, before it is parsed', async () => {
  const deep = '['.repeat(3000) + ']'.repeat(3000);
  for (const path of ['/v1/onboardings', '/v1/onboardings/x/sections', '/v1/onboardings/x/rfis/r1/answer']) {
    const res = await s.write.post(path, `{"sections":${deep}}`, {
      headers: { 'content-type': 'application/json', ...key() },
    });
    expect(res.status).toBe(400);
    expect(problemOf(res).failureType).toBe('BodyTooDeep');
  }
  // Brackets inside strings are not nesting.
  const res = await s.write.post('/v1/onboardings', JSON.stringify({ a: '['.repeat(5000) }), {
    headers: { 'content-type': 'application/json', ...key() },
  });
  expect(res.status).toBe(400);
  expect(problemOf(res).failureType).toBe('InvalidOnboardingInput');
});

test('a JSON body over the size limit is still 413 PayloadTooLarge', async () => {
  const res = await s.write.post('/v1/onboardings', JSON.stringify({ a: 'x'.repeat(300 * 1024) }), {
    headers: { 'content-type': 'application/json', ...key() },
  });
  expect(res.status).toBe(413);
  expect(problemOf(res).failureType).toBe('PayloadTooLarge');
});

test('text/plain (or any other type) on a JSON route is 415 UnsupportedMediaType', async () => {
  for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
    const res = await s.write.post('/v1/onboardings/x/sections', '{"sections":{}}', {
      headers: { 'content-type': type, ...key() },
    });
    expect(res.status).toBe(415);
    expect(problemOf(res).failureType).toBe('UnsupportedMediaType');
  }
});

test('malformed multipart is 400 InvalidRequest', async () => {
  const bodies = [
    '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 no end',
    'not multipart at all',
    '--b\r\nno headers here\r\n--b--\r\n',
  ];
  for (const body of bodies) {
    const res = await s.write.post('/v1/onboardings/x/documents', body, {
      headers: { 'content-type': 'multipart/form-data; boundary=b', ...key() },
    });
    expect(res.status).toBe(400);
    expect(problemOf(res).failureType).toBe('InvalidRequest');
  }
  const noBoundary = await s.write.post('/v1/onboardings/x/documents', 'x', {
    headers: { 'content-type': 'multipart/form-data', ...key() },
  });
  expect(noBoundary.status).toBe(400);
  problemOf(noBoundary);
});

test('ids up to the documented 255 characters reach the route; longer ones are problems', async () => {
  const id = 'a'.repeat(255);
  // The stand-in knows every id: 255 characters (and 255 that encode to 765) are looked up.
  fake.update = async () => ({ version: 1, sectionErrors: [], sections: [] });
  for (const given of [id, encodeURIComponent('%'.repeat(255))]) {
    const res = await s.write.post(
      `/v1/onboardings/${given}/sections`,
      { sections: { a: {} } },
      { headers: key() },
    );
    expect(res.status).toBe(200);
  }
  const over = await s.read.get(`/v1/onboardings/${'a'.repeat(256)}`);
  expect(over.status).toBe(400);
  expect(problemOf(over).errors).toEqual([expect.objectContaining({ path: 'id' })]);
  const far = await s.read.get(`/v1/onboardings/${'a'.repeat(2000)}`);
  expect(far.status).toBe(414);
  expect(problemOf(far).failureType).toBe('UriTooLong');
  const badUrl = await s.read.get('/v1/onboardings/%E0%A4%A');
  expect(badUrl.status).toBe(400);
  problemOf(badUrl);
});

test('unknown routes are 404 and known paths with another method 405 with Allow, as problems', async () => {
  const missing = await s.read.get('/v1/nothing-here');
  expect(missing.status).toBe(404);
  expect(problemOf(missing).failureType).toBe('NotFound');
  const method = await s.write.delete('/v1/onboardings/x');
  expect(method.status).toBe(405);
  expect(problemOf(method).failureType).toBe('MethodNotAllowed');
  expect(method.headers.allow).toBe('GET, HEAD');
  const put = await s.write.put('/v1/onboardings', {});
  expect(put.status).toBe(405);
  expect(put.headers.allow).toBe('GET, HEAD, POST');
});

test('a made-up pageToken is 400 at once, without asking Temporal', async () => {
  const lazy = await startFakeService(fakeTemporal(), {
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    temporalTimeoutMs: 3_000,
  });
  try {
    for (const token of ['abc', 'AAAA', `${'A'.repeat(40)}.${'B'.repeat(22)}`]) {
      const started = Date.now();
      const res = await lazy.read.get('/v1/onboardings', { params: { pageToken: token } });
      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([expect.objectContaining({ path: 'query.pageToken' })]);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  } finally {
    await lazy.app.close();
  }
});

test('a method Fastify knows but no route has (QUERY) is 405, even with a body and no Content-Type', async () => {
  const res = await s.write.request({
    method: 'QUERY',
    url: '/healthz',
    data: 'x',
    headers: { 'content-type': '' },
  });
  expect(res.status).toBe(405);
  expect(problemOf(res).failureType).toBe('MethodNotAllowed');
});
