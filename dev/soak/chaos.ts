// Worker chaos: SIGKILL a worker process every `everyMs` (at most `maxKills` times; with several
// workers, each in turn) and start a new one, as a crashed host would be replaced. A worker that dies
// on its own is replaced too, and counted: the soak fails on it.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalStack } from '../local-stack';

export interface Chaos {
  kills: number;
  unexpectedExits: { pid?: number; code: number | null; signal: NodeJS.Signals | null }[];
  /** Stops killing; resolves once no restart is in progress. */
  stop(): Promise<void>;
}

export function startChaos(
  stack: LocalStack,
  { everyMs, maxKills, log }: { everyMs: number; maxKills: number; log: (line: string) => void },
): Chaos {
  const restart = stack.restartWorker;
  if (!restart) throw new Error("the local stack must run its worker as a child process ('child' mode)");
  const stopping = new AbortController();
  const killing = new Set<number | undefined>(); // pids this module is about to kill
  const chaos: Chaos = { kills: 0, unexpectedExits: [], stop: async () => undefined };
  let queue: Promise<unknown> = Promise.resolve(); // restarts never overlap

  const serially = (fn: () => Promise<void>) => (queue = queue.then(fn).catch(onError));
  const onError = (err: Error) => log(`worker restart failed: ${err.message}`);
  const watch = (child: ChildProcess | undefined, slot: number) =>
    child?.once('exit', (code, signal) => {
      if (killing.delete(child.pid) || stopping.signal.aborted) return;
      chaos.unexpectedExits.push({ pid: child.pid, code, signal });
      log(`worker ${child.pid} exited on its own (${code ?? signal}); starting another`);
      void serially(async () => {
        watch(await restart('SIGKILL', slot), slot);
      });
    });
  const workers = stack.workerProcesses ?? [stack.workerProcess];
  workers.forEach(watch);

  const loop = (async () => {
    while (chaos.kills < maxKills) {
      await sleep(everyMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      if (stopping.signal.aborted) return;
      await serially(async () => {
        const slot = chaos.kills % workers.length;
        const pid = stack.workerProcesses?.[slot]?.pid ?? stack.workerPid;
        killing.add(pid);
        const started = Date.now();
        const child = await restart('SIGKILL', slot);
        chaos.kills++;
        log(`killed worker ${pid} (SIGKILL); worker ${child.pid} polling after ${Date.now() - started} ms`);
        watch(child, slot);
      });
    }
  })();

  chaos.stop = async () => {
    stopping.abort();
    await loop;
    await queue;
  };
  return chaos;
}
