// Why a POSTed body is not accepted as one of Circle's notifications, with a stable machine-readable
// reason (the receiver maps it to a status and a problem type), and the one error that is not a
// verdict: the signing certificate could not be fetched right now.

export const REJECTION_REASONS = [
  'malformed',
  'bad_cert_url',
  'bad_signature',
  'other_topic',
  'stale',
  'unsupported_signature_version',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export class NotificationRejected extends Error {
  override readonly name = 'NotificationRejected';

  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The signing certificate could not be fetched (network error, timeout, 5xx): nothing is known about
 * the message yet, so it is neither accepted nor rejected; answer 503 and let SNS retry.
 */
export class VerificationUnavailable extends Error {
  override readonly name = 'VerificationUnavailable';
}
