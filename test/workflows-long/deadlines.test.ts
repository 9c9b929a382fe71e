// The real deadlines (the defaults: 30 days for a review, 14 days for an RFI round) on Temporal's
// time-skipping test server: its clock jumps over the workflow's timers while the client awaits the
// result, so a month of polling takes a minute or two. Activities still make real calls to the simulator.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment, workflowInterceptorModules } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { resolveTimeSkippingServer } from '../../dev/temporal-test-server';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { CircleClient } from '../../src/circle/client';
import { CliveClient } from '../../src/clive/client';
import { createDocumentStore } from '../../src/documents/store';
import {
  ONBOARDING_SEARCH_ATTRIBUTES,
  progressQuery,
  startOnboarding,
  type OnboardingInput,
  type OnboardingProgress,
} from '../../src/contract';
import { createOnboardingWorker } from '../../src/worker';
import { onboardingInput } from '../helpers/inputs';

const DAY = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let sim: RunningSimulator;
let bundle: { code: string };

beforeAll(async () => {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  const { path } = await resolveTimeSkippingServer();
  // No extraArgs: the Java server takes only `<port>` and exits on any other argument.
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  // The test server knows only Temporal's predefined search attributes, and it does not implement
  // listSearchAttributes (which ensureSearchAttributes calls first): register ours directly.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      ONBOARDING_SEARCH_ATTRIBUTES.map((k) => [
        k.name,
        temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${k.type}`],
      ]),
    ),
  });
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    workflowInterceptorModules,
    logger: new DefaultLogger('WARN'),
  });
  // Real wall-clock delays, which the test server cannot skip: keep them short.
  sim = await startSimulator({ port: 0, reviewDelayMs: 20, accountActivationDelayMs: 20 });
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await env?.teardown();
});

beforeEach(() => sim.control.reset());

interface Ended {
  /** The failure, or undefined when the onboarding completed. */
  failure?: ApplicationFailure;
  progress: OnboardingProgress;
  /**
   * The workflow's own clock (skipped time): when its first run started and its last run closed. Not
   * `env.currentTimeMs()`: once a workflow has failed, the Java test server moves its clock to the
   * failed run's leftover run-timeout timer, 10 years ahead, before the client locks time again.
   */
  startedAt: number;
  endedAt: number;
}

/** Runs one onboarding to its end on a worker of its own. */
async function runToEnd(input: OnboardingInput): Promise<Ended> {
  const taskQueue = `deadlines-${randomUUID()}`;
  const worker = await createOnboardingWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: bundle,
    deps: {
      circle: new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:local:simulator', timeoutMs: 5000 }),
      clive: new CliveClient({
        baseUrl: `${sim.url}/api/v1`,
        apiKey: 'cp_test_partner_local',
        hmacSecret: 'local-hmac-secret',
      }),
      documents: createDocumentStore({}), // these inputs give no documents
    },
  });
  return worker.runUntil(async () => {
    const handle = await startOnboarding(env.client, input, {
      taskQueue,
      workflowId: `deadline-${randomUUID()}`,
    });
    // env.client skips time only while a result is awaited through it.
    const outcome = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    if (outcome !== undefined && !(outcome instanceof WorkflowFailedError)) throw outcome;
    if (outcome && !(outcome.cause instanceof ApplicationFailure)) throw outcome;
    const first = await env.client.workflow
      .getHandle(handle.workflowId, handle.firstExecutionRunId)
      .describe();
    const last = await handle.describe(); // the run that failed, after any continue-as-new
    return {
      failure: outcome?.cause as ApplicationFailure | undefined,
      progress: await handle.query(progressQuery),
      startedAt: first.startTime.getTime(),
      endedAt: last.closeTime!.getTime(),
    };
  });
}

/** No `options`: every poll interval and deadline is the default. */
const withDefaults = (tag: string): OnboardingInput => ({ ...onboardingInput({ tag }), options: {} });

test('a review that never gets a decision fails with ReviewDeadlineExceeded after 30 days', async () => {
  const { failure, startedAt, endedAt } = await runToEnd(withDefaults('[manual]'));

  expect(failure?.type).toBe('ReviewDeadlineExceeded');
  expect(endedAt - startedAt).toBeGreaterThanOrEqual(30 * DAY);
  expect(endedAt - startedAt).toBeLessThan(31 * DAY);
  const deadline = Date.parse((failure!.details as [{ deadline: string }])[0].deadline);
  expect(deadline).toBeGreaterThanOrEqual(startedAt + 30 * DAY);
  expect(deadline).toBeLessThanOrEqual(endedAt);
  expect(sim.control.state()).toMatchObject({ submissions: 1, applications: { byStatus: { IN_REVIEW: 1 } } });
}, 600_000);

test('RFIs never answered fail with RfiDeadlineExceeded after 14 days', async () => {
  const { failure, startedAt, endedAt } = await runToEnd(withDefaults('[rfi]'));

  expect(failure?.type).toBe('RfiDeadlineExceeded');
  expect(endedAt - startedAt).toBeGreaterThanOrEqual(14 * DAY);
  expect(endedAt - startedAt).toBeLessThan(15 * DAY);
  expect(sim.control.state()).toMatchObject({
    submissions: 1,
    applications: { byStatus: { PENDING_CUSTOMER_INFORMATION: 1 } },
  });
}, 600_000);

test("an outage longer than a read activity's budget is waited out, and the onboarding completes", async () => {
  // Every read of the application fails for 40 attempts: with the activity's backoff (up to a minute)
  // that outlasts its 10-minute budget more than once; the workflow waits it out and goes on.
  sim.control.setFaults([
    { method: 'GET', path: '/v1/onboarding/partner/applications/*', mode: 'error', status: 500, times: 40 },
  ]);
  const { failure, progress, startedAt, endedAt } = await runToEnd(withDefaults(''));

  expect(failure).toBeUndefined();
  expect(progress.step).toBe('completed');
  expect(progress.errors.filter((e) => e.type === 'ReadUnavailable').length).toBeGreaterThanOrEqual(2);
  expect(endedAt - startedAt).toBeGreaterThan(10 * 60 * 1000);
  expect(sim.control.state()).toMatchObject({ clients: 1, submissions: 1, accounts: { total: 1 } });
}, 600_000);
