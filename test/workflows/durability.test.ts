// Durability: a worker stopped mid-onboarding is replaced by another that finishes the job without
// repeating side effects; long waits continue as new and keep their keys and deadlines.
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
