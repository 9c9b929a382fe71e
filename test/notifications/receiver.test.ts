// The notification endpoint in a Fastify app, with the real verifier (against a local certificate
// server), the real subscription confirmer, and a recording relay in place of Temporal. Requests go
// over loopback HTTP: Fastify's inject() needs light-my-request, whose `cookie` is ESM-only, which Jest
// cannot require on Node 20.
import Fastify, { type FastifyInstance } from 'fastify';
import {
  CIRCLE_NOTIFICATIONS_PATH,
  circleNotifications,
  circleNotificationsWith,
  createSubscriptionConfirmer,
  createSnsVerifier,
  parseOnboardingNotification,
  SANDBOX_TOPIC_ARN,
  type NotificationLog,
  type RelayOutcome,
  type VerifiedSnsMessage,
} from '../../src/notifications';
import { onboardingPayload, signedMessage, startSnsFixture, type SnsFixture } from './sns-fixture';

let sns: SnsFixture;
beforeAll(async () => {
  sns = await startSnsFixture();
  sns.routes.set('/confirm', (_req, res) => res.writeHead(200).end('<ConfirmSubscriptionResponse/>'));
  sns.routes.set('/confirm-fails', (_req, res) => res.writeHead(500).end());
});
afterAll(() => sns.close());

interface Harness {
  app: FastifyInstance;
  url: string;
  relayed: VerifiedSnsMessage[];
  metrics: [RelayOutcome, number][];
  logs: unknown[];
  /** What the relay does next: by default it reads the payload and "signals" `wf-1`. */
  relayBehaviour: { fail: boolean; unroutable: boolean };
}

