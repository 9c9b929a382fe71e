// Environment -> typed configuration, validated once at start-up. Defaults run the local stack
// (dev server on localhost:7233, simulator on localhost:4010), so nothing needs setting to try it.
// Outside local mode (Temporal or Circle not on loopback) it is secure by default: payloads encrypted,
// no simulator secrets.
import { z } from 'zod';
import type { Provider } from './contract/task-queues';
import { LOCAL_ID_KEY } from './contract/workflow';
import type { DocumentStoreOptions } from './documents/store';
import type { PaceOptions } from './partner-api/pacer';
import { storeOptionsFromEnv } from './documents/store-env';
import { parseTopicArn, SANDBOX_TOPIC_ARN } from './notifications/sns';
import { observabilityOptionsFromEnv, type ObservabilityOptions } from './observability/options';
import { parseApiKeys, type ApiKey } from './service/auth';
import {
  isLoopbackAddress,
  isLoopbackHost,
  temporalConnectionFromEnv,
  type TemporalConnection,
} from './temporal/connection';
import { parseEncryptionKeys, type EncryptionKeys } from './temporal/encryption-codec';
import { cachedWorkflowsFor, MIN_MEMORY_BUDGET_MIB, WORKER_BASE_MIB } from './temporal/memory-budget';

/** The simulator's credentials: public, so refused against anything but a loopback URL. */
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

