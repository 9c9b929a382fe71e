// Readiness of a real worker in this process, step by step (the worker process test sees the same
// through a kubelet's eyes), and the step gauge counting a waiting onboarding from visibility.
import type { MetricGauge, MetricMeter, MetricTags } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { CircleClient } from '../../src/circle/client';
import { CliveClient } from '../../src/clive/client';
import { createDocumentStore } from '../../src/documents/store';
import { startHealthServer, type HealthServer } from '../../src/observability/health';
import { workerReadiness } from '../../src/observability/readiness';
import { startStepGauge } from '../../src/observability/step-gauge';
import { createOnboardingWorker } from '../../src/worker';
import type { WorkerGroup } from '../../src/temporal/worker-group';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep } from '../helpers/workflow';

const t = useOnboardingEnv();

test('/readyz: 503 before the worker runs, 200 while it runs, 503 from the moment shutdown begins', async () => {
  let ready: (() => Promise<boolean>) | undefined;
  const health: HealthServer = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    ready: () => ready?.() ?? false,
  });
  const readyz = async () => (await fetch(`http://127.0.0.1:${health.port}/readyz`)).status;
  const connection = await NativeConnection.connect({ address: t.address });
  let worker: WorkerGroup | undefined;
  try {
    expect(await readyz()).toBe(503); // no worker yet

    worker = await createOnboardingWorker({
      connection,
      namespace: t.namespace,
      taskQueue: t.taskQueue,
      workflowBundle: t.bundle,
      shutdownGraceTime: '5s',
      deps: {
        circle: new CircleClient({ baseUrl: t.sim.url, apiKey: 'TEST_API_KEY:local:simulator' }),
        clive: new CliveClient({
          baseUrl: `${t.sim.url}/api/v1`,
          apiKey: 'cp_test_partner_local',
          hmacSecret: 'local-hmac-secret',
        }),
        documents: createDocumentStore({ dir: t.documentsDir }),
      },
    });
    ready = workerReadiness(worker, connection);
    expect(await readyz()).toBe(503); // created, not running

    const running = worker.run();
    const until = Date.now() + 10_000;
    while ((await readyz()) !== 200) {
      if (Date.now() > until) throw new Error('never ready');
      await new Promise((r) => setTimeout(r, 20));
    }

    worker.shutdown(); // what SIGTERM does in worker.ts
    expect(await readyz()).toBe(503);
    await running;
    expect(worker.getState()).toBe('STOPPED');
    expect(await readyz()).toBe(503);
  } finally {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await connection.close();
    await health.close();
  }
});

/** A meter that keeps what was set last (the real one exports to Prometheus: one per process). */
function recordingMeter(values: Map<string, number>): MetricMeter {
  const gauge = (name: string): MetricGauge => ({
    name,
    kind: 'gauge',
    valueType: 'int',
    set: (value: number, tags: MetricTags = {}) => values.set(`${name}:${String(tags.step)}`, value),
    withTags: () => gauge(name),
  });
  return {
    createGauge: gauge,
    createCounter: () => {
      throw new Error('not used');
    },
    createHistogram: () => {
      throw new Error('not used');
    },
    withTags() {
      return this;
    },
  };
}

test('the step gauge counts running onboardings per step from visibility', async () => {
  const handle = await start(t, onboardingInput({ sections: {} })); // waits for its section data
  await waitForStep(handle, 'awaiting-section-data');
  const values = new Map<string, number>();
  const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const gauge = startStepGauge({
    client: t.client,
    namespace: t.namespace,
    taskQueue: t.taskQueue,
    meter: recordingMeter(values),
    logger: silent,
    intervalMs: 60_000,
  });
  try {
    // Visibility is eventually consistent: the step's search attribute shows within a moment.
    const until = Date.now() + 15_000;
    while (values.get('onboardings_in_step:awaiting-section-data') !== 1) {
      if (Date.now() > until) throw new Error(`gauge never counted it: ${JSON.stringify([...values])}`);
      await new Promise((r) => setTimeout(r, 200));
      await gauge.refresh();
    }
    expect(values.get('onboardings_in_step:in-review')).toBe(0);
  } finally {
    await gauge.stop();
    await handle.terminate('test over');
  }
});
