// The whole onboarding on a real dev server against the simulator: ids returned, and every side
// effect happened exactly once.
import { Client } from '@temporalio/client';
import { OnboardingStartRefused, progressQuery, startOnboarding } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep } from '../helpers/workflow';

const t = useOnboardingEnv();

const clive = { clientId: 'ACME-PAY-001', legalName: 'Acme Payments Inc.', partnerFeePercentage: 3 };

test('creates client, application, account and Clive client exactly once', async () => {
  const handle = await start(t, onboardingInput({ clive }));
  const result = await handle.result();

  expect(result).toMatchObject({
    clientEntityId: expect.any(String),
    applicationId: expect.any(String),
    accountId: expect.any(String),
    cliveClientId: expect.any(String),
    adoptedExistingClient: false,
    submissionRounds: 1,
  });
  const state = t.sim.control.state();
  expect(state.clients).toBe(1);
  expect(state.applications.byStatus.APPROVED).toBe(1);
  expect(state.submissions).toBe(1);
  expect(state.accounts).toMatchObject({ total: 1, byStatus: { active: 1 } });
  expect(state.cliveClients).toBe(1);

  // The keys in the result are the ones Circle and Clive saw.
  const keysSeen = new Set(state.requests.map((r) => r.idempotencyKey).filter(Boolean));
  const { createClient, submissions, createAccount, cliveClient } = result.idempotencyKeys;
  for (const key of [createClient, ...submissions, createAccount, cliveClient])
    expect(keysSeen).toContain(key);

  const progress = await handle.query(progressQuery);
  expect(progress.step).toBe('completed');
  expect(progress.applicationStatus).toBe('APPROVED');
  expect(progress.timeline.map((s) => s.step)).toEqual(
    expect.arrayContaining([
      'creating-client',
      'saving-sections',
      'in-review',
      'creating-account',
      'registering-clive',
    ]),
  );
});

test('is findable by its search attributes, which hold no client name', async () => {
  const input = onboardingInput();
  const handle = await start(t, input);
  const { applicationId } = await handle.result();

  const { typedSearchAttributes } = await handle.describe();
  const values = Object.fromEntries(typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
  expect(values).toMatchObject({
    OnboardingStep: 'completed',
    CircleApplicationStatus: 'APPROVED',
    CircleApplicationId: applicationId,
    ClientCountry: 'US',
  });
  expect(JSON.stringify(values)).not.toContain(input.client.clientName);
});

test('starting an onboarding that is already running joins it instead of starting another', async () => {
  // Counts what each start asks of Temporal: the first creates the run and reads nothing back.
  const calls: string[] = [];
  const client = new Client({
    connection: t.client.connection,
    namespace: t.client.options.namespace,
    interceptors: {
      workflow: [
        {
          start: (input, next) => (
            calls.push(`start ${input.options.workflowIdConflictPolicy}`),
            next(input)
          ),
          describe: (input, next) => (calls.push('describe'), next(input)),
        },
      ],
    },
  });
  const input = onboardingInput({ tag: '[manual]' }); // stays in review until decided
  const first = await startOnboarding(client, input, { taskQueue: t.taskQueue });
  expect(calls).toEqual(['start FAIL']);
  const second = await startOnboarding(client, input, { taskQueue: t.taskQueue });

  expect(calls).toEqual(['start FAIL', 'start FAIL', 'start USE_EXISTING', 'describe']);
  expect(second.workflowId).toBe(first.workflowId);
  expect(second.firstExecutionRunId).toBe(first.firstExecutionRunId);
  await waitForStep(first, 'in-review');
  await first.terminate('test done');
  expect(t.sim.control.state().clients).toBe(1);
});

test('starting the same client with a different input is refused, not silently joined', async () => {
  const input = onboardingInput({ tag: '[manual]' });
  const first = await startOnboarding(t.client, input, { taskQueue: t.taskQueue });
  const changed = { ...input, account: { description: `${input.account.description} (changed)` } };
  const refusal = await startOnboarding(t.client, changed, { taskQueue: t.taskQueue }).catch(
    (e: unknown) => e,
  );

  expect(refusal).toBeInstanceOf(OnboardingStartRefused);
  expect(refusal).toMatchObject({ type: 'OnboardingInputConflict', workflowId: first.workflowId });
  expect((await first.describe()).status.name).toBe('RUNNING');
  await waitForStep(first, 'in-review');
  await first.terminate('test done');
  expect(t.sim.control.state().clients).toBe(1);
});
