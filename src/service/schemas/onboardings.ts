// The onboardings resource over HTTP: its id in the path, what a start, a cancel, a read and a list
// reply, and the list's query. The start's body is the contract's workflow input itself.
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { z } from 'zod';
import { APPLICATION_STATUSES } from '../../circle/enums';
import { ONBOARDING_STEP_NAMES, onboardingInputSchemaWith } from '../../contract';
import { contractObject } from './responses';

/** The longest onboarding id the API takes. */
export const MAX_ID_LENGTH = 255;
const ID_RULE = `must be 1-${MAX_ID_LENGTH} visible ASCII characters`;

/** Workflow ids: visible ASCII, as Temporal and URLs both take them. */
export const onboardingIdSchema = z
  .string()
  .min(1, { message: ID_RULE, abort: true })
  .max(MAX_ID_LENGTH, ID_RULE)
  .regex(/^[!-~]+$/, ID_RULE)
  .describe('The onboarding (workflow) id, as returned by the start');

/**
 * The start's body: the contract's workflow input, with the workers' poll-interval floor (the same
 * document for any floor: a duration's bounds are not JSON Schema).
 */
export const startBodySchema = (limits: { minPollIntervalMs?: number }) =>
  onboardingInputSchemaWith(limits).meta({
    id: 'OnboardingInput',
    title: 'Circle partner onboarding: workflow input',
  });

export const byIdParams = z.object({ id: onboardingIdSchema });

const linksSchema = z.object({ self: z.string() });

export const startAcceptedSchema = z
  .object({ id: z.string(), links: linksSchema })
  .meta({ id: 'StartAccepted' });

export const cancelAcceptedSchema = z
  .object({ id: z.string(), cancelRequested: z.literal(true), links: linksSchema })
  .meta({ id: 'CancelAccepted' });

/** Every status Temporal's client reports (its WorkflowExecutionStatusName). */
export const EXECUTION_STATUSES = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
  'PAUSED',
  'UNSPECIFIED',
  'UNKNOWN',
] as const satisfies readonly WorkflowExecutionStatusName[];

export const onboardingSchema = z
  .object({
    id: z.string(),
    status: z.enum(EXECUTION_STATUSES).describe('Temporal execution status'),
    progress: contractObject(z.looseObject({ step: z.enum(ONBOARDING_STEP_NAMES) }))
      .optional()
      .describe(
        'The `progress` query (OnboardingProgress in src/contract/progress.ts); absent while no worker answers.',
      ),
    result: contractObject(z.looseObject({}))
      .optional()
      .describe('OnboardingResult (src/contract/progress.ts), once COMPLETED.'),
    failure: z.object({ type: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'OnboardingStatus' });

export const onboardingListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        step: z.string().optional(),
        applicationStatus: z.string().optional(),
        applicationId: z.string().optional(),
        country: z.string().optional(),
        startTime: z.iso.datetime().optional(),
        links: linksSchema,
      }),
    ),
    nextPageToken: z.string().optional().describe('Pass as `pageToken` for the next page.'),
  })
  .meta({ id: 'OnboardingList' });

/**
 * Page tokens are Temporal's, sealed with a MAC (routes/read.ts): `<token>.<MAC>`, both base64url.
 */
export const PAGE_TOKEN = /^[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{22}$/;

export const listQuerySchema = z.strictObject({
  step: z.enum(ONBOARDING_STEP_NAMES).optional(),
  status: z.enum(APPLICATION_STATUSES).optional().describe('Circle application status'),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  pageToken: z
    .string()
    .regex(PAGE_TOKEN, 'must be the nextPageToken of a previous page')
    .optional()
    .describe('The `nextPageToken` of the previous page of the same query'),
});
