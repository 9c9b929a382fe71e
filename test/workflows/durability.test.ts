// Durability: a worker stopped mid-onboarding is replaced by another that finishes the job without
// repeating side effects; long waits continue as new and keep their keys and deadlines; a carried
// state of a version this code does not read fails the workflow task, never the onboarding.
import { temporal } from '@temporalio/proto';
import { answerRfiUpdate, progressQuery } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep } from '../helpers/workflow';

const t = useOnboardingEnv();

test('a worker stopped mid-onboarding is replaced, and the new one finishes without duplicates', async () => {
  // A second worker on the same task queue takes over once the file's own worker is gone.
  const first = await t.startWorker();
  const handle = await start(t, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers');

  await t.stopMainWorker();
  await first.stop();
  const second = await t.startWorker();
  try {
    await handle.executeUpdate(answerRfiUpdate, {
      args: [{ rfiId: rfis[0]!.rfiId, answer: { website: 'https://acme.example.com/new' } }],
    });
    const result = await handle.result();
    expect(result.submissionRounds).toBe(2);
    expect(t.sim.control.state()).toMatchObject({
      clients: 1,
      submissions: 2,
      accounts: { total: 1 },
      applications: { total: 1 },
    });
  } finally {
    await second.stop();
    await t.restartMainWorker();
  }
});

test('a long review continues as new, keeping its keys, and still completes', async () => {
  const input = onboardingInput({
    tag: '[manual]',
    options: { pollInterval: 20, maxPollInterval: 20, maxHistoryEvents: 100 },
  });
  const handle = await start(t, input);
  const before = await waitForStep(handle, 'in-review');

  // Wait until at least one continue-as-new happened while polling.
  const deadline = Date.now() + 20_000;
  while ((await handle.describe()).runId === handle.firstExecutionRunId && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const latest = t.client.workflow.getHandle(handle.workflowId);
  expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId);
  const carried = await latest.query(progressQuery);
  expect(carried.idempotencyKeys).toEqual(before.idempotencyKeys);
  expect(carried.deadlines.review).toBe(before.deadlines.review);

  t.sim.control.review(before.applicationId!, { outcome: 'approve' });
  const result = await latest.result();
  expect(result.idempotencyKeys.createClient).toBe(before.idempotencyKeys.createClient);
  expect(t.sim.control.state()).toMatchObject({ clients: 1, submissions: 1, accounts: { total: 1 } });
});

test('a carried state of an unknown version fails the workflow task, not the onboarding', async () => {
  // A build that writes carried version 99 (a newer worker, say) continues the run as new; this code
  // reads only [1, 2], so it must leave the run RUNNING for a worker that reads 99 to take it on.
  const code = t.bundle.code.replace('CARRIED_VERSION = 2', 'CARRIED_VERSION = 99');
  expect(code).not.toBe(t.bundle.code);
  await t.stopMainWorker();
  const newer = await t.startWorker({ workflowBundle: { code } });
  let restarted = false;
  try {
    const input = onboardingInput({
      tag: '[manual]',
      options: { pollInterval: 20, maxPollInterval: 20, maxHistoryEvents: 100 },
    });
    const handle = await start(t, input);
    let deadline = Date.now() + 40_000; // each wait below has its own, generous on a loaded machine
    while ((await handle.describe()).runId === handle.firstExecutionRunId && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await newer.stop();
    await t.restartMainWorker(); // today's code meets version 99
    restarted = true;

    const latest = t.client.workflow.getHandle(handle.workflowId);
    const { EventType } = temporal.api.enums.v1;
    const failedTask = async () =>
      ((await latest.fetchHistory()).events ?? []).find(
        (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
      );
    let failed: Awaited<ReturnType<typeof failedTask>>;
    deadline = Date.now() + 40_000;
    while (!(failed = await failedTask()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed?.workflowTaskFailedEventAttributes?.failure?.message).toMatch(
      /carried state version 99 is not one this worker reads \(1, 2\)/,
    );
    // The main worker keeps trying the task (its attempts count up) and the onboarding stays open.
    const attempt = async () => (await latest.describe()).raw.pendingWorkflowTask?.attempt ?? 0;
    const seen = await attempt();
    deadline = Date.now() + 30_000;
    while ((await attempt()) <= seen && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await attempt()).toBeGreaterThan(seen);
    const description = await latest.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    await latest.terminate('test done');
  } finally {
    if (!restarted) {
      await newer.stop();
      await t.restartMainWorker();
    }
  }
}, 150_000);
