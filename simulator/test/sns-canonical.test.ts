// What the simulator signs, stated as AWS documents SNS message signing: per message type a fixed list
// of keys, each key on one line and its value on the next; version 1 is SHA1withRSA, version 2
// SHA256withRSA (reference §8.1: "SignatureVersion (1 = SHA1, 2 = SHA256)").
import { createVerify } from 'node:crypto';
import { canonicalString, SIGNATURE_ALGORITHMS } from '../notifications/sns-canonical';
import { SnsSigner } from '../notifications/signer';
import type { SnsMessage } from '../notifications/sns-wire';

const common = {
  MessageId: 'da41e39f-ea4d-435a-b922-c6aae3915ebe',
  TopicArn: 'arn:aws:sns:us-east-1:908968368384:sandbox_platform-notifications-topic',
  Message: '{"version":1}',
  Timestamp: '2026-04-15T10:00:00.000Z',
  SignatureVersion: '2' as const,
  Signature: 'c2lnbmF0dXJl',
  SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
};
const notification: SnsMessage = {
  ...common,
  Type: 'Notification',
  UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
};
const confirmation = (Type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'): SnsMessage => ({
  ...common,
  Type,
  Token: 'token-1',
  SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=token-1',
});

test('Notification: Message, MessageId, Subject (when present), Timestamp, TopicArn, Type', () => {
  const base = [
    'Message\n{"version":1}\n',
    'MessageId\nda41e39f-ea4d-435a-b922-c6aae3915ebe\n',
    'Timestamp\n2026-04-15T10:00:00.000Z\n',
    'TopicArn\narn:aws:sns:us-east-1:908968368384:sandbox_platform-notifications-topic\n',
    'Type\nNotification\n',
  ];
  expect(canonicalString(notification)).toBe(base.join(''));
  const withSubject = [...base.slice(0, 2), 'Subject\nOnboarding\n', ...base.slice(2)].join('');
  expect(canonicalString({ ...notification, Subject: 'Onboarding' })).toBe(withSubject);
});

test.each(['SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const)(
  '%s: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type',
  (type) => {
    expect(canonicalString(confirmation(type))).toBe(
      [
        'Message\n{"version":1}\n',
        'MessageId\nda41e39f-ea4d-435a-b922-c6aae3915ebe\n',
        'SubscribeURL\nhttps://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=token-1\n',
        'Timestamp\n2026-04-15T10:00:00.000Z\n',
        'Token\ntoken-1\n',
        'TopicArn\narn:aws:sns:us-east-1:908968368384:sandbox_platform-notifications-topic\n',
        `Type\n${type}\n`,
      ].join(''),
    );
  },
);

test('the signature fields and UnsubscribeURL are not signed', () => {
  const changed: SnsMessage = {
    ...notification,
    Signature: 'b3RoZXI=',
    SignatureVersion: '1',
    SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/other.pem',
    UnsubscribeURL: 'https://example.com/',
  };
  expect(canonicalString(changed)).toBe(canonicalString(notification));
});

test('SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA', async () => {
  expect(SIGNATURE_ALGORITHMS).toEqual({ '1': 'RSA-SHA1', '2': 'RSA-SHA256' });
  const signer = await SnsSigner.create();
  const { Signature: _s, SignatureVersion: _v, SigningCertURL: _c, ...unsigned } = notification;
  for (const [version, digest] of [
    ['1', 'sha1'],
    ['2', 'sha256'],
  ] as const) {
    const signed = signer.sign(unsigned, version, 'http://127.0.0.1/cert.pem');
    const check = (d: string) =>
      createVerify(`RSA-${d.toUpperCase()}`)
        .update(canonicalString(signed))
        .verify(signer.certPem, signed.Signature, 'base64');
    expect(check(digest)).toBe(true);
    expect(check(digest === 'sha1' ? 'sha256' : 'sha1')).toBe(false);
  }
});
