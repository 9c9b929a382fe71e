// The SNS verifier against a local certificate server: what it accepts, what it rejects and why, and
// that it fetches nothing for messages it can refuse on sight.
import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import type { HostResolver } from '../../src/net/address-guard';
import { SANDBOX_TOPIC_ARN } from '../../src/notifications/sns';
import {
  NotificationRejected,
  VerificationUnavailable,
  createSnsVerifier,
  type SnsVerifierOptions,
} from '../../src/notifications/verify';
import { signedMessage, startSnsFixture, type SnsFixture } from './sns-fixture';

let sns: SnsFixture;
beforeAll(async () => {
  sns = await startSnsFixture();
});
afterAll(() => sns.close());
beforeEach(() => {
  sns.requests.length = 0;
});

const localVerifier = (options: Partial<SnsVerifierOptions> = {}) =>
  createSnsVerifier({ topicArn: SANDBOX_TOPIC_ARN, trustedCertOrigins: [sns.origin], ...options });
/** SNS's rule only: no trusted origin. */
const snsVerifier = (options: Partial<SnsVerifierOptions> = {}) =>
  createSnsVerifier({ topicArn: SANDBOX_TOPIC_ARN, ...options });

const rejectedWith = (reason: NotificationRejected['reason']) =>
  expect.objectContaining({ name: 'NotificationRejected', reason });

