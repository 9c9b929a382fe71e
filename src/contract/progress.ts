// What the `progress` query shows and what a completed onboarding returns. Types only.
import type { ReportedApplicationStatus, SectionStatus } from '../circle/enums';
import type { FieldError } from '../circle/wire';

export type OnboardingStepName =
  | 'validating-input'
  | 'creating-client'
  | 'reading-application'
  | 'checking-sections'
  | 'saving-sections'
  | 'awaiting-section-data'
  | 'submitting'
  | 'in-review'
  | 'awaiting-rfi-answers'
  | 'creating-account'
  | 'awaiting-account-activation'
  | 'registering-clive'
  | 'blocked-on-credentials'
  | 'completed'
  | 'failed'
  | 'cancelled';

export interface IdempotencyKeys {
  createClient: string;
  /** The key of each submission round (the first submit, then one per resubmission after RFIs). */
  submissions: string[];
  createAccount?: string;
  cliveClient?: string;
}

/** An RFI as Circle publishes it. */
export interface OpenRfi {
  rfiId: string;
  bundleId: string;
  section: string;
  field: string;
  type: string;
  /** What compliance asks for. */
  systemComment?: string;
}

export interface RfiProgress extends OpenRfi {
  state: 'open' | 'applying' | 'answered';
  /** Why the last answer was refused (per-field errors from Circle). */
  lastErrors?: FieldError[];
}

export interface OnboardingProgress {
  step: OnboardingStepName;
  clientEntityId?: string;
  applicationId?: string;
  /** Circle's status; one this version does not know is shown as it is, and waited on. */
  applicationStatus?: ReportedApplicationStatus;
  accountId?: string;
  accountStatus?: string;
  cliveClientId?: string;
  sections: { sectionName: string; status: SectionStatus | string }[];
  /**
   * The refIds of each array section's entities at Circle, in order. Send an entity with its refId to
   * correct it; leave it out of the section's list to remove it.
   */
  entities: Record<string, string[]>;
  /** Problems that block the sections step; answered by the `provideSectionData` update. */
  sectionErrors: FieldError[];
  rfis: RfiProgress[];
  /** RFI answers received for RFIs not listed yet; applied once Circle lists them. */
  pendingRfiAnswers: string[];
  submissionRound: number;
  /** Derived from the workflow id, the operation and its round: a reset or re-run sends the same ones. */
  idempotencyKeys: IdempotencyKeys;
  /** Bumped by each accepted `provideSectionData`; `sectionsSavedVersion` is the one checked and saved. */
  sectionsVersion: number;
  sectionsSavedVersion: number;
  /** ISO timestamps of the deadlines of the current waits. */
  deadlines: Partial<Record<'sectionData' | 'review' | 'rfi' | 'accountActivation' | 'credentials', string>>;
  polls: number;
  /** Recent problems the workflow handled (newest last). */
  errors: { at: string; step: OnboardingStepName; type: string; message: string }[];
  timeline: { step: OnboardingStepName; at: string }[];
}

export interface OnboardingResult {
  clientEntityId: string;
  applicationId: string;
  accountId: string;
  cliveClientId?: string;
  /** True when the client existed before this run and was adopted. */
  adoptedExistingClient: boolean;
  submissionRounds: number;
  idempotencyKeys: IdempotencyKeys;
  timeline: OnboardingProgress['timeline'];
}
