// Step `account`: the `third_party` custody account, with a key derived from the workflow id; after a
// 409, the client's account with this description is adopted (it is this onboarding's request).
import { OnboardingFailure } from '../../contract/failures';
import { fail, failureTypeOf } from '../failures';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { statusComesWithWrites, toleratesLag } from '../versions';
import { recordError, showStep } from '../visibility';
import { afterActivation, isSettled } from './activation';

export async function createAccount(o: Onboarding): Promise<Step> {
  const keys = o.progress.idempotencyKeys;
  showStep(o, 'creating-account');
  const clientEntityId = o.progress.clientEntityId!;
  const { description } = o.checkedInput.account;
  let account;
  try {
    account = await o.call(
      'createCustodyAccount',
      'Create custody account',
      clientEntityId,
      description,
      keys.createAccount!,
    );
  } catch (err) {
    if (failureTypeOf(err) !== 'CircleConflict') throw err;
    // Only an account of this client with this exact request's description is taken as ours.
    account = await o.call(
      'findCustodyAccount',
      'Find existing custody account',
      clientEntityId,
      description,
    );
    if (!account) {
      throw fail(
        OnboardingFailure.AccountDescriptionTaken,
        'Another active account already uses this description (descriptions are unique across all end customers); start again with a different account.description',
        { clientEntityId },
      );
    }
    recordError(o, 'CircleConflict', `adopted existing account ${account.accountId}`);
  }
  o.progress.accountId = account.accountId;
  o.progress.accountStatus = account.status;
  if (toleratesLag()) o.state.accountCreatedAt ??= account.answeredAt ?? new Date().toISOString();
  // Active (or refused) already: creating read the status again, no activation wait.
  if (isSettled(account.status) && statusComesWithWrites()) return afterActivation(o, account.status);
  return 'activation';
}
