// Every way an onboarding ends badly ends with its own typed, non-retryable failure.
import { randomUUID } from 'node:crypto';
import { startOnboarding } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { failureOf, start, waitForStep } from '../helpers/workflow';

const t = useOnboardingEnv();

const short = (extra: Record<string, string | number>) => ({
  pollInterval: 50,
  maxPollInterval: 200,
  ...extra,
});

test('a denial fails with ApplicationDenied and opens no account', async () => {
  const failure = await failureOf(await start(t, onboardingInput({ tag: '[deny]' })));
  expect(failure).toMatchObject({ type: 'ApplicationDenied', nonRetryable: true });
  expect(t.sim.control.state()).toMatchObject({ submissions: 1, accounts: { total: 0 } });
});

test('a review that outlasts its deadline fails with ReviewDeadlineExceeded', async () => {
  const handle = await start(
    t,
    onboardingInput({ tag: '[manual]', options: short({ reviewDeadline: '1.5 seconds' }) }),
  );
  const failure = await failureOf(handle);
  expect(failure.type).toBe('ReviewDeadlineExceeded');
  expect(failure.message).toMatch(/review decision/);
});

test('unanswered RFIs fail with RfiDeadlineExceeded naming them', async () => {
  const handle = await start(
    t,
    onboardingInput({ tag: '[rfi]', options: short({ rfiDeadline: '1.5 seconds' }) }),
  );
  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers');
  const failure = await failureOf(handle);
  expect(failure.type).toBe('RfiDeadlineExceeded');
  expect(failure.message).toContain(rfis[0]!.rfiId);
});

test('section data never completed fails with SectionDataDeadlineExceeded and the problems', async () => {
  const input = onboardingInput({ options: short({ sectionDataDeadline: '1 second' }) });
  delete input.sections!.businessAddress;
  const failure = await failureOf(await start(t, input));
  expect(failure.type).toBe('SectionDataDeadlineExceeded');
  expect(failure.message).toContain('businessAddress');
  expect(t.sim.control.state().submissions).toBe(0);
});

test('an account description used by another client fails with AccountDescriptionTaken', async () => {
  const description = `Shared ${Date.now()}`;
  await start(t, onboardingInput({ account: { description } })).then((h) => h.result());
  const failure = await failureOf(await start(t, onboardingInput({ account: { description } })));
  expect(failure.type).toBe('AccountDescriptionTaken');
  expect(t.sim.control.state().accounts.total).toBe(1);
});

test('after AccountDescriptionTaken, a re-run with another description is a new request, also where Circle replays refusals', async () => {
  t.sim.control.setIdempotency({ replayErrors: true }); // a key that met a 409 answers 409 again
  const description = `Shared ${Date.now()}`;
  await start(t, onboardingInput({ account: { description } })).then((h) => h.result());
  const input = onboardingInput({ account: { description } });
  const workflowId = `test-${randomUUID()}`;
  const taken = await startOnboarding(t.client, input, { taskQueue: t.taskQueue, workflowId });
  expect((await failureOf(taken)).type).toBe('AccountDescriptionTaken');

  // As the failure says: start again with a different account.description.
  const corrected = { ...input, account: { description: `${description} (2)` } };
  const rerun = await startOnboarding(t.client, corrected, { taskQueue: t.taskQueue, workflowId });
  const result = await rerun.result();
  expect(result.accountId).toEqual(expect.any(String));
  expect(t.sim.control.state()).toMatchObject({ clients: 2, accounts: { total: 2 } });
});

test('input errors are rejected before any side effect, naming the field', async () => {
  const input = onboardingInput();
  (input.submission as { endUserAgreesToTermsOfService: boolean }).endUserAgreesToTermsOfService = false;
  const failure = await failureOf(await start(t, input));
  expect(failure.type).toBe('InvalidOnboardingInput');
  expect(failure.message).toContain('submission.endUserAgreesToTermsOfService');
  expect(t.sim.control.state().requests).toHaveLength(0);
});

describe('with a slow account activation', () => {
  const slow = useOnboardingEnv({ accountActivationDelayMs: 120_000 });

  test('an account still pending at the deadline fails with AccountActivationDeadlineExceeded', async () => {
    const handle = await start(
      slow,
      onboardingInput({ options: short({ accountActivationDeadline: '1 second' }) }),
    );
    const failure = await failureOf(handle);
    expect(failure.type).toBe('AccountActivationDeadlineExceeded');
    expect(slow.sim.control.state().accounts).toMatchObject({ total: 1, byStatus: { pending: 1 } });
  });
});
