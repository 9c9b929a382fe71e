// The one failure classifier: which partner-API errors retry, how soon, and under which stable type.
import { ApplicationFailure } from '@temporalio/common';
import { toApplicationFailure } from '../../src/activities/failures';
import { PartnerApiError, parseRetryAfter, type PartnerApiErrorInit } from '../../src/partner-api/error';

const error = (init: Partial<PartnerApiErrorInit>) =>
  new PartnerApiError({
    provider: 'circle',
    kind: 'http',
    operation: 'createClient',
    message: 'boom',
    ...init,
  });

const classify = (err: PartnerApiError) => toApplicationFailure(err) as ApplicationFailure;

test.each([
  [400, 'CircleBadRequest'],
  [401, 'CircleUnauthorized'],
  [403, 'CircleForbidden'],
  [404, 'CircleNotFound'],
  [409, 'CircleConflict'],
  [422, 'CircleValidationFailed'],
  [418, 'CircleClientError'],
])('HTTP %i is not retried, as %s', (status, type) => {
  expect(classify(error({ status }))).toMatchObject({ type, nonRetryable: true });
});

test('a 409 for a request still in progress is retried: it is our own earlier attempt', () => {
  const circle = error({
    status: 409,
    code: 409,
    providerMessage: 'A request with this idempotency key is already in progress',
  });
  expect(classify(circle)).toMatchObject({ type: 'CircleRequestInProgress', nonRetryable: false });
  const clive = error({ provider: 'clive', status: 409, code: 'IDEMPOTENCY_KEY_IN_USE' });
  expect(classify(clive)).toMatchObject({ type: 'CliveRequestInProgress', nonRetryable: false });
  const exists = error({
    status: 409,
    code: 409,
    providerMessage: 'A client with this name and country already exists',
  });
  expect(classify(exists)).toMatchObject({ type: 'CircleConflict', nonRetryable: true });
});

test.each([
  [408, 'CircleRequestTimeout'],
  [500, 'CircleServerError'],
  [502, 'CircleServerError'],
  [503, 'CircleUnavailable'],
  [429, 'CircleRateLimited'],
])('HTTP %i is retried, as %s', (status, type) => {
  expect(classify(error({ status }))).toMatchObject({ type, nonRetryable: false });
});

test('429 and 503 retry after Retry-After, other retryable errors use the backoff', () => {
  expect(classify(error({ status: 429, retryAfterMs: 3000 })).nextRetryDelay).toBe(3000);
  expect(classify(error({ status: 503, retryAfterMs: 1500 })).nextRetryDelay).toBe(1500);
  expect(classify(error({ status: 500, retryAfterMs: 3000 })).nextRetryDelay).toBeUndefined();
  expect(classify(error({ status: 429 })).nextRetryDelay).toBeUndefined();
});

test('Retry-After is clamped to 1 s .. 5 min: no hot loop on 0, no opaque hour-long timer', () => {
  expect(classify(error({ status: 429, retryAfterMs: 0 })).nextRetryDelay).toBe(1000);
  expect(classify(error({ status: 503, retryAfterMs: 200 })).nextRetryDelay).toBe(1000);
  expect(classify(error({ status: 429, retryAfterMs: 3_600_000 })).nextRetryDelay).toBe(300_000);
});

test('network errors and timeouts retry; an unexpected 2xx body does not', () => {
  expect(classify(error({ kind: 'network' }))).toMatchObject({
    type: 'CircleNetworkError',
    nonRetryable: false,
  });
  expect(classify(error({ kind: 'timeout' }))).toMatchObject({ type: 'CircleTimeout', nonRetryable: false });
  expect(classify(error({ kind: 'invalid-response', status: 200 }))).toMatchObject({
    type: 'CircleInvalidResponse',
    nonRetryable: true,
  });
});

test('Clive errors get their own prefix; details carry status, code, request id and field errors', () => {
  const failure = classify(
    error({
      provider: 'clive',
      status: 409,
      code: 'CLIENT_EXISTS',
      requestId: 'req-1',
      fieldErrors: [{ path: 'a', error: 'required', message: 'a is required' }],
    }),
  );
  expect(failure.type).toBe('CliveConflict');
  expect(failure.details?.[0]).toMatchObject({
    status: 409,
    code: 'CLIENT_EXISTS',
    requestId: 'req-1',
    fieldErrors: [{ path: 'a' }],
  });
});

test('errors that are not from a partner API pass through unchanged', () => {
  const plain = new Error('bug');
  expect(toApplicationFailure(plain)).toBe(plain);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  expect(parseRetryAfter('2')).toBe(2000);
  expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(
    10_000,
  );
  expect(parseRetryAfter('soon')).toBeUndefined();
  expect(parseRetryAfter(undefined)).toBeUndefined();
});
