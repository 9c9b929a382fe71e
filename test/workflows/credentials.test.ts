// Refused credentials (401/403) block an onboarding visibly and are retried with backoff until the
// credentials deadline, instead of failing it at once: a key rotation must not kill a 30-day review.
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { failureOf, start, waitForProgress } from '../helpers/workflow';

const t = useOnboardingEnv();

test('a 401 shows the onboarding blocked on credentials, and it goes on once they work again', async () => {
  t.sim.control.setFaults([
    { method: 'POST', path: '/v1/partner/clients', mode: 'error', status: 401, times: 3 },
  ]);
  const handle = await start(t, onboardingInput());

  const blocked = await waitForProgress(handle, (p) => p.step === 'blocked-on-credentials');
  expect(blocked.deadlines.credentials).toBeDefined();
  expect(blocked.errors.map((e) => e.type)).toContain('CircleUnauthorized');

  const result = await handle.result();
  expect(result.timeline.map((s) => s.step)).toContain('blocked-on-credentials');
  expect(t.sim.control.state()).toMatchObject({ clients: 1, accounts: { total: 1 } });
});

test('credentials still refused at the credentials deadline fail the onboarding with the provider type', async () => {
  t.sim.control.setFaults([{ method: 'GET', path: '/v1/accounts/*', mode: 'error', status: 403 }]);
  const input = onboardingInput();
  const handle = await start(t, {
    ...input,
    options: { ...input.options, credentialsDeadline: '2 seconds' },
  });

  const failure = await failureOf(handle);
  expect(failure.type).toBe('CircleForbidden');
  const progress = await handle.query('progress');
  expect(progress).toMatchObject({ step: 'failed' });
});

test('a credentials outage that ends with another error is over: a later 401 starts a deadline of its own', async () => {
  const submit = '/v1/onboarding/partner/applications/*/submit';
  t.sim.control.setFaults([
    // The submit meets a 401, then a 409: not a credentials error, so the outage is over.
    { method: 'POST', path: submit, mode: 'error', status: 401, times: 1 },
    { method: 'POST', path: submit, mode: 'error', status: 409, times: 1 },
  ]);
  const input = onboardingInput({ tag: '[manual]' });
  const handle = await start(t, {
    ...input,
    options: { ...input.options, credentialsDeadline: '2 seconds' },
  });

  const inReview = await waitForProgress(handle, (p) => p.step === 'in-review');
  expect(inReview.deadlines.credentials).toBeUndefined();
  expect(t.sim.control.faults().map((f) => f.remaining)).toEqual([0, 0]);

  // Long past the first outage's deadline, one 401 on a status read of the review.
  await new Promise((r) => setTimeout(r, 2500));
  t.sim.control.setFaults([
    { method: 'GET', path: '/v1/onboarding/partner/applications/*', mode: 'error', status: 401, times: 1 },
  ]);
  await waitForProgress(handle, () => t.sim.control.faults()[0]!.remaining === 0);
  t.sim.control.review(inReview.applicationId!, { outcome: 'approve' });

  const result = await handle.result();
  expect(result.timeline.filter((s) => s.step === 'blocked-on-credentials')).toHaveLength(2);
  expect(t.sim.control.state()).toMatchObject({ clients: 1, submissions: 1, accounts: { total: 1 } });
});
