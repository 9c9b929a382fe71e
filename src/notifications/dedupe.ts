// The cheap first layer of duplicate suppression: SNS delivers at least once, so the same MessageId
// can arrive twice within seconds (a retry after a slow answer). A bounded, in-memory set is enough for
// that; what it misses (a restart, another replica) Temporal drops by the signal's request id.

export interface RecentMessageIds {
  /**
   * Marks `messageId` as being handled. False when it was already claimed within the TTL (a duplicate:
   * answer 200 and do nothing).
   */
  claim(messageId: string): boolean;
  /** Forgets a claim whose handling failed, so SNS's retry of it is handled again. */
  release(messageId: string): void;
  readonly size: number;
}

export interface RecentMessageIdsOptions {
  /** Most ids remembered; the oldest are forgotten first. Default 10 000. */
  max?: number;
  /**
   * How long an id is remembered. Default two hours: longer than the verifier accepts a Timestamp
   * (one hour), after which a replay is rejected as stale anyway.
   */
  ttlMs?: number;
  now?: () => number;
}

export function createRecentMessageIds({
  max = 10_000,
  ttlMs = 2 * 60 * 60 * 1000,
  now = Date.now,
}: RecentMessageIdsOptions = {}): RecentMessageIds {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  // Insertion order is expiry order (one TTL for all), so expired ids are always at the front.
  const expiries = new Map<string, number>();

  const purge = (at: number) => {
    for (const [id, expiresAt] of expiries) {
      if (expiresAt > at) break;
      expiries.delete(id);
    }
  };

  return {
    claim(messageId) {
      const at = now();
      purge(at);
      if (expiries.has(messageId)) return false;
      if (expiries.size >= max) {
        const oldest = expiries.keys().next();
        if (!oldest.done) expiries.delete(oldest.value);
      }
      expiries.set(messageId, at + ttlMs);
      return true;
    },
    release(messageId) {
      expiries.delete(messageId);
    },
    get size() {
      return expiries.size;
    },
  };
}
