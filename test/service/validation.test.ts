// The routes' zod schemas refuse malformed requests before any handler (or Temporal) runs, as problems
// in the service's own format: each part named, the route's failure type, the Idempotency-Key first.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildService, hashApiKey, type ProblemDetails } from '../../src/service';

let app: FastifyInstance;
beforeAll(() => {
  app = buildService({
    // Never reached: every request here is refused before a handler runs.
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    idKey: 'validation-test-id-key-0123',
    apiKeys: [{ name: 'writer', sha256: hashApiKey('k'), scope: 'write' }],
    rateLimitPerMinute: 10_000,
    bodyLimitBytes: 64 * 1024,
  });
});
afterAll(() => app.close());

const send = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await app.inject({
    method: 'POST',
    url,
    headers: { authorization: 'Bearer k', 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return { status: res.statusCode, problem: res.json<ProblemDetails>() };
};
const key = { 'idempotency-key': 'k-1' };
const paths = (p: ProblemDetails) => p.errors?.map((e) => `${e.path} ${e.error}`);

test('a start input is refused as InvalidOnboardingInput, naming each field', async () => {
  const { status, problem } = await send('/v1/onboardings', { client: { country: 'usa' } }, key);
  expect(status).toBe(400);
  expect(problem.failureType).toBe('InvalidOnboardingInput');
  expect(paths(problem)).toEqual(
    expect.arrayContaining(['client.country invalid_format', 'submission invalid_type']),
  );
  expect(problem.detail).toMatch(/^the onboarding input is not valid: /);
});

test('a missing or malformed Idempotency-Key is answered first, whatever else is wrong', async () => {
  const missing = await send('/v1/onboardings', [], {});
  expect(missing.status).toBe(400);
  expect(missing.problem.failureType).toBe('InvalidRequest');
  expect(missing.problem.errors).toEqual([
    expect.objectContaining({ path: 'headers.idempotency-key', error: 'required' }),
  ]);
  const malformed = await send('/v1/onboardings/x/sections', { sections: [] }, { 'Idempotency-Key': 'ü' });
  expect(paths(malformed.problem)).toEqual(['headers.idempotency-key invalid_format']);
});

test('message bodies: the route’s failure type and the fields at fault', async () => {
  const sections = await send('/v1/onboardings/x/sections', { sections: {} }, key);
  expect(sections.problem.failureType).toBe('SectionsNotAccepted');
  expect(paths(sections.problem)).toEqual(['sections invalid_value']);

  const answer = await send('/v1/onboardings/x/rfis/r-1/answer', { answer: [] }, key);
  expect(answer.problem.failureType).toBe('InvalidRequest');
  expect(paths(answer.problem)).toEqual(['answer invalid_type']);
  const both = await send(
    '/v1/onboardings/x/rfis/r-1/answer',
    { answer: { a: 1 }, document: { source: 'a.pdf' } },
    key,
  );
  expect(paths(both.problem)).toEqual([' invalid_value']);
  // The contract's cross-field rules (documents.ts) run after each field's own.
  const document = await send(
    '/v1/onboardings/x/rfis/r-1/answer',
    { document: { source: '../a.pdf', refId: 'no' } },
    key,
  );
  expect(paths(document.problem)).toEqual(['document.refId invalid_format', 'document.source invalid_value']);
});

test('path parameters are checked before anything is looked up', async () => {
  const rfi = await send('/v1/onboardings/x/rfis/not%20an%20id/answer', { answer: { a: 1 } }, key);
  expect(paths(rfi.problem)).toEqual(['rfiId invalid_format']);
  const res = await app.inject({
    method: 'GET',
    url: `/v1/onboardings/${'a'.repeat(256)}`,
    headers: { authorization: 'Bearer k' },
  });
  expect(res.statusCode).toBe(400);
  expect(paths(res.json<ProblemDetails>())).toEqual(['id too_big']);
});
