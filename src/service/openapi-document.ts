// The OpenAPI document of the service as it runs (from-config.ts: with Circle's notification receiver
// mounted), without Temporal or configuration: for `npm run schemas` and the document's tests.
import { Client, Connection } from '@temporalio/client';
import { circleNotificationsWith, createSnsVerifier, SANDBOX_TOPIC_ARN } from '../notifications';
import { buildService } from './app';

export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const app = buildService({
    // Never connected: building the document calls nothing.
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    idKey: 'openapi-document-id-key',
    apiKeys: [],
    rateLimitPerMinute: 1,
    bodyLimitBytes: 1,
    plugins: [
      circleNotificationsWith({
        verifier: createSnsVerifier({ topicArn: SANDBOX_TOPIC_ARN }),
        relay: () => Promise.reject(new Error('not relaying: documentation only')),
      }),
    ],
  });
  try {
    await app.ready();
    // A copy: callers (validators dereferencing in place) may change it.
    return structuredClone(app.swagger()) as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
