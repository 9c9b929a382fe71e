// The engine floor's worker process: SDK defaults, activities that do nothing. Configured by the bench
// through its environment; stops when its parent goes away.
import { NativeConnection, Worker } from '@temporalio/worker';
import { runChildMain, runUntilParentLeaves } from '../child-main';

async function main(): Promise<void> {
  const { ENGINE_FLOOR_ADDRESS, ENGINE_FLOOR_NAMESPACE, ENGINE_FLOOR_TASK_QUEUE, ENGINE_FLOOR_BUNDLE } =
    process.env;
  if (!ENGINE_FLOOR_ADDRESS || !ENGINE_FLOOR_TASK_QUEUE || !ENGINE_FLOOR_BUNDLE) {
    throw new Error('ENGINE_FLOOR_ADDRESS, ENGINE_FLOOR_TASK_QUEUE and ENGINE_FLOOR_BUNDLE must be set');
  }
  const connection = await NativeConnection.connect({ address: ENGINE_FLOOR_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: ENGINE_FLOOR_NAMESPACE ?? 'default',
    taskQueue: ENGINE_FLOOR_TASK_QUEUE,
    workflowBundle: { codePath: ENGINE_FLOOR_BUNDLE },
    activities: { step: async () => undefined },
  });
  await runUntilParentLeaves(worker, connection);
}

runChildMain('engine floor worker', main);
