// What the routes' responses are made of: the problem (RFC 9457) every error of the service is, the
// responses that carry one, and JSON responses. Used by the routes' schemas (so by the OpenAPI document).
import { z } from 'zod';
import { problemFields } from '../../shared/openapi-schemas';
import { PROBLEM_CONTENT_TYPE } from '../../shared/problem-details';
import type { FieldProblem } from '../problems';

/** Open like the errors it describes, some of which the workflow passes along from Circle. */
export const fieldErrorSchema: z.ZodType<FieldProblem> = z
  .looseObject({
    path: z.string().describe('Dot path of the field, e.g. `client.country`.'),
    error: z.string().describe('A code, e.g. `required`, `invalid_value`.'),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });

export const problemSchema = z
  .object({
    ...problemFields,
    instance: z.string(),
    failureType: z
      .string()
      .describe(
        'A stable type: the README failure types (InvalidOnboardingInput, RfiAnswerRejected, OnboardingInputConflict, ...) or the service’s own (InvalidRequest, BodyTooDeep, Unauthorized, Forbidden, OnboardingNotFound, NotFound, MethodNotAllowed, PayloadTooLarge, UploadQuotaPerOnboardingExceeded, UriTooLong, UnsupportedMediaType, RateLimited, UploadQuotaPerKeyExceeded, DocumentStoreNotConfigured, TemporalUnavailable, ...).',
      ),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .meta({
    id: 'Problem',
    description:
      'RFC 9457 problem details. `type` is `urn:circle-onboarding:problem:<failureType>`; branch on `failureType`.',
  });

/**
 * An object shown as the contract's TypeScript type describes it (progress.ts): documented as an
 * object with any fields, typed `object` so that the contract's interfaces can be returned as they are.
 */
export const contractObject = <S extends z.ZodType<object>>(schema: S): z.ZodType<object> => schema;

/** A response with a JSON body, as the routes' schemas (and fastify-type-provider-zod) take it. */
export const json = <S extends z.ZodType>(description: string, schema: S) => ({
  description,
  content: { 'application/json': { schema } },
});

export const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
});

const PROBLEMS = {
  400: problem(
    'Invalid request (InvalidRequest, BodyTooDeep: JSON nested deeper than 32 levels, or the refusal type of the message), with per-field errors',
  ),
  401: problem('No or unknown API key (Unauthorized); see WWW-Authenticate'),
  403: problem('The API key may read only (Forbidden)'),
  404: problem('Unknown onboarding (OnboardingNotFound)'),
  409: problem('The onboarding has ended (OnboardingNotReady)'),
  413: problem('The body is over the limit (PayloadTooLarge)'),
  414: problem('A path segment is longer than any id (UriTooLong)'),
  415: problem('Unsupported Content-Type (UnsupportedMediaType)'),
  422: problem(
    'The onboarding refused the message; failureType is the refusal type, errors its per-field errors',
  ),
  429: problem('Rate limited (RateLimited); see Retry-After'),
  503: problem('Temporal is unavailable (TemporalUnavailable)'),
  504: problem('Temporal or the onboarding did not answer in time (TemporalTimeout)'),
};
type ProblemStatus = keyof typeof PROBLEMS;

/** The problem responses of these statuses, with their usual descriptions. */
export const problems = <S extends ProblemStatus>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((s) => [s, PROBLEMS[s]])) as { [K in S]: (typeof PROBLEMS)[K] };

/** What every /v1 read can meet: no key, rate limit, Temporal down. */
export const READ = [401, 429, 503] as const;
/** What every /v1 write can meet before its own refusals. */
export const WRITE = [400, 401, 403, 413, 415, 429, 503] as const;
/** Routes with an id in the path: an unknown one is 404, a segment beyond what the router takes 414. */
export const BY_ID = [404, 414] as const;
