// The product's metric names, in one place for the code that emits them, the exporter's histogram
// buckets and the README. No imports: workflow code (the sandbox) reads this file too.
// Labels stay low-cardinality and free of personal data: steps, failure types, providers, operations
// and status classes only; never ids, names or amounts.

/** Onboardings started (first run only, not continue-as-new). */
export const ONBOARDING_STARTED = 'onboarding_started_total';
/** Onboardings completed. */
export const ONBOARDING_COMPLETED = 'onboarding_completed_total';
/** Onboardings failed; label `failure_type` (e.g. `ApplicationDenied`, `CircleBadRequest`). */
export const ONBOARDING_FAILED = 'onboarding_failed_total';
/** Onboardings cancelled (an operator's decision, not a failure). */
export const ONBOARDING_CANCELLED = 'onboarding_cancelled_total';
/** Seconds an onboarding spent in a step, recorded when it leaves it; label `step`. */
export const STEP_DURATION = 'onboarding_step_duration_seconds';
/** Running onboardings per step, from visibility; label `step`. */
export const ONBOARDINGS_IN_STEP = 'onboardings_in_step';

/** Circle and Clive calls; labels `provider`, `operation`, `status_class` (2xx/4xx/5xx/network/timeout/invalid_response), `status`. */
export const PARTNER_CALLS = 'partner_api_calls_total';
/** Seconds per Circle or Clive call; labels `provider`, `operation`, `status_class`. */
export const PARTNER_CALL_DURATION = 'partner_api_call_duration_seconds';
/** Calls made by a retried activity attempt (attempt > 1); labels `provider`, `operation`. */
export const PARTNER_RETRIES = 'partner_api_retries_total';
/** Retry-After waits the classifier honoured (clamped, seconds); labels `provider`, `operation`. */
export const PARTNER_RETRY_AFTER = 'partner_api_retry_after_seconds';

/** Histogram buckets (seconds): steps last from milliseconds to weeks; calls from ms to the timeout. */
export const HISTOGRAM_BUCKETS: Record<string, number[]> = {
  [STEP_DURATION]: [0.1, 1, 10, 60, 300, 900, 3600, 4 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400],
  [PARTNER_CALL_DURATION]: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  [PARTNER_RETRY_AFTER]: [1, 2, 5, 10, 30, 60, 120, 300],
};
