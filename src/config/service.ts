// The onboarding service (`npm run service`): where it listens, who may call it, its limits and uploads.
import { z } from 'zod';
import { parseApiKeys } from '../service/auth';
import type { ServiceConfig } from '../service/from-config';
import { port, positiveInteger } from './variables';

export const serviceVariables = z.object({
  SERVICE_HOST: z.string().min(1).default('127.0.0.1'),
  SERVICE_PORT: port(8080),
  /** `name:sha256hex:scope[,...]` (scope `read` or `write`); hashes of the keys, never the keys. */
  SERVICE_API_KEYS: z.string().default(''),
  SERVICE_RATE_LIMIT_PER_MINUTE: positiveInteger(600),
  SERVICE_BODY_LIMIT_BYTES: positiveInteger(1024 * 1024),
  /** How long a request waits for an update's answer (504 after) and for other Temporal calls (503). */
  SERVICE_MESSAGE_TIMEOUT_MS: positiveInteger(60_000),
  SERVICE_TEMPORAL_TIMEOUT_MS: positiveInteger(10_000),
  /** Uploads: bytes one onboarding's folder may hold (413 beyond); bytes one API key may store an hour (429). */
  SERVICE_UPLOAD_QUOTA_BYTES_PER_ONBOARDING: positiveInteger(100 * 1024 * 1024),
  SERVICE_UPLOAD_QUOTA_BYTES_PER_KEY_PER_HOUR: positiveInteger(1024 * 1024 * 1024),
  /** How often closed onboardings' uploads are removed (0: this instance does not sweep), and how long after closing. */
  SERVICE_UPLOAD_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(600_000),
  SERVICE_UPLOAD_GRACE_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** `true` behind a TLS proxy or load balancer, so rate limiting by IP sees the client's address. */
  SERVICE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
});

export type ServiceSettings = ServiceConfig['service'] & { host: string; port: number };

export function serviceSettings(e: z.infer<typeof serviceVariables>): ServiceSettings {
  return {
    host: e.SERVICE_HOST,
    port: e.SERVICE_PORT,
    apiKeys: parseApiKeys(e.SERVICE_API_KEYS),
    rateLimitPerMinute: e.SERVICE_RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: e.SERVICE_BODY_LIMIT_BYTES,
    messageTimeoutMs: e.SERVICE_MESSAGE_TIMEOUT_MS,
    temporalTimeoutMs: e.SERVICE_TEMPORAL_TIMEOUT_MS,
    trustProxy: e.SERVICE_TRUST_PROXY === 'true',
    uploads: {
      quotaBytesPerOnboarding: e.SERVICE_UPLOAD_QUOTA_BYTES_PER_ONBOARDING,
      quotaBytesPerKeyPerHour: e.SERVICE_UPLOAD_QUOTA_BYTES_PER_KEY_PER_HOUR,
      sweepIntervalMs: e.SERVICE_UPLOAD_SWEEP_INTERVAL_MS,
      graceMs: e.SERVICE_UPLOAD_GRACE_MS,
    },
  };
}