async function harness(): Promise<Harness> {
  const relayed: VerifiedSnsMessage[] = [];
  const metrics: [RelayOutcome, number][] = [];
  const logs: unknown[] = [];
  const relayBehaviour = { fail: false, unroutable: false };
  const record = (level: string) => (obj: unknown, msg?: string) => logs.push({ level, obj, msg });
  const log = {
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  } as unknown as NotificationLog;

  const app = Fastify();
  await app.register(circleNotifications, {
    verifier: createSnsVerifier({ topicArn: SANDBOX_TOPIC_ARN, trustedCertOrigins: [sns.origin] }),
    confirmSubscription: createSubscriptionConfirmer({
      topicArn: SANDBOX_TOPIC_ARN,
      trustedOrigins: [sns.origin],
    }),
    log,
    onRelayed: (outcome, ms) => metrics.push([outcome, ms]),
    async relay(message): Promise<RelayOutcome> {
      relayed.push(message);
      if (relayBehaviour.fail) throw new Error('Temporal unavailable');
      const parsed = parseOnboardingNotification(message.Message);
      if (!parsed.ok) return { kind: 'ignored', why: parsed.why };
      if (relayBehaviour.unroutable)
        return { kind: 'unroutable', applicationId: parsed.notification.applicationId };
      return { kind: 'signalled', workflowId: 'wf-1' };
    },
  });
  // A sibling route: the plugin's text/plain parser must not reach it.
  app.post('/other', async (request) => ({ bodyType: typeof request.body }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, relayed, metrics, logs, relayBehaviour };
}

let h: Harness;
beforeEach(async () => {
  sns.requests.length = 0;
  h = await harness();
});
afterEach(() => h.app.close());

interface Answer {
  statusCode: number;
  contentType: string | null;
  body: string;
  json(): unknown;
}

async function request(
  baseUrl: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return {
    statusCode: res.status,
    contentType: res.headers.get('content-type'),
    body: text,
    json: () => JSON.parse(text) as unknown,
  };
}

const post = (
  body: unknown,
  contentType = 'text/plain; charset=UTF-8',
  headers: Record<string, string> = {},
) =>
  request(h.url, 'POST', CIRCLE_NOTIFICATIONS_PATH, typeof body === 'string' ? body : JSON.stringify(body), {
    'content-type': contentType,
    ...headers,
  });

test('HEAD answers 200 with an empty body', async () => {
  const res = await request(h.url, 'HEAD', CIRCLE_NOTIFICATIONS_PATH);
  expect(res.statusCode).toBe(200);
  expect(res.body).toBe('');
});

test('a notification sent as text/plain is verified, relayed once and answered 200; its redelivery is dropped', async () => {
  const message = signedMessage(sns, { Message: JSON.stringify(onboardingPayload({ status: 'APPROVED' })) });
  const res = await post(message, 'text/plain; charset=UTF-8', { 'x-amz-sns-message-type': 'Notification' });
  expect(res.statusCode).toBe(200);
  expect(res.body).toBe('');
  expect(h.relayed).toEqual([message]);
  expect(h.metrics).toEqual([[{ kind: 'signalled', workflowId: 'wf-1' }, expect.any(Number)]]);
  expect(h.metrics[0]![1]).toBeGreaterThanOrEqual(0);

  const again = await post(message);
  expect(again.statusCode).toBe(200);
  expect(h.relayed).toHaveLength(1);
  expect(h.metrics).toHaveLength(1);
});

test('application/json is accepted too', async () => {
  const res = await post(signedMessage(sns), 'application/json');
  expect(res.statusCode).toBe(200);
  expect(h.relayed).toHaveLength(1);
});

test('the plugin’s parsers stay inside it: a sibling route still gets parsed JSON', async () => {
  const res = await request(h.url, 'POST', '/other', '{"a":1}', { 'content-type': 'application/json' });
  expect(res.json()).toEqual({ bodyType: 'object' });
});

test('a subscription confirmation fetches its SubscribeURL once, also when redelivered', async () => {
  const message = signedMessage(sns, {
    Type: 'SubscriptionConfirmation',
    Message: 'You have chosen to subscribe',
    Token: 'tok',
    SubscribeURL: `${sns.origin}/confirm?Action=ConfirmSubscription&Token=tok`,
  });
  expect((await post(message)).statusCode).toBe(200);
  expect((await post(message)).statusCode).toBe(200);
  expect(sns.requests.filter((p) => p.startsWith('/confirm'))).toEqual([
    '/confirm?Action=ConfirmSubscription&Token=tok',
  ]);
  expect(h.relayed).toEqual([]);
});

test('a confirmation whose SubscribeURL fails is answered 502 and handled again when SNS retries', async () => {
  const message = signedMessage(sns, {
    Type: 'SubscriptionConfirmation',
    Message: 'You have chosen to subscribe',
    Token: 'tok',
    SubscribeURL: `${sns.origin}/confirm-fails?Token=tok`,
  });
  const first = await post(message);
  expect(first.statusCode).toBe(502);
  expect(first.json()).toMatchObject({
    type: expect.stringMatching(/subscription_not_confirmed$/),
    status: 502,
  });
  await post(message);
  expect(sns.requests.filter((p) => p.startsWith('/confirm-fails'))).toHaveLength(2);
});

test('a confirmation whose SubscribeURL is not SNS’s (nor trusted) is not fetched', async () => {
  const app = Fastify();
  // Bound options, as the HTTP service's `plugins` list takes them.
  await app.register(
    circleNotificationsWith({
      verifier: createSnsVerifier({ topicArn: SANDBOX_TOPIC_ARN, trustedCertOrigins: [sns.origin] }),
      relay: () => Promise.reject(new Error('unused')),
      // the default confirmer: https on an SNS host only
    }),
  );
  const message = signedMessage(sns, {
    Type: 'SubscriptionConfirmation',
    Message: 'You have chosen to subscribe',
    Token: 'tok',
    SubscribeURL: `${sns.origin}/confirm?Token=tok`,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const res = await request(url, 'POST', CIRCLE_NOTIFICATIONS_PATH, JSON.stringify(message), {
    'content-type': 'text/plain',
  });
  await app.close();
  expect(res.statusCode).toBe(502);
  expect(sns.requests.filter((p) => p.startsWith('/confirm'))).toEqual([]);
});

test('an unsubscribe confirmation is logged and answered 200', async () => {
  const message = signedMessage(sns, {
    Type: 'UnsubscribeConfirmation',
    Message: 'You have unsubscribed',
    Token: 'tok',
    SubscribeURL: `${sns.origin}/confirm?Token=tok`,
  });
  expect((await post(message)).statusCode).toBe(200);
  expect(sns.requests.filter((p) => p.startsWith('/confirm'))).toEqual([]);
  expect(h.logs).toContainEqual(
    expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/cancelled/) }),
  );
});

