// The failure types an onboarding ends with or an update is refused with. Stable strings: callers
// branch on them, and the README lists each one.
export const OnboardingFailure = {
  InvalidInput: 'InvalidOnboardingInput',
  ClientAlreadyExists: 'ClientAlreadyExists',
  SectionDataDeadlineExceeded: 'SectionDataDeadlineExceeded',
  ReviewDeadlineExceeded: 'ReviewDeadlineExceeded',
  RfiDeadlineExceeded: 'RfiDeadlineExceeded',
  AccountActivationDeadlineExceeded: 'AccountActivationDeadlineExceeded',
  ApplicationDenied: 'ApplicationDenied',
  ApplicationCancelledAtCircle: 'ApplicationCancelledAtCircle',
  AccountRejected: 'AccountRejected',
  AccountDescriptionTaken: 'AccountDescriptionTaken',
  /** Rejections of an `answerRfi` update (the workflow keeps waiting). */
  RfiAnswerRejected: 'RfiAnswerRejected',
} as const;
