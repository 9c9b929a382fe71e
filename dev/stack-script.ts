// How the bench, the soak and the cluster run: each starts the local stack on a workflow bundle built
// into a temp directory; success, failures, Ctrl-C and SIGTERM all stop the stack (then whatever else
// the script registered with `atExit`) and remove the directory before exiting. The result is printed
// as one line of JSON on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStack } from './local-stack';

/** A mistake on the command line: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export interface ScriptContext {
  /** A temporary directory for the script's workflow bundle (and other files), removed at exit. */
  bundleDir: string;
  /** Registers the stack being started, so that an interruption stops it too. */
  stackStarting(starting: Promise<LocalStack>): void;
  /**
   * Registers something to stop after the stack and before the directory is removed, however the
   * script ends (last registered, first stopped). `stop` may be called more than once.
   */
  atExit(stop: () => Promise<void>): void;
}

export function runStackScript<T>(script: {
  name: string;
  usage: string;
  log: (line: string) => void;
  main: (ctx: ScriptContext) => Promise<T>;
  /** The exit code for a result (e.g. 1 when the soak's checks failed). */
  exitCode?: (result: T) => number;
}): void {
  const { log } = script;
  let starting: Promise<LocalStack> | undefined;
  let interrupted = false;
  const bundleDir = mkdtempSync(join(tmpdir(), `onboarding-${script.name}-`));
  const stoppers: (() => Promise<void>)[] = [];
  const removeBundle = async () => {
    for (const stop of stoppers.reverse().splice(0)) {
      await stop().catch((err: Error) => log(`teardown: ${err.message}`));
    }
    rmSync(bundleDir, { recursive: true, force: true });
  };
  const stopStack = async () => {
    await starting?.then((s) => s.stop()).catch(() => undefined);
    await removeBundle();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping`);
      // The interrupted work's in-flight calls fail on connections being closed: expected, not fatal.
      let stray = 0;
      process.on('uncaughtException', (err) => {
        if (stray++ === 0) log(`while stopping: ${err.message} (further such errors not shown)`);
      });
      void stopStack().finally(() => process.exit(130));
    });
  }
  const atExit = (stop: () => Promise<void>) => void stoppers.push(stop);
  script.main({ bundleDir, stackStarting: (s) => (starting = s), atExit }).then(
    async (result) => {
      await removeBundle();
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(script.exitCode?.(result) ?? 0);
    },
    async (err: Error) => {
      if (interrupted) return; // the signal handler exits
      log(
        err instanceof UsageError ? `${err.message}\n${script.usage}` : `failed: ${err.stack ?? err.message}`,
      );
      await stopStack();
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
