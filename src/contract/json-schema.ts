// The workflow input as JSON Schema (draft 2020-12), generated from the zod contract so they cannot differ.
import { z } from 'zod';
import { onboardingInputSchema } from './input';

export function onboardingInputJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(onboardingInputSchema, {
      io: 'input',
      target: 'draft-2020-12',
      unrepresentable: 'any',
    }),
    title: 'Circle partner onboarding: workflow input',
  };
}
