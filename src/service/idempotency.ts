// Idempotency-Key on the service's writes: required, and bound to what it was sent with. A start's key
// is Temporal's request id; a message's key and body become the update's id and a keyed digest the
// workflow remembers, so a retry attaches to the same update (or, after continue-as-new, gets the
// reply the first one got) and the same key with another body is refused (IdempotencyKeyReused).
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { canonicalJson, type MessageRequest } from '../contract';
import { invalidRequest } from './problems';

/** RFC 9110 token-ish: 1..255 visible ASCII, as the brief of Idempotency-Key headers goes. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key, or a 400 problem naming the header. */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string {
  const key = headers['idempotency-key'];
  if (typeof key === 'string' && IDEMPOTENCY_KEY.test(key)) return key;
  throw invalidRequest('the Idempotency-Key header is required: 1-255 visible ASCII characters', [
    {
      path: 'headers.idempotency-key',
      error: key === undefined ? 'required' : 'invalid_format',
      message: 'must be 1-255 visible ASCII characters, e.g. a UUID',
    },
  ]);
}

/**
 * A message's Idempotency-Key as the workflow sees it (keyed digests: neither the key nor the body
 * reach Temporal in clear), and the update id: the same key and body always give the same one.
 */
export function messageRequest(
  idKey: string,
  at: { onboardingId: string; route: string },
  key: string,
  body: unknown,
): { request: MessageRequest; updateId: string } {
  const hmac = (text: string) => createHmac('sha256', idKey).update(text).digest('hex');
  const request = { key: hmac(`${at.onboardingId}\n${at.route}\n${key}`), digest: hmac(canonicalJson(body)) };
  return { request, updateId: `http-${request.key.slice(0, 32)}-${request.digest.slice(0, 16)}` };
}
