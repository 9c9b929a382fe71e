// The "v2" of the rollout scenario (`npm run -s cluster -- --rollout`): the product's workflow code with
// one more activity (a status read) before every submit, added by a workflow interceptor bundled with it.
// A change of command order that a v1 history cannot replay: a v1 run moved onto this build mid-run
// would fail with a nondeterminism error. Test-only; the product code stays as it is.
import { proxyActivities, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../src/activities';

const { getApplication } = proxyActivities<Pick<OnboardingActivities, 'getApplication'>>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      async scheduleActivity(input, next) {
        if (input.activityType === 'submitApplication') await getApplication(input.args[0] as string);
        return next(input);
      },
    },
  ],
});
