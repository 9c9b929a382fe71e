// The benchmark's onboardings: the happy-path example without Clive, each with its own client name
// (the simulator's tags in it decide the review) and account description.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnboardingInput } from '../../src/contract';

const HAPPY_PATH = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'examples', 'happy-path.json'), 'utf8'),
) as OnboardingInput;

/** The happy-path example without Clive, with a unique client name and account description. */
export function benchInput(name: string, options: OnboardingInput['options']): OnboardingInput {
  const { clive: _clive, ...input } = HAPPY_PATH;
  return {
    ...input,
    client: { ...input.client, clientName: name },
    account: { description: `Custody ${name}` },
    options: { ...input.options, ...options },
  };
}

/** "Bench 3f9a2c 7" -> "bench-3f9a2c-7": the workflow id of the onboarding with that client name. */
export const idOf = (name: string) => name.toLowerCase().replace(/\s+/g, '-');
