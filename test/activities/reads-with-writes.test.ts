// Writes that read what they lead to, against the simulator: the read saves the workflow a task when it
// works, and when it fails the write still succeeds, without its answer (the workflow then reads on its
// own, with a read's budget), and nothing is created twice.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAccountActivities } from '../../src/activities/account';
import { createApplicationActivities } from '../../src/activities/application';
import { createClientActivities } from '../../src/activities/client';
import { CircleClient } from '../../src/circle/client';
import { exampleApplicationData, startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
let circle: CircleClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, reviewDelayMs: 0, accountActivationDelayMs: 0 });
  circle = new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:local:simulator', timeoutMs: 2000 });
});
afterAll(() => sim?.close());
beforeEach(() => sim.control.reset());

const profile = { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' } as const;
const client = () => ({
  clientName: `Reads ${randomUUID().slice(0, 8)}`,
  country: 'US',
  clientType: 'business' as const,
  businessDetails: profile,
});
const env = new MockActivityEnvironment();
const clients = () => createClientActivities(circle);
const applications = () => createApplicationActivities(circle);
/** Runs an activity in a mock activity context, typed by the activity. */
const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  env.run(fn, ...args) as Promise<R>;
const prepare = (...args: Parameters<ReturnType<typeof applications>['prepareSections']>) =>
  run(applications().prepareSections, ...args);
const createClient = (...args: Parameters<ReturnType<typeof clients>['createClient']>) =>
  run(clients().createClient, ...args);
const GET_APPLICATION = { method: 'GET', path: '/v1/onboarding/partner/applications/*' } as const;

test('creating the client reads the application status; a failed read leaves it out', async () => {
  const created = await createClient(client(), randomUUID());
  expect(created).toMatchObject({ applicationStatus: 'DRAFT' });

  sim.control.setFaults([{ ...GET_APPLICATION, mode: 'error', status: 500, times: 1 }]);
  const second = await createClient(client(), randomUUID());
  expect(second.applicationId).toEqual(expect.any(String));
  expect(second).not.toHaveProperty('applicationStatus');
  expect(sim.control.state().clients).toBe(2);
});

test('reads, writes and their failures carry when Circle answered, for the workflow to judge lag by', async () => {
  const before = Date.now();
  const created = await createClient(client(), randomUUID());
  const read = await run(applications().getApplication, created.applicationId);
  const after = Date.now();
  for (const at of [created.answeredAt, read.answeredAt]) {
    expect(Date.parse(at!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(at!)).toBeLessThanOrEqual(after);
  }
  const err: unknown = await run(applications().getApplication, randomUUID()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  const failure = err as ApplicationFailure;
  expect(failure.type).toBe('CircleNotFound');
  const details = failure.details?.[0] as { answeredAt?: string };
  expect(Date.parse(details.answeredAt!)).toBeGreaterThanOrEqual(after);
});

test('the sections task checks, saves, then reads statuses and file fields; nothing saved on problems', async () => {
  const { applicationId } = await circle.createClient(client(), randomUUID());
  const sections = exampleApplicationData(profile) as Record<string, unknown>;
  const names = Object.keys(sections);

  const before = sim.control.state().requests.length;
  const bad = await prepare(
    applicationId,
    { ...sections, basicBusinessInfo: { website: 'not a url' } },
    names,
    'bulk',
  );
  expect(bad.errors.length).toBeGreaterThan(0);
  expect(bad).not.toHaveProperty('sections');
  const sent = sim.control.state().requests.slice(before);
  expect(sent.filter((r) => r.method !== 'GET')).toEqual([]); // checked, nothing saved

  const done = await prepare(applicationId, sections, names, 'bulk');
  expect(done.errors).toEqual([]);
  expect(done.sections!.every((s) => s.status === 'complete')).toBe(true);
  expect(done.slots).toEqual([]); // a private company's template has no file fields

  sim.control.setFaults([
    { method: 'GET', path: '/v1/onboarding/partner/applications/*/sections', mode: 'error', status: 503 },
  ]);
  const noStatuses = await prepare(applicationId, sections, [], 'bulk');
  expect(noStatuses.errors).toEqual([]);
  expect(noStatuses).not.toHaveProperty('sections'); // the workflow reads them with a read's budget
});

test('submitting reads the status once more (moved on at once here); a failed read keeps the submit answer', async () => {
  const submission = { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.7' };
  const ready = async () => {
    const { applicationId } = await circle.createClient(client(), randomUUID());
    await circle.saveSections(applicationId, exampleApplicationData(profile) as Record<string, unknown>);
    return applicationId;
  };
  const first = await ready();
  const decided = await run(applications().submitApplication, first, submission, randomUUID());
  expect(decided.status).not.toBe('SUBMITTED');

  const second = await ready();
  sim.control.setFaults([{ ...GET_APPLICATION, mode: 'error', status: 500, times: 1 }]);
  const answer = await run(applications().submitApplication, second, submission, randomUUID());
  expect(answer.status).toBe('SUBMITTED');
  expect(sim.control.state().submissions).toBe(2);
});

test('creating the account reads it once more; a failed read keeps the create answer', async () => {
  const accounts = createAccountActivities(circle);
  const approved = async () => {
    const { clientEntityId, applicationId } = await circle.createClient(client(), randomUUID());
    await circle.saveSections(applicationId, exampleApplicationData(profile) as Record<string, unknown>);
    await circle.submit(
      applicationId,
      { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.7' },
      randomUUID(),
    );
    // The review takes its steps on timers of its own, even with no delay.
    while ((await circle.getApplication(applicationId)).status !== 'APPROVED') {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return clientEntityId;
  };
  const active = await run(
    accounts.createCustodyAccount,
    await approved(),
    `Custody ${randomUUID()}`,
    randomUUID(),
  );
  expect(active.status).toBe('active');

  const owner = await approved();
  sim.control.setFaults([{ method: 'GET', path: '/v1/accounts/*', mode: 'error', status: 500, times: 1 }]);
  const pending = await run(accounts.createCustodyAccount, owner, `Custody ${randomUUID()}`, randomUUID());
  expect(pending.status).toBe('pending');
  expect(sim.control.state().accounts.total).toBe(2);
});
