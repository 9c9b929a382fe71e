// Step `review`: wait for Circle's decision; a signal wakes the poll early, a GET always confirms. A
// DRAFT read soon after Circle accepted the submit is a read that lags: it is read again, not believed.
// So is a read that shows another status than a notification just announced: it is read again soon.
import { APPLICATION_STATUSES } from '../../circle/enums';
import { OnboardingFailure } from '../../contract/failures';
import { settlesMessages, toleratesLag } from '../versions';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { showApplicationStatus, showStep } from '../visibility';
import { behindNotification, poll, withinStaleReadWindow } from '../waiting';
import { settleUnlisted } from './rfis';
import { stepFor } from './route';

const UNDECIDED = new Set(['SUBMITTED', 'IN_REVIEW']);
const KNOWN = new Set<string>(APPLICATION_STATUSES);

/** A status the review ends with (a known one that is not SUBMITTED or IN_REVIEW). */
export function isDecided(status: string): boolean {
  return KNOWN.has(status) && !UNDECIDED.has(status);
}

export async function awaitReview(o: Onboarding): Promise<Step> {
  showStep(o, 'in-review');
  let stale = false; // the last read lagged behind our submit: poll at the usual pace, not the backstop's
  let soon: number | undefined; // the last read lagged behind a notification: read again this soon
  const status = await poll(
    o,
    {
      deadline: 'review',
      durationMs: o.options.reviewDeadline,
      failureType: OnboardingFailure.ReviewDeadlineExceeded,
      what: 'a review decision',
      createdAt: o.state.clientCreatedAt,
      notified: () => !stale,
      soon: () => soon,
    },
    async () => {
      soon = undefined;
      const app = await o.read('getApplication', 'Read application status', o.applicationId);
      stale =
        app.status === 'DRAFT' &&
        toleratesLag() &&
        withinStaleReadWindow(o, o.state.acceptedSubmitAt, app.answeredAt);
      if (stale) return undefined;
      showApplicationStatus(o, app.status);
      // Answers to RFIs sent while no round is open are told so now, not parked until one opens.
      if (settlesMessages() && app.status !== 'PENDING_CUSTOMER_INFORMATION')
        settleUnlisted(o, `no RFI round is open (application ${app.status})`);
      // A status this version does not know is shown in progress and waited on like a review.
      if (isDecided(app.status)) return app.status;
      soon = behindNotification(o, app.status, app.answeredAt);
      return undefined;
    },
  );
  return stepFor(o, status); // DRAFT after a submit: sent back (or the submission did not hold)
}
