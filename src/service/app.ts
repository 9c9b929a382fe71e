// buildService: the onboarding HTTP API over the contract, as a Fastify instance (not listening).
// Public: health, readiness, the OpenAPI document and /docs, and any mounted plugins. Everything under
// /v1 needs an API key and is rate limited per key; every error is a problem (application/problem+json).
import swagger from '@fastify/swagger';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import { authHooks, type ApiKey } from './auth';
import type { RouteContext, ServiceDocuments } from './context';
import { registerJsonBodyParser } from './body';
import { frameworkError, registerErrorHandlers } from './errors';
import { swaggerOptions } from './openapi';
import { ipRateLimitHook, rateLimitHook, registerRateLimitPlugin } from './rate-limit';
import { documentRoutes } from './routes/documents';
import { messageRoutes } from './routes/messages';
import { docsRoutes, healthRoutes } from './routes/operations';
import { readRoutes } from './routes/read';
import { startRoutes } from './routes/start';
import { MAX_ID_LENGTH, startBodySchema } from './schemas/onboardings';
import {
  DEFAULT_UPLOAD_QUOTA_PER_KEY_PER_HOUR,
  DEFAULT_UPLOAD_QUOTA_PER_ONBOARDING,
  KeyUploadLedger,
} from './upload-quota';
import {
  DEFAULT_UPLOAD_GRACE_MS,
  DEFAULT_UPLOAD_SWEEP_INTERVAL_MS,
  startUploadSweeper,
} from './upload-sweeper';
import { serializerCompiler, validatorCompiler } from './validation';

export interface ServiceOptions {
  client: Client;
  taskQueue?: string;
  /** The key of the workflow-id rule (ONBOARDING_ID_KEY), shared by every service that starts onboardings. */
  idKey: string;
  apiKeys: ApiKey[];
  rateLimitPerMinute: number;
  /** JSON bodies; uploads are bounded by `documents.maxBytes` instead. */
  bodyLimitBytes: number;
  /** Where uploads are stored: the workers' DOCUMENT_STORE_DIR. None: uploads are refused (503). */
  documents?: ServiceDocuments;
  /** Mounted at the root, outside authentication (e.g. a notifications receiver), limited per client IP. */
  plugins?: FastifyPluginAsync[];
  /** Requests per minute one client IP may make to the mounted plugins' routes (default 120). */
  pluginRateLimitPerMinute?: number;
  logger?: FastifyServerOptions['logger'];
  /**
   * The shortest poll interval an input may ask for: the workers' ONBOARDING_MIN_POLL_INTERVAL_MS
   * (default 1000), so that the door refuses what the workflow would.
   */
  minPollIntervalMs?: number;
  /** How long a message may wait for the onboarding's answer before the reply is 504 (default 60 s). */
  messageTimeoutMs?: number;
  /** How long other Temporal calls (start, describe, list, cancel) may take before a 503 (default 10 s). */
  temporalTimeoutMs?: number;
  /** Passed to Fastify: set when behind a proxy, so that rate limiting by IP sees the client's. */
  trustProxy?: FastifyServerOptions['trustProxy'];
}

export function buildService(options: ServiceOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy ?? false,
    // An id of the documented 255 characters may be percent-encoded to three times that; the router
    // compares the raw segment. Longer is 414 (a problem, from frameworkError), 256..765 a 400.
    routerOptions: { maxParamLength: 3 * MAX_ID_LENGTH },
    frameworkErrors: frameworkError,
  });
  registerErrorHandlers(app);
  // Every route's schemas are zod: they validate requests (validation.ts) and make the OpenAPI
  // document, which @fastify/swagger builds from the routes registered after it.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.register(swagger, swaggerOptions());
  registerRateLimitPlugin(app);
  app.register(healthRoutes, { client: options.client });
  app.register(docsRoutes);
  // Mounted plugins answer anyone (SNS has no API key): counted per client IP, in a context of their own.
  app.register(async (open) => {
    open.addHook('onRequest', ipRateLimitHook(open, options.pluginRateLimitPerMinute ?? 120));
    for (const plugin of options.plugins ?? []) await open.register(plugin);
  });

  const ctx: RouteContext = {
    client: options.client,
    taskQueue: options.taskQueue,
    idKey: options.idKey,
    messageTimeoutMs: options.messageTimeoutMs ?? 60_000,
    temporalTimeoutMs: options.temporalTimeoutMs ?? 10_000,
    inputSchema: startBodySchema({ minPollIntervalMs: options.minPollIntervalMs }),
    documents: options.documents && {
      ...options.documents,
      quotaBytesPerOnboarding:
        options.documents.quotaBytesPerOnboarding ?? DEFAULT_UPLOAD_QUOTA_PER_ONBOARDING,
      ledger: new KeyUploadLedger(
        options.documents.quotaBytesPerKeyPerHour ?? DEFAULT_UPLOAD_QUOTA_PER_KEY_PER_HOUR,
      ),
    },
  };
  const documents = options.documents;
  const sweepIntervalMs = documents?.sweepIntervalMs ?? DEFAULT_UPLOAD_SWEEP_INTERVAL_MS;
  if (documents && sweepIntervalMs > 0) {
    // Uploads of closed onboardings are removed after the grace period (upload-sweeper.ts).
    let stop: (() => void) | undefined;
    app.addHook('onReady', async () => {
      stop = startUploadSweeper({
        dir: documents.dir,
        client: options.client,
        graceMs: documents.graceMs ?? DEFAULT_UPLOAD_GRACE_MS,
        temporalTimeoutMs: ctx.temporalTimeoutMs,
        intervalMs: sweepIntervalMs,
        log: (err) => app.log.warn({ err }, 'sweeping uploads failed'),
      });
    });
    app.addHook('onClose', async () => stop?.());
  }
  // The protected API, in a context of its own so that its hooks stay out of the public routes:
  // identify the key, count the request (by key, else by IP), then refuse if the key does not do.
  app.register(async (api) => {
    api.decorateRequest('apiKey', undefined); // a known shape for every request (Fastify's advice)
    registerJsonBodyParser(api);
    const auth = authHooks(options.apiKeys);
    api.addHook('onRequest', auth.identify);
    api.addHook('onRequest', rateLimitHook(api, options.rateLimitPerMinute));
    api.addHook('onRequest', auth.enforce);
    await api.register(startRoutes, ctx);
    await api.register(readRoutes, ctx);
    await api.register(messageRoutes, ctx);
    await api.register(documentRoutes, ctx);
  });
  return app;
}