describe('accepts', () => {
  test.each(['1', '2'] as const)('a notification signed with SignatureVersion %s', async (version) => {
    const message = signedMessage(sns, { SignatureVersion: version });
    await expect(localVerifier().verify(message)).resolves.toEqual(message);
    expect(sns.requests).toEqual(['/cert.pem']);
  });

  test('subscription and unsubscribe confirmations (their own signed fields)', async () => {
    const verifier = localVerifier();
    for (const Type of ['SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const) {
      const message = signedMessage(sns, {
        Type,
        Message: 'You have chosen to subscribe to the topic',
        Token: 'token-123',
        SubscribeURL: `${sns.origin}/confirm?Token=token-123`,
      });
      await expect(verifier.verify(message)).resolves.toEqual(message);
    }
  });

  test('a Subject, which is signed; a null Subject is treated as absent', async () => {
    const verifier = localVerifier();
    const withSubject = signedMessage(sns, { Subject: 'Onboarding' });
    await expect(verifier.verify(withSubject)).resolves.toMatchObject({ Subject: 'Onboarding' });
    await expect(verifier.verify({ ...withSubject, Subject: 'Changed' })).rejects.toEqual(
      rejectedWith('bad_signature'),
    );
    const withNull = { ...signedMessage(sns), Subject: null };
    await expect(verifier.verify(withNull)).resolves.not.toHaveProperty('Subject');
  });

  test('fetches each certificate once (cached by URL)', async () => {
    const verifier = localVerifier();
    await Promise.all([verifier.verify(signedMessage(sns)), verifier.verify(signedMessage(sns))]);
    await verifier.verify(signedMessage(sns));
    expect(sns.requests).toEqual(['/cert.pem']);
  });

  test('a timestamp within the allowed age and clock skew', async () => {
    const at = Date.now();
    const verifier = localVerifier({ now: () => at });
    for (const offset of [-59 * 60_000, 4 * 60_000]) {
      const message = signedMessage(sns, { Timestamp: new Date(at + offset).toISOString() });
      await expect(verifier.verify(message)).resolves.toEqual(message);
    }
  });
});

describe('rejects', () => {
  test('a signature made with another key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = signedMessage({
      certUrl: sns.certUrl,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    await expect(localVerifier().verify(forged)).rejects.toEqual(rejectedWith('bad_signature'));
  });

  test('a tampered Message, MessageId or Type', async () => {
    const verifier = localVerifier();
    const message = signedMessage(sns);
    const tampered = [
      { ...message, Message: message.Message.replace('APPROVED', 'DENIED') },
      { ...message, MessageId: 'another-id' },
      { ...message, SignatureVersion: '2' as const },
    ];
    for (const body of tampered)
      await expect(verifier.verify(body)).rejects.toEqual(rejectedWith('bad_signature'));
  });

  test('a signature that is not even the right length', async () => {
    const message = { ...signedMessage(sns), Signature: 'AAAA' };
    await expect(localVerifier().verify(message)).rejects.toEqual(rejectedWith('bad_signature'));
  });

  test('another topic, before fetching any certificate', async () => {
    const message = signedMessage(sns, {
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:sandbox_platform-notifications-topic',
    });
    await expect(localVerifier().verify(message)).rejects.toEqual(rejectedWith('other_topic'));
    const pinned = localVerifier({
      topicArn: 'arn:aws:sns:us-east-1:908968368384:prod_platform-notifications-topic',
    });
    await expect(pinned.verify(signedMessage(sns))).rejects.toEqual(rejectedWith('other_topic'));
    expect(sns.requests).toEqual([]);
  });

  test("Circle's other topic, or its own topic in another region: only the configured one is accepted", async () => {
    const verifier = localVerifier(); // the sandbox topic in us-east-1
    for (const TopicArn of [
      'arn:aws:sns:us-east-1:908968368384:prod_platform-notifications-topic',
      'arn:aws:sns:eu-west-1:908968368384:sandbox_platform-notifications-topic',
      'arn:aws:sns:us-west-2:908968368384:prod_platform-notifications-topic',
    ]) {
      await expect(verifier.verify(signedMessage(sns, { TopicArn }))).rejects.toEqual(
        rejectedWith('other_topic'),
      );
    }
    expect(sns.requests).toEqual([]);
  });

  test('a topic that is not an SNS ARN is a programming error', () => {
    expect(() => snsVerifier({ topicArn: 'sandbox_platform-notifications-topic' })).toThrow(RangeError);
  });

  test('stale and future timestamps, before fetching any certificate', async () => {
    const at = Date.parse('2026-03-01T12:00:00.000Z');
    const verifier = localVerifier({ now: () => at });
    const old = signedMessage(sns, { Timestamp: new Date(at - 61 * 60_000).toISOString() });
    const future = signedMessage(sns, { Timestamp: new Date(at + 6 * 60_000).toISOString() });
    await expect(verifier.verify(old)).rejects.toEqual(rejectedWith('stale'));
    await expect(verifier.verify(future)).rejects.toEqual(rejectedWith('stale'));
    const strict = localVerifier({ now: () => at, maxAgeMs: 1000 });
    const twoSecondsOld = signedMessage(sns, { Timestamp: new Date(at - 2000).toISOString() });
    await expect(strict.verify(twoSecondsOld)).rejects.toEqual(rejectedWith('stale'));
    expect(sns.requests).toEqual([]);
  });

  test.each([
    ['http on a host that is not trusted', (o: string) => `${o}/cert.pem`],
    ['http on an SNS host', () => 'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['a host that only starts like SNS', () => 'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem'],
    ['a host outside amazonaws.com', () => 'https://sns.example.com/SimpleNotificationService-abc.pem'],
    ['an SNS host on another port', () => 'https://sns.us-east-1.amazonaws.com:8443/cert.pem'],
    ['credentials in the URL', () => 'https://user:pw@sns.us-east-1.amazonaws.com/cert.pem'],
    ['a path that is not .pem', () => 'https://sns.us-east-1.amazonaws.com/cert.txt'],
    ['not a URL', () => 'cert.pem'],
    ['an S3 bucket host', () => 'https://sns.s3.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['a bucket host in a region', () => 'https://sns.s3.us-east-1.amazonaws.com/cert.pem'],
    [
      "an SNS host of another region than the topic's",
      () => 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
    ],
    [
      'an SNS host in China',
      () => 'https://sns.us-east-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
    ],
    ['a query', () => 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem?x=1'],
  ])('a certificate URL that is %s, without fetching it', async (_name, url) => {
    const verifier = snsVerifier(); // no trusted origins: SNS's rule only
    await expect(verifier.verify(signedMessage(sns, { SigningCertURL: url(sns.origin) }))).rejects.toEqual(
      rejectedWith('bad_cert_url'),
    );
    expect(sns.requests).toEqual([]);
  });

  test('a trusted origin still needs a .pem path', async () => {
    const message = signedMessage(sns, { SigningCertURL: `${sns.origin}/cert` });
    await expect(localVerifier().verify(message)).rejects.toEqual(rejectedWith('bad_cert_url'));
    expect(sns.requests).toEqual([]);
  });

  test('a certificate URL that serves no certificate, or too much', async () => {
    sns.routes.set('/missing.pem', (_req, res) => res.writeHead(404).end());
    sns.routes.set('/garbage.pem', (_req, res) => res.writeHead(200).end('not a certificate'));
    sns.routes.set('/huge.pem', (_req, res) => res.writeHead(200).end('x'.repeat(200_000)));
    sns.routes.set('/moved.pem', (_req, res) => res.writeHead(302, { location: '/cert.pem' }).end());
    const verifier = localVerifier();
    for (const path of ['/missing.pem', '/garbage.pem', '/huge.pem', '/moved.pem']) {
      const message = signedMessage(sns, { SigningCertURL: `${sns.origin}${path}` });
      await expect(verifier.verify(message)).rejects.toEqual(rejectedWith('bad_cert_url'));
    }
    // The redirect was not followed.
    expect(sns.requests).not.toContain('/cert.pem');
  });

  test('an unreachable or failing certificate host is not a verdict: VerificationUnavailable, not cached', async () => {
    let fail = true;
    sns.routes.set('/flaky.pem', (req, res) =>
      fail
        ? res.writeHead(503).end()
        : (sns.routes.get('/cert.pem') as NonNullable<ReturnType<typeof sns.routes.get>>)(req, res),
    );
    let at = Date.now();
    const verifier = localVerifier({ now: () => at });
    const message = signedMessage(sns, { SigningCertURL: `${sns.origin}/flaky.pem` });
    await expect(verifier.verify(message)).rejects.toBeInstanceOf(VerificationUnavailable);
    fail = false;
    // The failure is remembered for five minutes: no second fetch before.
    at += 5 * 60_000 - 1;
    await expect(verifier.verify(message)).rejects.toBeInstanceOf(VerificationUnavailable);
    expect(sns.requests).toEqual(['/flaky.pem']);
    at += 2;
    await expect(verifier.verify(message)).resolves.toEqual(message);
    expect(sns.requests).toEqual(['/flaky.pem', '/flaky.pem']);

    const closed = localVerifier({ trustedCertOrigins: ['http://127.0.0.1:1'], certTimeoutMs: 1000 });
    await expect(
      closed.verify(signedMessage(sns, { SigningCertURL: 'http://127.0.0.1:1/cert.pem' })),
    ).rejects.toBeInstanceOf(VerificationUnavailable);
  });

  test('forged bodies naming a failing certificate URL cost one fetch per URL, and few URLs per minute', async () => {
    sns.routes.set('/gone.pem', (_req, res) => res.writeHead(404).end());
    let at = Date.now();
    const verifier = localVerifier({ now: () => at, certificates: { maxFetchesPerMinute: 3 } });
    const forged = (path: string) => signedMessage(sns, { SigningCertURL: `${sns.origin}${path}` });
    for (let i = 0; i < 20; i++) {
      await expect(verifier.verify(forged('/gone.pem'))).rejects.toEqual(rejectedWith('bad_cert_url'));
    }
    expect(sns.requests).toEqual(['/gone.pem']);
    // A new URL each time: three fetches a minute, then 503s (SNS would retry) without fetching.
    for (const n of [1, 2, 3, 4]) {
      await verifier.verify(forged(`/forged-${n}.pem`)).catch(() => undefined);
    }
    expect(sns.requests).toEqual(['/gone.pem', '/forged-1.pem', '/forged-2.pem']);
    await expect(verifier.verify(forged('/forged-5.pem'))).rejects.toBeInstanceOf(VerificationUnavailable);
    at += 60_000;
    await expect(verifier.verify(forged('/forged-6.pem'))).rejects.toEqual(rejectedWith('bad_cert_url'));
    expect(sns.requests).toHaveLength(4);
  });

  test("SNS's certificate host resolving to an internal address is not fetched from", async () => {
    const calls: string[] = [];
    const resolveTo =
      (address: string): HostResolver =>
      async (host) => {
        calls.push(host);
        return [{ address, family: isIP(address) }];
      };
    const SigningCertURL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123.pem';
    for (const address of ['127.0.0.1', '169.254.169.254', '10.0.0.2', '::ffff:127.0.0.1']) {
      const verifier = snsVerifier({ resolve: resolveTo(address) });
      const err = await verifier.verify(signedMessage(sns, { SigningCertURL })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VerificationUnavailable);
      expect((err as Error).message).toBe('the signing certificate could not be fetched');
    }
    expect(calls).toEqual(Array(4).fill('sns.us-east-1.amazonaws.com'));
  });

  test('a certificate that has expired', async () => {
    const in2Years = Date.now() + 2 * 365 * 24 * 60 * 60 * 1000; // selfsigned's default validity is 1 year
    const message = signedMessage(sns, { Timestamp: new Date(in2Years).toISOString() });
    await expect(localVerifier({ now: () => in2Years }).verify(message)).rejects.toEqual(
      rejectedWith('bad_cert_url'),
    );
  });

  test('an unsupported signature version', async () => {
    const message = { ...signedMessage(sns), SignatureVersion: '3' };
    await expect(localVerifier().verify(message)).rejects.toEqual(
      rejectedWith('unsupported_signature_version'),
    );
  });

  const valid = () => signedMessage(sns) as unknown as Record<string, unknown>;
  const without = (field: string) => {
    const body = valid();
    delete body[field];
    return body;
  };
  test.each<[string, () => unknown, RegExp]>([
    ['a string', () => 'hello', /not a JSON object/],
    ['null', () => null, /not a JSON object/],
    ['an array', () => [valid()], /not a JSON object/],
    ['no Type', () => without('Type'), /Type must be one of/],
    ['an unknown Type', () => ({ ...valid(), Type: 'Other' }), /Type must be one of/],
    ['no MessageId', () => without('MessageId'), /MessageId/],
    ['no Signature', () => without('Signature'), /Signature/],
    ['no SigningCertURL', () => without('SigningCertURL'), /SigningCertURL/],
    [
      'a Message that is not a string',
      () => ({ ...valid(), Message: { status: 'APPROVED' } }),
      /Message must be/,
    ],
    ['an empty TopicArn', () => ({ ...valid(), TopicArn: '' }), /TopicArn/],
    [
      'a numeric SignatureVersion',
      () => ({ ...valid(), SignatureVersion: 1 }),
      /SignatureVersion must be a string/,
    ],
    ['a Timestamp that is not a date', () => ({ ...valid(), Timestamp: 'yesterday' }), /Timestamp/],
    ['a Signature that is not base64', () => ({ ...valid(), Signature: 'not base64!' }), /base64/],
    ['a Subject that is not a string', () => ({ ...valid(), Subject: 42 }), /Subject/],
    [
      'a confirmation without a Token',
      () => ({
        ...valid(),
        Type: 'SubscriptionConfirmation',
        SubscribeURL: 'https://sns.us-east-1.amazonaws.com/',
      }),
      /Token/,
    ],
  ])('a body that is %s', async (_name, body, detail) => {
    const err = await localVerifier()
      .verify(body())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(NotificationRejected);
    expect(err).toMatchObject({ reason: 'malformed', message: expect.stringMatching(detail) });
    expect(sns.requests).toEqual([]);
  });
});
