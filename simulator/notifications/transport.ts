// One HTTP exchange with a receiver: status code only, body drained and dropped. node:http with no
// agent, so no pooled socket outlives a delivery (or a test's receiver).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Per attempt: a receiver that does not answer in time counts as a failed attempt. */
export const ATTEMPT_TIMEOUT_MS = 5000;

export interface Outgoing {
  method: 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** Resolves with the status code; rejects on network errors, timeouts and `signal`. */
export function exchange(url: string, out: Outgoing, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = out.body === undefined ? undefined : Buffer.from(out.body, 'utf8');
    const headers = { ...out.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) };
    const req = send(target, {
      method: out.method,
      headers,
      agent: false,
      signal,
      timeout: ATTEMPT_TIMEOUT_MS,
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      res.resume();
      res.on('error', () => undefined);
      resolve(res.statusCode ?? 0);
    });
    req.end(body);
  });
}

/** A short description of a failed exchange, for the delivery log. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}
