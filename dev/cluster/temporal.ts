// Starts the Temporal server process on a written config and makes it ready for onboardings: waits for
// the frontend to answer, registers the namespace (a real server has none but its own system one),
// registers the search attributes in it, and waits until a workflow start carrying them is accepted.
// On PostgreSQL visibility, custom search attributes belong to a namespace (they are mapped onto the
// visibility table's pre-made columns), so they are registered after the namespace exists, and the
// frontend validates starts against a namespace cache that catches up a moment later.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ONBOARDING_SEARCH_ATTRIBUTES } from '../../src/contract/search-attributes';
import { ensureSearchAttributes } from '../../src/temporal/register-search-attributes';
import { logTail, stopper } from './process';
import type { WrittenServerConfig } from './server-config';

export interface RunningTemporal {
  address: string;
  namespace: string;
  /** From spawning the server to the namespace accepting onboardings. */
  readyMs: number;
  stop(): Promise<void>;
}

export async function startTemporalServer(options: {
  binary: string;
  config: WrittenServerConfig;
  namespace: string;
  log: (line: string) => void;
  /** Gets the stop as soon as the process exists, so that an interruption stops it too. */
  atExit: (stop: () => Promise<void>) => void;
}): Promise<RunningTemporal> {
  const { config, namespace, log } = options;
  const logFile = join(config.root, 'temporal.log');
  const started = Date.now();
  const out = openSync(logFile, 'a');
  const child = spawn(
    options.binary,
    ['--root', config.root, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
    { stdio: ['ignore', out, out] },
  );
  // SIGTERM is graceful: the server releases its shards before it exits.
  const stop = stopper(child, 'SIGTERM');
  options.atExit(stop);
  const failed = (what: string) => new Error(`${what}; the server's last log lines:\n${logTail(logFile)}`);
  try {
    const connection = await waitForFrontend(config.frontendAddress, child).catch((err: Error) => {
      throw failed(err.message);
    });
    try {
      await registerNamespace(connection, namespace);
      const added = await retry('registering the search attributes', () =>
        ensureSearchAttributes(connection, namespace),
      );
      log(`namespace "${namespace}" registered, search attributes: ${added.join(', ') || 'already there'}`);
      await waitForSearchAttributes(new Client({ connection, namespace }));
    } finally {
      await connection.close();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const readyMs = Date.now() - started;
  log(
    `Temporal server ${child.pid} ready at ${config.frontendAddress} after ${readyMs} ms (log: ${logFile})`,
  );
  return { address: config.frontendAddress, namespace, readyMs, stop };
}

async function waitForFrontend(
  address: string,
  child: ChildProcess,
  timeoutMs = 90_000,
): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the Temporal server exited (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return connection;
      } catch (err) {
        await connection.close();
        throw err;
      }
    } catch (err) {
      last = (err as Error).message;
      await sleep(500);
    }
  }
  throw new Error(
    `the Temporal frontend at ${address} did not answer within ${timeoutMs / 1000} s (${last})`,
  );
}

async function registerNamespace(connection: Connection, namespace: string): Promise<void> {
  await retry('registering the namespace', async () => {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('3 days'),
      });
    } catch (err) {
      if (!/already exists/i.test((err as Error).message)) throw err;
    }
  });
}

/** Starts (then terminates) a probe workflow carrying every onboarding search attribute until accepted. */
async function waitForSearchAttributes(client: Client): Promise<void> {
  const workflowId = `cluster-probe-${process.pid}`;
  await retry('starting a workflow with the search attributes', () =>
    client.workflow.start('clusterProbe', {
      taskQueue: 'cluster-probe',
      workflowId,
      typedSearchAttributes: ONBOARDING_SEARCH_ATTRIBUTES.map((key) => ({ key, value: 'probe' })),
    }),
  );
  await client.workflow.getHandle(workflowId).terminate('probe');
}

async function retry<T>(what: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`);
      await sleep(500);
    }
  }
}
