// Circle's notification endpoint as a Fastify plugin: HEAD answers SNS's reachability probe; POST
// verifies, drops duplicates, confirms subscriptions and relays notifications. Every verified message
// gets 200, even one nothing waits for, because anything else makes SNS retry it for hours.
// Register it with `app.register(circleNotifications, options)` (not wrapped in fastify-plugin): its
// body parsers and error handler then stay inside its own context and leave other routes alone.
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply } from 'fastify';
import { createSubscriptionConfirmer } from './confirm';
import { createRecentMessageIds, type RecentMessageIds } from './dedupe';
import { probeRouteSchema, receiveRequestBody, receiveRouteSchema } from './openapi';
import { sendProblem } from './problem';
import { NotificationRejected, VerificationUnavailable } from './rejection';
import type { Relay, RelayOutcome } from './relay';
import { SNS_HEADERS } from './sns';
import type { SnsVerifier, VerifiedSnsMessage } from './verify';

export const CIRCLE_NOTIFICATIONS_PATH = '/v1/notifications/circle';

/** What the receiver logs: ids, types and reasons only, never a payload. */
export type NotificationLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export interface CircleNotificationsOptions {
  verifier: SnsVerifier;
  relay: Relay;
  /**
   * Fetches a confirmation's SubscribeURL. Default: https on the SNS host of the verifier's topic, for
   * that topic, public addresses only (createSubscriptionConfirmer).
   */
  confirmSubscription?: (subscribeUrl: string) => Promise<void>;
  /** Recently handled MessageIds. Default: 10 000 for two hours. */
  recent?: RecentMessageIds;
  /** Default: the request's logger. */
  log?: NotificationLog;
  /** Called after each relayed notification, with the time since SNS's Timestamp (for latency metrics). */
  onRelayed?: (outcome: RelayOutcome, msFromTimestamp: number) => void;
  /** Largest body accepted. Default 256 KiB (SNS messages are at most 256 KB). */
  bodyLimit?: number;
  now?: () => number;
}

export const circleNotifications: FastifyPluginAsync<CircleNotificationsOptions> = async (app, options) => {
  const { verifier, relay, onRelayed, bodyLimit = 256 * 1024, now = Date.now } = options;
  const confirmSubscription =
    options.confirmSubscription ?? createSubscriptionConfirmer({ topicArn: verifier.topicArn });
  const recent = options.recent ?? createRecentMessageIds();

  // SNS POSTs JSON as text/plain: take both types as a string and parse it here, so a bad body gets
  // this endpoint's problem details rather than Fastify's default JSON error.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => done(null, body),
  );
  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    const log = options.log ?? request.log;
    if (error.statusCode === 413)
      return sendProblem(reply, 'body_too_large', `the limit is ${bodyLimit} bytes`);
    if (error.statusCode === 415)
      return sendProblem(reply, 'unsupported_media_type', 'send text/plain or application/json');
    if (error.statusCode === 429) return sendProblem(reply, 'rate_limited', 'too many requests; retry later');
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, 'malformed', 'the request could not be read');
    }
    log.error({ code: error.code }, 'circle notification: unexpected error');
    return sendProblem(reply, 'internal', 'the notification could not be handled');
  });

  // Replies are sent as strings; the routes' response schemas (zod) only document them, so they need no
  // serializer of the app's (this plugin works in any Fastify app).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.head(
    CIRCLE_NOTIFICATIONS_PATH,
    // An explicit HEAD (not GET's twin): documented.
    { schema: probeRouteSchema, config: { swagger: { exposeHeadRoute: true } } },
    async (_request, reply) => reply.code(200).send(),
  );

  const receive = { bodyLimit, schema: receiveRouteSchema, config: { openapiBody: receiveRequestBody } };
  app.post(CIRCLE_NOTIFICATIONS_PATH, receive, async (request, reply) => {
    const log = options.log ?? request.log;
    let message: VerifiedSnsMessage;
    try {
      message = await verifier.verify(parseJson(request.body));
      const headerType = request.headers[SNS_HEADERS.messageType];
      if (headerType !== undefined && headerType !== message.Type) {
        throw new NotificationRejected(
          'malformed',
          `the ${SNS_HEADERS.messageType} header does not match Type`,
        );
      }
    } catch (err) {
      if (err instanceof NotificationRejected) {
        log.warn({ reason: err.reason }, 'circle notification rejected');
        return sendProblem(reply, err.reason, err.message);
      }
      if (err instanceof VerificationUnavailable) {
        log.warn({ reason: 'verification_unavailable' }, 'circle notification not verified yet');
        return sendProblem(reply, 'verification_unavailable', err.message);
      }
      throw err;
    }

    const ids = { messageId: message.MessageId, type: message.Type };
    if (!recent.claim(message.MessageId)) {
      log.info(ids, 'circle notification: duplicate dropped');
      return ok(reply);
    }
    // Until it has been handled: a failure releases the id, so SNS's retry is handled again.
    switch (message.Type) {
      case 'SubscriptionConfirmation':
        try {
          await confirmSubscription(message.SubscribeURL ?? '');
        } catch (err) {
          recent.release(message.MessageId);
          log.warn(
            { ...ids, error: (err as Error).message },
            'circle notification: subscription not confirmed',
          );
          return sendProblem(reply, 'subscription_not_confirmed', 'the SubscribeURL could not be fetched');
        }
        log.info({ ...ids, topicArn: message.TopicArn }, 'circle notification: subscription confirmed');
        return ok(reply);
      case 'UnsubscribeConfirmation':
        // Only logged: resubscribing is a decision for an operator (SubscribeURL would undo it).
        log.warn({ ...ids, topicArn: message.TopicArn }, 'circle notification: subscription cancelled');
        return ok(reply);
      case 'Notification': {
        let outcome: RelayOutcome;
        try {
          outcome = await relay(message);
        } catch (err) {
          recent.release(message.MessageId);
          log.error({ ...ids, error: (err as Error).name }, 'circle notification: relay failed');
          return sendProblem(reply, 'relay_unavailable', 'the notification could not be relayed; retry');
        }
        if (outcome.kind === 'unroutable')
          log.warn({ ...ids, ...outcome }, 'circle notification: unroutable');
        else log.info({ ...ids, ...outcome }, `circle notification: ${outcome.kind}`);
        onRelayed?.(outcome, now() - Date.parse(message.Timestamp));
        return ok(reply);
      }
    }
  });
};

function ok(reply: FastifyReply): FastifyReply {
  return reply.code(200).send();
}

function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') throw new NotificationRejected('malformed', 'the body is missing');
  try {
    return JSON.parse(body);
  } catch {
    throw new NotificationRejected('malformed', 'the body is not JSON');
  }
}

/**
 * The plugin with its options bound, for a list of option-less plugins (the HTTP service's `plugins`).
 * Still register it with `app.register`, which gives it its own context.
 */
export const circleNotificationsWith =
  (options: CircleNotificationsOptions): FastifyPluginAsync =>
  (app) =>
    circleNotifications(app, options);
