// The failure types an onboarding ends with or a message is refused with. Stable strings: callers
// branch on them, and the README lists each one.
export const OnboardingFailure = {
  InvalidInput: 'InvalidOnboardingInput',
  ClientAlreadyExists: 'ClientAlreadyExists',
  /** A 409 led to a resource that is not provably this onboarding's, or does not match its request. */
  AdoptionMismatch: 'AdoptionMismatch',
  SectionDataDeadlineExceeded: 'SectionDataDeadlineExceeded',
  /** Circle kept refusing the submission (409) although every section was complete. */
  SubmissionRefused: 'SubmissionRefused',
  ReviewDeadlineExceeded: 'ReviewDeadlineExceeded',
  RfiDeadlineExceeded: 'RfiDeadlineExceeded',
  AccountActivationDeadlineExceeded: 'AccountActivationDeadlineExceeded',
  ApplicationDenied: 'ApplicationDenied',
  ApplicationCancelledAtCircle: 'ApplicationCancelledAtCircle',
  AccountRejected: 'AccountRejected',
  AccountDescriptionTaken: 'AccountDescriptionTaken',
  /** The state a run hands to the next (continue-as-new) grew past Temporal's payload limit. */
  CarriedStateTooLarge: 'CarriedStateTooLarge',
} as const;

/** Types with which updates (and, shown in progress, signals) are refused; the onboarding goes on. */
export const MessageRejection = {
  /** Circle refused the answer to an RFI (details: per-field errors). */
  RfiAnswerRejected: 'RfiAnswerRejected',
  /** The RFI is not waiting for an answer (answered, unknown, or the round is over). */
  RfiNotOpen: 'RfiNotOpen',
  /** The answer is not a non-empty object keyed by field name. */
  InvalidRfiAnswer: 'InvalidRfiAnswer',
  /** Section data is not accepted now (submitted already) or is not a sections object. */
  SectionsNotAccepted: 'SectionsNotAccepted',
  /** Documents are not accepted now (submitted already) or are not valid document references. */
  DocumentsNotAccepted: 'DocumentsNotAccepted',
  /** The onboarding cannot take this message yet, or not any more (e.g. it has ended). */
  OnboardingNotReady: 'OnboardingNotReady',
  /** The message is larger than its limit (the message says the limit). */
  PayloadTooLarge: 'PayloadTooLarge',
  /** Too many updates of this onboarding are waiting for their answer: send this one again later. */
  OnboardingBusy: 'OnboardingBusy',
  /** The Idempotency-Key was used before with another body. */
  IdempotencyKeyReused: 'IdempotencyKeyReused',
} as const;

/** Why `startOnboarding` refused to start or join an onboarding. */
export const StartRefusal = {
  /** The onboarding of this client is running with a different input. */
  InputConflict: 'OnboardingInputConflict',
  /** The Idempotency-Key started an onboarding with another input (for this client or another one). */
  KeyReused: 'IdempotencyKeyReused',
} as const;
