// ONBOARDING_ENV: where this runs, never inferred from addresses (a loopback sidecar or proxy can front
// Temporal Cloud or Circle). `local` runs the local stack on the defaults (dev server on localhost:7233,
// simulator on localhost:4010); `production` refuses the local conveniences (security.ts).
import { z } from 'zod';

export const ENVIRONMENTS = ['local', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const ENVIRONMENT_HELP =
  '"local" (the dev stack: simulator secrets, plaintext payloads and an open codec server allowed) or "production" (all refused, whatever the addresses)';

export const environmentVariables = z.object({
  /** Where this runs: required, never inferred from addresses. */
  ONBOARDING_ENV: z.enum(ENVIRONMENTS, {
    error: (issue) =>
      issue.input === undefined || issue.input === ''
        ? `required: set it to ${ENVIRONMENT_HELP}`
        : `must be ${ENVIRONMENT_HELP}, got ${JSON.stringify(issue.input)}`,
  }),
});
