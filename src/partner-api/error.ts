// The one error type the provider clients (Circle, Clive) throw. Activities never see axios errors:
// everything a classifier needs to decide "retry or not, and when" is on this object.

/** One per-field problem in a 422 body: dot-notation `path`, machine `error` code, human `message`. */
export interface FieldError {
  path: string;
  error: string;
  message: string;
}

export type PartnerApiErrorKind =
  | 'http' // the API answered with a non-2xx status
  | 'network' // no answer: connection refused/reset, socket hang up, DNS
  | 'timeout' // no answer within the client's timeout
  | 'invalid-response'; // a 2xx whose body does not match the documented shape

export interface PartnerApiErrorInit {
  provider: 'circle' | 'clive';
  kind: PartnerApiErrorKind;
  operation: string;
  message: string;
  status?: number;
  /** Circle's numeric `code` or Clive's string `code` from the error body. */
  code?: number | string;
  requestId?: string;
  retryAfterMs?: number;
  fieldErrors?: FieldError[];
  /** The provider's own message from the error body. */
  providerMessage?: string;
  cause?: unknown;
}

export class PartnerApiError extends Error {
  readonly provider: 'circle' | 'clive';
  readonly kind: PartnerApiErrorKind;
  readonly operation: string;
  readonly status?: number;
  readonly code?: number | string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly fieldErrors?: FieldError[];
  readonly providerMessage?: string;

  constructor(init: PartnerApiErrorInit) {
    super(init.message, { cause: init.cause });
    this.name = 'PartnerApiError';
    this.provider = init.provider;
    this.kind = init.kind;
    this.operation = init.operation;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.fieldErrors = init.fieldErrors;
    this.providerMessage = init.providerMessage;
  }
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
