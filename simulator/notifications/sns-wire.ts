// Amazon SNS's HTTP(S) delivery format and Circle's v1 onboarding notification inside it, as the
// simulator sends them (reference §8, §8.1; AWS's documented SNS message and header names).

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
  /** Notifications, when the publisher gave one. */
  Subject?: string;
  /** Subscription and unsubscribe confirmations. */
  Token?: string;
  SubscribeURL?: string;
  /** Notifications. */
  UnsubscribeURL?: string;
}

/** The request headers SNS adds to each POST. */
export const SNS_HEADERS = {
  messageType: 'x-amz-sns-message-type',
  messageId: 'x-amz-sns-message-id',
  topicArn: 'x-amz-sns-topic-arn',
} as const;

/**
 * The topic the simulator publishes on: the sandbox form of Circle's
 * `arn:aws:sns:<region>:908968368384:(sandbox|prod)_platform-notifications-topic` (reference §8.1).
 */
export const SANDBOX_TOPIC_ARN = 'arn:aws:sns:us-east-1:908968368384:sandbox_platform-notifications-topic';

/** Circle's onboarding notification types (reference §8). */
export const ONBOARDING_NOTIFICATION_TYPES = [
  'onboarding_application_rfi_requested',
  'onboarding_application_approved',
  'onboarding_application_denied',
  'onboarding_application_cancelled',
] as const;
export type OnboardingNotificationType = (typeof ONBOARDING_NOTIFICATION_TYPES)[number];

/** The flat payload in `Message` (reference §8): the same fields for every type, `version` 1. */
export interface OnboardingNotification {
  /** The partner that owns the application. */
  clientId: string;
  notificationType: OnboardingNotificationType;
  version: 1;
  applicationId: string;
  status: string;
  previousStatus: string;
}
