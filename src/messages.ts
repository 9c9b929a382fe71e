// The zod-free half of the onboarding contract: names, messages (queries, updates, signals),
// progress, result and failure types. Workflow code imports only this (and types), so each workflow
// in the worker's cache does not carry its own copy of the zod schemas.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApplicationStatus, SectionStatus } from './circle/enums';
import type { FieldError } from './circle/wire';

export const TASK_QUEUE = 'circle-onboarding';
export const WORKFLOW_TYPE = 'onboardPartnerClient';

/** Section name -> payload as the application's JSON Schema defines it (object, or array of entities). */
export type SectionsInput = Record<string, Record<string, unknown> | Record<string, unknown>[]>;

// ---------------------------------------------------------------------------------------------
// Progress and result

export type OnboardingStepName =
  | 'validating-input'
  | 'creating-client'
  | 'checking-sections'
  | 'saving-sections'
  | 'awaiting-section-data'
  | 'submitting'
  | 'in-review'
  | 'awaiting-rfi-answers'
  | 'creating-account'
  | 'awaiting-account-activation'
  | 'registering-clive'
  | 'completed'
  | 'failed'
  | 'cancelled';

export interface IdempotencyKeys {
  createClient: string;
  /** One per submission round: the first submit, then one per resubmission after RFIs. */
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
  applicationStatus?: ApplicationStatus;
  accountId?: string;
  accountStatus?: string;
  cliveClientId?: string;
  sections: { sectionName: string; status: SectionStatus | string }[];
  /** Problems that block the sections step; answered by the `provideSectionData` update. */
  sectionErrors: FieldError[];
  rfis: RfiProgress[];
  submissionRound: number;
  idempotencyKeys: IdempotencyKeys;
  /** ISO timestamps of the deadlines of the current waits. */
  deadlines: Partial<Record<'sectionData' | 'review' | 'rfi' | 'accountActivation', string>>;
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

// ---------------------------------------------------------------------------------------------
// Messages

export interface RfiAnswer {
  rfiId: string;
  /** The value(s) Circle asked for, keyed by the RFI's field name, e.g. `{ "website": "https://..." }`. */
  answer: Record<string, unknown>;
}

export interface SectionDataUpdate {
  sections: SectionsInput;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why `value` is not a sections object (section name -> object or array of objects), or undefined.
 * The same rule as `sectionsSchema` in contract.ts, written without zod for update validators.
 */
export function sectionsShapeProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'sections must be an object keyed by section name';
  const names = Object.keys(value);
  if (names.length === 0) return 'sections must name at least one section';
  for (const name of names) {
    const payload = value[name];
    const ok = isPlainObject(payload) || (Array.isArray(payload) && payload.every(isPlainObject));
    if (!name || !ok) return `sections.${name}: must be an object, or an array of objects`;
  }
  return undefined;
}

export interface SectionDataResult {
  /** Empty when every visible section is now complete. */
  sectionErrors: FieldError[];
  sections: OnboardingProgress['sections'];
}

export const progressQuery = defineQuery<OnboardingProgress>('progress');
/** Answers one RFI; resolves once Circle accepted it, fails (workflow unaffected) if Circle refused it. */
export const answerRfiUpdate = defineUpdate<{ rfiId: string; status: 'answered' }, [RfiAnswer]>('answerRfi');
/** Fire-and-forget variant of `answerRfi` for services that cannot wait. */
export const rfiAnsweredSignal = defineSignal<[RfiAnswer]>('rfiAnswered');
/** Adds or corrects section data; resolves with the remaining problems once it has been checked and saved. */
export const provideSectionDataUpdate = defineUpdate<SectionDataResult, [SectionDataUpdate]>(
  'provideSectionData',
);
/** Wakes status polling early, e.g. relayed from a Circle webhook; the status is always re-read. */
export const applicationStatusChangedSignal =
  defineSignal<[{ applicationId?: string; status?: string }?]>('applicationStatusChanged');

// ---------------------------------------------------------------------------------------------
// Failures

/** Failure types the workflow ends with. Stable strings: callers branch on them. */
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
