// Waiting: timers that back off, wake early on messages, stop at business deadlines, survive outages
// of the reads they make, and keep history bounded with continue-as-new.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  sleep,
  TimeoutFailure,
  workflowInfo,
} from '@temporalio/workflow';
import type { OnboardingProgress } from '../contract/progress';
import {
  cancelRequestedBeforeContinuing,
  continueAsNewAtSafePoint,
  newerVersionWaiting,
  readsBehindNotificationsRetried,
  settlesMessages,
  toleratesLag,
  wakesDuringReadsCount,
} from './versions';
import { answeredAtOf, fail, failureTypeOf } from './failures';
import type { Onboarding } from './onboarding';
import { OnboardingFailure } from '../contract/failures';
import { BACKSTOP_POLL_MS, jsonBytes } from '../contract/limits';
import { CARRIED_VERSION, type Carried } from './state';
import { recordError, writeAttributes } from './visibility';

type DeadlineName = keyof OnboardingProgress['deadlines'];

/** The absolute deadline of a wait: set on its first lap, kept across laps and continue-as-new. */
export function deadline(o: Onboarding, name: DeadlineName, durationMs: number): number {
  const existing = o.progress.deadlines[name];
  if (existing) return Date.parse(existing);
  const at = Date.now() + durationMs;
  o.progress.deadlines[name] = new Date(at).toISOString();
  return at;
}

export function clearDeadline(o: Onboarding, name: DeadlineName): void {
  delete o.progress.deadlines[name];
  delete o.state.pollIntervalMs;
}

/** An activity that gave up on a passing problem (its budget ran out on timeouts, 5xx or 429s). */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof ActivityFailure)) return false;
  const cause = err.cause;
  return cause instanceof TimeoutFailure || (cause instanceof ApplicationFailure && !cause.nonRetryable);
}

/** The default of `options.staleReadWindow`, for runs whose carried input predates the option. */
const STALE_READ_WINDOW_MS = 5 * 60 * 1000;

/** How long after a write a read may still show the state before it. */
export function staleReadWindow(o: Onboarding): number {
  return o.options.staleReadWindow ?? STALE_READ_WINDOW_MS;
}

/**
 * Whether a read answered at `readAt` came soon enough after `since` (an ISO time: an accepted write, a
 * notification) to lag behind it.
 *
 * Both times are the ones the activities recorded with Circle's answers, when they did: a judgment on
 * them is the same in every replay. The task's own clock (`Date.now()`) is not always: a worker that
 * answered a progress query for a run it did not hold, and then takes that run's next task after a
 * sticky task timed out, runs that task with the clock of its query (Temporal's TypeScript SDK 1.24),
 * while a later replay runs it with the task's real start. A judgment on it could then differ between
 * the two and fail the replay (a nondeterminism error). Results recorded before activities stamped
 * them have no time: the task's clock stays the judge for those, as it was when they were decided.
 */
export function withinStaleReadWindow(
  o: Onboarding,
  since: string | undefined,
  readAt: string | undefined = undefined,
): boolean {
  return since !== undefined && readTime(readAt) < Date.parse(since) + staleReadWindow(o);
}

/** When a read was answered: its recorded time, or the task's clock for a result recorded without one. */
function readTime(readAt: string | undefined): number {
  return readAt === undefined ? Date.now() : Date.parse(readAt);
}

/**
 * A read's failure to outlast: a passing problem, or (runs since `lagging-circle`) a 404 for a resource
 * created at `createdAt`, so recently that Circle may not show it yet.
 */
export function isPassing(o: Onboarding, err: unknown, createdAt?: string): boolean {
  return isTransient(err) || isNotFoundYet(o, err, createdAt);
}

/** A 404 for a resource created at `createdAt`, so recently that Circle may not show it yet. */
export function isNotFoundYet(o: Onboarding, err: unknown, createdAt: string | undefined): boolean {
  return (
    toleratesLag() &&
    failureTypeOf(err) === 'CircleNotFound' &&
    withinStaleReadWindow(o, createdAt, answeredAtOf(err))
  );
}

/**
 * A read outside a poll (routing, listing RFIs): when its activity gives up on a passing problem, the
 * outage is waited out with the poll backoff (and continue-as-new) instead of failing the onboarding.
 * `createdAt`: when the resource read was created (a 404 soon after is waited out too).
 */
export async function persistently<T>(
  o: Onboarding,
  what: string,
  read: () => Promise<T>,
  createdAt?: string,
): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (!isPassing(o, err, createdAt)) throw err;
      recordError(o, 'ReadUnavailable', `${what}: ${(err as Error).message}`);
      await nap(o, () => false, o.options.maxPollInterval);
    }
  }
}

export interface PollSpec {
  deadline: DeadlineName;
  durationMs: number;
  failureType: string;
  what: string;
  /** When the resource polled was created: a 404 soon after is waited out like an outage. */
  createdAt?: string;
  /**
   * Circle notifies the change this wait is for (the application's status): while notifications are
   * flowing, the poll is only a backstop. Asked before each nap (false after a read judged stale).
   */
  notified?: () => boolean;
  /** A shorter interval for the next nap (a read judged behind what Circle announced), if any. */
  soon?: () => number | undefined;
}

/**
 * Calls `check` until it returns a value, with timers that back off from `pollInterval` to
 * `maxPollInterval` and that a message cuts short. A read that gives up on a passing problem is
 * tried again after the next timer; the wait fails with `failureType` only at its deadline.
 */
