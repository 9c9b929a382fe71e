// The shared end of the scripts' worker processes (child-worker.ts, engine-floor/worker.ts): run the
// worker until it stops, stop it when the parent goes away, and exit with a line on stderr on failure.

interface RunnableWorker {
  getState(): string;
  shutdown(): void;
  run(): Promise<void>;
}

/** Runs `worker` until it stops, then closes `connection`. */
export async function runUntilParentLeaves(
  worker: RunnableWorker,
  connection: { close(): Promise<void> },
): Promise<void> {
  // An orphaned worker would keep polling a dev server that is gone.
  process.once('disconnect', () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  });
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

/** Runs a worker process's `main`: exit 0 when it returns, 1 with its error on stderr when it throws. */
export function runChildMain(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`${name}: ${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
