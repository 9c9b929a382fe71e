// Bad input at the door is a 4xx problem with a named reason, never a 5xx nor Fastify's own body:
// deep JSON, malformed multipart, made-up page tokens, long ids, unsupported media types, unknown
// methods. Over the dev server and a real worker: where a check needs an onboarding (multipart bodies
// are read only for a running one; the longest ids reach their route), the onboarding is real.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { startOnboarding, type OnboardingInput } from '../../src/contract';
import { FAST_OPTIONS, onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep } from '../helpers/workflow';
import { problemOf, startService, useService } from './helpers';

const t = useOnboardingEnv();
const s = useService(t);

/** An input without its business address: the onboarding waits for it in awaiting-section-data. */
function parkedInput() {
  const input = onboardingInput({ options: { ...FAST_OPTIONS, sectionDataDeadline: '10 minutes' } });
  const { businessAddress, ...sections } = input.sections!;
  return { input: { ...input, sections } as OnboardingInput, businessAddress };
}

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
  // The body is read once the onboarding is found running: a real one, waiting in review.
  const handle = await start(t, onboardingInput({ tag: '[manual]' }));
  await waitForStep(handle, 'in-review');
  const path = `/v1/onboardings/${handle.workflowId}/documents`;
  const bodies = [
    '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 no end',
    'not multipart at all',
    '--b\r\nno headers here\r\n--b--\r\n',
  ];
  for (const body of bodies) {
    const res = await s.write.post(path, body, {
      headers: { 'content-type': 'multipart/form-data; boundary=b', ...key() },
    });
    expect(res.status).toBe(400);
    expect(problemOf(res).failureType).toBe('InvalidRequest');
  }
  const noBoundary = await s.write.post(path, 'x', {
    headers: { 'content-type': 'multipart/form-data', ...key() },
  });
  expect(noBoundary.status).toBe(400);
  problemOf(noBoundary);
  // Nothing reached the onboarding: it still waits in review, with no document given.
  const { progress } = (await s.read.get(`/v1/onboardings/${handle.workflowId}`)).data;
  expect(progress).toMatchObject({ step: 'in-review', documents: [] });
  await handle.terminate('test done');
});

test('ids up to the documented 255 characters reach the route; longer ones are problems', async () => {
  // Two onboardings with ids of 255 characters, waiting for section data: one plain, one whose every
  // character is percent-encoded in a URL (765 characters in the path, the router's limit).
  const encoded = '#$%&+,:;<=>?@[]^{|}';
  const ids = [
    `test-${randomUUID()}`.padEnd(255, 'a'),
    [...randomBytes(255)].map((b) => encoded[b % encoded.length]).join(''),
  ];
  expect(encodeURIComponent(ids[1]!)).toHaveLength(765);
  for (const workflowId of ids) {
    const { input, businessAddress } = parkedInput();
    const handle = await startOnboarding(t.client, input, { taskQueue: t.taskQueue, workflowId });
    await waitForStep(handle, 'awaiting-section-data');
    const res = await s.write.post(
      `/v1/onboardings/${encodeURIComponent(workflowId)}/sections`,
      { sections: { businessAddress } },
      { headers: key() },
    );
    expect(res.status).toBe(200);
    expect(res.data.sectionErrors).toEqual([]);
    expect((await handle.describe()).workflowId).toBe(workflowId);
    await handle.terminate('test done');
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
  // A client that never reaches a server: the token is refused before any call.
  const lazy = await startService(t, {
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
