// Step `activation`: wait until the account is `active`; `rejected` or `archived` fails the onboarding.
// A status this version does not know is shown in progress and waited on, like `pending`.
import { OnboardingFailure } from '../../contract/failures';
import { toleratesLag } from '../versions';
import { fail } from '../failures';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { showStep } from '../visibility';
import { poll } from '../waiting';

export async function awaitAccountActivation(o: Onboarding): Promise<Step> {
  showStep(o, 'awaiting-account-activation');
  const accountId = o.progress.accountId!;
  const status = await poll(
    o,
    {
      deadline: 'accountActivation',
      durationMs: o.options.accountActivationDeadline,
      failureType: OnboardingFailure.AccountActivationDeadlineExceeded,
      what: 'account activation',
      createdAt: o.state.accountCreatedAt,
    },
    async () => {
      const account = await o.read('getAccount', 'Read account status', accountId);
      o.progress.accountStatus = account.status;
      return isSettled(account.status) ? account.status : undefined;
    },
  );
  return afterActivation(o, status);
}

const SETTLED = new Set(['active', 'rejected', 'archived']);

/**
 * Whether the activation wait is over: `active`, `rejected` or `archived` (runs before
 * `lagging-circle`: anything but `pending`, so a status Circle added later failed them).
 */
export function isSettled(status: string): boolean {
  return toleratesLag() ? SETTLED.has(status) : status !== 'pending';
}

/** `active` goes on to Clive; `rejected` or `archived` fails the onboarding. */
export function afterActivation(o: Onboarding, status: string): Step {
  const accountId = o.progress.accountId!;
  if (status !== 'active') {
    throw fail(OnboardingFailure.AccountRejected, `Circle set account ${accountId} to ${status}`, {
      accountId,
      status,
    });
  }
  return 'clive';
}
