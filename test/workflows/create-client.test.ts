// The first step of the onboarding on a real Temporal dev server against the simulator: the
// partner client is created exactly once, whatever fails on the way.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import axios from 'axios';
import type { OnboardingInput, OnboardingResult } from '../../src/contract';
import { clientInput, onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';

const t = useOnboardingEnv();

function run(input: OnboardingInput): Promise<OnboardingResult> {
  return t.client.workflow.execute('onboardPartnerClient', {
    taskQueue: t.taskQueue,
    workflowId: `create-client-${Math.random().toString(36).slice(2)}`,
    args: [input],
  });
}

async function failureOf(input: OnboardingInput): Promise<ApplicationFailure> {
  const err = await run(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const createRequests = () =>
  t.sim.control.state().requests.filter((r) => r.method === 'POST' && r.path === '/v1/partner/clients');

async function listClients() {
  const res = await axios.get(`${t.sim.url}/v1/partner/clients`, {
    headers: { Authorization: 'Bearer TEST_API_KEY:local:simulator' },
  });
  return res.data.data as { clientEntityId: string; clientName: string }[];
}

test('creates the client and returns its ids and the idempotency key it used', async () => {
  const client = clientInput();
  const result = await run(onboardingInput({ client }));

  const clients = await listClients();
  expect(clients).toHaveLength(1);
  expect(clients[0]).toMatchObject({ clientEntityId: result.clientEntityId, clientName: client.clientName });
  expect(result.applicationId).toMatch(/^[0-9a-f-]{36}$/);
  expect(result.adoptedExistingClient).toBe(false);
  expect(createRequests().map((r) => r.idempotencyKey)).toEqual([result.idempotencyKeys.createClient]);
});

test('a 500 followed by success creates exactly one client, retried with the same key', async () => {
  t.sim.control.setFaults([
    { method: 'POST', path: '/v1/partner/clients', mode: 'error', status: 500, times: 1 },
  ]);
  const result = await run(onboardingInput());

  expect(t.sim.control.state().clients).toBe(1);
  const requests = createRequests();
  expect(requests.map((r) => r.status)).toEqual([500, 200]);
  expect(new Set(requests.map((r) => r.idempotencyKey))).toEqual(
    new Set([result.idempotencyKeys.createClient]),
  );
});

test('a response lost after Circle committed is answered by the replay: one client, same ids', async () => {
  t.sim.control.setFaults([
    { method: 'POST', path: '/v1/partner/clients', mode: 'drop-after-commit', times: 1 },
  ]);
  const result = await run(onboardingInput());

  expect(t.sim.control.state().clients).toBe(1);
  const [committed] = await listClients();
  expect(result.clientEntityId).toBe(committed?.clientEntityId);
  const requests = createRequests();
  expect(requests).toHaveLength(2);
  expect(requests[1]).toMatchObject({ replay: true, idempotencyKey: result.idempotencyKeys.createClient });
});

test('a 429 is retried after the Retry-After delay, not the default backoff', async () => {
  t.sim.control.setFaults([
    {
      method: 'POST',
      path: '/v1/partner/clients',
      mode: 'error',
      status: 429,
      retryAfterSeconds: 3,
      times: 1,
    },
  ]);
  await run(onboardingInput());

  const [limited, accepted] = createRequests();
  expect(limited?.status).toBe(429);
  expect(accepted?.status).toBe(200);
  // The activity's own backoff would retry after 1 s; Retry-After asks for 3 s.
  expect(Date.parse(accepted!.at) - Date.parse(limited!.at)).toBeGreaterThanOrEqual(2900);
  expect(t.sim.control.state().clients).toBe(1);
});

describe('a client that already exists at Circle', () => {
  async function existingClient(client: OnboardingInput['client']) {
    const res = await axios.post(`${t.sim.url}/v1/partner/clients`, client, {
      headers: {
        Authorization: 'Bearer TEST_API_KEY:local:simulator',
        'X-Idempotency-Key': crypto.randomUUID(),
      },
    });
    return res.data.data as { clientEntityId: string; applicationId: string };
  }

  test('fails the onboarding with ClientAlreadyExists carrying the existing id', async () => {
    const client = clientInput();
    const existing = await existingClient(client);

    const failure = await failureOf(onboardingInput({ client }));
    expect(failure.type).toBe('ClientAlreadyExists');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details?.[0]).toMatchObject({ clientEntityId: existing.clientEntityId });
    expect(t.sim.control.state().clients).toBe(1);
  });

  test('is adopted, with its application, when adoptExistingClient is set', async () => {
    const client = clientInput();
    const existing = await existingClient(client);

    const result = await run(onboardingInput({ client, adoptExistingClient: true }));
    expect(result).toMatchObject({ ...existing, adoptedExistingClient: true });
    expect(result.accountId).toBeTruthy();
    expect(t.sim.control.state().clients).toBe(1);
  });
});

test('invalid input fails before any HTTP call, naming the field', async () => {
  const failure = await failureOf(onboardingInput({ client: clientInput({ country: 'usa' }) }));
  expect(failure.type).toBe('InvalidOnboardingInput');
  expect(failure.message).toContain('client.country');
  expect(t.sim.control.state().requests).toHaveLength(0);
});

test('a retry that meets its own first request still in progress (409) waits for it: one client', async () => {
  // Circle still works on the first request when the client gives up on it (5 s HTTP timeout here);
  // the retry with the same key is answered 409 "in progress" instead of waiting.
  t.sim.control.setIdempotency({ concurrentDuplicate: 'conflict' });
  t.sim.control.setFaults([
    { method: 'POST', path: '/v1/partner/clients', mode: 'delay-in-progress', delayMs: 8000, times: 1 },
  ]);
  const result = await run(onboardingInput());

  expect(result.adoptedExistingClient).toBe(false);
  expect(t.sim.control.state().clients).toBe(1);
  const creates = createRequests();
  expect(creates.some((r) => r.status === 409)).toBe(true);
  expect(new Set(creates.map((r) => r.idempotencyKey))).toEqual(
    new Set([result.idempotencyKeys.createClient]),
  );
});
