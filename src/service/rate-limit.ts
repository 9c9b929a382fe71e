// Per-caller rate limiting (@fastify/rate-limit, in memory): keyed by the API key's name once the key
// is known, by client IP otherwise (so guessing keys is limited too). Only the protected API counts:
// health probes, the docs and mounted plugins (e.g. a notifications receiver) are not limited here.
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
