// Step `activation`: wait until the account is `active`; `rejected` or `archived` fails the onboarding.
import { OnboardingFailure } from '../../contract/failures';
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
    },
    async () => {
      const account = await o.read('getAccount', 'Read account status', accountId);
      o.progress.accountStatus = account.status;
      return account.status === 'pending' ? undefined : account.status;
    },
  );
  return afterActivation(o, status);
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
