// One worker's pace towards one partner. A token bucket (rate and burst, optional) spreads this
// worker's requests; a 429 stops all of them until the partner's Retry-After has passed, so a storm
// slows every replica down instead of failing onboardings. The cluster-wide limit is the partner's
// task queue (contract/task-queues.ts); this only smooths what one worker sends. The bucket is this
// file's own: a request whose activity was cancelled must leave the queue without taking a token, and
// the wait must be known before queuing, so that a long one fails at once instead of running out the
// activity's attempt.
export interface PaceOptions {
  /** Requests per second this worker may send to the partner. Unset: no limit of its own. */
  requestsPerSecond?: number;
  /** Requests it may send at once after a quiet spell (default: one second's worth, at least 1). */
  burst?: number;
}

/** A wait longer than this is not held inside an activity: it fails, and retries after the wait. */
export const LONGEST_HELD_MS = 10_000;

/** Requests per partner activity, on average: a happy path makes about 14 in 4 (docs/rate-limits.md). */
export const REQUESTS_PER_ACTIVITY = 3.5;

/**
 * Activity slots a partner's worker needs at `requestsPerSecond`: as many as its pace serves within
 * LONGEST_HELD_MS. More would only queue inside the pacer and fail fast; the SDK's default (100) at
 * 4 requests/s would hold about 90 s of requests.
 */
export function activitySlotsFor(requestsPerSecond: number): number {
  return Math.max(2, Math.ceil((requestsPerSecond * LONGEST_HELD_MS) / 1000 / REQUESTS_PER_ACTIVITY));
}
/** A 429 without Retry-After pauses for this long. */
const DEFAULT_PAUSE_MS = 1000;

interface Waiter {
  resolve: () => void;
}

export class RequestPacer {
  private readonly rate?: number;
  private readonly burst: number = 1;
  private tokens = 0;
  private refilledAt: number;
  /** Requests waiting for a token, first come first served; a cancelled one leaves without one. */
  private readonly queue: Waiter[] = [];
  private timer?: NodeJS.Timeout;
  private pausedUntil = 0;

  constructor(
    options: PaceOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.refilledAt = now();
    const rate = options.requestsPerSecond;
    if (rate === undefined) return;
    const burst = options.burst ?? Math.max(1, Math.floor(rate));
    if (!(rate > 0) || !(burst >= 1)) {
      throw new RangeError(`a pace needs requestsPerSecond > 0 and burst >= 1 (got ${rate} and ${burst})`);
    }
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst; // a fresh worker may send a burst at once
  }

  /**
   * Waits until this worker may send. Returns how long it would still have to wait when that is more
   * than LONGEST_HELD_MS (the partner's Retry-After, or the queue for this worker's own pace): the
   * caller fails the call at once, retryable after that wait, instead of holding it inside an
   * activity whose attempt time runs meanwhile. Otherwise waits its turn and returns 0.
   */
  async turn(signal?: AbortSignal): Promise<number> {
    const paused = this.pausedUntil - this.now();
    if (paused > LONGEST_HELD_MS) return paused;
    if (this.rate !== undefined) {
      const queued = this.queueWaitMs(Math.max(paused, 0));
      if (queued > LONGEST_HELD_MS) return queued;
    }
    if (paused > 0) await sleep(paused, signal);
    if (this.rate !== undefined) await this.take(signal);
    // A 429 that came back while this request waited holds it back too: nothing leaves before it.
    for (let left = this.pausedUntil - this.now(); left > 0; left = this.pausedUntil - this.now()) {
      if (left > LONGEST_HELD_MS) return left;
      await sleep(left, signal);
    }
    return 0;
  }

  /** The partner answered 429: nothing more leaves this worker before `retryAfterMs` has passed. */
  backOff(retryAfterMs: number | undefined): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + (retryAfterMs ?? DEFAULT_PAUSE_MS));
  }

  /** How long one more request would wait for a token, behind those already queued, after `fromMs`. */
  private queueWaitMs(fromMs: number): number {
    this.refill();
    const needed = this.queue.length + 1 - this.tokens - (fromMs / 1000) * this.rate!;
    return needed <= 0 ? 0 : Math.ceil((needed / this.rate!) * 1000);
  }

  private take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      // A cancelled request leaves the queue: it never takes a token another one could have used.
      const onAbort = () => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /** Hands out the tokens that have come in, then waits for the next one while anyone waits. */
  private pump(): void {
    this.timer = undefined;
    this.refill();
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()!.resolve();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    const ms = Math.max(1, Math.ceil(((1 - this.tokens) / this.rate!) * 1000));
    this.timer = setTimeout(() => this.pump(), ms);
    this.timer.unref();
  }

  private refill(): void {
    const now = this.now();
    if (this.rate !== undefined) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    }
    this.refilledAt = now;
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
