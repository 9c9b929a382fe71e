// How the notification endpoint is documented in the service's OpenAPI document. Its body is not
// validated by a schema (the receiver verifies every message itself and answers with its own
// problems), so the request body is a description only; the shapes are zod, like the service's.
import { z } from 'zod';
import { problemFields, requestSchemaRef } from '../shared/openapi-schemas';
import { NOTIFICATION_PROBLEM_TYPES } from './problem';
import type { SnsMessage } from './sns';

export const snsMessageSchema = z
  .object({
    Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
    MessageId: z.string(),
    TopicArn: z.string(),
    Subject: z.string().optional(),
    Message: z.string().describe('For notifications, Circle’s flat onboarding payload as JSON'),
    Timestamp: z.iso.datetime({ offset: true }),
    SignatureVersion: z.enum(['1', '2']),
    Signature: z.base64(),
    SigningCertURL: z.url(),
    SubscribeURL: z.url().optional(),
    UnsubscribeURL: z.url().optional(),
    Token: z.string().optional(),
  })
  .meta({
    id: 'SnsMessage',
    description:
      'An Amazon SNS HTTP(S) delivery of Circle’s v1 notifications (sent as text/plain). Verified before anything is done: the one configured topic (CIRCLE_NOTIFICATIONS_TOPIC_ARN), at most an hour old, signed with a certificate from https://sns.<the topic’s region>.amazonaws.com/…pem.',
  }) satisfies z.ZodType<SnsMessage>;

export const notificationProblemSchema = z
  .object({
    ...problemFields,
    failureType: z.enum(NOTIFICATION_PROBLEM_TYPES),
  })
  .meta({
    id: 'NotificationProblem',
    description:
      'RFC 9457 problem details of the notification endpoint. `type` is `urn:circle-onboarding:problem:<failureType>`.',
  });

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: notificationProblemSchema } },
});
const rateLimited = problem('Too many requests from this IP (rate_limited); see Retry-After');

/** Public: SNS has no API key. */
const PUBLIC = { tags: ['notifications'], security: [] };

export const probeRouteSchema = {
  ...PUBLIC,
  operationId: 'probeCircleNotifications',
  summary: 'Reachability probe (SNS, Circle)',
  response: { 200: z.undefined().describe('Reachable (empty body)'), 429: rateLimited },
};

export const receiveRouteSchema = {
  ...PUBLIC,
  operationId: 'receiveCircleNotification',
  summary: 'Circle’s v1 notifications, delivered by Amazon SNS',
  description:
    'Unauthenticated: every message is verified (topic, age, certificate URL, RSA signature) and limited per client IP (CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE). A verified notification wakes its onboarding (`applicationStatusChanged`); a SubscriptionConfirmation is confirmed by fetching its SubscribeURL.',
  response: {
    200: z.undefined().describe('Verified (handled, ignored, unroutable or a duplicate): empty body'),
    400: problem('Not an SNS message, out of its time window, or an unsupported signature version'),
    403: problem('Signature, topic or certificate URL not accepted'),
    413: problem('Body over 256 KiB (body_too_large)'),
    415: problem('Not text/plain or application/json (unsupported_media_type)'),
    429: rateLimited,
    502: problem('The SubscribeURL could not be confirmed (subscription_not_confirmed)'),
    503: problem(
      'Signing certificate or Temporal unavailable (verification_unavailable, relay_unavailable): SNS retries',
    ),
  },
};

const snsMessage = requestSchemaRef(snsMessageSchema);

/** The request body as documented (the service's OpenAPI transform adds it: see `openapiBody`). */
export const receiveRequestBody = {
  content: {
    'text/plain': {
      schema: { type: 'string', contentMediaType: 'application/json', contentSchema: snsMessage },
    },
    'application/json': { schema: snsMessage },
  },
};
