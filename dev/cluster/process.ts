// What the cluster's long-running processes (PostgreSQL, the Temporal server) share: a stop that is
// graceful first and forced later, and the end of their log file for error messages.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Sends `signal`, then SIGKILL after `graceMs`; resolves on exit. Safe to call more than once. Should
 * this process exit without calling it (a crash), `signal` is sent on the way out: a PostgreSQL or a
 * Temporal server must not outlive the script.
 */
export function stopper(child: ChildProcess, signal: NodeJS.Signals, graceMs = 20_000): () => Promise<void> {
  const lastResort = () => child.kill(signal);
  process.once('exit', lastResort);
  child.once('exit', () => process.off('exit', lastResort));
  let stopped: Promise<void> | undefined;
  return () =>
    (stopped ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    }));
}

/** The last lines, each cut short: the server's JSON lines carry whole stack traces. */
export function logTail(file: string, lines = 15, width = 400): string {
  try {
    const last = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
    return last.map((l) => (l.length > width ? `${l.slice(0, width)}…` : l)).join('\n');
  } catch {
    return '';
  }
}
