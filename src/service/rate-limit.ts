// Per-caller rate limiting (@fastify/rate-limit, in memory): the protected API is keyed by the API key's
// name once the key is known, by client IP otherwise (so guessing keys is limited too); mounted plugins
// (the notifications receiver, which nobody authenticates to) by client IP, with a limit of their own.
// Health probes and the docs are not limited.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { RateLimited } from './errors';

/** Loads the plugin without hooks of its own (`global: false`); `rateLimitHook` decides what counts. */
export function registerRateLimitPlugin(app: FastifyInstance): void {
  app.register(rateLimit, { global: false });
}

/** The onRequest hook of the protected API; runs after the key is identified, before it is enforced. */
export function rateLimitHook(api: FastifyInstance, perMinute: number): onRequestAsyncHookHandler {
  const limit = perMinuteLimit(api, perMinute, 'rateLimitPerMinute', (request) =>
    request.apiKey ? `key:${request.apiKey.name}` : `ip:${request.ip}`,
  );
  return async function (request, reply) {
    if (!request.routeOptions.config.auth) return;
    await limit.call(this, request, reply);
  };
}

/** The onRequest hook of the mounted plugins (unauthenticated routes): per client IP. */
export function ipRateLimitHook(app: FastifyInstance, perMinute: number): onRequestAsyncHookHandler {
  const limit = perMinuteLimit(
    app,
    perMinute,
    'pluginRateLimitPerMinute',
    (request) => `open-ip:${request.ip}`,
  );
  return async function (request, reply) {
    await limit.call(this, request, reply);
  };
}

/**
 * The plugin's limiter: `perMinute` requests a minute for each key. Its refusal is thrown (a 429 with
 * Retry-After, which the plugin has set already) and answered by the error handler in scope.
 */
function perMinuteLimit(
  app: FastifyInstance,
  perMinute: number,
  option: string,
  keyGenerator: (request: FastifyRequest) => string,
): onRequestAsyncHookHandler {
  if (!Number.isInteger(perMinute) || perMinute < 1) {
    throw new RangeError(`${option} must be a positive whole number, got ${perMinute}`);
  }
  return app.rateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator,
    errorResponseBuilder: (_request, context) => new RateLimited(Math.ceil(context.ttl / 1000)),
  });
}
