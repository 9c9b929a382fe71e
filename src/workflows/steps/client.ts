// Step `client`: `POST /v1/partner/clients` with the key derived from the workflow id, so a reset or a
// re-run gets Circle's replay of its own request. A 409 adopts the existing client only when asked to.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { OnboardingFailure } from '../../contract/failures';
import { CircleApplicationId, CircleClientEntityId, ClientCountry } from '../../contract/search-attributes';
import { fail, failureTypeOf } from '../failures';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { recordError, showStep } from '../visibility';

export async function createClient(o: Onboarding): Promise<Step> {
  const { client } = o.checkedInput;
  showStep(o, 'creating-client');
  upsertSearchAttributes([{ key: ClientCountry, value: client.country }]);
  let ids: { clientEntityId: string; applicationId: string };
  try {
    ids = await o.call(
      'createClient',
      'Create Circle partner client',
      client,
      o.progress.idempotencyKeys.createClient,
    );
  } catch (err) {
    // Circle replays its answer for our own key, so a 409 means the key was not recognised (another
    // caller's client, or our key expired): adopt only when the caller asked for it.
    if (failureTypeOf(err) !== 'CircleConflict') throw err;
    ids = await adoptExisting(o);
  }
  o.progress.clientEntityId = ids.clientEntityId;
  o.progress.applicationId = ids.applicationId;
  upsertSearchAttributes([
    { key: CircleClientEntityId, value: ids.clientEntityId },
    { key: CircleApplicationId, value: ids.applicationId },
  ]);
  return 'route'; // created, replayed or adopted: the application's status says what comes next
}

async function adoptExisting(o: Onboarding): Promise<{ clientEntityId: string; applicationId: string }> {
  const { client, adoptExistingClient } = o.checkedInput;
  const existing = await o.call(
    'findExistingClient',
    'Find existing Circle client',
    client.clientName,
    client.country,
  );
  if (!existing) {
    throw fail(
      OnboardingFailure.ClientAlreadyExists,
      'Circle reports a client with this name and country, but it is not in the client list',
      null,
    );
  }
  if (!adoptExistingClient || !existing.applicationId) {
    throw fail(
      OnboardingFailure.ClientAlreadyExists,
      adoptExistingClient
        ? `The existing client ${existing.clientEntityId} has no application to continue`
        : `A client with this name and country already exists (clientEntityId ${existing.clientEntityId}); start with adoptExistingClient: true to continue its onboarding`,
      existing,
    );
  }
  recordError(o, 'CircleConflict', `adopted existing client ${existing.clientEntityId}`);
  o.state.adoptedExistingClient = true;
  return { clientEntityId: existing.clientEntityId, applicationId: existing.applicationId };
}