export async function poll<T>(
  o: Onboarding,
  spec: PollSpec,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const end = deadline(o, spec.deadline, spec.durationMs);
  for (;;) {
    const before = o.wakeups; // a message during the read may change what the read saw
    try {
      const value = await check();
      o.progress.polls++;
      if (value !== undefined) {
        clearDeadline(o, spec.deadline);
        return value;
      }
    } catch (err) {
      if (!isPassing(o, err, spec.createdAt)) throw err;
      recordError(o, 'ReadUnavailable', `${spec.what}: ${(err as Error).message}`);
    }
    const remaining = end - Date.now();
    if (remaining <= 0) {
      throw fail(spec.failureType, `Timed out waiting for ${spec.what}`, {
        deadline: new Date(end).toISOString(),
      });
    }
    await nap(o, () => false, remaining, {
      notified: spec.notified?.() ?? false,
      since: before,
      intervalMs: spec.soon?.(),
    });
  }
}

/** Notifications count as flowing for an onboarding while its last one is at most this old. */
const NOTIFICATIONS_FRESH_MS = 7 * 24 * 60 * 60 * 1000;

/** Whether a relayed notification for this onboarding arrived recently (`applicationStatusChanged`). */
export function notificationsFlowing(o: Onboarding): boolean {
  const last = o.state.lastNotifiedAt;
  return last !== undefined && Date.now() - Date.parse(last) < NOTIFICATIONS_FRESH_MS;
}

export interface NapOptions {
  /** Circle notifies what this wait is for: while notifications flow, the timer is the backstop. */
  notified?: boolean;
  /** The wake count before the read this nap follows: a wake since then ends the nap at once. */
  since?: number;
  /** This nap's interval instead of the backoff's (which it leaves as it was). */
  intervalMs?: number;
}

/**
 * How soon to read again when a read shows `status` while the last notification announced another
 * (Circle's reads may lag its notifications): after as long as has passed since the notification, from
 * `pollInterval` to `maxPollInterval`. Undefined when the read agrees, or when the stale-read window
 * after the notification has passed: the read is then believed.
 */
export function behindNotification(
  o: Onboarding,
  status: string,
  readAt: string | undefined = undefined,
): number | undefined {
  const { lastNotifiedStatus: announced, lastNotifiedAt: at } = o.state;
  if (announced === undefined || announced === status || !withinStaleReadWindow(o, at, readAt)) {
    return undefined;
  }
  if (!readsBehindNotificationsRetried()) return undefined;
  const elapsed = readTime(readAt) - Date.parse(at!);
  return Math.min(Math.max(o.options.pollInterval, elapsed), o.options.maxPollInterval);
}

/**
 * Waits for `ready`, a message, or the next poll interval (capped by `remainingMs`), then doubles the
 * interval up to `maxPollInterval` and continues as new if history asks for it. True if `ready`.
 */
export async function nap(
  o: Onboarding,
  ready: () => boolean,
  remainingMs: number,
  { notified = false, since, intervalMs }: NapOptions = {},
): Promise<boolean> {
  const backstop = notified && notificationsFlowing(o);
  const interval =
    intervalMs ??
    (backstop
      ? Math.max(BACKSTOP_POLL_MS, o.options.maxPollInterval)
      : (o.state.pollIntervalMs ?? o.options.pollInterval));
  // A wake that came while the read was under way: the read may predate what the message announced.
  const seen = since !== undefined && since !== o.wakeups && wakesDuringReadsCount() ? since : o.wakeups;
  writeAttributes(o);
  const woken = await condition(() => ready() || o.wakeups !== seen, Math.min(interval, remainingMs));
  o.waits++;
  if (!backstop && intervalMs === undefined)
    o.state.pollIntervalMs = Math.min(interval * 2, o.options.maxPollInterval);
  await maybeContinueAsNew(o);
  return woken && ready();
}

/** A plain timer (backoff after a refusal or a credentials error), counted as a wait. */
export async function pause(o: Onboarding, ms: number): Promise<void> {
  await sleep(ms);
  o.waits++;
}

/** Below Temporal's 2 MiB payload limit, with room for the encryption codec's envelope. */
const MAX_CARRIED_BYTES = 1536 * 1024;

/**
 * Keeps history bounded, and moves the onboarding to a newer worker version: hands the state to a fresh
 * run when Temporal suggests it, at the limit, or when a newer version waits (versions.ts).
 */
export async function maybeContinueAsNew(o: Onboarding): Promise<void> {
  const info = workflowInfo();
  const upgrade = newerVersionWaiting(); // a wait is where a run moves to newer code (versions.ts)
  if (!upgrade && !info.continueAsNewSuggested && info.historyLength < o.options.maxHistoryEvents) return;
  if (o.tickets.length > 0 || !allHandlersFinished()) return; // never drop a message in flight
  // A cancel that came with the wait's timer: the run goes on to its next call, which throws the
  // cancellation, and compensates; continuing as new would lose it.
  if (cancelRequestedBeforeContinuing()) return;
  log.info('continuing as new', { historyLength: info.historyLength, step: o.progress.step, upgrade });
  writeAttributes(o);
  // Since `message-races` the input goes once (as the run's argument), and the whole is checked
  // against Temporal's payload limit before the server would refuse it (and fail every task after).
  const carried: Carried = settlesMessages()
    ? { version: CARRIED_VERSION, state: o.state }
    : { version: 1, input: o.checkedInput, state: o.state };
  const size = jsonBytes([o.checkedInput, carried]);
  if (settlesMessages() && size > MAX_CARRIED_BYTES) {
    throw fail(
      OnboardingFailure.CarriedStateTooLarge,
      `the onboarding's state is ${size} bytes as JSON, over the ${MAX_CARRIED_BYTES} bytes a run can hand to the next`,
      { bytes: size, limit: MAX_CARRIED_BYTES },
    );
  }
  await continueAsNewAtSafePoint(o.checkedInput, carried);
}
