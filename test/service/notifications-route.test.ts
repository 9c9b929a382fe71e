// The notification endpoint as the service mounts it: outside authentication, but limited per client IP
// (SNS has no API key, so anyone can POST to it). No Temporal needed: the relay is never reached.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config';
import { circleNotificationsWith, createSnsVerifier, SANDBOX_TOPIC_ARN } from '../../src/notifications';
import { buildService, type ServiceOptions } from '../../src/service';
import { serviceFromConfig } from '../../src/service/from-config';

let app: FastifyInstance;
let url: string;

async function start(overrides: Partial<ServiceOptions> = {}): Promise<void> {
  app = buildService({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    idKey: 'test-id-key-0123456789',
    apiKeys: [],
    rateLimitPerMinute: 100,
    bodyLimitBytes: 1024,
    plugins: [
      circleNotificationsWith({
        verifier: createSnsVerifier({ topicArn: SANDBOX_TOPIC_ARN }),
        relay: () => Promise.reject(new Error('unused')),
      }),
    ],
    ...overrides,
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}
afterEach(() => app?.close());

const post = () =>
  fetch(`${url}/v1/notifications/circle`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: '{"Type":"Notification"}',
  });

test('POSTs beyond the per-IP limit get 429 with Retry-After, before any verification', async () => {
  await start({ pluginRateLimitPerMinute: 3 });
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await post()).status);
  expect(statuses).toEqual([400, 400, 400]); // malformed: the verifier's answer
  const limited = await post();
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await limited.json()).toMatchObject({ status: 429, failureType: 'rate_limited' });
  // HEAD (SNS's probe) counts too; health stays open.
  expect((await fetch(`${url}/v1/notifications/circle`, { method: 'HEAD' })).status).toBe(429);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
});

test('the default limit lets a burst of SNS deliveries through', async () => {
  await start();
  const statuses = await Promise.all(Array.from({ length: 50 }, () => post().then((r) => r.status)));
  expect(new Set(statuses)).toEqual(new Set([400]));
});

test('in production the service does not start without CIRCLE_NOTIFICATIONS_TOPIC_ARN', async () => {
  const remote = {
    ONBOARDING_ENV: 'production',
    CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com',
    CLIVE_API_KEY: 'cp_live_x',
    CLIVE_HMAC_SECRET: 'a-real-secret',
    CIRCLE_API_KEY: 'TEST_API_KEY:partner:secret',
    ONBOARDING_ID_KEY: 'a-shared-secret-of-the-partner',
    ALLOW_UNENCRYPTED_PAYLOADS: 'true',
    DOCUMENT_URLS: 'off',
  };
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const quiet = { warn: () => undefined };
  expect(() => serviceFromConfig(loadConfig(remote, quiet), client)).toThrow(
    /CIRCLE_NOTIFICATIONS_TOPIC_ARN: required with ONBOARDING_ENV=production/,
  );
  app = serviceFromConfig(
    loadConfig(
      {
        ...remote,
        CIRCLE_NOTIFICATIONS_TOPIC_ARN:
          'arn:aws:sns:us-east-1:908968368384:sandbox_platform-notifications-topic',
        CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE: '1',
      },
      quiet,
    ),
    client,
  );
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  expect((await post()).status).toBe(400);
  expect((await post()).status).toBe(429); // the configured per-IP limit
});
