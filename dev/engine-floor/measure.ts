// Runs the engine floor on the bench's dev server: the same number of workflows, in flight and regular
// and local activities per workflow as the onboardings had, with activities that do nothing and a
// worker process on SDK defaults. What it costs is what Temporal charges for that shape on this
// machine; the onboardings' cost above it is the project's (HTTP calls, checks, codec, visibility).
import { performance } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import type { LocalStack } from '../local-stack';
import { startChildWorker, stopChild } from '../local-stack';
import { percentile, round } from '../local-tools';
import { pool } from '../pool';
import { cpuMeter, devServerPid } from '../proc';
import { serverMeter } from '../server-metrics';

export interface EngineFloorShape {
  activities: number;
  localActivities: number;
  count: number;
  concurrency: number;
}

export async function measureEngineFloor(stack: LocalStack, shape: EngineFloorShape, bundleDir: string) {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    logger: new DefaultLogger('WARN'),
  });
  const bundle = join(bundleDir, 'engine-floor-bundle.js');
  writeFileSync(bundle, code);
  const taskQueue = `${stack.taskQueue}-engine-floor`;
  const worker = await startChildWorker(require.resolve('./worker'), {
    ENGINE_FLOOR_ADDRESS: stack.address,
    ENGINE_FLOOR_NAMESPACE: stack.namespace,
    ENGINE_FLOOR_TASK_QUEUE: taskQueue,
    ENGINE_FLOOR_BUNDLE: bundle,
  });
  try {
    const run = (prefix: string, n: number) =>
      pool(n, shape.concurrency, async (i) => {
        const started = performance.now();
        await stack.client.workflow.execute('engineFloor', {
          taskQueue,
          workflowId: `${taskQueue}-${prefix}-${i}`,
          args: [shape.activities, shape.localActivities],
        });
        return performance.now() - started;
      });
    await run('warmup', Math.min(shape.concurrency, 5));

    const serverUsed = await serverMeter(stack.serverMetricsUrl);
    const cpuUsed = cpuMeter({ server: devServerPid(), worker: worker.pid });
    const started = performance.now();
    const runs = await run('timed', shape.count);
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuUsed();
    const server = await serverUsed(shape.count);
    const per = (ms: number | undefined) => (ms === undefined ? null : round(ms / shape.count));
    const serverCpuMs = per(cpu.server);
    const workerCpuMs = per(cpu.worker);
    return {
      what: 'a workflow of the same shape whose activities do nothing, on the same server, worker on SDK defaults',
      activities: shape.activities,
      localActivities: shape.localActivities,
      onboardingsPerSecond: round(shape.count / seconds, 2),
      p50Ms: round(percentile(runs, 50)),
      p99Ms: round(percentile(runs, 99)),
      serverCpuMs,
      workerCpuMs,
      temporalCpuMs: serverCpuMs !== null && workerCpuMs !== null ? round(serverCpuMs + workerCpuMs) : null,
      serverRequests: server?.requests ?? null,
    };
  } finally {
    await stopChild(worker);
  }
}
