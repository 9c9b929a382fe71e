// One worker's pace towards one partner. A token bucket (rate and burst, optional) spreads this
// worker's requests; a 429 stops all of them until the partner's Retry-After has passed, so a storm
// slows every replica down instead of failing onboardings. The cluster-wide limit is the partner's
// task queue (contract/task-queues.ts); this only smooths what one worker sends.
import { TokenBucket } from 'limiter';

export interface PaceOptions {
  /** Requests per second this worker may send to the partner. Unset: no limit of its own. */
  requestsPerSecond?: number;
  /** Requests it may send at once after a quiet spell (default: one second's worth, at least 1). */
  burst?: number;
}

/** A wait longer than this is not held inside an activity: it fails, and retries after the wait. */
export const LONGEST_HELD_MS = 10_000;
/** A 429 without Retry-After pauses for this long. */
const DEFAULT_PAUSE_MS = 1000;

export class RequestPacer {
  private readonly bucket?: TokenBucket;
  private pausedUntil = 0;

  constructor(
    options: PaceOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    const rate = options.requestsPerSecond;
    if (rate === undefined) return;
    const burst = options.burst ?? Math.max(1, Math.floor(rate));
    // The bucket reads 0 as "no limit": refuse it rather than let a typo lift the limit.
    if (!(rate > 0) || !(burst >= 1)) {
      throw new RangeError(`a pace needs requestsPerSecond > 0 and burst >= 1 (got ${rate} and ${burst})`);
    }
    this.bucket = new TokenBucket({ bucketSize: burst, tokensPerInterval: rate, interval: 'second' });
    this.bucket.content = burst; // a fresh worker may send a burst at once
  }

  /**
   * Waits until this worker may send. Returns how long the partner still wants nothing sent when that
   * is more than LONGEST_HELD_MS (the caller fails the call, to be retried later); otherwise 0.
   */
  async turn(signal?: AbortSignal): Promise<number> {
    const paused = this.pausedUntil - this.now();
    if (paused > LONGEST_HELD_MS) return paused;
    if (paused > 0) await sleep(paused, signal);
    if (this.bucket) await abortable(this.bucket.removeTokens(1), signal);
    return 0;
  }

  /** The partner answered 429: nothing more leaves this worker before `retryAfterMs` has passed. */
  backOff(retryAfterMs: number | undefined): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + (retryAfterMs ?? DEFAULT_PAUSE_MS));
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return abortable(new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), signal);
}

/** `promise`, or the signal's reason as soon as it aborts (the activity was cancelled). */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}
