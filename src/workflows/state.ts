// The workflow's own state: what the progress query shows, and what continue-as-new carries over.
import type { ParsedOnboardingInput } from '../contract/input';
import type { RfiAnswer } from '../contract/messages';
import type { OnboardingProgress } from '../contract/progress';

/** Where the onboarding is. Each step returns the next one; transitions.ts has the table. */
export type Step =
  'client' | 'route' | 'sections' | 'submit' | 'review' | 'rfi' | 'account' | 'activation' | 'clive' | 'done';

export interface OnboardingState {
  step: Step;
  progress: OnboardingProgress;
  adoptedExistingClient: boolean;
  /** Sections given (in the input or by updates) that are not saved at Circle yet. */
  unsavedSections: string[];
  /** The section-data version last checked against the schema (-1: none yet). */
  checkedVersion: number;
  /** That version failed the schema check or Circle's validation: wait for new data, not for Circle. */
  dataInvalid: boolean;
  /** What the next submission is for: `initial`, or the RFI bundles it answers. Part of its key. */
  submitFor: string;
  /** Refused submits of this submission; each next try sends the next key. */
  submitAttempt: number;
  /** The poll interval (ms) of the wait in progress, kept across continue-as-new. */
  pollIntervalMs?: number;
  /** RFI answers received by signal and not applied yet, one per rfiId (the newest wins). */
  pendingAnswers: RfiAnswer[];
  /** When Circle last accepted a submit of this application (a DRAFT read soon after it is stale). */
  acceptedSubmitAt?: string;
  /** When the client (and its application) and the account were created: a 404 soon after is stale. */
  clientCreatedAt?: string;
  accountCreatedAt?: string;
  /** RFI bundles already answered: listed again (a stale read), they are not a new round. */
  answeredBundles?: string[];
  /** When the last of Circle's notifications for this onboarding was relayed (waits then only backstop-poll). */
  lastNotifiedAt?: string;
  /** The application status that notification announced, when it named one. */
  lastNotifiedStatus?: string;
  /** Messages sent with an Idempotency-Key (newest last, bounded), with the reply each got. */
  requests?: RequestRecord[];
  /** RFIs answered in earlier rounds: an answer to one is refused at once. */
  closedRfis?: string[];
  /** Uploads made to each file field (section/datumName/refId): part of the next upload's key. */
  slotUploads?: Record<string, number>;
  /** The onboarding calls Circle from local activities (the worker it started on said so: calls.ts). */
  localCircleCalls?: boolean;
}

/** A message sent with an Idempotency-Key, and its reply once it had one. */
export interface RequestRecord {
  key: string;
  digest: string;
  reply?: { value: unknown } | { rejection: { type: string; message: string; details: unknown[] } };
}

/**
 * The shape of what continue-as-new hands over; bump it when that shape changes. 1: the input again
 * beside the state; 2 (runs since `message-races`): the state only, the input is the run's argument.
 */
export const CARRIED_VERSION = 2;
/** The versions this code reads. Another fails the workflow task (a newer worker takes it), never the run. */
export const CARRIED_VERSIONS_READ = [1, 2];

/** What a run hands to the next one when it continues as new. */
export interface Carried {
  version: number;
  /** Version 1 only. */
  input?: ParsedOnboardingInput;
  state: OnboardingState;
}

/**
 * A state carried from a run of an earlier version, with what this version added filled in (the
 * carried shape only grows; a change that is not an addition bumps CARRIED_VERSION).
 */
export function upgradeState(state: OnboardingState): OnboardingState {
  const p = state.progress;
  p.documents ??= [];
  p.missingDocuments ??= [];
  p.documentErrors ??= [];
  p.documentsVersion ??= 0;
  p.documentsCheckedVersion ??= -1;
  return state;
}

export function initialState(createClientKey: string): OnboardingState {
  return {
    step: 'client',
    adoptedExistingClient: false,
    unsavedSections: [],
    checkedVersion: -1,
    dataInvalid: false,
    submitFor: 'initial',
    submitAttempt: 0,
    pendingAnswers: [],
    progress: {
      step: 'validating-input',
      sections: [],
      entities: {},
      sectionErrors: [],
      documents: [],
      missingDocuments: [],
      documentErrors: [],
      documentsVersion: 0,
      documentsCheckedVersion: -1,
      rfis: [],
      pendingRfiAnswers: [],
      submissionRound: 0,
      idempotencyKeys: { createClient: createClientKey, submissions: [] },
      sectionsVersion: 0,
      sectionsSavedVersion: -1,
      deadlines: {},
      polls: 0,
      errors: [],
      timeline: [],
    },
  };
}
