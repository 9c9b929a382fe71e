// Environment -> typed configuration, validated once at start-up. ONBOARDING_ENV says where it runs,
// never inferred from addresses (a loopback sidecar or proxy can front Temporal Cloud or Circle):
// `local` runs the local stack on the defaults (dev server on localhost:7233, simulator on
// localhost:4010); `production` refuses the simulator's public secrets, plaintext payloads (unless
// ALLOW_UNENCRYPTED_PAYLOADS=true), document URLs from any host and an open codec server.
import { z } from 'zod';
import type { Provider } from '../contract/task-queues';
import { LOCAL_ID_KEY } from '../contract/workflow';
import type { DocumentStoreOptions } from '../documents/store';
import type { PaceOptions } from '../partner-api/pacer';
import { storeOptionsFromEnv } from '../documents/store-env';
import { parseTopicArn, SANDBOX_TOPIC_ARN } from '../notifications/sns';
import { observabilityOptionsFromEnv, type ObservabilityOptions } from '../observability/options';
import { parseApiKeys, type ApiKey } from '../service/auth';
import { isLoopbackHost, temporalConnectionFromEnv, type TemporalConnection } from '../temporal/connection';
import type { CodecServerSettings } from '../temporal/codec-server';
import { parseEncryptionKeys, type EncryptionKeys } from '../temporal/encryption-codec';
import { cachedWorkflowsFor, MIN_MEMORY_BUDGET_MIB, WORKER_BASE_MIB } from '../temporal/memory-budget';

/** The simulator's credentials: public, so refused in production (and in local against a remote URL). */
const SIMULATOR_SECRETS = {
  CIRCLE_API_KEY: 'TEST_API_KEY:local:simulator',
  CLIVE_API_KEY: 'cp_test_partner_local',
  CLIVE_HMAC_SECRET: 'local-hmac-secret',
} as const;

