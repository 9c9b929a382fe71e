// The onboarding service over a real dev server, worker and simulator: start (idempotent, conflicts,
// validation), status and progress, lists by search attributes, cancel.
import { randomUUID } from 'node:crypto';
import { onboardingWorkflowId, type OnboardingInput } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { ID_KEY, problemOf, startThrough, useService, waitForProgressOf } from './helpers';

const t = useOnboardingEnv();
const s = useService(t);

const onboarding = (id: string) => t.client.workflow.getHandle(id);

async function statusOf(id: string) {
  const res = await s.read.get(`/v1/onboardings/${id}`);
  expect(res.status).toBe(200);
  return res.data as {
    id: string;
    status: string;
    result?: { accountId: string };
    failure?: { type: string };
  };
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('start: 202 with Location, the business-key id, and the onboarding completes', async () => {
  const input = onboardingInput();
  const res = await s.write.post('/v1/onboardings', input, { headers: { 'idempotency-key': randomUUID() } });

  expect(res.status).toBe(202);
  const id = onboardingWorkflowId(input.client, ID_KEY);
  expect(res.data).toEqual({ id, links: { self: `/v1/onboardings/${id}` } });
  expect(res.headers.location).toBe(`/v1/onboardings/${id}`);
  const result = await onboarding(id).result();
  expect(t.sim.control.state().applications.byStatus.APPROVED).toBe(1);

  const done = await statusOf(id);
  expect(done).toMatchObject({ id, status: 'COMPLETED', result: { accountId: result.accountId } });
  expect(done.failure).toBeUndefined();
});

test('a repeated start joins the same onboarding; a completed one is replayed for its own key only', async () => {
  const input = onboardingInput({ tag: '[manual]' }); // waits in review until decided
  const key = randomUUID();
  const first = await s.write.post('/v1/onboardings', input, { headers: { 'idempotency-key': key } });
  const again = await s.write.post('/v1/onboardings', input, { headers: { 'idempotency-key': key } });
  const otherKey = await s.write.post('/v1/onboardings', input, {
    headers: { 'idempotency-key': randomUUID() },
  });
  expect([first.status, again.status, otherKey.status]).toEqual([202, 202, 202]);
  expect(again.data.id).toBe(first.data.id);
  expect(otherKey.data.id).toBe(first.data.id);
  const runs = await until(
    async () => {
      const ids: string[] = [];
      for await (const wf of t.client.workflow.list({ query: `WorkflowId = '${first.data.id}'` }))
        ids.push(wf.runId);
      return ids;
    },
    (ids) => ids.length > 0,
  );
  expect(runs).toHaveLength(1);
  await waitForProgressOf(s.read, first.data.id, (p) => p.step === 'in-review');
  expect(t.sim.control.state().clients).toBe(1);

  await onboarding(first.data.id).terminate('test done');
  // Closed: the same request (same Idempotency-Key) is still the same start (Temporal's request id)...
  const replay = await s.write.post('/v1/onboardings', input, { headers: { 'idempotency-key': key } });
  expect(replay.status).toBe(202);
  expect(replay.data.id).toBe(first.data.id);
  expect((await onboarding(first.data.id).describe()).status.name).toBe('TERMINATED');
});

test('a key that started an onboarding starts no other: 422 IdempotencyKeyReused, for another client or input', async () => {
  const input = onboardingInput({ tag: '[manual]' });
  const key = randomUUID();
  const first = await s.write.post('/v1/onboardings', input, { headers: { 'idempotency-key': key } });
  expect(first.status).toBe(202);
  // The visibility index follows a start within about a second: the binding holds from then on.
  await until(
    async () => {
      const ids: string[] = [];
      for await (const wf of t.client.workflow.list({ query: `WorkflowId = '${first.data.id}'` }))
        ids.push(wf.workflowId);
      return ids;
    },
    (ids) => ids.length > 0,
  );

  const otherClient = onboardingInput({ tag: '[manual]' });
  const reusedForClient = await s.write.post('/v1/onboardings', otherClient, {
    headers: { 'idempotency-key': key },
  });
  const changed: OnboardingInput = { ...input, account: { description: 'another description' } };
  const reusedForInput = await s.write.post('/v1/onboardings', changed, {
    headers: { 'idempotency-key': key },
  });
  const retried = await s.write.post('/v1/onboardings', input, { headers: { 'idempotency-key': key } });

  expect([reusedForClient.status, reusedForInput.status, retried.status]).toEqual([422, 422, 202]);
  expect(problemOf(reusedForClient).failureType).toBe('IdempotencyKeyReused');
  expect(problemOf(reusedForClient).detail).not.toContain(first.data.id); // another client's id is not told
  expect(problemOf(reusedForInput).failureType).toBe('IdempotencyKeyReused');
  expect(retried.data.id).toBe(first.data.id);
  // Nothing was started for the other client, and Circle holds one client.
  const otherId = onboardingWorkflowId(otherClient.client, ID_KEY);
  await expect(onboarding(otherId).describe()).rejects.toThrow(/not found/i);
  await waitForProgressOf(s.read, first.data.id, (p) => p.step === 'in-review');
  expect(t.sim.control.state().clients).toBe(1);
  await onboarding(first.data.id).terminate('test done');
});

test('a completed onboarding is not started again: 409 OnboardingAlreadyCompleted', async () => {
  const input = onboardingInput();
  const id = await startThrough(s, input);
  await onboarding(id).result();
  const res = await s.write.post('/v1/onboardings', input, { headers: { 'idempotency-key': randomUUID() } });
  expect(res.status).toBe(409);
  expect(problemOf(res).failureType).toBe('OnboardingAlreadyCompleted');
});

test('another input for a running client is refused: 409 OnboardingInputConflict', async () => {
  const input = onboardingInput({ tag: '[manual]' });
  const id = await startThrough(s, input);
  const changed: OnboardingInput = { ...input, account: { description: 'another description' } };
  const res = await s.write.post('/v1/onboardings', changed, {
    headers: { 'idempotency-key': randomUUID() },
  });

  expect(res.status).toBe(409);
  const problem = problemOf(res);
  expect(problem.failureType).toBe('OnboardingInputConflict');
  expect(problem.detail).toContain(id);
  // Its writes done before it ends, so none of them lands in the next test's simulator.
  await waitForProgressOf(s.read, id, (p) => p.step === 'in-review');
  await onboarding(id).terminate('test done');
});

test('an invalid input is refused with per-field errors before anything starts', async () => {
  const input = onboardingInput();
  const bad = {
    ...input,
    client: { ...input.client, country: 'usa' },
    submission: { endUserAgreesToTermsOfService: false },
  };
  const res = await s.write.post('/v1/onboardings', bad, { headers: { 'idempotency-key': randomUUID() } });

  expect(res.status).toBe(400);
  const problem = problemOf(res);
  expect(problem.failureType).toBe('InvalidOnboardingInput');
  expect(problem.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: 'client.country', message: expect.stringMatching(/ISO 3166/) }),
      expect.objectContaining({ path: 'submission.endUserAgreesToTermsOfService' }),
      expect.objectContaining({ path: 'submission.endUserIpAddress' }),
    ]),
  );
  expect(t.sim.control.state().requests).toEqual([]);

  const noKey = await s.write.post('/v1/onboardings', input);
  expect(noKey.status).toBe(400);
  expect(problemOf(noKey).errors).toEqual([
    expect.objectContaining({ path: 'headers.idempotency-key', error: 'required' }),
  ]);
});

