// Lets Temporal cancel an HTTP call in flight: the activity heartbeats while the call runs (cancellation
// reaches an activity only through its heartbeats), and the call listens to the cancellation signal.
import { cancellationSignal, Context, heartbeat } from '@temporalio/activity';

/** Well inside the workflow's heartbeat timeout (10 s); the SDK throttles what it actually sends. */
const HEARTBEAT_EVERY_MS = 3_000;

export function callOptions(): { signal: AbortSignal } {
  return { signal: cancellationSignal() };
}

/**
 * Runs `fn` with a heartbeat every few seconds until it settles. None at the start: the heartbeat
 * timeout already counts from the start, and each heartbeat sent is a request and a database write on
 * the server, which most calls (done in milliseconds) do not need. A call that lasts is heartbeated
 * after 3 s, and the answer to that heartbeat is what brings it a cancellation.
 */
export async function withHeartbeats<T>(fn: () => Promise<T>): Promise<T> {
  if (!heartbeats()) return fn();
  const timer = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/**
 * A read that comes with a write, to save the workflow a task: if it fails, the answer is left out and
 * the workflow reads on its own, with a read's budget (an outage never turns into a failed write).
 * A cancellation still cancels.
 */
export async function alsoRead<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (cancellation() !== undefined) throw err;
    return undefined;
  }
}

/**
 * The status a write left: the one its answer gave, unless that is `unsettled` (then read once more, as
 * `alsoRead` does): a decision taken at once saves the workflow its first poll.
 */
export async function statusAfterWrite<S>(
  status: S,
  unsettled: S,
  read: () => Promise<{ status: S }>,
): Promise<S> {
  if (status !== unsettled) return status;
  return (await alsoRead(read))?.status ?? status;
}

/** The activity's cancellation, if it was cancelled (so it is reported as cancelled, not as a failure). */
export function cancellation(): unknown {
  if (!inActivity()) return undefined;
  const signal = Context.current().cancellationSignal;
  return signal.aborted ? signal.reason : undefined;
}

function inActivity(): boolean {
  try {
    return Context.current() !== undefined;
  } catch {
    return false; // called outside an activity (a script or a unit test)
  }
}

/**
 * Progress a long activity keeps across its attempts (Temporal's heartbeat details): `resumed()` is what
 * the last attempt recorded, `checkpoint(details)` records it (sent with the next heartbeat).
 */
export function resumed<T>(): T | undefined {
  if (!inActivity()) return undefined;
  return Context.current().info.heartbeatDetails as T | undefined;
}

export function checkpoint(details: unknown): void {
  if (heartbeats()) heartbeat(details);
}

/**
 * Whether this code runs in an activity that heartbeats: a local activity has no heartbeats (its
 * cancellation comes with the workflow's task, and a retry starts over, which keys make safe).
 */
function heartbeats(): boolean {
  return inActivity() && !Context.current().info.isLocal;
}

/** The attempt this is (1 for the first; 1 outside an activity). */
export function attempt(): number {
  return inActivity() ? Context.current().info.attempt : 1;
}

/**
 * The time a provider answered, as the activity returns it. Workflow code judges how long ago a write
 * was accepted (may a read still lag behind it?) by these recorded times, not by its own clock: a task's
 * clock can differ between the run that decided and a later replay (see src/workflows/waiting.ts).
 */
export function answeredNow(): string {
  return new Date().toISOString();
}
