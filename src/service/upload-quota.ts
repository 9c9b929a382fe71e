// Upload quotas: bytes per onboarding (what its upload folder holds, read from the store, so every
// instance and restart agrees) and bytes per API key per hour (in memory, per instance, like the rate
// limit). Past either, the upload is refused with a problem naming the quota, and nothing is kept.
import { Problem, ServiceProblem } from './problems';

export const DEFAULT_UPLOAD_QUOTA_PER_ONBOARDING = 100 * 1024 * 1024;
export const DEFAULT_UPLOAD_QUOTA_PER_KEY_PER_HOUR = 1024 * 1024 * 1024;
const HOUR_MS = 60 * 60 * 1000;

/** The bytes each API key stored in the last hour. */
export class KeyUploadLedger {
  private readonly entries = new Map<string, { at: number; bytes: number }[]>();

  constructor(
    readonly limitBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string) {
    const since = this.now() - HOUR_MS;
    const kept = (this.entries.get(key) ?? []).filter((e) => e.at > since);
    if (kept.length) this.entries.set(key, kept);
    else this.entries.delete(key);
    return kept;
  }

  used(key: string): number {
    return this.recent(key).reduce((sum, e) => sum + e.bytes, 0);
  }

  record(key: string, bytes: number): void {
    this.entries.set(key, [...this.recent(key), { at: this.now(), bytes }]);
  }

  /** 429 when `bytes` more would pass the quota; Retry-After: when enough of the hour's bytes expire. */
  check(key: string, bytes: number): void {
    const recent = this.recent(key);
    let used = recent.reduce((sum, e) => sum + e.bytes, 0);
    if (used + bytes <= this.limitBytes && used < this.limitBytes) return;
    let freeAt = this.now() + HOUR_MS;
    for (const e of recent) {
      used -= e.bytes;
      if (used + bytes <= this.limitBytes) {
        freeAt = e.at + HOUR_MS;
        break;
      }
    }
    const retryAfter = Math.max(1, Math.ceil((freeAt - this.now()) / 1000));
    throw new Problem(
      429,
      ServiceProblem.UploadQuotaPerKeyExceeded,
      `the API key ${key} stored ${used} of its ${this.limitBytes} bytes of uploads per hour; retry in ${retryAfter} s`,
      [],
      { 'retry-after': String(retryAfter) },
    );
  }
}

/** 413 when an onboarding holding `held` bytes cannot take `bytes` more. */
export function checkOnboardingQuota(held: number, bytes: number, limitBytes: number): void {
  if (held + bytes <= limitBytes) return;
  throw new Problem(
    413,
    ServiceProblem.UploadQuotaPerOnboardingExceeded,
    `the onboarding holds ${held} bytes of uploads; with this file (${bytes} bytes) it would pass its quota of ${limitBytes} bytes`,
  );
}
