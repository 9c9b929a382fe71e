// What SNS signs, as AWS documents it: the canonical string is, for each signed key present, the key
// on one line and its value on the next, in a fixed order that depends on the message type; signature
// version 1 signs it with SHA1withRSA, version 2 with SHA256withRSA.
import type { SnsMessage, SnsMessageType } from './sns-wire';

/** A Notification signs Subject only when it has one. */
const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
/** Both confirmations sign the same keys. */
const CONFIRMATION_KEYS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
] as const;

export const SIGNED_KEYS: Readonly<Record<SnsMessageType, readonly (keyof SnsMessage)[]>> = {
  Notification: NOTIFICATION_KEYS,
  SubscriptionConfirmation: CONFIRMATION_KEYS,
  UnsubscribeConfirmation: CONFIRMATION_KEYS,
};

/** The bytes SNS signs for `message`: `Key\nvalue\n` for each signed key it has, in SNS's order. */
export function canonicalString(message: Readonly<SnsMessage>): string {
  let out = '';
  for (const key of SIGNED_KEYS[message.Type]) {
    const value = message[key];
    if (value !== undefined) out += `${key}\n${value}\n`;
  }
  return out;
}

/** Node's name of the signature algorithm for each `SignatureVersion`. */
export const SIGNATURE_ALGORITHMS = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' } as const;
