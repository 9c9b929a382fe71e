// Step `submit`: submit (or resubmit after RFIs) with a key derived from what the submission is for,
// so a reset or a re-run replays it instead of submitting twice. A 409 means Circle did not take it:
// read the application and go where its status says, with backoff and a bound.
import { OnboardingFailure } from '../../contract/failures';
import { fail, failureTypeOf, messageOf } from '../failures';
import { keyOf } from '../keys';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { statusComesWithWrites, toleratesLag } from '../versions';
import { recordError, showApplicationStatus, showStep, writeAttributes } from '../visibility';
import { pause } from '../waiting';
import { isDecided } from './review';
import { stepFor } from './route';

/** Refusals of one submission before the onboarding gives up with `SubmissionRefused`. */
const MAX_REFUSALS = 8;

export async function submit(o: Onboarding): Promise<Step> {
  const round = o.progress.submissionRound;
  const key = keyOf.submit(o.workflowId, o.state.submitFor, o.state.submitAttempt);
  o.progress.idempotencyKeys.submissions[round] = key;
  showStep(o, 'submitting');
  const summary = round === 0 ? 'Submit application' : `Resubmit application (round ${round + 1})`;
  let status: string;
  try {
    const result = await o.call(
      'submitApplication',
      summary,
      o.applicationId,
      o.checkedInput.submission,
      key,
    );
    status = result.status;
    if (toleratesLag()) {
      o.state.acceptedSubmitAt = result.answeredAt ?? new Date().toISOString();
      // Circle took it: a status from before the submit is a read that lags, not Circle's word.
      if (status === 'DRAFT' || status === 'PENDING_CUSTOMER_INFORMATION') status = 'SUBMITTED';
    }
    showApplicationStatus(o, status);
  } catch (err) {
    if (failureTypeOf(err) !== 'CircleConflict') throw err;
    recordError(o, 'CircleConflict', messageOf(err));
    // Nothing was submitted with this key; the next try must not meet a replay of this refusal.
    o.state.submitAttempt++;
    if (o.state.submitAttempt >= MAX_REFUSALS) {
      throw fail(
        OnboardingFailure.SubmissionRefused,
        `Circle refused the submission ${MAX_REFUSALS} times: ${messageOf(err)}`,
        {
          applicationId: o.applicationId,
        },
      );
    }
    writeAttributes(o);
    await pause(o, Math.min(o.options.pollInterval * 2 ** o.state.submitAttempt, o.options.maxPollInterval));
    return 'route';
  }
  o.progress.submissionRound = round + 1;
  o.state.submitAttempt = 0;
  // Decided already (the submit read the status again): no review wait, no poll.
  return statusComesWithWrites() && isDecided(status) ? stepFor(o, status) : 'review';
}
