// The one place where errors from partner APIs become Temporal failures. Workflow code branches on
// the resulting `type`, never on message text:
//   4xx (except 408/429)  -> non-retryable, type from the status (e.g. CircleConflict)
//   409 "in progress"     -> retryable (RequestInProgress): our own earlier attempt is still running
//   429 / 503             -> retryable; Retry-After (clamped to 1 s .. 5 min) becomes nextRetryDelay
//   5xx, timeouts, resets -> retryable with the activity's backoff
//   unexpected 2xx body   -> non-retryable (a contract break a retry cannot fix)
//   document source       -> unreachable: retryable (DocumentSourceUnavailable); else DocumentSourceUnreadable
import { ApplicationFailure } from '@temporalio/common';
import { DocumentSourceError } from '../documents/store';
import { PartnerApiError } from '../partner-api/error';
import { recordRetryAfter } from '../observability/partner-calls';
import { answeredNow, cancellation, withHeartbeats } from './context';

const STATUS_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  408: 'RequestTimeout',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'ValidationFailed',
  429: 'RateLimited',
  503: 'Unavailable',
};

const PREFIX = { circle: 'Circle', clive: 'Clive' } as const;

/**
 * Bounds on a provider's Retry-After: `0` would make a hot loop, and a wait past five minutes is left
 * to the activity's own backoff and the workflow's deadlines rather than one opaque timer.
 */
export const RETRY_AFTER_MIN_MS = 1000;
export const RETRY_AFTER_MAX_MS = 5 * 60 * 1000;

/**
 * A 409 for an idempotency key whose first request is still being processed: the same request, so
 * it is retried. Clive says so with a code; Circle documents nothing, so its message is the only sign.
 */
function inProgress(err: PartnerApiError): boolean {
  if (err.status !== 409) return false;
  return err.code === 'IDEMPOTENCY_KEY_IN_USE' || /already in progress/i.test(err.providerMessage ?? '');
}

/** Stable failure type for an error: `<Provider><Reason>`, e.g. `CircleConflict`, `CliveRateLimited`. */
export function failureType(err: PartnerApiError): string {
  const prefix = PREFIX[err.provider];
  if (inProgress(err)) return `${prefix}RequestInProgress`;
  switch (err.kind) {
    case 'network':
      return `${prefix}NetworkError`;
    case 'timeout':
      return `${prefix}Timeout`;
    case 'invalid-response':
      return `${prefix}InvalidResponse`;
    case 'http': {
      const status = err.status ?? 0;
      const name = STATUS_NAMES[status] ?? (status >= 500 ? 'ServerError' : 'ClientError');
      return `${prefix}${name}`;
    }
  }
}

export function isRetryable(err: PartnerApiError): boolean {
  if (err.kind === 'network' || err.kind === 'timeout') return true;
  if (err.kind === 'invalid-response') return false;
  const status = err.status ?? 0;
  return status >= 500 || status === 408 || status === 429 || inProgress(err);
}

/** Details carried by every classified failure (no request bodies: they may hold personal data). */
export interface PartnerFailureDetails {
  provider: 'circle' | 'clive';
  operation: string;
  status?: number;
  code?: number | string;
  requestId?: string;
  fieldErrors?: { path: string; error: string; message: string }[];
  /** When the provider answered (or the call gave up): see `answeredNow`. */
  answeredAt?: string;
}

/** A document source that could not be read: retried while it is unreachable, final otherwise. */
function documentSourceFailure(err: DocumentSourceError): ApplicationFailure {
  return ApplicationFailure.create({
    message: err.message,
    type: err.retryable ? 'DocumentSourceUnavailable' : 'DocumentSourceUnreadable',
    nonRetryable: !err.retryable,
    details: [{ problem: err.problem }],
    cause: err,
  });
}

export function toApplicationFailure(err: unknown): unknown {
  if (err instanceof DocumentSourceError) return documentSourceFailure(err);
  if (!(err instanceof PartnerApiError)) return err; // Temporal retries unknown errors; keep them as they are.
  const details: PartnerFailureDetails = {
    provider: err.provider,
    operation: err.operation,
    status: err.status,
    code: err.code,
    requestId: err.requestId,
    fieldErrors: err.fieldErrors,
    answeredAt: answeredNow(),
  };
  return ApplicationFailure.create({
    message: err.message,
    type: failureType(err),
    nonRetryable: !isRetryable(err),
    details: [details],
    nextRetryDelay: retryAfterDelayMs(err),
    cause: err,
  });
}

/** The provider's Retry-After, clamped, when it decides the next retry (429 and 503 only). */
export function retryAfterDelayMs(err: PartnerApiError): number | undefined {
  const honour =
    isRetryable(err) && (err.status === 429 || err.status === 503) && err.retryAfterMs !== undefined;
  return honour
    ? Math.min(Math.max(err.retryAfterMs ?? 0, RETRY_AFTER_MIN_MS), RETRY_AFTER_MAX_MS)
    : undefined;
}

/** Wraps an activity body: heartbeats while it runs, and every partner-API error leaves it classified. */
export async function classified<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await withHeartbeats(fn);
  } catch (err) {
    const cancelled = cancellation();
    if (cancelled !== undefined) throw cancelled;
    if (err instanceof PartnerApiError) {
      const delay = retryAfterDelayMs(err);
      if (delay !== undefined) recordRetryAfter(err.provider, err.operation, delay); // the wait, as a metric
    }
    throw toApplicationFailure(err);
  }
}
