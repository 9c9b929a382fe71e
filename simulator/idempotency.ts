// Idempotency records per (route, key). A successful (2xx) result is stored with the request's
// fingerprint and replayed for the same key and request; a different request under the same key is
// refused. A request arriving while the first one with its key is still running waits for it. Failed
// attempts are not stored, so a corrected retry with the same key runs again.
import { createHash } from 'node:crypto';

export interface StoredResponse {
  status: number;
  body: unknown;
}

interface Entry {
  fingerprint: string;
  response?: StoredResponse;
  running?: Promise<void>;
}

export class IdempotencyStore {
  private entries = new Map<string, Entry>();

  /**
   * Runs `operation` once per (scope, key). `onMismatch` builds the error for a reused key.
   * Resolves with the response and whether it was a replay of an earlier one.
   */
  async run(
    scope: string,
    key: string,
    fingerprint: string,
    operation: () => StoredResponse | Promise<StoredResponse>,
    onMismatch: () => Error,
  ): Promise<{ response: StoredResponse; replay: boolean }> {
    const id = `${scope}\n${key}`;
    for (let entry = this.entries.get(id); entry; entry = this.entries.get(id)) {
      if (entry.fingerprint !== fingerprint) throw onMismatch();
      if (entry.response) return { response: entry.response, replay: true };
      await entry.running;
    }
    let finished = () => {};
    const entry: Entry = { fingerprint, running: new Promise<void>((resolve) => (finished = resolve)) };
    this.entries.set(id, entry);
    try {
      const response = await operation();
      if (response.status >= 200 && response.status < 300) {
        entry.response = response;
        delete entry.running;
      } else if (this.entries.get(id) === entry) {
        this.entries.delete(id);
      }
      return { response, replay: false };
    } catch (err) {
      if (this.entries.get(id) === entry) this.entries.delete(id);
      throw err;
    } finally {
      finished();
    }
  }

  clear(): void {
    this.entries = new Map();
  }

  get size(): number {
    return this.entries.size;
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
