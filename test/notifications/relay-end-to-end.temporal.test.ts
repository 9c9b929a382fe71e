// Circle's notifications end to end: the simulator publishes signed SNS messages to the service, which
// verifies them and signals the onboarding. With polls ten minutes apart, only a notification can move
// an onboarding out of review in seconds; forged, other-topic, duplicated and replayed messages must
// leave its history as it was.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config';
import { type OnboardingInput } from '../../src/contract';
import { CIRCLE_NOTIFICATIONS_PATH } from '../../src/notifications';
import { hashApiKey } from '../../src/service/auth';
import { serviceFromConfig } from '../../src/service/from-config';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForProgress, waitForStep, type OnboardingHandle } from '../helpers/workflow';

const t = useOnboardingEnv({ notificationRetryDelaysMs: [50, 50] });

/** Polls far apart: progress within seconds can only come from a notification. */
const SLOW_POLLS = { pollInterval: '10 minutes', maxPollInterval: '10 minutes' } as const;

let service: FastifyInstance;
let serviceUrl: string;

async function startService(port = 0): Promise<void> {
  const config = loadConfig({
    ...process.env,
    ONBOARDING_ENV: 'local',
    CIRCLE_API_BASE_URL: t.sim.url,
    SERVICE_API_KEYS: `test:${hashApiKey(randomBytes(16).toString('hex'))}:write`,
    CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: t.sim.url,
  });
  service = serviceFromConfig(config, t.client);
  serviceUrl = await service.listen({ host: '127.0.0.1', port });
}

beforeEach(async () => {
  await startService();
  const res = await fetch(`${t.sim.url}/v1/notifications/subscriptions`, {
    method: 'POST',
    headers: { Authorization: 'Bearer TEST_API_KEY:local:simulator', 'Content-Type': 'application/json' },
    body: JSON.stringify({ endpoint: `${serviceUrl}${CIRCLE_NOTIFICATIONS_PATH}` }),
  });
  expect(res.status).toBe(200);
  await until(() =>
    t.sim.control.notifications().some((d) => d.type === 'SubscriptionConfirmation' && d.lastStatus === 200),
  );
});

afterEach(async () => {
  await service.close();
});

/** An onboarding parked in review (the simulator decides only when told), polling every ten minutes. */
async function parkedInReview(): Promise<{ handle: OnboardingHandle; applicationId: string }> {
  const input = onboardingInput({ tag: '[manual]' });
  const handle = await start(t, {
    ...input,
    options: { ...input.options, ...SLOW_POLLS },
  } as OnboardingInput);
  const progress = await waitForStep(handle, 'in-review');
  // Visibility must know the application id before a notification can be routed to it.
  await until(async () => (await handle.describe()).searchAttributes.CircleApplicationId !== undefined);
  // Idle: its first status read done, its ten-minute timer started (history then only grows by messages).
  await until(async () => (await handle.fetchHistory()).events?.at(-1)?.timerStartedEventAttributes != null);
  return { handle, applicationId: progress.applicationId! };
}

async function signals(handle: OnboardingHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deliveriesOf = (applicationId: string) =>
  t.sim.control.notifications().filter((d) => d.applicationId === applicationId);

const DONE = new Set(['delivered', 'failed', 'cancelled']);
/** Waits until every delivery for the application has settled (answered for good, or given up). */
const settled = (applicationId: string) =>
  until(() => {
    const deliveries = deliveriesOf(applicationId);
    return deliveries.length > 0 && deliveries.every((d) => DONE.has(d.state));
  });

test('a review decision reaches the waiting onboarding through a notification, in seconds', async () => {
  const { handle, applicationId } = await parkedInReview();
  const decidedAt = Date.now();
  t.sim.control.review(applicationId, { outcome: 'approve' });

  const progress = await waitForProgress(handle, (p) => p.step !== 'in-review', 15_000);
  expect(Date.now() - decidedAt).toBeLessThan(15_000); // the next poll would have been 10 minutes away
  expect(progress.applicationStatus).toBe('APPROVED');
  expect(await signals(handle)).toBe(1);
  expect(deliveriesOf(applicationId)).toEqual([
    expect.objectContaining({ notificationType: 'onboarding_application_approved', lastStatus: 200 }),
  ]);
});

test.each(['forge', 'other-topic', 'stale'] as const)(
  'a %s message is refused and leaves the onboarding untouched',
  async (mode) => {
    const { handle, applicationId } = await parkedInReview();
    const before = (await handle.fetchHistory()).events?.length;
    t.sim.control.setNotificationFaults([{ mode, times: 10 }]);
    t.sim.control.review(applicationId, { outcome: 'approve' });
    await settled(applicationId);

    const [delivery] = deliveriesOf(applicationId);
    expect(delivery).toMatchObject({ fault: mode });
    expect(delivery!.lastStatus).toBeGreaterThanOrEqual(400);
    expect(await signals(handle)).toBe(0);
    expect((await handle.fetchHistory()).events?.length).toBe(before);
    expect((await waitForStep(handle, 'in-review')).applicationStatus).not.toBe('APPROVED');
    await handle.cancel();
  },
);

test('a duplicated and a replayed message signal once, also after the service restarts', async () => {
  const { handle, applicationId } = await parkedInReview();
  t.sim.control.setNotificationFaults([{ mode: 'duplicate' }]);
  t.sim.control.review(applicationId, { outcome: 'rfi' });
  await waitForStep(handle, 'awaiting-rfi-answers');
  await settled(applicationId);
  expect(deliveriesOf(applicationId).length).toBe(2); // both copies were delivered
  expect(await signals(handle)).toBe(1);

  // A replay of the same message: dropped from memory by the running service...
  const { messageId } = deliveriesOf(applicationId)[0]!;
  const historyLength = async () => (await handle.fetchHistory()).events?.length;
  const before = await historyLength();
  t.sim.control.redeliverNotification(messageId);
  await settled(applicationId);
  // ...and by Temporal (the signal's request id is derived from the MessageId) after a restart.
  await service.close();
  await startService(Number(new URL(serviceUrl).port)); // where the subscription points
  await fetch(`${t.sim.url}/_sim/notifications/${messageId}/redeliver`, { method: 'POST' });
  await settled(applicationId);
  expect(deliveriesOf(applicationId).map((d) => [d.lastStatus, d.replay])).toEqual([
    [200, false],
    [200, false],
    [200, true],
    [200, true],
  ]);
  await new Promise((r) => setTimeout(r, 500));
  expect(await signals(handle)).toBe(1);
  expect(await historyLength()).toBe(before);
  await handle.cancel();
});