test('verified notifications nothing waits for are still answered 200: unknown type, unroutable', async () => {
  const unknown = signedMessage(sns, {
    Message: JSON.stringify({ notificationType: 'payments', version: 1, payment: { id: 'p-1' } }),
  });
  expect((await post(unknown)).statusCode).toBe(200);
  h.relayBehaviour.unroutable = true;
  expect((await post(signedMessage(sns))).statusCode).toBe(200);
  expect(h.metrics.map(([o]) => o.kind)).toEqual(['ignored', 'unroutable']);
  expect(h.metrics[0]![0]).toEqual({
    kind: 'ignored',
    why: expect.stringMatching(/"payments" is not an onboarding/),
  });
});

test('a relay failure is answered 503 and the redelivery is relayed again', async () => {
  const message = signedMessage(sns);
  h.relayBehaviour.fail = true;
  const res = await post(message);
  expect(res.statusCode).toBe(503);
  expect(res.contentType).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ type: expect.stringMatching(/relay_unavailable$/), status: 503 });
  h.relayBehaviour.fail = false;
  expect((await post(message)).statusCode).toBe(200);
  expect(h.relayed).toHaveLength(2);
});

describe('rejections are problem details that never echo the body', () => {
  const marker = 'Very Secret Holdings Ltd';
  const message = () =>
    signedMessage(sns, { Message: JSON.stringify({ ...onboardingPayload(), legalName: marker }) });

  test.each<[string, () => unknown, number, string]>([
    [
      'a tampered message',
      () => ({ ...message(), Message: JSON.stringify({ legalName: marker }) }),
      403,
      'bad_signature',
    ],
    [
      'another topic',
      () => signedMessage(sns, { TopicArn: 'arn:aws:sns:us-east-1:111111111111:x', Message: marker }),
      403,
      'other_topic',
    ],
    [
      'an untrusted certificate URL',
      () => signedMessage(sns, { SigningCertURL: 'https://evil.example/cert.pem', Message: marker }),
      403,
      'bad_cert_url',
    ],
    ['a body that is not JSON', () => `{"Message": "${marker}"`, 400, 'malformed'],
    ['a body that is not an SNS message', () => ({ Message: marker }), 400, 'malformed'],
    [
      'a stale message',
      () => signedMessage(sns, { Timestamp: '2020-01-01T00:00:00.000Z', Message: marker }),
      400,
      'stale',
    ],
    [
      'an unsupported signature version',
      () => ({ ...message(), SignatureVersion: '3' }),
      400,
      'unsupported_signature_version',
    ],
  ])('%s', async (_name, body, status, reason) => {
    const res = await post(body());
    expect(res.statusCode).toBe(status);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: `urn:circle-onboarding:problem:${reason}`,
      title: expect.any(String),
      status,
      detail: expect.any(String),
      failureType: reason,
    });
    expect(res.body).not.toContain(marker);
    expect(JSON.stringify(h.logs)).not.toContain(marker);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 'warn', obj: { reason } }));
    expect(h.relayed).toEqual([]);
  });

  test('an SNS message-type header that contradicts the body', async () => {
    const res = await post(message(), 'text/plain', { 'x-amz-sns-message-type': 'SubscriptionConfirmation' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'urn:circle-onboarding:problem:malformed' });
    expect(h.relayed).toEqual([]);
  });

  test('a body over the limit, and a content type SNS does not send', async () => {
    const big = await post('x'.repeat(300 * 1024));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ type: 'urn:circle-onboarding:problem:body_too_large' });
    const xml = await post('<x/>', 'application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ type: 'urn:circle-onboarding:problem:unsupported_media_type' });
  });
});

test('logs carry ids and outcomes, not the payload', async () => {
  const payload = onboardingPayload();
  await post(signedMessage(sns, { Message: JSON.stringify(payload) }));
  const logged = JSON.stringify(h.logs);
  expect(logged).toContain('wf-1');
  expect(logged).not.toContain(payload.clientId);
});
