// Step `clive` (optional): register the client with Clive. The key covers the body, so a re-run with
// a corrected body is a new request; after CLIENT_EXISTS, Clive's client is adopted only if it matches.
import type { CreateCliveClientBody } from '../../clive/wire';
import { OnboardingFailure } from '../../contract/failures';
import { fail, failureTypeOf } from '../failures';
import { keyOf } from '../keys';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { recordError, showStep } from '../visibility';

export async function registerWithClive(o: Onboarding): Promise<Step> {
  const clive = o.checkedInput.clive;
  if (!clive) return 'done';
  const body: CreateCliveClientBody = {
    client_id: clive.clientId,
    legal_name: clive.legalName,
    status: clive.status,
    partner_fee_percentage: clive.partnerFeePercentage,
    partner_fee_flat_usd: clive.partnerFeeFlatUsd,
  };
  const key = keyOf.clive(o.workflowId, body);
  o.progress.idempotencyKeys.cliveClient = key;
  showStep(o, 'registering-clive');
  try {
    o.progress.cliveClientId = (
      await o.call('registerCliveClient', 'Register client with Clive', body, key)
    ).cliveClientId;
  } catch (err) {
    if (failureTypeOf(err) !== 'CliveConflict') throw err;
    const existing = await o.call('findCliveClient', 'Find existing Clive client', clive.clientId);
    if (!existing) throw err;
    const mismatch = differences(body, existing);
    if (mismatch.length) {
      throw fail(
        OnboardingFailure.AdoptionMismatch,
        `Clive already has client ${clive.clientId} with a different ${mismatch.join(', ')}; correct the clive input or the Clive client`,
        { cliveClientId: existing.cliveClientId, fields: mismatch },
      );
    }
    recordError(o, 'CliveConflict', `adopted existing Clive client ${existing.cliveClientId}`);
    o.progress.cliveClientId = existing.cliveClientId;
  }
  return 'done';
}

/** Fields of the request that Clive's existing client holds differently (names only: no values). */
function differences(body: CreateCliveClientBody, existing: Partial<CreateCliveClientBody>): string[] {
  const fields = ['legal_name', 'partner_fee_percentage', 'partner_fee_flat_usd'] as const;
  return fields.filter((f) => body[f] !== undefined && existing[f] !== undefined && body[f] !== existing[f]);
}
