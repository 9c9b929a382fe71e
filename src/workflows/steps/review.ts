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

/** A status the review ends with (a known one that is not SUBMITTED or IN_REVIEW). */
export function isDecided(status: string): boolean {
  return KNOWN.has(status) && !UNDECIDED.has(status);
}

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
      return isDecided(app.status) ? app.status : undefined;
    },
  );
  return stepFor(o, status); // DRAFT after a submit: the submission did not hold; sections again
}
