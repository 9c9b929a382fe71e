// Step `route`: after anything ambiguous (a created, replayed or adopted client, a refused submit, a
// reset, a re-run), read the application and go where its status says.
import { OnboardingFailure } from '../../contract/failures';
import { fail } from '../failures';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { showApplicationStatus, showStep } from '../visibility';
import { persistently } from '../waiting';

export async function routeByStatus(o: Onboarding): Promise<Step> {
  showStep(o, 'reading-application');
  const app = await persistently(o, 'application status', () =>
    o.read('getApplication', 'Read application status', o.applicationId),
  );
  showApplicationStatus(o, app.status);
  return stepFor(o, app.status);
}

/** The step Circle's application status implies. An unknown status is shown and waited on. */
export function stepFor(o: Onboarding, status: string): Step {
  switch (status) {
    case 'DRAFT':
      return 'sections';
    case 'APPROVED':
      return o.progress.accountId ? 'activation' : 'account';
    case 'PENDING_CUSTOMER_INFORMATION':
      return 'rfi';
    case 'DENIED':
      throw fail(OnboardingFailure.ApplicationDenied, `Circle denied application ${o.applicationId}`, {
        applicationId: o.applicationId,
        submissionRounds: o.progress.submissionRound,
      });
    case 'CANCELLED':
      throw fail(
        OnboardingFailure.ApplicationCancelledAtCircle,
        `Application ${o.applicationId} was cancelled at Circle`,
        {
          applicationId: o.applicationId,
        },
      );
    default: // SUBMITTED, IN_REVIEW, or a status this version does not know
      return 'review';
  }
}
