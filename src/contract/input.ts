// The workflow input (zod): what a caller must send to start an onboarding, with defaults and the
// messages that name the field to fix. Checked at the door (CLI, services) and by the workflow itself.
import { z } from 'zod';
import { INSTITUTION_TYPES, NATURES_OF_BUSINESS } from '../circle/enums';
import type { CreateClientBody } from '../circle/wire';
import { documentListProblems, type DocumentReference } from './documents';
import { DAY, describeMs, durationMs, SECOND } from './durations';
import {
  jsonBytes,
  MAX_DEADLINE_MS,
  MAX_POLL_INTERVAL_MS,
  MAX_SECTIONS_BYTES,
  MIN_POLL_INTERVAL_MS,
} from './limits';

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
}) satisfies z.ZodType<CreateClientBody>; // sent to Circle as it is
export type ClientInput = z.infer<typeof clientSchema>;

/** A bounded duration, parsed to milliseconds. */
function duration(min: number, max: number) {
  return z.union([z.number(), z.string().min(1)]).transform((v, ctx) => {
    const ms = durationMs(v);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a duration: milliseconds, a string such as "30 seconds", "2h", "14 days", or ISO-8601 such as "PT30S", "P14D"',
      });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${describeMs(min)} and ${describeMs(max)}` });
      return z.NEVER;
    }
    return ms;
  });
}

const entity = z.record(z.string(), z.unknown());
/** One section's payload as the application's JSON Schema defines it: an object, or an array of entities. */
export const sectionPayloadSchema = z.union([entity, z.array(entity)]);
/** Section name -> its payload. */
export const sectionsSchema = z.record(z.string().min(1), sectionPayloadSchema);

/** One document by reference: its shape here, its finer rules in documents.ts (shared with the workflow). */
const documentSchema = z.strictObject({
  datumName: z.string(),
  refId: z.string().optional(),
  entityIndex: z.number().int().optional(),
  documentType: z.string().optional(),
  issuedCountry: z.string().optional(),
  fileName: z.string().optional(),
  source: z.string(),
}) satisfies z.ZodType<DocumentReference>;

export const documentsSchema = z.array(documentSchema).superRefine((refs, ctx) => {
  for (const p of documentListProblems(refs)) {
    ctx.addIssue({ code: 'custom', path: p.path ? p.path.split('.') : [], message: p.message });
  }
});

/**
 * The options, with polls bounded below by `minPollIntervalMs`: one second by default, to respect
 * Circle's rate limits; a worker pointed at the local simulator may allow less (see src/config/onboarding.ts).
 */
export function optionsSchemaWith({ minPollIntervalMs = MIN_POLL_INTERVAL_MS } = {}) {
  const poll = duration(minPollIntervalMs, MAX_POLL_INTERVAL_MS);
  const deadline = duration(SECOND, MAX_DEADLINE_MS);
  return z
    .strictObject({
      /** `bulk`: one `PATCH /data` (all-or-nothing); `per-section`: one `PUT` per section. */
      saveMode: z.enum(['bulk', 'per-section']).default('bulk'),
      /** First delay between status polls; doubles up to `maxPollInterval`. */
      pollInterval: poll.default(5 * SECOND),
      maxPollInterval: poll.default(10 * 60 * SECOND),
      /** How long to wait for corrected or missing section data. */
      sectionDataDeadline: deadline.default(7 * DAY),
      /** How long one review round (submit -> decision) may take. */
      reviewDeadline: deadline.default(30 * DAY),
      /** How long to wait for the answers of one RFI round. */
      rfiDeadline: deadline.default(14 * DAY),
      accountActivationDeadline: deadline.default(DAY),
      /** How long Circle or Clive may refuse the credentials (401/403) before the onboarding fails. */
      credentialsDeadline: deadline.default(3 * DAY),
      /**
       * How long after a write Circle's reads may still show the state before it (Circle documents no
       * consistency): a DRAFT read this soon after an accepted submit, or a 404 this soon after a
       * create, is read again instead of believed.
       */
      staleReadWindow: duration(0, DAY).default(5 * 60 * SECOND),
      /** Continue-as-new once the history is this long (or when Temporal suggests it). */
      maxHistoryEvents: z.number().int().min(100).max(50_000).default(10_000),
    })
    .refine((o) => o.pollInterval <= o.maxPollInterval, {
      message: 'pollInterval must not exceed maxPollInterval',
      path: ['pollInterval'],
    })
    .prefault({});
}

/** The workflow input; `minPollIntervalMs` as in `optionsSchemaWith`. */
export function onboardingInputSchemaWith(limits: { minPollIntervalMs?: number } = {}) {
  return z
    .strictObject({
      client: clientSchema,
      /** Continue with the existing client when Circle already has one with this name and country. */
      adoptExistingClient: z.boolean().default(false),
      sections: sectionsSchema.default({}),
      /** Files the application needs (certificate of incorporation, IDs...), given by reference. */
      documents: documentsSchema.default([]),
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
      options: optionsSchemaWith(limits),
    })
    .refine((input) => jsonBytes(input.sections) <= MAX_SECTIONS_BYTES, {
      message: `must be at most ${MAX_SECTIONS_BYTES / 1024} KiB as JSON`,
      path: ['sections'],
    });
}

export const onboardingInputSchema = onboardingInputSchemaWith();
export type OnboardingInput = z.input<typeof onboardingInputSchema>;
export type ParsedOnboardingInput = z.output<typeof onboardingInputSchema>;

/** Formats zod issues as `path: message`, naming the field a caller must fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}
