// Reading Temporal failures in workflow code: branch on `type`, never on message text.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { FieldError } from '../circle/wire';

function applicationFailureOf(err: unknown): ApplicationFailure | undefined {
  const app = err instanceof ActivityFailure ? err.cause : err;
  return app instanceof ApplicationFailure ? app : undefined;
}

/** The failure `type` of an activity's (or the workflow's own) ApplicationFailure, if any. */
export function failureTypeOf(err: unknown): string | undefined {
  return applicationFailureOf(err)?.type ?? undefined;
}

/** Per-field errors a classified Circle failure carries (422 bodies). */
export function fieldErrorsOf(err: unknown): FieldError[] {
  const details = applicationFailureOf(err)?.details?.[0] as { fieldErrors?: FieldError[] } | undefined;
  return details?.fieldErrors ?? [];
}

/** When the provider answered with this failure, as the activity recorded it (older failures: none). */
export function answeredAtOf(err: unknown): string | undefined {
  const details = applicationFailureOf(err)?.details?.[0] as { answeredAt?: unknown } | undefined;
  return typeof details?.answeredAt === 'string' ? details.answeredAt : undefined;
}

export function messageOf(err: unknown): string {
  return applicationFailureOf(err)?.message ?? (err as Error).message;
}

export function fail(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

/**
 * A failure that ends the workflow keeps the type of what caused it (e.g. `CircleBadRequest`), so the
 * caller sees one ApplicationFailure whose `type` names the reason, with the step in the message.
 */
export function asWorkflowFailure(err: unknown, step: string): unknown {
  if (!(err instanceof ActivityFailure)) return err;
  const cause = err.cause;
  const type = cause instanceof ApplicationFailure ? (cause.type ?? 'ActivityFailed') : 'ActivityFailed';
  return ApplicationFailure.create({
    type,
    message: `${step}: ${cause?.message ?? err.message}`,
    nonRetryable: true,
    details: cause instanceof ApplicationFailure ? (cause.details ?? []) : [],
    cause: err,
  });
}
