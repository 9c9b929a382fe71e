// The relay against a real Temporal dev server and worker: a notification finds its onboarding by
// CircleApplicationId and signals it; a redelivered MessageId leaves the history unchanged (Temporal
// drops a signal whose request id it has seen); an application nobody onboards is unroutable.
// Runs in the `temporal` Jest project (it needs the shared dev server).
import { randomUUID } from 'node:crypto';
import { createRelay, type VerifiedSnsMessage } from '../../src/notifications';
import { SANDBOX_TOPIC_ARN, type SnsMessage } from '../../src/notifications/sns';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForProgress, type OnboardingHandle } from '../helpers/workflow';
import { onboardingPayload } from './sns-fixture';

const t = useOnboardingEnv();

/** What the verifier hands over (the relay does not look at the signature). */
const verified = (payload: object, messageId = randomUUID()): VerifiedSnsMessage =>
  ({
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: SANDBOX_TOPIC_ARN,
    Message: JSON.stringify(payload),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '2',
    Signature: 'c2ln',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem',
  }) satisfies SnsMessage as VerifiedSnsMessage;

/** The statuses carried by the onboarding's applicationStatusChanged signals, in history order. */
async function signalledStatuses(handle: OnboardingHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a) => a?.signalName === 'applicationStatusChanged')
    .map((a) => {
      // The test client has Temporal's default converter: JSON payloads.
      const data = a?.input?.payloads?.[0]?.data;
      return (JSON.parse(Buffer.from(data ?? []).toString()) as { status: string }).status;
    });
}

/**
 * Signals that arrive while a workflow task is running are buffered, and written to the history when
 * it completes: wait until `count` are there.
 */
async function waitForSignals(handle: OnboardingHandle, count: number): Promise<string[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const statuses = await signalledStatuses(handle);
    if (statuses.length >= count || Date.now() > until) return statuses;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a notification signals its onboarding once per MessageId, however often it is delivered', async () => {
  // [manual]: the review waits for a decision, so the onboarding stays in review while we signal it.
  const handle = await start(t, onboardingInput({ tag: '[manual]' }));
  const progress = await waitForProgress(
    handle,
    (p) => p.step === 'in-review' && p.applicationId !== undefined,
  );
  const applicationId = progress.applicationId!;
  try {
    const relay = createRelay({ client: t.client, lookupDelaysMs: [200, 400, 800, 1600] });
    const approved = verified(onboardingPayload({ applicationId, status: 'APPROVED' }));

    await expect(relay(approved)).resolves.toEqual({ kind: 'signalled', workflowId: handle.workflowId });
    expect(await waitForSignals(handle, 1)).toEqual(['APPROVED']);
    // The same SNS message again, from a relay with an empty cache (as after a restart): Temporal
    // accepts the call and records nothing.
    const restarted = createRelay({ client: t.client });
    await expect(restarted(approved)).resolves.toEqual({ kind: 'signalled', workflowId: handle.workflowId });

    // Another message is another signal: the dedupe is by MessageId. Buffered signals are written in
    // the order they came, so once this one is in the history, a repeated one would be too.
    const denied = verified(
      onboardingPayload({
        applicationId,
        notificationType: 'onboarding_application_denied',
        status: 'DENIED',
      }),
    );
    await expect(relay(denied)).resolves.toMatchObject({ kind: 'signalled' });
    expect(await waitForSignals(handle, 2)).toEqual(['APPROVED', 'DENIED']);
  } finally {
    await handle.terminate('test finished');
  }
});

test('an application no onboarding has is unroutable after the lookups, and a foreign payload is ignored', async () => {
  const delays = [100, 200, 300];
  const relay = createRelay({ client: t.client, lookupDelaysMs: delays });
  const started = Date.now();
  await expect(relay(verified(onboardingPayload()))).resolves.toEqual({
    kind: 'unroutable',
    applicationId: expect.any(String),
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(600);

  await expect(relay(verified({ notificationType: 'payments', version: 1 }))).resolves.toEqual({
    kind: 'ignored',
    why: expect.stringMatching(/not an onboarding notification/),
  });
  await expect(relay(verified(onboardingPayload({ applicationId: "x' OR 'a' = 'a" })))).resolves.toEqual({
    kind: 'ignored',
    why: expect.stringMatching(/applicationId is missing or not an id/),
  });
});
