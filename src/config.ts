// Environment -> typed configuration, validated once at start-up. Defaults run the local stack
// (dev server on localhost:7233, simulator on localhost:4010), so nothing needs setting to try it.
import { z } from 'zod';
import { LOCAL_ID_KEY } from './contract/workflow';
import type { DocumentStoreOptions } from './documents/store';
import { storeOptionsFromEnv } from './documents/store-env';
import { parseApiKeys, type ApiKey } from './service/auth';
import { parseEncryptionKeys, type EncryptionKeys } from './temporal/encryption-codec';

const schema = z
  .object({
    TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).optional(),
    CIRCLE_API_BASE_URL: z.url().default('http://127.0.0.1:4010'),
    CIRCLE_API_KEY: z.string().min(1).default('TEST_API_KEY:local:simulator'),
    CIRCLE_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    CLIVE_API_BASE_URL: z.url().default('http://127.0.0.1:4010/api/v1'),
    CLIVE_API_KEY: z.string().min(1).default('cp_test_partner_local'),
    CLIVE_HMAC_SECRET: z.string().min(1).default('local-hmac-secret'),
    /** `id:base64key[,id:base64key]`: encrypt payloads with the first key, decrypt with any. */
    PAYLOAD_ENCRYPTION_KEYS: z.string().min(1).optional(),
    /** Workflows kept in the worker's memory; fewer bounds RSS, at the cost of replays on wake-up. */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
    /** Activities one worker runs at once: throttles calls to Circle and Clive. */
    WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().optional(),
    /**
     * The shortest poll interval an input may ask for. Below a second only against a local simulator:
     * against Circle it would spend the partner's rate limit on polls.
     */
    ONBOARDING_MIN_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
    /** Key of the workflow-id rule: a secret shared by every service that starts onboardings. */
    ONBOARDING_ID_KEY: z.string().min(16).default(LOCAL_ID_KEY),
    /** The onboarding service (`npm run service`): where it listens and who may call it. */
    SERVICE_HOST: z.string().min(1).default('127.0.0.1'),
    SERVICE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    /** `name:sha256hex:scope[,...]` (scope `read` or `write`); hashes of the keys, never the keys. */
    SERVICE_API_KEYS: z.string().default(''),
    SERVICE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    SERVICE_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /** How long a request waits for an update's answer (504 after) and for other Temporal calls (503). */
    SERVICE_MESSAGE_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    SERVICE_TEMPORAL_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** `true` behind a TLS proxy or load balancer, so rate limiting by IP sees the client's address. */
    SERVICE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
    /**
     * Extra origins whose `.pem` certificates may sign notifications: only the local simulator's
     * (refused unless CIRCLE_API_BASE_URL is loopback). Circle's come from SNS hosts over https.
     */
    CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: z.string().default(''),
    /** Notifications older than this (ms) are refused as stale (replays). */
    CIRCLE_NOTIFICATIONS_MAX_AGE_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(60 * 60 * 1000),
    CODEC_SERVER_PORT: z.coerce.number().int().min(0).max(65535).default(8888),
    CODEC_CORS_ORIGIN: z.string().min(1).default('http://localhost:8233'),
  })
  .refine((e) => e.ONBOARDING_MIN_POLL_INTERVAL_MS >= 1000 || isLoopback(e.CIRCLE_API_BASE_URL), {
    message: 'may be below 1000 only while CIRCLE_API_BASE_URL is a local simulator (localhost or 127.0.0.1)',
    path: ['ONBOARDING_MIN_POLL_INTERVAL_MS'],
  })
  .refine((e) => e.CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS === '' || isLoopback(e.CIRCLE_API_BASE_URL), {
    message:
      'may be set only while CIRCLE_API_BASE_URL is a local simulator: notifications from Circle are signed with certificates from SNS hosts',
    path: ['CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS'],
  })
  .refine(idKeyIsSecret, {
    message:
      'must be set to a secret (16+ characters, shared by every service that starts onboardings) unless CIRCLE_API_BASE_URL is a local simulator',
    path: ['ONBOARDING_ID_KEY'],
  });

/** Refuses the public default id key anywhere but against the local simulator. */
function idKeyIsSecret(e: { ONBOARDING_ID_KEY: string; CIRCLE_API_BASE_URL: string }): boolean {
  return e.ONBOARDING_ID_KEY !== LOCAL_ID_KEY || isLoopback(e.CIRCLE_API_BASE_URL);
}

/** True for a loopback URL; an invalid one is reported by its own check, not by these rules. */
function isLoopback(url: string): boolean {
  if (!URL.canParse(url)) return true;
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

export interface Config {
  temporal: { address: string; namespace: string; taskQueue?: string; encryption?: EncryptionKeys };
  codecServer: { port: number; corsOrigin: string };
  worker: { maxCachedWorkflows?: number; maxConcurrentActivityTaskExecutions?: number };
  onboarding: { minPollIntervalMs: number; idKey: string };
  circle: { baseUrl: string; apiKey: string; timeoutMs: number };
  clive: { baseUrl: string; apiKey: string; hmacSecret: string };
  /** DOCUMENT_STORE_DIR, DOCUMENT_URLS, DOCUMENT_URL_HOSTS, DOCUMENT_MAX_BYTES (documents/store-env.ts). */
  documents: DocumentStoreOptions;
  service: {
    host: string;
    port: number;
    apiKeys: ApiKey[];
    rateLimitPerMinute: number;
    bodyLimitBytes: number;
    messageTimeoutMs: number;
    temporalTimeoutMs: number;
    trustProxy: boolean;
  };
  notifications: { trustedCertOrigins: string[]; maxAgeMs: number };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration in environment variables:\n${problems}`);
  }
  const e = parsed.data;
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      encryption: e.PAYLOAD_ENCRYPTION_KEYS ? parseEncryptionKeys(e.PAYLOAD_ENCRYPTION_KEYS) : undefined,
    },
    codecServer: { port: e.CODEC_SERVER_PORT, corsOrigin: e.CODEC_CORS_ORIGIN },
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    onboarding: { minPollIntervalMs: e.ONBOARDING_MIN_POLL_INTERVAL_MS, idKey: e.ONBOARDING_ID_KEY },
    circle: { baseUrl: e.CIRCLE_API_BASE_URL, apiKey: e.CIRCLE_API_KEY, timeoutMs: e.CIRCLE_HTTP_TIMEOUT_MS },
    clive: { baseUrl: e.CLIVE_API_BASE_URL, apiKey: e.CLIVE_API_KEY, hmacSecret: e.CLIVE_HMAC_SECRET },
    documents: storeOptionsFromEnv(env),
    service: {
      host: e.SERVICE_HOST,
      port: e.SERVICE_PORT,
      apiKeys: parseApiKeys(e.SERVICE_API_KEYS),
      rateLimitPerMinute: e.SERVICE_RATE_LIMIT_PER_MINUTE,
      bodyLimitBytes: e.SERVICE_BODY_LIMIT_BYTES,
      messageTimeoutMs: e.SERVICE_MESSAGE_TIMEOUT_MS,
      temporalTimeoutMs: e.SERVICE_TEMPORAL_TIMEOUT_MS,
      trustProxy: e.SERVICE_TRUST_PROXY === 'true',
    },
    notifications: {
      trustedCertOrigins: e.CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      maxAgeMs: e.CIRCLE_NOTIFICATIONS_MAX_AGE_MS,
    },
  };
}
