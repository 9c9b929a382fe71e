// Circle as it really behaves, through the simulator's realism modes: reads that lag behind writes,
// RFIs listed after the status change, a reviewer who sends the application back to DRAFT, a 404 right
// after a create, statuses the docs do not list. Each onboarding completes, with every write once.
import { CircleClient } from '../../src/circle/client';
import { answerRfiUpdate } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { failureOf, start, waitForProgress } from '../helpers/workflow';

const t = useOnboardingEnv({ accountActivationDelayMs: 1000 });

const SUBMIT = /^\/v1\/onboarding\/partner\/applications\/[^/]+\/submit$/;
const submits = () =>
  t.sim.control.state().requests.filter((r) => r.method === 'POST' && SUBMIT.test(r.path));

/** An input whose client meets `tag` at the simulator, reads judged stale for `staleReadWindow`. */
function lagging(tag: string, staleReadWindow = '5 seconds') {
  const input = onboardingInput({ tag });
  return { ...input, options: { ...input.options, staleReadWindow } };
}

test('reads that lag after the submit: the accepted submit is trusted, never sent again', async () => {
  const handle = await start(t, lagging('[realism:readLagMs=1500]'));
  const result = await handle.result();

  expect(result.submissionRounds).toBe(1);
  expect(submits()).toHaveLength(1); // no resubmission while reads still showed DRAFT
  expect(t.sim.control.state()).toMatchObject({ clients: 1, submissions: 1, accounts: { total: 1 } });
});

test('an application sent back to DRAFT is submitted again under a key of its own', async () => {
  const handle = await start(t, lagging('[draft]', '1 second'));
  const result = await handle.result();

  expect(result.submissionRounds).toBe(2);
  const keys = result.idempotencyKeys.submissions;
  expect(new Set(keys).size).toBe(2);
  expect(submits().map((r) => r.idempotencyKey)).toEqual(keys); // each sent once, none replayed
  expect(t.sim.control.state()).toMatchObject({
    submissions: 2,
    applications: { byStatus: { APPROVED: 1 } },
  });
});

test('RFIs listed after the status change: the round waits for them, and resubmits only once answered', async () => {
  const handle = await start(t, lagging('[rfi] [realism:rfiListDelayMs=1500]'));
  const waiting = await waitForProgress(
    handle,
    (p) => p.step === 'awaiting-rfi-answers' && p.rfis.some((r) => r.state === 'open'),
  );
  expect(submits()).toHaveLength(1); // nothing resubmitted while no RFI was listed
  const rfi = waiting.rfis.find((r) => r.state === 'open')!;
  await handle.executeUpdate(answerRfiUpdate, {
    args: [{ rfiId: rfi.rfiId, answer: { [rfi.field]: 'https://acme.example.com' } }],
  });

  const result = await handle.result();
  expect(result.submissionRounds).toBe(2);
  expect(submits().map((r) => r.status)).toEqual([200, 200]);
  expect(t.sim.control.state()).toMatchObject({ submissions: 2, accounts: { total: 1 } });
});

test('a 404 right after the client was created is read again, not taken as the end', async () => {
  const handle = await start(t, lagging('[realism:notFoundAfterCreateMs=1000]'));
  const result = await handle.result();

  expect(result.clientEntityId).toEqual(expect.any(String));
  expect(t.sim.control.state()).toMatchObject({ clients: 1, submissions: 1, accounts: { total: 1 } });
});

test('statuses the docs do not list are shown and waited on, for the application and the account', async () => {
  const handle = await start(
    t,
    lagging(
      '[manual] [realism:unknownApplicationStatus=UNDER_ENHANCED_REVIEW,unknownAccountStatus=provisioning]',
    ),
  );
  const inReview = await waitForProgress(handle, (p) => p.applicationStatus === 'UNDER_ENHANCED_REVIEW');
  expect(inReview.step).toBe('in-review');
  t.sim.control.review(inReview.applicationId!, { outcome: 'approve' });

  const activating = await waitForProgress(handle, (p) => p.accountStatus === 'provisioning');
  expect(activating.step).toBe('awaiting-account-activation');
  const result = await handle.result();
  expect(result.accountId).toEqual(activating.accountId);
  expect(t.sim.control.state()).toMatchObject({ accounts: { total: 1, byStatus: { active: 1 } } });
});

test('an application cancelled at Circle while the onboarding waits for section data ends it at once', async () => {
  const input = lagging('');
  const sections = input.sections as Record<string, Record<string, unknown>>;
  const handle = await start(t, {
    ...input,
    sections: { ...sections, basicBusinessInfo: { ...sections.basicBusinessInfo, website: 'not a url' } },
  });
  const waiting = await waitForProgress(handle, (p) => p.step === 'awaiting-section-data');
  const circle = new CircleClient({ baseUrl: t.sim.url, apiKey: 'TEST_API_KEY:local:simulator' });
  await circle.cancelApplication(waiting.applicationId!);

  const started = Date.now();
  const failure = await failureOf(handle);
  expect(failure.type).toBe('ApplicationCancelledAtCircle');
  expect(Date.now() - started).toBeLessThan(10_000); // not at the 20 s section-data deadline
});

test('cancelled just after the reviewer sent the application back to DRAFT: the draft is cancelled at Circle', async () => {
  const handle = await start(t, lagging('[manual]', '5 minutes'));
  const review = await waitForProgress(handle, (p) => p.step === 'in-review');
  t.sim.control.review(review.applicationId!, { outcome: 'draft' });
  await handle.cancel(); // the run still shows the application in review
  await handle.result().catch(() => undefined);

  const circle = new CircleClient({ baseUrl: t.sim.url, apiKey: 'TEST_API_KEY:local:simulator' });
  expect((await circle.getApplication(review.applicationId!)).status).toBe('CANCELLED');
});

test('cancelled just after the client was created, while Circle does not show it yet: the draft is cancelled', async () => {
  const handle = await start(t, lagging('[realism:notFoundAfterCreateMs=3000]'));
  const { applicationId } = await waitForProgress(handle, (p) => p.applicationId !== undefined);
  await handle.cancel(); // within the 3 s Circle answers reads of the new application with a 404
  await handle.result().catch(() => undefined);

  // What Circle holds (its own state: its API still answers 404 for a moment).
  const { byStatus } = t.sim.control.state().applications;
  expect(byStatus).toMatchObject({ CANCELLED: 1, DRAFT: 0 });
  expect(applicationId).toEqual(expect.any(String));
  expect((await handle.describe()).status.name).toBe('CANCELLED');
});