/** A comma-separated list, blanks dropped. */
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A whole number above zero, `fallback` when unset. */
const positiveInteger = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const ENVIRONMENTS = ['local', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const ENVIRONMENT_HELP =
  '"local" (the dev stack: simulator secrets, plaintext payloads and an open codec server allowed) or "production" (all refused, whatever the addresses)';

const schema = z
  .object({
    /** Where this runs: required, never inferred from addresses. */
    ONBOARDING_ENV: z.enum(ENVIRONMENTS, {
      error: (issue) =>
        issue.input === undefined || issue.input === ''
          ? `required: set it to ${ENVIRONMENT_HELP}`
          : `must be ${ENVIRONMENT_HELP}, got ${JSON.stringify(issue.input)}`,
    }),
    // TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS and API key: temporal/connection.ts (envconfig).
    TEMPORAL_TASK_QUEUE: z.string().min(1).optional(),
    CIRCLE_API_BASE_URL: z.url().default('http://127.0.0.1:4010'),
    CIRCLE_API_KEY: z.string().min(1).default(SIMULATOR_SECRETS.CIRCLE_API_KEY),
    CIRCLE_HTTP_TIMEOUT_MS: positiveInteger(15_000),
    CLIVE_API_BASE_URL: z.url().default('http://127.0.0.1:4010/api/v1'),
    CLIVE_API_KEY: z.string().min(1).default(SIMULATOR_SECRETS.CLIVE_API_KEY),
    CLIVE_HMAC_SECRET: z.string().min(1).default(SIMULATOR_SECRETS.CLIVE_HMAC_SECRET),
    /** `id:base64key[,id:base64key]`: encrypt payloads with the first key, decrypt with any. */
    PAYLOAD_ENCRYPTION_KEYS: z.string().min(1).optional(),
    /** In production, running without PAYLOAD_ENCRYPTION_KEYS needs saying so. */
    ALLOW_UNENCRYPTED_PAYLOADS: z.enum(['true', 'false']).default('false'),
    /** Workflows kept in the worker's memory; fewer bounds RSS, at the cost of replays on wake-up. */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
    /** The worker's RSS to stay within, in MiB: sizes the workflow cache (temporal/memory-budget.ts). */
    WORKER_MEMORY_BUDGET_MB: z.coerce
      .number()
      .int()
      .min(MIN_MEMORY_BUDGET_MIB, {
        message: `must be at least ${MIN_MEMORY_BUDGET_MIB} (MiB): a worker holds about ${WORKER_BASE_MIB} MiB before it caches any onboarding`,
      })
      .optional(),
    /** Activities one worker runs at once, on each of its task queues (workflows', Circle's, Clive's). */
    WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().optional(),
    /**
     * Worker Versioning: the worker deployment (one name for every version of this worker) and this
     * build's id (the image's git commit). Both or neither; unset, the worker is unversioned.
     */
    WORKER_DEPLOYMENT_NAME: z
      .string()
      .regex(/^(?!__)[^.:]{1,480}$/, "at most 480 characters, without '.' or ':', not starting with '__'")
      .optional(),
    WORKER_BUILD_ID: z
      .string()
      .regex(/^(?!__).{1,480}$/, "1 to 480 characters, not starting with '__'")
      .optional(),
    /**
     * Circle (Clive) activities per second across every worker replica: the rate limit of the partner's
     * task queue, held by the Temporal server. Unset: none.
     */
    CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
    CLIVE_TASK_QUEUE_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
    /** Requests per second one worker sends to Circle (Clive), and the burst it may send at once. */
    CIRCLE_REQUESTS_PER_SECOND: z.coerce.number().positive().optional(),
    CIRCLE_REQUEST_BURST: z.coerce.number().int().positive().optional(),
    CLIVE_REQUESTS_PER_SECOND: z.coerce.number().positive().optional(),
    CLIVE_REQUEST_BURST: z.coerce.number().int().positive().optional(),
    /**
     * The shortest poll interval an input may ask for. Below a second only in local against a local
     * simulator: against Circle it would spend the partner's rate limit on polls.
     */
    ONBOARDING_MIN_POLL_INTERVAL_MS: positiveInteger(1000),
    /** Key of the workflow-id rule: a secret shared by every service that starts onboardings. */
    ONBOARDING_ID_KEY: z.string().min(16).default(LOCAL_ID_KEY),
    /** The onboarding service (`npm run service`): where it listens and who may call it. */
    SERVICE_HOST: z.string().min(1).default('127.0.0.1'),
    SERVICE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
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
    CODEC_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
    CODEC_SERVER_PORT: z.coerce.number().int().min(0).max(65535).default(8888),
    /** Comma list of Web UI origins the codec server answers CORS for. */
    CODEC_CORS_ORIGIN: z.string().min(1).default('http://localhost:8233'),
    /** Comma list of SHA-256 hex hashes of the bearer tokens the codec server accepts. */
    CODEC_SERVER_TOKENS: z
      .string()
      .default('')
      .refine((v) => list(v).every((h) => /^[0-9a-fA-F]{64}$/.test(h)), {
        message: 'each entry must be 64 hex digits: the SHA-256 of a token, never the token',
      }),
    /** Comma list of namespaces the codec server serves (X-Namespace); default the configured one. */
    CODEC_SERVER_NAMESPACES: z.string().optional(),
    /** `/encode` lets callers produce ciphertext with the key: off unless asked for. */
    CODEC_SERVER_ENCODE: z.enum(['true', 'false']).default('false'),
  })
  .refine((e) => (e.WORKER_DEPLOYMENT_NAME === undefined) === (e.WORKER_BUILD_ID === undefined), {
    message:
      'WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID go together: set both (a versioned worker) or neither',
    path: ['WORKER_BUILD_ID'],
  })
  .refine((e) => e.WORKER_MAX_CACHED_WORKFLOWS === undefined || e.WORKER_MEMORY_BUDGET_MB === undefined, {
    message:
      'WORKER_MAX_CACHED_WORKFLOWS and WORKER_MEMORY_BUDGET_MB both size the workflow cache: set one of them',
    path: ['WORKER_MEMORY_BUDGET_MB'],
  });

/** ONBOARDING_ENV=local with Circle on loopback: where the simulator's public defaults are fine. */
function againstLocalSimulator(e: { ONBOARDING_ENV: Environment; CIRCLE_API_BASE_URL: string }): boolean {
  return e.ONBOARDING_ENV === 'local' && isLoopback(e.CIRCLE_API_BASE_URL);
}

/** True for a loopback URL; an invalid one is reported by its own check, not by these rules. */
function isLoopback(url: string): boolean {
  if (!URL.canParse(url)) return true;
  return isLoopbackHost(new URL(url).hostname);
}

export interface WorkerDeployment {
  name: string;
  buildId: string;
}

export interface Config {
  /** ONBOARDING_ENV: `local` allows the dev stack's conveniences, `production` refuses them. */
  environment: Environment;
  temporal: {
    address: string;
    namespace: string;
    taskQueue?: string;
    encryption?: EncryptionKeys;
    /** Address, namespace, TLS, API key: pass to `clientConnectionOptions`/`nativeConnectionOptions`. */
    connection: TemporalConnection;
  };
  codecServer: CodecServerSettings;
  worker: { maxCachedWorkflows?: number; maxConcurrentActivityTaskExecutions?: number };
  /**
   * WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID: the worker deployment version this worker polls as
   * (each onboarding stays on the version it started on); unset, the worker is unversioned.
   */
  deployment?: WorkerDeployment;
  /** WORKER_MEMORY_BUDGET_MB, which sized `worker.maxCachedWorkflows` (temporal/memory-budget.ts). */
  memoryBudgetMiB?: number;
  /** The cluster-wide limit of each partner's task queue (activities per second), where one is set. */
  taskQueueActivitiesPerSecond: Partial<Record<Provider, number>>;
  onboarding: { minPollIntervalMs: number; idKey: string };
  circle: { baseUrl: string; apiKey: string; timeoutMs: number; pace: PaceOptions };
  clive: { baseUrl: string; apiKey: string; hmacSecret: string; pace: PaceOptions };
  /**
   * DOCUMENT_STORE_DIR, DOCUMENT_URLS, DOCUMENT_URL_HOSTS, DOCUMENT_URLS_ALLOW_LOOPBACK, DOCUMENT_MAX_BYTES
   * (documents/store-env.ts): with ONBOARDING_ENV=production, URL sources need DOCUMENT_URL_HOSTS.
   */
  documents: DocumentStoreOptions;
  /** WORKER_HEALTH_PORT/HOST, METRICS_BIND_ADDRESS, WORKER_SHUTDOWN_GRACE_TIME, LOG_FORMAT, LOG_LEVEL, STEP_GAUGE. */
  observability: ObservabilityOptions;
  service: {
    host: string;
    port: number;
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
    /** The accepted topic; undefined with ONBOARDING_ENV=production when not set (the service refuses to start). */
    topicArn?: string;
    trustedCertOrigins: string[];
    maxAgeMs: number;
    /** Per client IP, on the notification endpoint. */
    rateLimitPerMinute: number;
  };
}

type Env = z.infer<typeof schema>;

/**
 * What production refuses whatever the addresses, and what local allows only against the simulator on
 * loopback: reported together, each named by its variable.
 */
function securityProblems(e: Env, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const production = e.ONBOARDING_ENV === 'production';
  if (production && !e.PAYLOAD_ENCRYPTION_KEYS && e.ALLOW_UNENCRYPTED_PAYLOADS !== 'true') {
    problems.push(
      'PAYLOAD_ENCRYPTION_KEYS: required with ONBOARDING_ENV=production; set ALLOW_UNENCRYPTED_PAYLOADS=true to store business data in plaintext knowingly',
    );
  }
  const secrets: [keyof typeof SIMULATOR_SECRETS, 'CIRCLE_API_BASE_URL' | 'CLIVE_API_BASE_URL'][] = [
    ['CIRCLE_API_KEY', 'CIRCLE_API_BASE_URL'],
    ['CLIVE_API_KEY', 'CLIVE_API_BASE_URL'],
    ['CLIVE_HMAC_SECRET', 'CLIVE_API_BASE_URL'],
  ];
  for (const [name, url] of secrets) {
    if (e[name] !== SIMULATOR_SECRETS[name]) continue;
    if (production) {
      problems.push(
        `${name}: must be set (the default is the local simulator's, refused with ONBOARDING_ENV=production)`,
      );
    } else if (!isLoopback(e[url])) {
      problems.push(
        `${name}: must be set (the default is the local simulator's, and ${url} is not loopback)`,
      );
    }
  }
  if (e.ONBOARDING_MIN_POLL_INTERVAL_MS < 1000 && !againstLocalSimulator(e)) {
    problems.push(
      'ONBOARDING_MIN_POLL_INTERVAL_MS: may be below 1000 only with ONBOARDING_ENV=local while CIRCLE_API_BASE_URL is a local simulator (localhost or 127.0.0.1)',
    );
  }
  if (e.CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS !== '' && !againstLocalSimulator(e)) {
    problems.push(
      'CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: may be set only with ONBOARDING_ENV=local while CIRCLE_API_BASE_URL is a local simulator: notifications from Circle are signed with certificates from SNS hosts',
    );
  }
  if (e.ONBOARDING_ID_KEY === LOCAL_ID_KEY && !againstLocalSimulator(e)) {
    problems.push(
      'ONBOARDING_ID_KEY: must be set to a secret (16+ characters, shared by every service that starts onboardings): the default is public, accepted only with ONBOARDING_ENV=local against a local simulator',
    );
  }
  const urlSources = env.DOCUMENT_URLS?.trim().toLowerCase() !== 'off';
  const hosts = (env.DOCUMENT_URL_HOSTS ?? '').split(',').filter((h) => h.trim() !== '');
  if (production && urlSources && hosts.length === 0) {
    problems.push(
      'DOCUMENT_URL_HOSTS: required with ONBOARDING_ENV=production while document URL sources are on (the hosts documents may be downloaded from; or DOCUMENT_URLS=off)',
    );
  }
  return problems;
}

export interface LoadConfigOptions {
  /** Where start-up warnings go (stderr by default). */
  warn?: (line: string) => void;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { warn = (line) => console.error(line) }: LoadConfigOptions = {},
): Config {
  const parsed = schema.safeParse(env);
  const temporal = temporalConnectionFromEnv(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...('problems' in temporal ? temporal.problems : []),
  ];
  if (parsed.success) problems.push(...securityProblems(parsed.data, env));
  if (!parsed.success || !('connection' in temporal) || problems.length) {
    throw new Error(
      `Invalid configuration in environment variables:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  const e = parsed.data;
  const connection = temporal.connection;
  if (e.ONBOARDING_ENV === 'production' && !e.PAYLOAD_ENCRYPTION_KEYS) {
    warn(
      '!!! ALLOW_UNENCRYPTED_PAYLOADS=true: payloads, failure messages and stack traces (business and personal data) are stored in Temporal in PLAINTEXT !!!',
    );
  }
  // Production without DOCUMENT_URL_HOSTS (while URLs are on) was refused above.
  const local = e.ONBOARDING_ENV === 'local';
  const documents = storeOptionsFromEnv(env, { local });
  return {
    environment: e.ONBOARDING_ENV,
    temporal: {
      address: connection.address,
      namespace: connection.namespace,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      encryption: e.PAYLOAD_ENCRYPTION_KEYS ? parseEncryptionKeys(e.PAYLOAD_ENCRYPTION_KEYS) : undefined,
      connection,
    },
    codecServer: {
      host: e.CODEC_SERVER_HOST,
      port: e.CODEC_SERVER_PORT,
      corsOrigins: list(e.CODEC_CORS_ORIGIN),
      tokenHashes: list(e.CODEC_SERVER_TOKENS).map((h) => h.toLowerCase()),
      namespaces: e.CODEC_SERVER_NAMESPACES ? list(e.CODEC_SERVER_NAMESPACES) : [connection.namespace],
      encode: e.CODEC_SERVER_ENCODE === 'true',
    },
    worker: {
      maxCachedWorkflows:
        e.WORKER_MEMORY_BUDGET_MB === undefined
          ? e.WORKER_MAX_CACHED_WORKFLOWS
          : cachedWorkflowsFor(e.WORKER_MEMORY_BUDGET_MB),
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    memoryBudgetMiB: e.WORKER_MEMORY_BUDGET_MB,
    ...(e.WORKER_DEPLOYMENT_NAME &&
      e.WORKER_BUILD_ID && { deployment: { name: e.WORKER_DEPLOYMENT_NAME, buildId: e.WORKER_BUILD_ID } }),
    taskQueueActivitiesPerSecond: {
      ...(e.CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND && { circle: e.CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND }),
      ...(e.CLIVE_TASK_QUEUE_ACTIVITIES_PER_SECOND && { clive: e.CLIVE_TASK_QUEUE_ACTIVITIES_PER_SECOND }),
    },
    onboarding: { minPollIntervalMs: e.ONBOARDING_MIN_POLL_INTERVAL_MS, idKey: e.ONBOARDING_ID_KEY },
    circle: {
      baseUrl: e.CIRCLE_API_BASE_URL,
      apiKey: e.CIRCLE_API_KEY,
      timeoutMs: e.CIRCLE_HTTP_TIMEOUT_MS,
      pace: { requestsPerSecond: e.CIRCLE_REQUESTS_PER_SECOND, burst: e.CIRCLE_REQUEST_BURST },
    },
    clive: {
      baseUrl: e.CLIVE_API_BASE_URL,
      apiKey: e.CLIVE_API_KEY,
      hmacSecret: e.CLIVE_HMAC_SECRET,
      pace: { requestsPerSecond: e.CLIVE_REQUESTS_PER_SECOND, burst: e.CLIVE_REQUEST_BURST },
    },
    documents,
    observability: observabilityOptionsFromEnv(env),
    service: {
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
    },
    notifications: {
      topicArn: e.CIRCLE_NOTIFICATIONS_TOPIC_ARN ?? (local ? SANDBOX_TOPIC_ARN : undefined),
      rateLimitPerMinute: e.CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE,
      trustedCertOrigins: e.CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      maxAgeMs: e.CIRCLE_NOTIFICATIONS_MAX_AGE_MS,
    },
  };
}
