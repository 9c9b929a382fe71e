// Idempotency-Key on the service's writes: required, and bound to what it was sent with. A start's key
// is Temporal's request id; a message's key and body become the update's id and a keyed digest the
// workflow remembers, so a retry attaches to the same update (or, after continue-as-new, gets the
// reply the first one got) and the same key with another body is refused (IdempotencyKeyReused).
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { canonicalJson, type MessageRequest } from '../contract';

/** The request's Idempotency-Key, which the route's headers schema (schemas/messages.ts) requires. */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string {
  const key = headers['idempotency-key'];
  if (typeof key !== 'string')
    throw new Error('the route validates no Idempotency-Key: give it a headers schema');
  return key;
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
