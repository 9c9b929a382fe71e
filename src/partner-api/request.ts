// Shared request path for the provider clients: send with axios, turn every failure into a
// PartnerApiError, and parse 2xx bodies with zod so callers get typed, checked data.
import axios, {
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
  type CreateAxiosDefaults,
} from 'axios';
import type { z } from 'zod';
import { PartnerApiError, parseRetryAfter } from './error';
import { RequestPacer, type PaceOptions } from './pacer';
import { isPlainObject } from '../shared/plain-object';

/** How a provider client reaches its API: axios with the provider's defaults, and this worker's pace. */
export interface PartnerHttp {
  axios: AxiosInstance;
  /** Waited for before every request, told of every 429. */
  pacer: RequestPacer;
}

export function partnerHttp(defaults: CreateAxiosDefaults, pace?: PaceOptions): PartnerHttp {
  // Partner APIs answer in place: a redirect is not followed (the API key never goes on to another
  // host), which also spares every request the redirect-following wrapper around Node's http.
  return { axios: axios.create({ maxRedirects: 0, ...defaults }), pacer: new RequestPacer(pace) };
}

export interface ErrorBodyReader {
  (body: unknown): { code?: number | string; message?: string; fieldErrors?: PartnerApiError['fieldErrors'] };
}

/** Per-call options: an abort signal (wired to Temporal activity cancellation). */
export interface CallOptions {
  signal?: AbortSignal;
}

/** An error body as a record to read fields from (an empty one when it is not an object). */
export function bodyRecord(body: unknown): Record<string, unknown> {
  return isPlainObject(body) ? body : {};
}

export interface RequestSpec<S extends z.ZodType> {
  provider: 'circle' | 'clive';
  operation: string;
  config: AxiosRequestConfig;
  schema: S;
  readError: ErrorBodyReader;
  signal?: AbortSignal;
}

export async function send<S extends z.ZodType>(
  http: PartnerHttp,
  spec: RequestSpec<S>,
): Promise<z.output<S>> {
  return (await sendWithHeaders(http, spec)).body;
}

export async function sendWithHeaders<S extends z.ZodType>(
  { axios: client, pacer }: PartnerHttp,
  spec: RequestSpec<S>,
): Promise<{ body: z.output<S>; headers: Record<string, unknown> }> {
  const { provider, operation } = spec;
  let res: AxiosResponse;
  try {
    const held = await pacer.turn(spec.signal);
    if (held) {
      // Not sent: the provider asked this worker to wait longer than an activity should hold on.
      throw new PartnerApiError({
        provider,
        operation,
        kind: 'http',
        status: 429,
        retryAfterMs: held,
        message: `${provider} ${operation}: not sent, this worker would wait ${Math.ceil(held / 1000)} s more for its turn (${provider}'s Retry-After or this worker's pace)`,
      });
    }
    res = await client.request({ ...spec.config, signal: spec.signal, validateStatus: () => true });
  } catch (err) {
    if (err instanceof PartnerApiError) throw err;
    const timedOut = axios.isAxiosError(err) && (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT');
    const canceled = axios.isCancel(err) || spec.signal?.aborted === true;
    throw new PartnerApiError({
      provider,
      operation,
      kind: timedOut ? 'timeout' : 'network',
      message: `${provider} ${operation}: ${canceled ? 'request cancelled' : (err as Error).message}`,
      cause: err,
    });
  }
  const requestId = headerString(res.headers['x-request-id']);
  if (res.status < 200 || res.status >= 300) {
    const body = spec.readError(res.data);
    const retryAfterMs = parseRetryAfter(headerString(res.headers['retry-after']));
    if (res.status === 429) pacer.backOff(retryAfterMs);
    throw new PartnerApiError({
      provider,
      operation,
      kind: 'http',
      status: res.status,
      code: body.code,
      requestId,
      retryAfterMs,
      fieldErrors: body.fieldErrors,
      providerMessage: body.message,
      message: `${provider} ${operation} failed with HTTP ${res.status}${body.code !== undefined ? ` (code ${body.code})` : ''}: ${body.message ?? 'no message'}`,
    });
  }
  const parsed = spec.schema.safeParse(res.data);
  if (!parsed.success) {
    throw new PartnerApiError({
      provider,
      operation,
      kind: 'invalid-response',
      status: res.status,
      requestId,
      message: `${provider} ${operation}: unexpected response body (${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')})`,
    });
  }
  return { body: parsed.data, headers: res.headers as Record<string, unknown> };
}

function headerString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
