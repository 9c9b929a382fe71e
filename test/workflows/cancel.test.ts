// Cancelling an onboarding: a DRAFT application is cancelled at Circle (compensation); once submitted,
// the application is left alone.
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import axios from 'axios';
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
