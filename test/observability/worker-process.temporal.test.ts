// The worker as it is deployed: `src/worker.ts` in a process of its own (the Temporal runtime, with its
// Prometheus exporter, is one per process), against the shared dev server and the simulator. It checks
// /readyz through start-up and shutdown, /metrics after a real onboarding, JSON-only logs without
// personal data, and that SIGTERM lets an activity in flight finish within the grace time.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from '../../dev/local-tools';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { providerTaskQueue, startOnboarding, type OnboardingInput } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';

const address = process.env.TEMPORAL_TEST_ADDRESS!;
const namespace = process.env.TEMPORAL_TEST_NAMESPACE ?? 'default';
const taskQueue = `observability-${randomUUID()}`;
const inputs: OnboardingInput[] = [];

let env: TestWorkflowEnvironment;
let sim: RunningSimulator;
let child: ChildProcess;
let exited: Promise<number | null>;
let healthUrl: string;
let metricsUrl: string;
const stderr: string[] = [];
const stdout: string[] = [];
const readyzSeen: number[] = [];

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
  sim = await startSimulator({ port: 0, reviewDelayMs: 20, accountActivationDelayMs: 20 });
  const [healthPort, metricsPort] = [await freePort(), await freePort()];
  healthUrl = `http://127.0.0.1:${healthPort}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  child = spawn(
    process.execPath,
    ['--import', pathToFileURL(require.resolve('tsx')).href, join(__dirname, '../../src/worker.ts')],
    {
      env: {
        ...process.env,
        ONBOARDING_ENV: 'local',
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        TEMPORAL_TASK_QUEUE: taskQueue,
        CIRCLE_API_BASE_URL: sim.url,
        CLIVE_API_BASE_URL: `${sim.url}/api/v1`,
        ONBOARDING_MIN_POLL_INTERVAL_MS: '10',
        DOCUMENT_STORE_DIR: join(__dirname, '../../examples/documents'),
        WORKER_HEALTH_PORT: String(healthPort),
        WORKER_HEALTH_HOST: '127.0.0.1',
        METRICS_BIND_ADDRESS: `127.0.0.1:${metricsPort}`,
        WORKER_SHUTDOWN_GRACE_TIME: '5s',
        LOG_FORMAT: 'json',
        STEP_GAUGE: 'on',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (d: Buffer) => stdout.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));

  // Probe like a kubelet from the moment the process exists until the worker is ready.
  const until = Date.now() + 90_000;
  while (readyzSeen.at(-1) !== 200) {
    if (Date.now() > until || child.exitCode !== null) {
      throw new Error(`the worker never became ready:\n${stderr.join('')}`);
    }
    const status = await fetch(`${healthUrl}/readyz`).then(
      (r) => r.status,
      () => undefined, // not listening yet
    );
    if (status !== undefined) readyzSeen.push(status);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await sim?.close();
  await env?.teardown();
});

beforeEach(() => sim.control.reset());

function start(input: OnboardingInput) {
  inputs.push(input);
  return startOnboarding(env.client, input, { taskQueue, workflowId: `observability-${randomUUID()}` });
}

/** The sum of a metric's series whose labels include `labels` (undefined when there is none). */
function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length, line.lastIndexOf('}') + 1);
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) {
      sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

test('/readyz answers 503 while the worker starts, then 200; /healthz 200', async () => {
  expect(readyzSeen[0]).toBe(503); // health server first, worker (bundling, connecting) after
  expect(readyzSeen.at(-1)).toBe(200);
  expect((await fetch(`${healthUrl}/healthz`)).status).toBe(200);
});

test('/metrics shows the onboarding and its Circle calls, with live values', async () => {
  // The first createClient is throttled: a retry after the Retry-After the classifier honours.
  sim.control.setFaults([
    {
      method: 'POST',
      path: '/v1/partner/clients',
      mode: 'error',
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    },
  ]);
  const handle = await start(onboardingInput());
  await handle.result();

  const text = await (await fetch(metricsUrl)).text();
  const mine = { taskQueue };
  try {
    expect(metric(text, 'onboarding_started_total', mine)).toBe(1);
    expect(metric(text, 'onboarding_completed_total', mine)).toBe(1);
    expect(metric(text, 'onboarding_failed_total', mine)).toBeUndefined();
    expect(metric(text, 'onboarding_step_duration_seconds_count', { ...mine, step: 'creating-client' })).toBe(
      1,
    );
    expect(
      metric(text, 'onboarding_step_duration_seconds_sum', { ...mine, step: 'creating-client' }),
    ).toBeGreaterThanOrEqual(1);
    // Partner calls are counted where they run: on the Circle activities' task queue.
    const circleQueue = { taskQueue: providerTaskQueue(taskQueue, 'circle') };
    const createClient = { ...circleQueue, provider: 'circle', operation: 'createClient' };
    expect(
      metric(text, 'partner_api_calls_total', { ...createClient, status_class: '4xx', status: '429' }),
    ).toBe(1);
    expect(metric(text, 'partner_api_calls_total', { ...createClient, status_class: '2xx' })).toBe(1);
    expect(
      metric(text, 'partner_api_calls_total', { ...circleQueue, operation: 'submit', status_class: '2xx' }),
    ).toBe(1);
    expect(metric(text, 'partner_api_retries_total', createClient)).toBe(1);
    expect(metric(text, 'partner_api_retry_after_seconds_count', createClient)).toBe(1);
    expect(metric(text, 'partner_api_call_duration_seconds_count', createClient)).toBe(2);
    // The gauge counts running onboardings per step (none now); the SDK's own metrics are there too.
    expect(metric(text, 'onboardings_in_step', { ...mine, step: 'in-review' })).toBe(0);
    expect(metric(text, 'temporal_workflow_completed', { task_queue: taskQueue })).toBeGreaterThanOrEqual(1);
  } catch (err) {
    process.stderr.write(
      `${text
        .split('\n')
        .filter((l) => !l.startsWith('#') && l.includes(taskQueue))
        .join('\n')}\n`,
    );
    throw err;
  }
}, 60_000);

test('SIGTERM during an activity: /readyz turns 503, the activity finishes and its result is recorded', async () => {
  const { PendingActivityState } = temporal.api.enums.v1;
  sim.control.setFaults([
    { method: 'POST', path: '/v1/partner/clients', mode: 'delay', delayMs: 1500, times: 1 },
  ]);
  const handle = await start(onboardingInput());
  // Wait until the worker runs createClient (its call now held 1.5 s by the simulator).
  const until = Date.now() + 20_000;
  for (;;) {
    const { raw } = await handle.describe();
    const running = (raw.pendingActivities ?? []).some(
      (a) =>
        a.activityType?.name === 'createClient' &&
        a.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
    );
    if (running) break;
    if (Date.now() > until) throw new Error('createClient never started');
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  const signalledAt = Date.now();
  child.kill('SIGTERM');
  // The signal reaches the process a moment later; /readyz then answers 503 until the process exits.
  let readyz = 200;
  while (readyz === 200 && child.exitCode === null) {
    readyz = (await fetch(`${healthUrl}/readyz`)).status;
  }
  expect(readyz).toBe(503);

  expect(await exited).toBe(0);
  const stoppedAfterMs = Date.now() - signalledAt;
  expect(stoppedAfterMs).toBeLessThan(5000); // it waited for the activity, not for the whole grace time

  const { events } = await handle.fetchHistory();
  const { EventType } = temporal.api.enums.v1;
  const started = events!.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
  const completed = events!.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
  const scheduled = events!.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'createClient',
  );
  expect(scheduled).toBeDefined();
  const createClientDone = completed.find(
    (e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled!.eventId),
  );
  expect(createClientDone).toBeDefined(); // completed, not cancelled by the shutdown
  const attempt = started.find(
    (e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled!.eventId),
  )?.activityTaskStartedEventAttributes?.attempt;
  expect(attempt).toBe(1);
  expect(sim.control.state().clients).toBe(1);
  await handle.terminate('test over: no worker left');
}, 60_000);

test('the worker logged JSON lines only, and no input', () => {
  const lines = [...stdout, ...stderr].join('').split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(3);
  const entries = lines.map((line) => {
    try {
      return JSON.parse(line) as { level: string; message: string };
    } catch {
      throw new Error(`not a JSON line: ${line}`);
    }
  });
  expect(entries.every((e) => typeof e.message === 'string' && typeof e.level === 'string')).toBe(true);
  expect(entries.some((e) => e.message.startsWith('SIGTERM'))).toBe(true);
  const text = lines.join('\n');
  for (const input of inputs) {
    expect(text).not.toContain(input.client.clientName);
    expect(text).not.toContain(input.account.description);
  }
  expect(text).not.toContain('203.0.113.7'); // the end user's IP address in the submission
});
