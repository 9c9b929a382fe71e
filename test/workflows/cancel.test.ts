// Cancelling an onboarding: a DRAFT application is cancelled at Circle (compensation); once submitted,
// the application is left alone.
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import axios from 'axios';
import { progressQuery } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep, type OnboardingHandle } from '../helpers/workflow';

const t = useOnboardingEnv();

async function applicationStatus(applicationId: string): Promise<string> {
  const res = await axios.get(`${t.sim.url}/v1/onboarding/partner/applications/${applicationId}`, {
    headers: { Authorization: 'Bearer TEST_API_KEY:local:simulator' },
  });
  return (res.data.data ?? res.data).status;
}

async function cancelled(handle: OnboardingHandle): Promise<boolean> {
  const err = await handle.result().catch((e: unknown) => e);
  return err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure;
}

test('cancel while the application is DRAFT cancels it at Circle', async () => {
  const input = onboardingInput();
  delete input.sections!.businessAddress; // parks the onboarding before submission
  const handle = await start(t, input);
  const { applicationId } = await waitForStep(handle, 'awaiting-section-data');

  await handle.cancel();
  expect(await cancelled(handle)).toBe(true);
  expect(await applicationStatus(applicationId!)).toBe('CANCELLED');
  expect((await handle.describe()).status.name).toBe('CANCELLED');
});

test('cancel after submission leaves the application alone', async () => {
  const handle = await start(t, onboardingInput({ tag: '[manual]' }));
  const { applicationId } = await waitForStep(handle, 'in-review');

  await handle.cancel();
  expect(await cancelled(handle)).toBe(true);
  expect(['SUBMITTED', 'IN_REVIEW']).toContain(await applicationStatus(applicationId!));
  const deletes = t.sim.control.state().requests.filter((r) => r.method === 'DELETE');
  expect(deletes).toHaveLength(0);
});

test('cancellation reaches an HTTP call in flight: the run ends long before the call would have', async () => {
  // Every save hangs for 30 s at Circle; the onboarding is cancelled while one is in flight.
  t.sim.control.setFaults([
    { method: 'PATCH', path: '/v1/onboarding/partner/applications/*/data', mode: 'delay', delayMs: 30_000 },
  ]);
  const handle = await start(t, onboardingInput());
  const { applicationId } = await waitForStep(handle, 'saving-sections');
  const began = Date.now();
  await handle.cancel();

  expect(await cancelled(handle)).toBe(true);
  expect(Date.now() - began).toBeLessThan(15_000);
  expect(await applicationStatus(applicationId!)).toBe('CANCELLED');
});

test('a compensation that fails still ends the run as cancelled, with the reason in its details', async () => {
  const input = onboardingInput();
  delete input.sections!.businessAddress;
  const handle = await start(t, input);
  const { applicationId } = await waitForStep(handle, 'awaiting-section-data');
  t.sim.control.setFaults([
    {
      method: 'DELETE',
      path: `/v1/onboarding/partner/applications/${applicationId}`,
      mode: 'error',
      status: 400,
    },
  ]);

  await handle.cancel();
  const err = await handle.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(CancelledFailure);
  const description = await handle.describe();
  expect(description.status.name).toBe('CANCELLED');
  // A cancelled run records no details of its own: the reason is in its memo and its progress.
  expect(description.memo).toMatchObject({
    compensationProblem: expect.stringMatching(/could not be cancelled at Circle/),
  });
  const { errors } = await handle.query(progressQuery);
  expect(errors).toContainEqual(expect.objectContaining({ type: 'CompensationFailed' }));
  expect(await applicationStatus(applicationId!)).toBe('DRAFT');
});
