// The onboarding contract shared by the workflow, the worker, the CLI and other services' clients:
// names, the input schema (zod), messages (queries, updates, signals), progress, result, failure types.
import { msToNumber, type Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { ApplicationStatus, SectionStatus } from './circle/enums';
import { INSTITUTION_TYPES, NATURES_OF_BUSINESS } from './circle/enums';
import type { FieldError } from './circle/wire';

export const TASK_QUEUE = 'circle-onboarding';
export const WORKFLOW_TYPE = 'onboardPartnerClient';

// ---------------------------------------------------------------------------------------------
// Input

export const clientSchema = z.strictObject({
  clientName: z.string().trim().min(1, 'must not be empty').max(255),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case, e.g. "US"'),
  clientType: z.literal('business'),
  businessDetails: z.strictObject({
    natureOfBusiness: z.enum(NATURES_OF_BUSINESS),
    institutionType: z.enum(INSTITUTION_TYPES),
  }),
});
export type ClientInput = z.infer<typeof clientSchema>;

const duration = z
  .union([z.number().int().positive(), z.string().min(1)])
  .refine(
    (v) => {
      try {
        return msToNumber(v as Duration) > 0;
      } catch {
        return false;
      }
    },
    {
      message: 'must be a positive duration: milliseconds, or a string such as "30 seconds", "2h", "14 days"',
    },
  )
  .transform((v) => v as Duration);

const entity = z.record(z.string(), z.unknown());
/** Section name -> payload as the application's JSON Schema defines it (object, or array of entities). */
export const sectionsSchema = z.record(z.string().min(1), z.union([entity, z.array(entity)]));
export type SectionsInput = z.infer<typeof sectionsSchema>;

export const optionsSchema = z
  .strictObject({
    /** `bulk`: one `PATCH /data` (all-or-nothing); `per-section`: one `PUT` per section. */
    saveMode: z.enum(['bulk', 'per-section']).default('bulk'),
    /** First delay between status polls; doubles up to `maxPollInterval`. */
    pollInterval: duration.default('5 seconds'),
    maxPollInterval: duration.default('10 minutes'),
    /** How long to wait for corrected or missing section data. */
    sectionDataDeadline: duration.default('7 days'),
    /** How long one review round (submit -> decision) may take. */
    reviewDeadline: duration.default('30 days'),
    /** How long to wait for the answers of one RFI round. */
    rfiDeadline: duration.default('14 days'),
    accountActivationDeadline: duration.default('1 day'),
    /** Continue-as-new once the history is this long (or when Temporal suggests it). */
    maxHistoryEvents: z.number().int().min(100).default(10_000),
  })
  .prefault({});

export const onboardingInputSchema = z.strictObject({
  client: clientSchema,
  /** Continue with the existing client when Circle already has one with this name and country. */
  adoptExistingClient: z.boolean().default(false),
  sections: sectionsSchema.default({}),
  submission: z.strictObject({
    endUserAgreesToTermsOfService: z.literal(
      true,
      'must be true: Circle requires the end user to accept the terms',
    ),
    endUserIpAddress: z.union([z.ipv4(), z.ipv6()], "must be the end user's IPv4 or IPv6 address"),
  }),
  account: z.strictObject({
    description: z.string().trim().min(1, 'must not be empty').max(255),
  }),
  clive: z
    .strictObject({
      clientId: z.string().min(3),
      legalName: z.string().min(2),
      status: z.enum(['active', 'suspended', 'pending_kyc']).optional(),
      partnerFeePercentage: z.number().min(0).max(100).optional(),
      partnerFeeFlatUsd: z.number().min(0).max(10).optional(),
    })
    .optional(),
  options: optionsSchema,
});
export type OnboardingInput = z.input<typeof onboardingInputSchema>;
export type ParsedOnboardingInput = z.output<typeof onboardingInputSchema>;

// ---------------------------------------------------------------------------------------------
// Progress and result

export type OnboardingStepName =
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

export interface RfiProgress {
  rfiId: string;
  bundleId: string;
  section: string;
  field: string;
  type: string;
  /** What compliance asks for. */
  systemComment?: string;
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

/** Formats zod issues as `path: message`, naming the field a caller must fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}
