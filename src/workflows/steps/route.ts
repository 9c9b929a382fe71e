// Step `route`: after anything ambiguous (a created, replayed or adopted client, a refused submit, a
// reset, a re-run), read the application and go where its status says.
import { OnboardingFailure } from '../../contract/failures';
import { toleratesLag } from '../versions';
import { fail } from '../failures';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { showApplicationStatus, showStep } from '../visibility';
import { persistently } from '../waiting';

export async function routeByStatus(o: Onboarding): Promise<Step> {
  showStep(o, 'reading-application');
  const app = await persistently(
    o,
    'application status',
    () => o.read('getApplication', 'Read application status', o.applicationId),
    o.state.clientCreatedAt,
  );
  showApplicationStatus(o, app.status);
  return stepFor(o, app.status);
}

/** The step Circle's application status implies. An unknown status is shown and waited on. */
export function stepFor(o: Onboarding, status: string): Step {
  switch (status) {
    case 'DRAFT':
      if (toleratesLag() && o.progress.submissionRound > 0) returnedToDraft(o);
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

/**
 * DRAFT after Circle accepted a submission: the application was sent back, so its next submission is
 * a new request with a key of its own (the accepted one's key would only replay its answer).
 */
function returnedToDraft(o: Onboarding): void {
  const submitFor = `returned/${o.progress.submissionRound}`;
  if (o.state.submitFor === submitFor) return;
  o.state.submitFor = submitFor;
  o.state.submitAttempt = 0;
}
