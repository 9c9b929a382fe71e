// Circle and Clive calls as metrics, on the running activity's metric meter (so every series also
// carries the worker's namespace, task queue and activity type). partner-api/ stays free of Temporal:
// the provider clients are observed from outside, by a proxy around each client's methods.
import { Context } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import { PartnerApiError } from '../partner-api/error';
import { PARTNER_CALL_DURATION, PARTNER_CALLS, PARTNER_RETRIES, PARTNER_RETRY_AFTER } from './metric-names';

type Provider = 'circle' | 'clive';

export interface PartnerCall {
  provider: Provider;
  /** The client method, e.g. `createClient`: the same names as PartnerApiError's `operation`. */
  operation: string;
  durationMs: number;
  /** What the call threw; undefined when it answered 2xx with the expected body. */
  error?: unknown;
}

/**
 * The client with every method observed: one record per method call the activity makes. A method
 * runs on the client itself, so the two lookups that walk pages (`findClient`,
 * `findApplicationOfClient`) are recorded once each, not once per page.
 */
export function observePartnerClient<T extends object>(
  client: T,
  provider: Provider,
  record: (call: PartnerCall) => void = recordPartnerCall,
): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || Object.hasOwn(target, prop))
        return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result; // not a call (e.g. toString)
        const done = (error?: unknown) =>
          record({ provider, operation: prop, durationMs: performance.now() - started, error });
        return result.then(
          (v: unknown) => (done(), v),
          (err: unknown) => {
            done(err ?? new Error('rejected'));
            throw err;
          },
        );
      };
    },
  });
}

/** `2xx`, `4xx`, `5xx`, `network`, `timeout`, `invalid_response`, or `error` (not a PartnerApiError). */
export function statusOf(error: unknown): { status_class: string; status: string } {
  if (error === undefined) return { status_class: '2xx', status: '2xx' };
  if (!(error instanceof PartnerApiError)) return { status_class: 'error', status: 'none' };
  const status = error.status === undefined ? 'none' : String(error.status);
  switch (error.kind) {
    case 'http':
      return { status_class: `${Math.floor((error.status ?? 0) / 100)}xx`, status };
    case 'invalid-response':
      return { status_class: 'invalid_response', status };
    default:
      return { status_class: error.kind, status };
  }
}

/** Records one call on the activity's meter; outside an activity (a script, a unit test) nothing. */
export function recordPartnerCall(call: PartnerCall): void {
  const activity = activityContext();
  if (!activity) return;
  const { meter, attempt } = activity;
  const { provider, operation } = call;
  const status = statusOf(call.error);
  meter
    .createCounter(PARTNER_CALLS, undefined, 'Circle and Clive calls, by operation and status')
    .add(1, { provider, operation, ...status });
  meter
    .createHistogram(PARTNER_CALL_DURATION, 'float', 's', 'Seconds per Circle or Clive call')
    .record(call.durationMs / 1000, { provider, operation, status_class: status.status_class });
  if (attempt > 1) {
    meter
      .createCounter(PARTNER_RETRIES, undefined, 'Calls made by a retried activity attempt')
      .add(1, { provider, operation });
  }
}

/** Records a Retry-After wait the classifier turned into the activity's next retry delay. */
export function recordRetryAfter(provider: Provider, operation: string, delayMs: number): void {
  activityContext()
    ?.meter.createHistogram(PARTNER_RETRY_AFTER, 'float', 's', 'Retry-After waits honoured before a retry')
    .record(delayMs / 1000, { provider, operation });
}

function activityContext(): { meter: MetricMeter; attempt: number } | undefined {
  try {
    const context = Context.current();
    return { meter: context.metricMeter, attempt: context.info.attempt };
  } catch {
    return undefined; // not in an activity
  }
}
