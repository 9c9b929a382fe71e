// Step `review`: wait for Circle's decision; a signal wakes the poll early, a GET always confirms.
import { APPLICATION_STATUSES } from '../../circle/enums';
import { OnboardingFailure } from '../../contract/failures';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { showApplicationStatus, showStep } from '../visibility';
import { poll } from '../waiting';
import { stepFor } from './route';

const UNDECIDED = new Set(['SUBMITTED', 'IN_REVIEW']);
const KNOWN = new Set<string>(APPLICATION_STATUSES);

export async function awaitReview(o: Onboarding): Promise<Step> {
  showStep(o, 'in-review');
  const status = await poll(
    o,
    {
      deadline: 'review',
      durationMs: o.options.reviewDeadline,
      failureType: OnboardingFailure.ReviewDeadlineExceeded,
      what: 'a review decision',
    },
    async () => {
      const app = await o.read('getApplication', 'Read application status', o.applicationId);
      showApplicationStatus(o, app.status);
      // A status this version does not know is shown in progress and waited on like a review.
      return UNDECIDED.has(app.status) || !KNOWN.has(app.status) ? undefined : app.status;
    },
  );
  return stepFor(o, status); // DRAFT after a submit: the submission did not hold; sections again
}
