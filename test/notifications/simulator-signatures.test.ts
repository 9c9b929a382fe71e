// The product's SNS verifier against what the simulator really sends: confirmations and notifications,
// signed with either SignatureVersion, verify; a changed or forged message does not. Both sides build
// SNS's canonical string on their own (src/notifications/sns.ts, simulator/notifications/sns-canonical.ts),
// so these tests are where a disagreement between the two would show.
import {
  canonicalString,
  SIGNATURE_ALGORITHMS as SIM_ALGORITHMS,
} from '../../simulator/notifications/sns-canonical';
import {
  ONBOARDING_NOTIFICATION_TYPES as SIM_NOTIFICATION_TYPES,
  SANDBOX_TOPIC_ARN as SIM_TOPIC_ARN,
  type SnsMessage as SimSnsMessage,
} from '../../simulator/notifications/sns-wire';
import { SnsReceiver } from '../../simulator/test/sns-receiver';
import {
  APPS,
  createClient,
  eventually,
  startTestSimulator,
  type TestSim,
} from '../../simulator/test/support';
import {
  CIRCLE_TOPIC_ARN,
  ONBOARDING_NOTIFICATION_TYPES,
  SANDBOX_TOPIC_ARN,
  SIGNATURE_ALGORITHMS,
  stringToSign,
  type SnsMessage,
} from '../../src/notifications/sns';
import { createSnsVerifier } from '../../src/notifications/verify';

const rejectedWith = (reason: string) => expect.objectContaining({ name: 'NotificationRejected', reason });

describe('the canonical string and the constants agree', () => {
  const base = {
    MessageId: 'f7d0c7a6-5a5c-4a7e-9d57-1b2c3d4e5f60',
    TopicArn: SANDBOX_TOPIC_ARN,
    Message: '{"version":1}',
    Timestamp: '2026-04-15T10:00:00.000Z',
    SignatureVersion: '2' as const,
    Signature: 'c2ln',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem',
  };
  const samples: SnsMessage[] = [
    { ...base, Type: 'Notification', UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?u' },
    { ...base, Type: 'Notification', Subject: 'Onboarding' },
    { ...base, Type: 'SubscriptionConfirmation', Token: 't', SubscribeURL: 'https://sns.example/?c' },
    { ...base, Type: 'UnsubscribeConfirmation', Token: 't', SubscribeURL: 'https://sns.example/?c' },
  ];

  test.each(samples.map((m) => [m.Type + (m.Subject ? ' with Subject' : ''), m]))('%s', (_name, m) => {
    expect(stringToSign(m)).toBe(canonicalString(m as SimSnsMessage));
  });

  test('algorithms, topic and notification types', () => {
    expect(SIGNATURE_ALGORITHMS).toEqual(SIM_ALGORITHMS);
    expect(CIRCLE_TOPIC_ARN.test(SIM_TOPIC_ARN)).toBe(true);
    expect([...ONBOARDING_NOTIFICATION_TYPES].sort()).toEqual([...SIM_NOTIFICATION_TYPES].sort());
  });
});

describe.each(['1', '2'] as const)('messages the simulator signs with SignatureVersion %s', (version) => {
  let t: TestSim;
  let receiver: SnsReceiver;
  let confirmation: SnsMessage;
  let notification: SnsMessage;

  beforeAll(async () => {
    t = await startTestSimulator({ notificationSignatureVersion: version });
    receiver = await new SnsReceiver().start();
    const res = await t.circle.post('/v1/notifications/subscriptions', { endpoint: receiver.url });
    expect(res.status).toBe(200);
    const { applicationId } = await createClient(t.circle);
    // Confirmed once the receiver has fetched the SubscribeURL of a confirmation it verified itself.
    const [subscription] = await eventually(
      async () => (await t.circle.get('/v1/notifications/subscriptions')).data.data,
      (l: { subscriptionDetails: { status: string }[] }[]) =>
        l[0]?.subscriptionDetails[0]?.status === 'confirmed',
    );
    expect(subscription).toBeDefined();
    expect((await t.circle.delete(`${APPS}/${applicationId}`)).status).toBe(200);
    const [n] = await eventually(
      async () => receiver.notifications(),
      (l) => l.length === 1,
    );
    notification = n!.message as SnsMessage;
    confirmation = receiver.posts('SubscriptionConfirmation')[0]!.message as SnsMessage;
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.sim.close();
  });

  const verifier = () => createSnsVerifier({ topicArn: SANDBOX_TOPIC_ARN, trustedCertOrigins: [t.sim.url] });

  test('the SubscriptionConfirmation verifies', async () => {
    expect(confirmation.SignatureVersion).toBe(version);
    await expect(verifier().verify(confirmation)).resolves.toMatchObject({
      Type: 'SubscriptionConfirmation',
    });
  });

  test('the onboarding notification verifies', async () => {
    expect(notification.SignatureVersion).toBe(version);
    await expect(verifier().verify(notification)).resolves.toMatchObject({ Type: 'Notification' });
  });

  test('a changed Message or a forged signature does not', async () => {
    await expect(verifier().verify({ ...notification, Message: '{}' })).rejects.toEqual(
      rejectedWith('bad_signature'),
    );
    const other = version === '1' ? '2' : '1';
    await expect(verifier().verify({ ...notification, SignatureVersion: other })).rejects.toEqual(
      rejectedWith('bad_signature'),
    );
  });
});
