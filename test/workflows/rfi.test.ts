// Compliance RFIs: published in progress, answered by another service (Update or Signal), applied at
// Circle, then a resubmission with a new key, until approval.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { answerRfiUpdate, rfiAnsweredSignal } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForProgress, waitForStep } from '../helpers/workflow';

const t = useOnboardingEnv();

const website = { website: 'https://acme-payments.example.com' };

test('an RFI answered by Update is applied, the application resubmitted and approved', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi]' }));
  const progress = await waitForStep(handle, 'awaiting-rfi-answers');

  expect(progress.applicationStatus).toBe('PENDING_CUSTOMER_INFORMATION');
  expect(progress.rfis).toEqual([
    expect.objectContaining({
      section: 'basicBusinessInfo',
      field: 'website',
      type: 'UPDATE_FIELD',
      state: 'open',
    }),
  ]);
  expect(progress.rfis[0]!.systemComment).toMatch(/website/);

  const rfiId = progress.rfis[0]!.rfiId;
  await expect(
    handle.executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: website }] }),
  ).resolves.toEqual({
    rfiId,
    status: 'answered',
  });
  const result = await handle.result();

  expect(result.submissionRounds).toBe(2);
  const [first, second] = result.idempotencyKeys.submissions;
  expect(first).not.toBe(second);
  const state = t.sim.control.state();
  expect(state.submissions).toBe(2);
  expect(state.applications.byStatus.APPROVED).toBe(1);
  const patched = state.requests.filter((r) => r.method === 'PATCH' && r.path.includes(`/rfis/${rfiId}`));
  expect(patched.map((r) => r.status)).toEqual([200]);
});

test('an RFI answered by Signal is applied the same way, across two rounds', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi2]' }));
  for (const round of [1, 2]) {
    const progress = await waitForProgress(
      handle,
      (p) =>
        p.step === 'awaiting-rfi-answers' &&
        p.submissionRound === round &&
        p.rfis.some((r) => r.state === 'open'),
    );
    await handle.signal(rfiAnsweredSignal, { rfiId: progress.rfis[0]!.rfiId, answer: website });
  }
  const result = await handle.result();

  expect(result.submissionRounds).toBe(3);
  expect(new Set(result.idempotencyKeys.submissions).size).toBe(3);
  expect(t.sim.control.state()).toMatchObject({ submissions: 3, accounts: { total: 1 } });
});

test('an answer Circle refuses fails the update, not the onboarding, and can be corrected', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers');
  const rfiId = rfis[0]!.rfiId;

  const refused = await handle
    .executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: { website: 'not a url' } }] })
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause.type).toBe('RfiAnswerRejected');
  expect(cause.message).toMatch(/website/);

  const after = await waitForStep(handle, 'awaiting-rfi-answers');
  expect(after.rfis[0]).toMatchObject({
    state: 'open',
    lastErrors: expect.arrayContaining([expect.objectContaining({ path: 'basicBusinessInfo.website' })]),
  });

  await handle.executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: website }] });
  await expect(handle.result()).resolves.toMatchObject({ submissionRounds: 2 });
});

test('the update validator rejects an unknown RFI and a non-object answer before anything is recorded', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers');

  const rejection = (answer: { rfiId: string; answer: Record<string, unknown> }) =>
    handle.executeUpdate(answerRfiUpdate, { args: [answer] }).then(
      () => 'accepted',
      (e: WorkflowUpdateFailedError) => (e.cause as Error).message,
    );
  expect(await rejection({ rfiId: 'no-such-rfi', answer: website })).toMatch(/not waiting for an answer/);
  expect(
    await rejection({ rfiId: rfis[0]!.rfiId, answer: [] as unknown as Record<string, unknown> }),
  ).toMatch(/non-empty JSON object/);

  const history = await handle.fetchHistory();
  const updateEvents = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
  expect(updateEvents).toHaveLength(0);
  await handle.terminate('test done');
});
