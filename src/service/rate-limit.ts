// Per-caller rate limiting (@fastify/rate-limit, in memory): the protected API is keyed by the API key's
// name once the key is known, by client IP otherwise (so guessing keys is limited too); mounted plugins
// (the notifications receiver, which nobody authenticates to) by client IP, with a limit of their own.
// Health probes and the docs are not limited.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { RateLimited } from './errors';

/** Loads the plugin without hooks of its own (`global: false`); `rateLimitHook` decides what counts. */
export function registerRateLimitPlugin(app: FastifyInstance): void {
  app.register(rateLimit, { global: false });
}

/** The onRequest hook of the protected API; runs after the key is identified, before it is enforced. */
export function rateLimitHook(api: FastifyInstance, perMinute: number): onRequestAsyncHookHandler {
  if (!Number.isInteger(perMinute) || perMinute < 1) {
    throw new RangeError(`rateLimitPerMinute must be a positive whole number, got ${perMinute}`);
  }
  const limit = api.rateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.name}` : `ip:${request.ip}`),
    // Thrown; the error handler turns it into a 429 problem (the plugin has set Retry-After already).
    errorResponseBuilder: (_request, context) => new RateLimited(Math.ceil(context.ttl / 1000)),
  });
  return async function (request, reply) {
    if (!request.routeOptions.config.auth) return;
    await limit.call(this, request, reply);
  };
}

/** The onRequest hook of the mounted plugins (unauthenticated routes): per client IP. */
export function ipRateLimitHook(app: FastifyInstance, perMinute: number): onRequestAsyncHookHandler {
  if (!Number.isInteger(perMinute) || perMinute < 1) {
    throw new RangeError(`pluginRateLimitPerMinute must be a positive whole number, got ${perMinute}`);
  }
  const limit = app.rateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `open-ip:${request.ip}`,
    // Thrown with statusCode 429; the plugin's own error handler answers it (Retry-After already set).
    errorResponseBuilder: (_request, context) => new RateLimited(Math.ceil(context.ttl / 1000)),
  });
  return async function (request, reply) {
    await limit.call(this, request, reply);
  };
}
