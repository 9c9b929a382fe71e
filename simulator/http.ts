// Per-request plumbing shared by the routes: raw body and JSON parse result, fault and replay marks for
// the request log, query-string parsing, and running a write under an idempotency key.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, circleFail, cliveFail } from './errors';
import type { SimContext } from './context';
import { fingerprint, type Refusals, type StoredResponse } from './idempotency';

export interface RequestMeta {
  rawBody?: Buffer;
  jsonError?: string;
  fault?: string;
  /** The fault's `delayMs`, for the `delay-in-progress` mode (applied once the key is claimed). */
  faultDelayMs?: number;
  replay?: boolean;
  logged?: boolean;
}

const metas = new WeakMap<FastifyRequest, RequestMeta>();

export function meta(request: FastifyRequest): RequestMeta {
  let m = metas.get(request);
  if (!m) {
    m = {};
    metas.set(request, m);
  }
  return m;
}

export const isCliveUrl = (url: string): boolean => url === '/api' || url.startsWith('/api/');
export const isControlUrl = (url: string): boolean => url === '/_sim' || url.startsWith('/_sim/');
export const pathOf = (url: string): string => url.split('?', 1)[0] ?? url;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Query = Record<string, string | string[] | undefined>;

/** A single-valued query parameter (the first one if repeated). */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const v = (request.query as Query)[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A repeatable query parameter (`?status=a&status=b`). */
export function queryList(request: FastifyRequest, name: string): string[] {
  const v = (request.query as Query)[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function queryInt(
  request: FastifyRequest,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = queryParam(request, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n < min || n > max) {
    throw circleFail(400, `${name} must be an integer between ${min} and ${max}`, [
      { path: name, error: 'invalid_value', message: `${name} must be an integer between ${min} and ${max}` },
    ]);
  }
  return n;
}

export function queryBool(request: FastifyRequest, name: string): boolean {
  const raw = queryParam(request, name);
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw circleFail(400, `${name} must be true or false`, [
    { path: name, error: 'invalid_value', message: `${name} must be true or false` },
  ]);
}

/** The `X-Idempotency-Key` header Circle requires on onboarding POSTs (a UUID). */
export function circleIdempotencyKey(request: FastifyRequest): string {
  const key = request.headers['x-idempotency-key'];
  if (typeof key !== 'string' || key === '') throw circleFail(400, 'X-Idempotency-Key header is required.');
  if (!UUID.test(key)) throw circleFail(400, 'X-Idempotency-Key must be a UUID.');
  return key;
}

/**
 * Runs `operation` at most once per (route, key): replays the stored status and body for the same
 * request, refuses a different request with 422 (and, in `conflict` mode, a duplicate of a request still
 * running with 409). Sends nothing itself; returns what to send. The operation's deliberate errors
 * (ApiError) become responses here so the store can keep them when `replayErrors` is on.
 * `fingerprintBody` stands for the body when the parsed body is not what identifies the request
 * (multipart: its parts and the file's digest).
 */
export async function idempotent(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  operation: () => StoredResponse | Promise<StoredResponse>,
  fingerprintBody: unknown = request.body,
): Promise<unknown> {
  const clive = isCliveUrl(request.url);
  const scope = `${request.method} ${request.routeOptions.url ?? pathOf(request.url)}`;
  const print = fingerprint(request.method, pathOf(request.url), fingerprintBody);
  const { response, replay } = await ctx.idempotency.run(
    scope,
    key,
    print,
    async () => {
      await holdKey(ctx, request);
      try {
        return await operation();
      } catch (err) {
        if (err instanceof ApiError) return { status: err.status, body: err.body, headers: err.headers };
        throw err;
      }
    },
    clive ? cliveRefusals(key) : circleRefusals(key),
  );
  if (replay) meta(request).replay = true;
  reply.code(response.status);
  if (response.headers) reply.headers(response.headers);
  if (replay && clive && response.body && typeof response.body === 'object') {
    return { ...response.body, idempotentReplay: true };
  }
  return response.body;
}

/** A `delay-in-progress` fault: the key is claimed, the operation not yet run, for `delayMs`. */
async function holdKey(ctx: SimContext, request: FastifyRequest): Promise<void> {
  const { fault, faultDelayMs } = meta(request);
  if (fault !== 'delay-in-progress') return;
  await sleep(faultDelayMs ?? 0, undefined, { signal: ctx.closing.signal }).catch(() => undefined);
}

const mismatchMessage = (key: string) =>
  `Idempotency key ${key} was already used with a different request body (or for another resource).`;

/**
 * The `conflict` refusal. Circle documents no code for it, so the simulator's rule (code = HTTP status)
 * applies rather than an invented Circle-looking number a client might come to rely on.
 */
export const IN_PROGRESS_MESSAGE = 'A request with this idempotency key is already in progress';
export const CLIVE_IN_PROGRESS_CODE = 'IDEMPOTENCY_KEY_IN_USE';

const circleRefusals = (key: string): Refusals => ({
  mismatch: () => circleFail(422, mismatchMessage(key)),
  inProgress: () => circleFail(409, IN_PROGRESS_MESSAGE),
});

const cliveRefusals = (key: string): Refusals => ({
  mismatch: () => cliveFail(422, 'IDEMPOTENCY_KEY_REUSED', mismatchMessage(key)),
  inProgress: () => cliveFail(409, CLIVE_IN_PROGRESS_CODE, IN_PROGRESS_MESSAGE),
});
