// The workflow input (zod): what a caller must send to start an onboarding, with defaults and the
// messages that name the field to fix. Checked at the door (CLI, services) and by the workflow itself.
import { msToNumber, type Duration } from '@temporalio/common';
import { z } from 'zod';
import { INSTITUTION_TYPES, NATURES_OF_BUSINESS } from '../circle/enums';
import type { CreateClientBody } from '../circle/wire';

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

/** Formats zod issues as `path: message`, naming the field a caller must fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}
