// Validates the workflow input with the zod contract. It runs as a local activity so that workflow
// code stays free of zod (whose schemas would otherwise be rebuilt for every cached workflow); its
// result is recorded in history, so replays see the same verdict.
import { describeIssues, onboardingInputSchemaWith, type ParsedOnboardingInput } from '../contract';

export type InputVerdict =
  /** `localCircleCalls`: the worker's choice for the onboarding, recorded here once (calls.ts). */
  | { valid: true; input: ParsedOnboardingInput; localCircleCalls?: boolean }
  | { valid: false; message: string; issues: { path: string; message: string }[] };

/**
 * `minPollIntervalMs`: the worker's floor for poll intervals (src/config/); one second by default.
 * `localCircleCalls`: onboardings started here call Circle from local activities.
 */
export function createInputActivities({
  minPollIntervalMs,
  localCircleCalls = false,
}: { minPollIntervalMs?: number; localCircleCalls?: boolean } = {}) {
  const schema = onboardingInputSchemaWith({ minPollIntervalMs });
  return {
    async validateOnboardingInput(raw: unknown): Promise<InputVerdict> {
      const parsed = schema.safeParse(raw);
      if (parsed.success) {
        return { valid: true, input: parsed.data, ...(localCircleCalls && { localCircleCalls }) };
      }
      return {
        valid: false,
        message: describeIssues(parsed.error),
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      };
    },
  };
}
