// The cost of waiting: while Circle's notifications reach an onboarding, its review wait polls only as
// a backstop, and a notification moves it on at once.
import { applicationStatusChangedSignal } from '../../src/contract';
import { BACKSTOP_POLL_MS } from '../../src/contract/limits';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForProgress, type OnboardingHandle } from '../helpers/workflow';

const t = useOnboardingEnv();

/** The durations (ms) of the timers the run started, in order. */
async function timers(handle: OnboardingHandle): Promise<number[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? [])
    .filter((e) => e.timerStartedEventAttributes)
    .map((e) => {
      const d = e.timerStartedEventAttributes!.startToFireTimeout!;
      return Number(d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
    });
}

test('once a notification arrived, the review polls only at the backstop, and the next notification moves it on', async () => {
  const input = onboardingInput({ tag: '[manual]' });
  const handle = await start(t, { ...input, options: { ...input.options, reviewDeadline: '30 days' } });
  const review = await waitForProgress(handle, (p) => p.step === 'in-review' && p.polls >= 2);
  expect(Math.max(...(await timers(handle)))).toBeLessThanOrEqual(200); // no notification yet: fast polls

  await handle.signal(applicationStatusChangedSignal);
  await waitForProgress(handle, (p) => p.polls >= review.polls + 1);
  await new Promise((r) => setTimeout(r, 500)); // the next nap starts after that read
  const after = await timers(handle);
  expect(after.at(-1)).toBe(BACKSTOP_POLL_MS);
  const laps = after.length;

  t.sim.control.review(review.applicationId!, { outcome: 'approve' });
  await handle.signal(applicationStatusChangedSignal); // as the service relays Circle's notification
  const result = await handle.result();
  expect(result.accountId).toEqual(expect.any(String));
  expect((await timers(handle)).length - laps).toBeLessThanOrEqual(3); // activation: a few fast polls
});

test('a notification that comes while the review reads Circle is not lost to the backstop', async () => {
  const input = onboardingInput({ tag: '[manual]' });
  const handle = await start(t, { ...input, options: { ...input.options, reviewDeadline: '30 days' } });
  const review = await waitForProgress(handle, (p) => p.step === 'in-review' && p.polls >= 1);
  await handle.signal(applicationStatusChangedSignal); // notifications flow: the review is on its backstop
  await waitForProgress(handle, (p) => p.polls >= review.polls + 1);
  await new Promise((r) => setTimeout(r, 500));
  expect((await timers(handle)).at(-1)).toBe(BACKSTOP_POLL_MS);

  // A wake starts a read that Circle answers slowly; Circle decides, and says so, while it is under way:
  // the read then brings back the status from before the decision.
  const appId = review.applicationId!;
  t.sim.control.setApplicationRealism(appId, { latencyMs: 3000 });
  await handle.signal(applicationStatusChangedSignal);
  await new Promise((r) => setTimeout(r, 1000));
  t.sim.control.review(appId, { outcome: 'approve' });
  await handle.signal(applicationStatusChangedSignal);
  t.sim.control.setApplicationRealism(appId, { latencyMs: 0 });

  const done = await waitForProgress(handle, (p) => p.step !== 'in-review', 15_000);
  expect(done.applicationStatus).toBe('APPROVED');
  expect((await handle.result()).accountId).toEqual(expect.any(String));
});

test('a read that lags behind the notification of a decision is read again soon, not believed until the backstop', async () => {
  const input = onboardingInput({ tag: '[manual]' });
  const handle = await start(t, { ...input, options: { ...input.options, reviewDeadline: '30 days' } });
  const review = await waitForProgress(handle, (p) => p.step === 'in-review' && p.polls >= 1);
  const appId = review.applicationId!;
  // Circle's reads show the application as it was 2 s before.
  t.sim.control.setApplicationRealism(appId, { readLagMs: 2000 });
  await handle.signal(applicationStatusChangedSignal, { applicationId: appId, status: 'IN_REVIEW' });
  const backstop = await waitForProgress(handle, (p) => p.polls >= review.polls + 1);
  await new Promise((r) => setTimeout(r, 2500));
  expect((await timers(handle)).at(-1)).toBe(BACKSTOP_POLL_MS);

  // The notification of the approval comes at once; a read shows it only 2 s later.
  t.sim.control.review(appId, { outcome: 'approve' });
  await handle.signal(applicationStatusChangedSignal, { applicationId: appId, status: 'APPROVED' });

  const done = await waitForProgress(handle, (p) => p.step !== 'in-review', 15_000);
  expect(done.applicationStatus).toBe('APPROVED');
  expect(done.polls).toBeGreaterThanOrEqual(backstop.polls + 2); // the first read after it lagged
  expect((await handle.result()).accountId).toEqual(expect.any(String));
});
