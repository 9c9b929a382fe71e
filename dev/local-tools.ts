// Small pieces the dev scripts share: the tuned dev-server settings, the per-user cache of built
// binaries, executable checks, free loopback ports (the Web UI's: 8233 or the next free one), and a
// workflow bundle built once for child workers.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

/**
 * The dev server runs ONE history shard, whose transfer and timer queues are read at most 20 times a
 * second: every task dispatch and timer then waits up to 50 ms, a cost a production cluster spreads
 * over hundreds of shards. The CLI also re-reads search-attribute metadata on every use, which a
 * production server caches. A task queue has one partition instead of four: with one or a few
 * workers, partitions only forward tasks and polls between each other (about 4 of an onboarding's 69
 * server requests). (The bench's `--stock-server` keeps the dev server's own settings.)
 */
export const TUNED_DEV_SERVER = {
  'history.transferProcessorMaxPollRPS': 200,
  'history.timerProcessorMaxPollRPS': 200,
  'system.forceSearchAttributesCacheRefreshOnRead': false,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

const CACHE_NAMESPACE = 'circle-partner-onboarding';

/** `$<override>`, else `$XDG_CACHE_HOME` or `~/.cache`, then `<project>/<name>`: outside any checkout. */
export function userCacheDir(name: string, override: string | undefined, env: NodeJS.ProcessEnv): string {
  if (override) return override;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, CACHE_NAMESPACE, name);
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Where `temporal server start-dev` serves its Web UI: the dev stack's UI takes it when it is free. */
export const TEMPORAL_UI_PORT = 8233;

/** Whether 127.0.0.1:`port` can be listened on right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `preferred`, or the next port after it that `isFree` says is free (at most `tries` looked at). */
export async function firstFreePortFrom(
  preferred: number,
  isFree: (port: number) => Promise<boolean> = portIsFree,
  tries = 20,
): Promise<number | undefined> {
  for (let port = preferred; port < preferred + tries && port <= 65_535; port++) {
    if (await isFree(port)) return port;
  }
  return undefined;
}

/**
 * Bundles the workflow code once into `dir`; child workers load the file and never run the bundler.
 * `variant`: another build of it (its own file), with workflow interceptor modules (`dev/rollout/`).
 */
export async function writeWorkflowBundle(
  dir: string,
  variant?: { name: string; workflowInterceptorModules: string[] },
): Promise<string> {
  const path = join(dir, variant ? `workflow-bundle-${variant.name}.js` : 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    logger: new DefaultLogger('WARN'),
    ...(variant ? { workflowInterceptorModules: variant.workflowInterceptorModules } : {}),
  });
  writeFileSync(path, code);
  return path;
}

/** `n` to `digits` decimals, as the scripts print their figures. */
export function round(n: number, digits = 1): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** Nearest-rank percentile (NaN for no values): the figure the bench, the soak and the cluster print. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
