// Activity stubs for workflow code. Every call carries a one-line summary for the Temporal UI.
import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { OnboardingActivities } from '../activities';

const OPTIONS: ActivityOptions = {
  startToCloseTimeout: '45 seconds', // above the HTTP client's timeout, with room for two calls
  scheduleToCloseTimeout: '1 hour', // the budget for one logical call, retries included
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

const stubs = proxyActivities<OnboardingActivities>(OPTIONS);

type Acts = OnboardingActivities;

/** `call('createClient', 'Create Circle client', client, key)`: an activity call with a UI summary. */
export function call<K extends keyof Acts>(
  name: K,
  summary: string,
  ...args: Parameters<Acts[K]>
): Promise<Awaited<ReturnType<Acts[K]>>> {
  // The stub's type is a union over every activity; the arguments are checked by this signature.
  const stub = stubs[name] as unknown as {
    executeWithOptions(options: ActivityOptions, args: unknown[]): Promise<Awaited<ReturnType<Acts[K]>>>;
  };
  return stub.executeWithOptions({ ...OPTIONS, summary }, args);
}

/** Pure CPU work whose result must be recorded, not recomputed: a local activity, no task round trip. */
export const local = proxyLocalActivities<Pick<OnboardingActivities, 'validateOnboardingInput'>>({
  startToCloseTimeout: '10 seconds',
});
