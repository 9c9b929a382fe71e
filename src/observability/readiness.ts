// When a worker is ready: it polls (state RUNNING: not starting, not shutting down) and its connection
// to the Temporal server answers. Shutdown moves the state off RUNNING at once, so /readyz turns 503
// the moment SIGTERM arrives, while activities in flight still finish.
import type { NativeConnection, State } from '@temporalio/worker';

/** A check failing within this long is a lost connection, not a slow one. */
const PING_TIMEOUT_MS = 2000;

export function workerReadiness(
  worker: { getState(): State },
  connection: Pick<NativeConnection, 'withDeadline' | 'workflowService'>,
): () => Promise<boolean> {
  return async () => {
    if (worker.getState() !== 'RUNNING') return false;
    try {
      // The cheapest call every server answers; the worker's own connection, so it is the one checked.
      await connection.withDeadline(Date.now() + PING_TIMEOUT_MS, () =>
        connection.workflowService.getSystemInfo({}),
      );
      return true;
    } catch {
      return false;
    }
  };
}
