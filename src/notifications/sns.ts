// Amazon SNS's HTTP(S) delivery format and Circle's v1 onboarding notification, as wire types, plus the
// canonical string SNS signs, for the receiver (which verifies). No I/O here.

export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** The JSON body SNS POSTs (as text/plain). */
export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  /** `1`: SHA1withRSA, `2`: SHA256withRSA. */
  SignatureVersion: '1' | '2';
  /** Base64. */
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  /** Confirmation messages. */
  Token?: string;
  SubscribeURL?: string;
  /** Notifications. */
  UnsubscribeURL?: string;
}

/** The fields SNS signs, in its order, for each message type. */
const SIGNED_FIELDS: Record<SnsMessageType, readonly (keyof SnsMessage)[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** SNS's canonical string: `name\nvalue\n` per signed field present (Subject only when given). */
export function stringToSign(message: SnsMessage): string {
  return SIGNED_FIELDS[message.Type]
    .filter((field) => message[field] !== undefined)
    .map((field) => `${field}\n${String(message[field])}\n`)
    .join('');
}

/** Node's crypto algorithm for a signature version. */
export const SIGNATURE_ALGORITHMS = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' } as const;

/**
 * The form of Circle's topics: `arn:aws:sns:<region>:908968368384:(sandbox|prod)_platform-notifications-topic`.
 * Only a description: the receiver accepts the one topic configured for its environment (`topicArn`).
 */
export const CIRCLE_TOPIC_ARN =
  /^arn:aws:sns:[a-z0-9-]+:908968368384:(sandbox|prod)_platform-notifications-topic$/;

/** The topic the simulator publishes on: the sandbox form of Circle's ARN (and the default with ONBOARDING_ENV=local). */
export const SANDBOX_TOPIC_ARN = 'arn:aws:sns:us-east-1:908968368384:sandbox_platform-notifications-topic';

/** An SNS topic ARN in AWS's standard partition: `arn:aws:sns:<region>:<account>:<topic>`. */
const TOPIC_ARN = /^arn:aws:sns:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):([A-Za-z0-9_-]{1,256})$/;

export interface TopicArn {
  arn: string;
  region: string;
  account: string;
  topic: string;
}

/** The parts of an SNS topic ARN; undefined when `arn` is not one. */
export function parseTopicArn(arn: string): TopicArn | undefined {
  const m = TOPIC_ARN.exec(arn);
  return m ? { arn, region: m[1]!, account: m[2]!, topic: m[3]! } : undefined;
}

/**
 * The one host SNS serves the topic's signing certificates and subscription URLs from:
 * `sns.<region>.amazonaws.com`, in the topic's own region (not `sns.s3.amazonaws.com`, not another region).
 */
export function snsHostOf(topic: TopicArn): string {
  return `sns.${topic.region}.amazonaws.com`;
}

export const ONBOARDING_NOTIFICATION_TYPES = [
  'onboarding_application_rfi_requested',
  'onboarding_application_approved',
  'onboarding_application_denied',
  'onboarding_application_cancelled',
] as const;
export type OnboardingNotificationType = (typeof ONBOARDING_NOTIFICATION_TYPES)[number];

/** The `Message` of an onboarding notification, parsed (Circle's flat payload, version 1). */
export interface OnboardingNotification {
  /** The partner that owns the application. */
  clientId: string;
  notificationType: OnboardingNotificationType;
  version: 1;
  applicationId: string;
  status: string;
  previousStatus: string;
}

/** SNS's request headers. */
export const SNS_HEADERS = {
  messageType: 'x-amz-sns-message-type',
  messageId: 'x-amz-sns-message-id',
  topicArn: 'x-amz-sns-topic-arn',
} as const;
