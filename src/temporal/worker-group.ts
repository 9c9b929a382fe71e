// Several SDK workers in one process, run and stopped as one: the onboarding worker polls the
// workflows' task queue and one queue per partner (contract/task-queues.ts). Same surface as a single
// Worker for what callers use: run, runUntil, getState, shutdown.
import type { State, Worker } from '@temporalio/worker';

export class WorkerGroup {
  constructor(readonly workers: readonly Worker[]) {}

  /**
   * RUNNING only while every worker polls; otherwise the state of the first one that does not (a
   * failed worker shows FAILED, a stopping group STOPPING), so readiness reads one state.
   */
  getState(): State {
    const states = this.workers.map((w) => w.getState());
    return states.find((s) => s === 'FAILED') ?? states.find((s) => s !== 'RUNNING') ?? 'RUNNING';
  }

  /** Stops polling on every queue; tasks in flight finish within the shutdown grace time. */
  shutdown(): void {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** Resolves once every worker stopped; if one fails, the others are stopped and its error is thrown. */
  async run(): Promise<void> {
    const results = await Promise.allSettled(
      this.workers.map((w) =>
        w.run().catch((err: unknown) => {
          this.shutdown();
          throw err;
        }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Runs until `fnOrPromise` settles, then stops; a worker that fails first rejects it. */
  async runUntil<R>(fnOrPromise: Promise<R> | (() => Promise<R>)): Promise<R> {
    const running = this.run();
    try {
      const work = typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise;
      return await Promise.race([
        work,
        running.then(() => {
          throw new Error('the workers stopped before the work they ran for was done');
        }),
      ]);
    } finally {
      this.shutdown();
      await running;
    }
  }
}
