// Step `client`: `POST /v1/partner/clients` with the key derived from the workflow id, so a reset or a
// re-run gets Circle's replay of its own request. A 409 adopts the existing client only when asked to.
import { OnboardingFailure } from '../../contract/failures';
import { CircleApplicationId, CircleClientEntityId, ClientCountry } from '../../contract/search-attributes';
import { fail, failureTypeOf } from '../failures';
import type { Onboarding } from '../onboarding';
import type { Step } from '../state';
import { statusComesWithWrites, toleratesLag } from '../versions';
import { recordError, setAttributes, showApplicationStatus, showStep } from '../visibility';
import { persistently } from '../waiting';
import { stepFor } from './route';

export async function createClient(o: Onboarding): Promise<Step> {
  const { client } = o.checkedInput;
  showStep(o, 'creating-client');
  setAttributes(o, [{ key: ClientCountry, value: client.country }]);
  let ids: { clientEntityId: string; applicationId: string; applicationStatus?: string; answeredAt?: string };
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
  if (toleratesLag()) o.state.clientCreatedAt ??= ids.answeredAt ?? new Date().toISOString();
  setAttributes(o, [
    { key: CircleClientEntityId, value: ids.clientEntityId },
    { key: CircleApplicationId, value: ids.applicationId },
  ]);
  // Created, replayed or adopted: the application's status says what comes next. Creating read it.
  if (ids.applicationStatus === undefined || !statusComesWithWrites()) return 'route';
  showApplicationStatus(o, ids.applicationStatus);
  return stepFor(o, ids.applicationStatus);
}

async function adoptExisting(o: Onboarding): Promise<{ clientEntityId: string; applicationId: string }> {
  const { client, adoptExistingClient } = o.checkedInput;
  // A lookup is a read: since `lagging-circle` it runs with a read's budget (paging on across its
  // attempts) and an outage is waited out, like every read outside a poll.
  const find = () =>
    toleratesLag()
      ? o.read('findExistingClient', 'Find existing Circle client', client.clientName, client.country)
      : o.call('findExistingClient', 'Find existing Circle client', client.clientName, client.country);
  const existing = toleratesLag() ? await persistently(o, 'existing client', find) : await find();
  if (!existing) {
    throw fail(
      OnboardingFailure.ClientAlreadyExists,
      'Circle reports a client with this name and country, but it is not in the client list',
      null,
    );
  }
  // Ours if an earlier run of this onboarding recorded it (Circle forgot our key, e.g. after a reset
  // or a re-run long after the first run); anyone else's only when the caller asked to adopt it.
  const recorded = () =>
    o.read(
      'recordedByOwnRun',
      "Check the client is this onboarding's own",
      o.workflowId,
      existing.clientEntityId,
    );
  const own = toleratesLag() ? await persistently(o, 'own runs', recorded) : await recorded();
  if ((!own && !adoptExistingClient) || !existing.applicationId) {
    throw fail(
      OnboardingFailure.ClientAlreadyExists,
      adoptExistingClient || own
        ? `The existing client ${existing.clientEntityId} has no application to continue`
        : `A client with this name and country already exists (clientEntityId ${existing.clientEntityId}); start with adoptExistingClient: true to continue its onboarding`,
      existing,
    );
  }
  const mismatch = (['natureOfBusiness', 'institutionType'] as const).filter(
    (f) =>
      existing.businessDetails?.[f] !== undefined &&
      existing.businessDetails[f] !== client.businessDetails[f],
  );
  if (mismatch.length) {
    throw fail(
      OnboardingFailure.AdoptionMismatch,
      `The existing client ${existing.clientEntityId} has a different ${mismatch.join(', ')}; correct the input or the client at Circle`,
      { clientEntityId: existing.clientEntityId, fields: mismatch },
    );
  }
  recordError(
    o,
    'CircleConflict',
    `adopted ${own ? "this onboarding's own" : 'the existing'} client ${existing.clientEntityId}`,
  );
  o.state.adoptedExistingClient = !own;
  return { clientEntityId: existing.clientEntityId, applicationId: existing.applicationId };
}
