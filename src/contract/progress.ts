// What the `progress` query shows and what a completed onboarding returns: types, and the step names.
import type { ReportedApplicationStatus, SectionStatus } from '../circle/enums';
import type { FieldError } from '../circle/wire';
import type { DocumentReference } from './documents';

/** Every step the progress query (and the OnboardingStep search attribute) can show. */
export const ONBOARDING_STEP_NAMES = [
  'validating-input',
  'creating-client',
  'reading-application',
  'checking-sections',
  'saving-sections',
  'awaiting-section-data',
  'checking-documents',
  'uploading-documents',
  'awaiting-documents',
  'submitting',
  'in-review',
  'awaiting-rfi-answers',
  'creating-account',
  'awaiting-account-activation',
  'registering-clive',
  'blocked-on-credentials',
  'completed',
  'failed',
  'cancelled',
] as const;
export type OnboardingStepName = (typeof ONBOARDING_STEP_NAMES)[number];

/** Steps an onboarding ends in; every other one is a running onboarding's. */
export const ENDED_STEPS: readonly OnboardingStepName[] = ['completed', 'failed', 'cancelled'];

export interface IdempotencyKeys {
  createClient: string;
  /** The key of each submission round (the first submit, then one per resubmission after RFIs). */
  submissions: string[];
  createAccount?: string;
  cliveClient?: string;
  /** The key of each document upload, in upload order. */
  documents?: string[];
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

/** A document given by reference, and what became of it. Never its bytes. */
export interface DocumentProgress extends DocumentReference {
  /** The section of its field, once the schema has been read. */
  section?: string;
  /** Bumped by each `provideDocuments` that gives it; kept with the document. */
  version: number;
  /** What the worker read at `source`: size in bytes, SHA-256 (hex) and the type its bytes show. */
  size?: number;
  sha256?: string;
  fileKind?: string;
  state: 'given' | 'invalid' | 'uploaded';
  documentId?: string;
  /** Why it cannot be uploaded (per-field errors, like section errors). */
  errors?: FieldError[];
}

/** A file field the application needs and has no document for: give one with `provideDocuments`. */
export interface MissingDocument {
  section: string;
  datumName: string;
  /** The entity of an array section it belongs to (and its position in the section). */
  refId?: string;
  entityIndex?: number;
  title?: string;
  acceptedTypes: string[];
  maxSizeMb: number;
  /** When listed, the upload must name one of them (`documentType`). */
  documentTypes?: string[];
  /** An identity document: the upload must name the country that issued it. */
  needsIssuedCountry: boolean;
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
  /** Documents given (input and `provideDocuments`), one per field (and entity). */
  documents: DocumentProgress[];
  /** Required file fields without a document at Circle or among those given. */
  missingDocuments: MissingDocument[];
  /** Why given documents cannot be uploaded; nothing is uploaded while there are any. */
  documentErrors: FieldError[];
  /** Bumped by each accepted `provideDocuments`; `documentsCheckedVersion` is the one acted on. */
  documentsVersion: number;
  documentsCheckedVersion: number;
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