const schema = z
  .object({
    // TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS and API key: temporal/connection.ts (envconfig).
    TEMPORAL_TASK_QUEUE: z.string().min(1).optional(),
    CIRCLE_API_BASE_URL: z.url().default('http://127.0.0.1:4010'),
    CIRCLE_API_KEY: z.string().min(1).default(SIMULATOR_SECRETS.CIRCLE_API_KEY),
    CIRCLE_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    CLIVE_API_BASE_URL: z.url().default('http://127.0.0.1:4010/api/v1'),
    CLIVE_API_KEY: z.string().min(1).default(SIMULATOR_SECRETS.CLIVE_API_KEY),
    CLIVE_HMAC_SECRET: z.string().min(1).default(SIMULATOR_SECRETS.CLIVE_HMAC_SECRET),
    /** `id:base64key[,id:base64key]`: encrypt payloads with the first key, decrypt with any. */
    PAYLOAD_ENCRYPTION_KEYS: z.string().min(1).optional(),
    /** Outside local mode, running without PAYLOAD_ENCRYPTION_KEYS needs saying so. */
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
    /**
     * The one SNS topic whose notifications are accepted (Circle's sandbox or production topic, in its
     * region): required outside local mode, where it defaults to the simulator's (sandbox) topic.
     */
    CIRCLE_NOTIFICATIONS_TOPIC_ARN: z
      .string()
      .refine((v) => parseTopicArn(v) !== undefined, {
        message: 'must be an SNS topic ARN: arn:aws:sns:<region>:<account>:<topic>',
      })
      .optional(),
    /** Requests per minute one client IP may make to the notification endpoint (unauthenticated). */
    CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(120),
    /** Notifications older than this (ms) are refused as stale (replays). */
    CIRCLE_NOTIFICATIONS_MAX_AGE_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(60 * 60 * 1000),
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
  .refine((e) => e.WORKER_MAX_CACHED_WORKFLOWS === undefined || e.WORKER_MEMORY_BUDGET_MB === undefined, {
    message:
      'WORKER_MAX_CACHED_WORKFLOWS and WORKER_MEMORY_BUDGET_MB both size the workflow cache: set one of them',
    path: ['WORKER_MEMORY_BUDGET_MB'],
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
  return isLoopbackHost(new URL(url).hostname);
}

export interface Config {
  /** Temporal and Circle both on loopback: the local stack, where the simulator's defaults are fine. */
  local: boolean;
  temporal: {
    address: string;
    namespace: string;
    taskQueue?: string;
    encryption?: EncryptionKeys;
    /** Address, namespace, TLS, API key: pass to `clientConnectionOptions`/`nativeConnectionOptions`. */
    connection: TemporalConnection;
  };
  codecServer: {
    /** 127.0.0.1 by default; 0.0.0.0 in a container, behind the network's own controls. */
    host: string;
    port: number;
    corsOrigins: string[];
    /** SHA-256 hex of accepted bearer tokens; empty: open (refused outside local mode). */
    tokenHashes: string[];
    namespaces: string[];
    encode: boolean;
  };
  worker: { maxCachedWorkflows?: number; maxConcurrentActivityTaskExecutions?: number };
  /** WORKER_MEMORY_BUDGET_MB, which sized `worker.maxCachedWorkflows` (temporal/memory-budget.ts). */
  memoryBudgetMiB?: number;
  /** The cluster-wide limit of each partner's task queue (activities per second), where one is set. */
  taskQueueActivitiesPerSecond: Partial<Record<Provider, number>>;
  onboarding: { minPollIntervalMs: number; idKey: string };
  circle: { baseUrl: string; apiKey: string; timeoutMs: number; pace: PaceOptions };
  clive: { baseUrl: string; apiKey: string; hmacSecret: string; pace: PaceOptions };
  /**
   * DOCUMENT_STORE_DIR, DOCUMENT_URLS, DOCUMENT_URL_HOSTS, DOCUMENT_URLS_ALLOW_LOOPBACK, DOCUMENT_MAX_BYTES
   * (documents/store-env.ts): outside local mode, URL sources need DOCUMENT_URL_HOSTS.
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
  };
  notifications: {
    /** The accepted topic; undefined outside local mode when not set (the service refuses to start). */
    topicArn?: string;
    trustedCertOrigins: string[];
    maxAgeMs: number;
    /** Per client IP, on the notification endpoint. */
    rateLimitPerMinute: number;
  };
}

type Env = z.infer<typeof schema>;

/** Local mode: Temporal and Circle both on this machine (the dev server and the simulator). */
function isLocal(temporalAddress: string, circleBaseUrl: string): boolean {
  return isLoopbackAddress(temporalAddress) && isLoopback(circleBaseUrl);
}

/** The rules that need the Temporal address too: what local mode allows and nothing else does. */
function securityProblems(e: Env, temporalAddress: string): string[] {
  const problems: string[] = [];
  if (
    !isLocal(temporalAddress, e.CIRCLE_API_BASE_URL) &&
    !e.PAYLOAD_ENCRYPTION_KEYS &&
    e.ALLOW_UNENCRYPTED_PAYLOADS !== 'true'
  ) {
    problems.push(
      `PAYLOAD_ENCRYPTION_KEYS: required unless Temporal (${temporalAddress}) and CIRCLE_API_BASE_URL are both loopback; set ALLOW_UNENCRYPTED_PAYLOADS=true to store business data in plaintext knowingly`,
    );
  }
  const secrets: [keyof typeof SIMULATOR_SECRETS, 'CIRCLE_API_BASE_URL' | 'CLIVE_API_BASE_URL'][] = [
    ['CIRCLE_API_KEY', 'CIRCLE_API_BASE_URL'],
    ['CLIVE_API_KEY', 'CLIVE_API_BASE_URL'],
    ['CLIVE_HMAC_SECRET', 'CLIVE_API_BASE_URL'],
  ];
  for (const [name, url] of secrets) {
    if (e[name] === SIMULATOR_SECRETS[name] && !isLoopback(e[url])) {
      problems.push(
        `${name}: must be set (the default is the local simulator's, and ${url} is not loopback)`,
      );
    }
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
  if (parsed.success && 'connection' in temporal) {
    problems.push(...securityProblems(parsed.data, temporal.connection.address));
  }
  if (!parsed.success || !('connection' in temporal) || problems.length) {
    throw new Error(
      `Invalid configuration in environment variables:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  const e = parsed.data;
  const connection = temporal.connection;
  const local = isLocal(connection.address, e.CIRCLE_API_BASE_URL);
  if (!local && !e.PAYLOAD_ENCRYPTION_KEYS) {
    warn(
      '!!! ALLOW_UNENCRYPTED_PAYLOADS=true: payloads, failure messages and stack traces (business and personal data) are stored in Temporal in PLAINTEXT !!!',
    );
  }
  const documents = storeOptionsFromEnv(env, { local });
  if (documents.urls?.enabled !== false && !documents.urls?.allowedHosts && !local) {
    warn(
      'DOCUMENT_URL_HOSTS is not set: document sources given as https URLs are refused (not_configured) until it lists the hosts to read from; DOCUMENT_URLS=off says so explicitly',
    );
  }
  return {
    local,
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
