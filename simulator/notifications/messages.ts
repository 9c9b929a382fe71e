// What the simulator sends: SNS's SubscriptionConfirmation and Notification messages (Circle's
// onboarding payload inside), serialised and headed as SNS sends them, and which application changes
// Circle notifies at all.
import type { ApplicationStatus } from '../circle-enums';
import type { UnsignedMessage } from './signer';
import {
  SNS_HEADERS,
  type OnboardingNotification,
  type OnboardingNotificationType,
  type SnsMessage,
} from './sns-wire';

/** The partner the simulator's applications belong to: `clientId` of every notification it sends. */
export const PARTNER_CLIENT_ID = '5e4b1c0a-7d2f-4c3e-9a8b-6f5e4d3c2b1a';

/**
 * The onboarding notification for a change, if Circle sends one: review decisions (from SUBMITTED or
 * IN_REVIEW; Circle reports its review sub-states as IN_REVIEW) and the cancel of a DRAFT.
 */
export function notificationFor(
  previous: ApplicationStatus,
  status: ApplicationStatus,
): { type: OnboardingNotificationType; previousStatus: ApplicationStatus } | undefined {
  if (previous === 'DRAFT' && status === 'CANCELLED') {
    return { type: 'onboarding_application_cancelled', previousStatus: 'DRAFT' };
  }
  if (previous !== 'SUBMITTED' && previous !== 'IN_REVIEW') return undefined;
  const type =
    status === 'APPROVED'
      ? 'onboarding_application_approved'
      : status === 'DENIED'
        ? 'onboarding_application_denied'
        : status === 'PENDING_CUSTOMER_INFORMATION'
          ? 'onboarding_application_rfi_requested'
          : undefined;
  return type && { type, previousStatus: 'IN_REVIEW' };
}

export function notificationPayload(
  clientId: string,
  applicationId: string,
  status: ApplicationStatus,
  change: { type: OnboardingNotificationType; previousStatus: ApplicationStatus },
): OnboardingNotification {
  return {
    clientId,
    notificationType: change.type,
    version: 1,
    applicationId,
    status,
    previousStatus: change.previousStatus,
  };
}

export function confirmationMessage(
  messageId: string,
  topicArn: string,
  token: string,
  subscribeUrl: string,
): UnsignedMessage {
  return {
    Type: 'SubscriptionConfirmation',
    MessageId: messageId,
    Token: token,
    TopicArn: topicArn,
    Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: subscribeUrl,
    Timestamp: new Date().toISOString(),
  };
}

/** SNS's key order, so the body reads like the real thing (order is not significant to JSON readers). */
const WIRE_ORDER: readonly (keyof SnsMessage)[] = [
  'Type',
  'MessageId',
  'Token',
  'TopicArn',
  'Subject',
  'Message',
  'SubscribeURL',
  'Timestamp',
  'SignatureVersion',
  'Signature',
  'SigningCertURL',
  'UnsubscribeURL',
];

export function wireBody(message: SnsMessage): string {
  const ordered: Record<string, unknown> = {};
  for (const key of WIRE_ORDER) if (message[key] !== undefined) ordered[key] = message[key];
  return JSON.stringify(ordered, null, 2);
}

/** SNS's request headers; the body is JSON sent as text/plain, as SNS does. */
export function wireHeaders(message: SnsMessage, subscriptionArn: string): Record<string, string> {
  return {
    'Content-Type': 'text/plain; charset=UTF-8',
    'User-Agent': 'Amazon Simple Notification Service Agent',
    [SNS_HEADERS.messageType]: message.Type,
    [SNS_HEADERS.messageId]: message.MessageId,
    [SNS_HEADERS.topicArn]: message.TopicArn,
    // SNS names the subscription on notifications only (there is none yet while confirming).
    ...(message.Type === 'Notification' ? { 'x-amz-sns-subscription-arn': subscriptionArn } : {}),
  };
}