test('status: 404 for an unknown onboarding and for a workflow that is not one', async () => {
  const unknown = await s.read.get('/v1/onboardings/onboarding-US-does-not-exist');
  expect(unknown.status).toBe(404);
  expect(problemOf(unknown).failureType).toBe('OnboardingNotFound');

  const other = await t.client.workflow.start('someOtherWorkflow', {
    taskQueue: `nobody-${randomUUID()}`,
    workflowId: `other-${randomUUID()}`,
  });
  const res = await s.read.get(`/v1/onboardings/${other.workflowId}`);
  expect(res.status).toBe(404);
  expect(problemOf(res).failureType).toBe('OnboardingNotFound');
  await other.terminate('test done');
});

test('progress and lists by step and application status, page by page', async () => {
  const ids = [
    await startThrough(s, onboardingInput({ tag: '[rfi]' })),
    await startThrough(s, onboardingInput({ tag: '[rfi]' })),
  ];
  for (const id of ids) {
    const progress = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-rfi-answers');
    expect(progress.applicationStatus).toBe('PENDING_CUSTOMER_INFORMATION');
    expect(progress.rfis).toEqual([expect.objectContaining({ state: 'open', field: 'website' })]);
  }
  const status = await statusOf(ids[0]!);
  expect(status).toMatchObject({ status: 'RUNNING', progress: { step: 'awaiting-rfi-answers' } });

  type Page = { items: { id: string; step?: string; applicationStatus?: string }[]; nextPageToken?: string };
  const query = '/v1/onboardings?step=awaiting-rfi-answers&status=PENDING_CUSTOMER_INFORMATION';
  // Visibility is eventually consistent: wait until both show.
  const listed = await until(
    async () => (await s.read.get(`${query}&pageSize=100`)).data as Page,
    (p) => ids.every((id) => p.items.some((i) => i.id === id)),
  );
  expect(listed.items.filter((i) => ids.includes(i.id))).toEqual(
    ids.map(() =>
      expect.objectContaining({
        step: 'awaiting-rfi-answers',
        applicationStatus: 'PENDING_CUSTOMER_INFORMATION',
      }),
    ),
  );
  for (const i of listed.items) expect(i).toMatchObject({ step: 'awaiting-rfi-answers' });

  const first = (await s.read.get(`${query}&pageSize=1`)).data as Page;
  expect(first.items).toHaveLength(1);
  expect(first.nextPageToken).toEqual(expect.any(String));
  const second = (await s.read.get(`${query}&pageSize=1&pageToken=${first.nextPageToken}`)).data as Page;
  expect(second.items).toHaveLength(1);
  expect(second.items[0]!.id).not.toBe(first.items[0]!.id);

  const others = (await s.read.get('/v1/onboardings?step=in-review&pageSize=100')).data as Page;
  expect(others.items.some((i) => ids.includes(i.id))).toBe(false);

  const bad = await s.read.get('/v1/onboardings?step=sleeping&status=maybe&pageSize=0&color=red');
  expect(bad.status).toBe(400);
  expect(
    problemOf(bad)
      .errors!.map((e) => e.path)
      .sort(),
  ).toEqual(['query', 'query.pageSize', 'query.status', 'query.step']);
  for (const id of ids) await onboarding(id).terminate('test done');
});

test('cancel: 202, the DRAFT application is cancelled at Circle, a second cancel is 409', async () => {
  const input = onboardingInput();
  delete input.sections!.businessAddress; // parks the onboarding before submission
  const id = await startThrough(s, input);
  const { applicationId } = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-section-data');

  const res = await s.write.post(`/v1/onboardings/${id}/cancel`);
  expect(res.status).toBe(202);
  expect(res.data).toMatchObject({ id, cancelRequested: true });
  await expect(onboarding(id).result()).rejects.toThrow();
  const after = await statusOf(id);
  expect(after).toMatchObject({ status: 'CANCELLED', failure: { type: 'Cancelled' } });
  expect(t.sim.control.state().applications.byStatus.CANCELLED).toBe(1);
  expect(applicationId).toEqual(expect.any(String));

  const again = await s.write.post(`/v1/onboardings/${id}/cancel`);
  expect(again.status).toBe(409);
  expect(problemOf(again).failureType).toBe('OnboardingNotReady');
});
