// Circle's notifications: the one SNS topic accepted, who may sign it, how old a message may be, and
// the per-IP limit of the (unauthenticated) endpoint.
import { z } from 'zod';
import { parseTopicArn, SANDBOX_TOPIC_ARN } from '../notifications/sns';
import type { ServiceConfig } from '../service/from-config';
import { list, positiveInteger } from './variables';

export const notificationVariables = z.object({
  /**
   * Extra origins whose `.pem` certificates may sign notifications: only the local simulator's
   * (refused in production, and unless CIRCLE_API_BASE_URL is loopback). Circle's come from SNS hosts.
   */
  CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: z.string().default(''),
  /**
   * The one SNS topic whose notifications are accepted (Circle's sandbox or production topic, in its
   * region): required with ONBOARDING_ENV=production, where it defaults to the simulator's (sandbox) topic.
   */
  CIRCLE_NOTIFICATIONS_TOPIC_ARN: z
    .string()
    .refine((v) => parseTopicArn(v) !== undefined, {
      message: 'must be an SNS topic ARN: arn:aws:sns:<region>:<account>:<topic>',
    })
    .optional(),
  /** Requests per minute one client IP may make to the notification endpoint (unauthenticated). */
  CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE: positiveInteger(120),
  /** Notifications older than this (ms) are refused as stale (replays). */
  CIRCLE_NOTIFICATIONS_MAX_AGE_MS: positiveInteger(60 * 60 * 1000),
});

export type NotificationSettings = ServiceConfig['notifications'];

/** `local`: without a topic, the simulator's (sandbox) one; elsewhere none (the service refuses to start). */
export function notificationSettings(
  e: z.infer<typeof notificationVariables>,
  { local }: { local: boolean },
): NotificationSettings {
  return {
    topicArn: e.CIRCLE_NOTIFICATIONS_TOPIC_ARN ?? (local ? SANDBOX_TOPIC_ARN : undefined),
    rateLimitPerMinute: e.CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE,
    trustedCertOrigins: list(e.CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS),
    maxAgeMs: e.CIRCLE_NOTIFICATIONS_MAX_AGE_MS,
  };
}
