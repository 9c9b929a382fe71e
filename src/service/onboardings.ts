// What the routes share about one onboarding: finding it (only workflows of the onboarding type: the
// API must not expose other workflows of the namespace), its failure, and refusals of its messages.
import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import { MessageRejection, WORKFLOW_TYPE, type OnboardPartnerClientWorkflow } from '../contract';
import type { RouteContext } from './context';
import { GrpcStatus, grpcCode } from '../temporal/grpc-status';
import { Problem, ServiceProblem, type FieldProblem } from './problems';

export type OnboardingHandle = WorkflowHandle<OnboardPartnerClientWorkflow>;

/** The type Temporal's server gives an update that was accepted when its workflow ended. */
const SERVER_ENDED_UPDATE = 'AcceptedUpdateCompletedWorkflow';

/**
 * Runs Temporal calls under the service's deadline: the client would otherwise retry an unreachable
 * server for a long time while the caller waits. Past the deadline: 503 TemporalUnavailable.
 */
export async function callTemporal<R>(ctx: RouteContext, fn: () => Promise<R>): Promise<R> {
  return withinDeadline(ctx, ctx.temporalTimeoutMs, fn, (ms) => {
    const detail = `Temporal did not answer within ${ms} ms; retry later`;
    return new Problem(503, ServiceProblem.TemporalUnavailable, detail, [], { 'retry-after': '5' });
  });
}

/** Runs `fn` with a deadline `ms` from now; past it, throws `late(ms)` instead of the client's error. */
async function withinDeadline<R>(
  ctx: RouteContext,
  ms: number,
  fn: () => Promise<R>,
  late: (ms: number) => Problem,
): Promise<R> {
  try {
    return await ctx.client.withDeadline(Date.now() + ms, fn);
  } catch (err) {
    if (grpcCode(err) === GrpcStatus.DEADLINE_EXCEEDED) throw late(ms);
    throw err;
  }
}

/** `id` as the route's params schema (schemas/onboardings.ts) let it through. */
export async function findOnboarding(
  ctx: RouteContext,
  id: string,
): Promise<{ handle: OnboardingHandle; description: WorkflowExecutionDescription }> {
  const handle = ctx.client.workflow.getHandle<OnboardPartnerClientWorkflow>(id);
  // WorkflowNotFoundError -> 404 (errors.ts)
  const description = await callTemporal(ctx, () => handle.describe());
  if (description.type !== WORKFLOW_TYPE) {
    throw new Problem(404, ServiceProblem.OnboardingNotFound, 'no such onboarding');
  }
  return { handle, description };
}

/** A running onboarding, or 409 OnboardingNotReady: messages to an ended one cannot be delivered. */
export async function findRunningOnboarding(ctx: RouteContext, id: string): Promise<OnboardingHandle> {
  const { handle, description } = await findOnboarding(ctx, id);
  if (description.status.name !== 'RUNNING') {
    throw new Problem(
      409,
      MessageRejection.OnboardingNotReady,
      `the onboarding has ended (${description.status.name})`,
    );
  }
  return handle;
}

/** How an ended onboarding failed: the README's failure type, or what Temporal says ended it. */
export function failureOf(err: unknown): { type: string; message: string } {
  const cause = err instanceof WorkflowFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure)
    return { type: cause.type ?? 'ApplicationFailure', message: cause.message };
  if (cause instanceof CancelledFailure) return { type: 'Cancelled', message: cause.message };
  if (cause instanceof TerminatedFailure) return { type: 'Terminated', message: cause.message };
  if (cause instanceof TimeoutFailure) return { type: 'TimedOut', message: cause.message };
  return { type: 'Unknown', message: err instanceof Error ? err.message : String(err) };
}

/** Per-field errors from a refusal's details (the workflow sends `FieldError[]` as its first detail). */
export function fieldProblemsOf(details: unknown): FieldProblem[] {
  const first: unknown = Array.isArray(details) ? details[0] : undefined;
  if (!Array.isArray(first)) return [];
  return first.flatMap((e: unknown) => {
    if (!e || typeof e !== 'object') return [];
    const { path, error, message } = e as Record<string, unknown>;
    if (typeof message !== 'string') return [];
    return [
      {
        path: typeof path === 'string' ? path : '',
        error: typeof error === 'string' ? error : 'invalid',
        message,
      },
    ];
  });
}

/**
 * Sends an update and turns a refusal (validator or handler) into a 422 problem with the refusal's
 * type and per-field errors. `messageTimeoutMs` bounds the wait: an update waits for a worker otherwise.
 */
export async function sendUpdate<R>(ctx: RouteContext, send: () => Promise<R>): Promise<R> {
  try {
    return await withinDeadline(ctx, ctx.messageTimeoutMs, send, (ms) => {
      const detail = `the onboarding did not answer within ${ms} ms; the message may still be applied: check its progress`;
      return new Problem(504, ServiceProblem.TemporalTimeout, detail);
    });
  } catch (err) {
    if (err instanceof Problem) throw err;
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type !== SERVER_ENDED_UPDATE) {
      throw new Problem(422, cause.type ?? 'UpdateRefused', cause.message, fieldProblemsOf(cause.details));
    }
    // The onboarding was running when the message was sent, and ended before it answered (terminated,
    // timed out): the server fails the update, or no longer finds the run. Nothing was applied.
    if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
      throw new Problem(
        409,
        MessageRejection.OnboardingNotReady,
        'the onboarding ended before it answered this message; nothing was applied',
      );
    }
    throw err;
  }
}
