// Idempotency records per (route, key). A result is stored with the request's fingerprint and replayed
// for the same key and request; a different request under the same key is refused. What the APIs leave
// undocumented follows the current modes (./idempotency-modes): by default a duplicate arriving while the
// first request with its key is still running waits for it, only successful (2xx) results are stored (so
// a corrected retry with the same key runs again), and keys are kept until reset.
import { createHash } from 'node:crypto';
import { DEFAULT_IDEMPOTENCY_MODES, type IdempotencyModes } from './idempotency-modes';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The errors the store refuses a request with, in the dialect of the caller's API. */
export interface Refusals {
  /** Same key, different request. */
  mismatch: () => Error;
  /** Same key and request, the first still running, and `concurrentDuplicate` is `conflict`. */
  inProgress: () => Error;
}

interface Entry {
  fingerprint: string;
  response?: StoredResponse;
  /** When `response` was stored (the store's clock), for `keyRetention`. */
  storedAt?: number;
  running?: Promise<void>;
}

export class IdempotencyStore {
  private entries = new Map<string, Entry>();
  modes: IdempotencyModes;

  constructor(
    modes: IdempotencyModes = DEFAULT_IDEMPOTENCY_MODES,
    private readonly now: () => number = Date.now,
  ) {
    this.modes = { ...modes };
  }

  /**
   * Runs `operation` once per (scope, key). Resolves with the response and whether it was a replay
   * of an earlier one.
   */
  async run(
    scope: string,
    key: string,
    fingerprint: string,
    operation: () => StoredResponse | Promise<StoredResponse>,
    refuse: Refusals,
  ): Promise<{ response: StoredResponse; replay: boolean }> {
    const id = `${scope}\n${key}`;
    for (let entry = this.live(id); entry; entry = this.live(id)) {
      if (entry.fingerprint !== fingerprint) throw refuse.mismatch();
      if (entry.response) return { response: entry.response, replay: true };
      if (this.modes.concurrentDuplicate === 'conflict') throw refuse.inProgress();
      await entry.running;
    }
    let finished = () => {};
    const entry: Entry = { fingerprint, running: new Promise<void>((resolve) => (finished = resolve)) };
    this.entries.set(id, entry);
    try {
      const response = await operation();
      if (this.modes.replayErrors || (response.status >= 200 && response.status < 300)) {
        entry.response = response;
        entry.storedAt = this.now();
        delete entry.running;
      } else if (this.entries.get(id) === entry) {
        this.entries.delete(id);
      }
      return { response, replay: false };
    } catch (err) {
      // Unexpected failures are never stored, whatever the modes: they are the simulator's bugs.
      if (this.entries.get(id) === entry) this.entries.delete(id);
      throw err;
    } finally {
      finished();
    }
  }

  /** Forgets every stored key now (as if `keyRetention` had passed); keys still running are kept. */
  expire(): number {
    let expired = 0;
    for (const [id, entry] of this.entries) {
      if (entry.response) {
        this.entries.delete(id);
        expired++;
      }
    }
    return expired;
  }

  clear(): void {
    this.entries = new Map();
  }

  /** Keys remembered now: stored and not expired, or still running. */
  get size(): number {
    let n = 0;
    for (const id of this.entries.keys()) if (this.live(id)) n++;
    return n;
  }

  /** The entry for `id`, dropping it if its retention has passed (so expiry needs no timers). */
  private live(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    const retention = this.modes.keyRetention;
    if (entry?.storedAt !== undefined && retention !== null && this.now() - entry.storedAt >= retention) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }
}

/** Method, concrete path and body (keys sorted, so re-serialised retries still match). */
export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${stableJson(body)}`)
    .digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
