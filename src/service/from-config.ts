// The onboarding service as configured: the HTTP API, plus the receiver of Circle's notifications,
// which relays each verified one to its onboarding as `applicationStatusChanged`.
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_MAX_BYTES, type DocumentStoreOptions } from '../documents/store';
import {
  circleNotificationsWith,
  createRelay,
  createSnsVerifier,
  createSubscriptionConfirmer,
  type RelayOutcome,
} from '../notifications';
import { buildService, type ServiceOptions } from './app';
import type { ApiKey } from './auth';

/** What the service reads of the configuration (src/config/ loads it from the environment). */
export interface ServiceConfig {
  temporal: { taskQueue?: string };
  onboarding: { minPollIntervalMs: number; idKey: string };
  documents: DocumentStoreOptions;
  service: {
    apiKeys: ApiKey[];
    rateLimitPerMinute: number;
    bodyLimitBytes: number;
    messageTimeoutMs: number;
    temporalTimeoutMs: number;
    trustProxy: boolean;
    uploads: {
      quotaBytesPerOnboarding: number;
      quotaBytesPerKeyPerHour: number;
      sweepIntervalMs: number;
      graceMs: number;
    };
  };
  notifications: {
    /** The accepted topic; undefined with ONBOARDING_ENV=production when not set (refused here). */
    topicArn?: string;
    trustedCertOrigins: string[];
    maxAgeMs: number;
    /** Per client IP, on the notification endpoint. */
    rateLimitPerMinute: number;
  };
}

export interface ConfiguredServiceOptions {
  /** Called after each relayed notification (benchmarks measure notification-to-signal latency). */
  onRelayed?: (outcome: RelayOutcome, msFromTimestamp: number) => void;
  logger?: ServiceOptions['logger'];
}

export function serviceFromConfig(
  config: ServiceConfig,
  client: Client,
  options: ConfiguredServiceOptions = {},
): FastifyInstance {
  const { topicArn, trustedCertOrigins: trusted, maxAgeMs } = config.notifications;
  if (topicArn === undefined) {
    throw new Error(
      'Invalid configuration in environment variables:\n  CIRCLE_NOTIFICATIONS_TOPIC_ARN: required with ONBOARDING_ENV=production: the one SNS topic (Circle sandbox or production, with its region) whose notifications the service accepts',
    );
  }
  const notifications = circleNotificationsWith({
    verifier: createSnsVerifier({ topicArn, trustedCertOrigins: trusted, maxAgeMs }),
    relay: createRelay({ client }),
    confirmSubscription: createSubscriptionConfirmer({ topicArn, trustedOrigins: trusted }),
    onRelayed: options.onRelayed,
  });
  const dir = config.documents.dir;
  return buildService({
    client,
    taskQueue: config.temporal.taskQueue,
    idKey: config.onboarding.idKey,
    apiKeys: config.service.apiKeys,
    rateLimitPerMinute: config.service.rateLimitPerMinute,
    bodyLimitBytes: config.service.bodyLimitBytes,
    messageTimeoutMs: config.service.messageTimeoutMs,
    temporalTimeoutMs: config.service.temporalTimeoutMs,
    trustProxy: config.service.trustProxy,
    minPollIntervalMs: config.onboarding.minPollIntervalMs,
    documents: dir
      ? { dir, maxBytes: config.documents.maxBytes ?? DEFAULT_MAX_BYTES, ...config.service.uploads }
      : undefined,
    plugins: [notifications],
    pluginRateLimitPerMinute: config.notifications.rateLimitPerMinute,
    logger: options.logger,
  });
}
