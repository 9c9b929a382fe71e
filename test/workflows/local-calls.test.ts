// WORKER_LOCAL_CIRCLE_CALLS: onboardings started on such a worker call Circle from local activities.
// Their writes keep their keys, so a retried one still lands once; the lag judgments use the same
// recorded answer times; an RFI round and a continue-as-new keep calling locally.
import type { temporal } from '@temporalio/proto';
import { answerRfiUpdate } from '../../src/contract';
import type { FaultRuleInput } from '../../simulator';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep, type OnboardingHandle } from '../helpers/workflow';

const t = useOnboardingEnv({}, { localCircleCalls: true });

type Event = temporal.api.history.v1.IHistoryEvent;

/** Activity types of the regular activities and of the local ones (their markers) in a run's history. */
async function callsIn(handle: OnboardingHandle, runId?: string) {
  const h = runId ? t.client.workflow.getHandle(handle.workflowId, runId) : handle;
  const events: Event[] = (await h.fetchHistory()).events ?? [];
  const regular = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  const local = events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    const data = marker.details?.data?.payloads?.[0]?.data;
    const details = data ? (JSON.parse(Buffer.from(data).toString()) as { activity_type?: string }) : {};
    return details.activity_type ? [details.activity_type] : [];
  });
  return { regular, local, events: events.length };
}

const APPS = '/v1/onboarding/partner/applications';
const FAULTS: FaultRuleInput[] = [
  { method: 'POST', path: '/v1/partner/clients', mode: 'error', status: 500, times: 1 },
  { method: 'POST', path: `${APPS}/*/submit`, mode: 'drop-after-commit', times: 1 },
  { method: 'POST', path: '/v1/accounts', mode: 'error', status: 429, retryAfterSeconds: 1, times: 1 },
  { method: 'GET', path: `${APPS}/*`, mode: 'error', status: 503, times: 1 },
];

test('the happy path calls Circle from local activities, each write once despite faults', async () => {
  t.sim.control.setFaults(FAULTS);
  const handle = await start(t, onboardingInput());
  const result = await handle.result();

  expect(result.accountId).toEqual(expect.any(String));
  const { regular, local } = await callsIn(handle);
  expect(regular).toEqual([]); // no activity task went through the server
  expect(local).toEqual(
    expect.arrayContaining(['validateOnboardingInput', 'createClient', 'prepareSections']),
  );
  expect(local).toEqual(expect.arrayContaining(['submitApplication', 'createCustodyAccount']));
  const state = t.sim.control.state();
  expect(state).toMatchObject({ clients: 1, submissions: 1, accounts: { total: 1 } });
  // Each faulted write really was sent twice: the retry was the local activity's own.
  const posts = (path: RegExp) => state.requests.filter((r) => r.method === 'POST' && path.test(r.path));
  expect(posts(/^\/v1\/partner\/clients$/)).toHaveLength(2);
  expect(posts(/^\/v1\/onboarding\/partner\/applications\/[^/]+\/submit$/)).toHaveLength(2);
  expect(posts(/^\/v1\/accounts$/)).toHaveLength(2);
});

test('reads that lag behind the submit are judged by their recorded times here too', async () => {
  const input = onboardingInput({ tag: '[realism:readLagMs=1500]' });
  const handle = await start(t, { ...input, options: { ...input.options, staleReadWindow: '5 seconds' } });
  const result = await handle.result();

  expect(result.submissionRounds).toBe(1);
  expect(t.sim.control.state()).toMatchObject({ clients: 1, submissions: 1, accounts: { total: 1 } });
  expect((await callsIn(handle)).regular).toEqual([]);
});

test('an RFI round after a continue-as-new still calls Circle locally, and answers once', async () => {
  const input = onboardingInput({ tag: '[rfi]' });
  const handle = await start(t, { ...input, options: { ...input.options, maxHistoryEvents: 100 } });
  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers', 30_000);
  // The RFI wait polls until its history reaches 100 events, then continues as new.
  let runId = handle.firstExecutionRunId;
  for (let i = 0; i < 300 && runId === handle.firstExecutionRunId; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    runId = (await handle.describe()).runId;
  }
  expect(runId).not.toBe(handle.firstExecutionRunId);
  await handle.executeUpdate(answerRfiUpdate, {
    args: [{ rfiId: rfis[0]!.rfiId, answer: { website: 'https://acme.example.net' } }],
  });
  const result = await handle.result();

  expect(result.submissionRounds).toBe(2);
  const later = await callsIn(handle, (await handle.describe()).runId);
  expect(later.regular).toEqual([]);
  expect(later.local).not.toContain('validateOnboardingInput'); // the choice came with the state
  expect(later.local).toEqual(expect.arrayContaining(['answerRfi', 'submitApplication']));
  const state = t.sim.control.state();
  expect(state).toMatchObject({ submissions: 2, accounts: { total: 1 } });
  const answers = state.requests.filter((r) => r.method === 'PATCH' && /\/rfis\/[^/]+$/.test(r.path));
  expect(answers).toHaveLength(1); // sent once, by the run that continued
  expect(answers[0]!.status).toBeGreaterThanOrEqual(200);
  expect(answers[0]!.status).toBeLessThan(300);
});
