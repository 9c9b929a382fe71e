// The Circle HTTP client against the simulator over loopback: auth, idempotency, error parsing
// (status, code, request id, Retry-After, per-field errors), pagination and timeouts.
import { randomUUID } from 'node:crypto';
import { CircleClient } from '../../src/circle/client';
import type { CreateClientBody } from '../../src/circle/wire';
import { rejection } from '../helpers/partner-api';
import { exampleApplicationData, startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
let circle: CircleClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, reviewDelayMs: 10, accountActivationDelayMs: 10 });
  circle = new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:local:simulator', timeoutMs: 2000 });
});
afterAll(() => sim?.close());
beforeEach(() => sim.control.reset());

const client = (name = `Acme ${randomUUID().slice(0, 8)}`): CreateClientBody => ({
  clientName: name,
  country: 'US',
  clientType: 'business',
  businessDetails: { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' },
});

test('creates a client; the same key replays the same ids', async () => {
  const key = randomUUID();
  const body = client();
  const first = await circle.createClient(body, key);
  await expect(circle.createClient(body, key)).resolves.toEqual(first);
  expect(sim.control.state().clients).toBe(1);
});

test('a wrong API key is a 401 with Circle code and request id', async () => {
  const wrong = new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:wrong:key' });
  const err = await rejection(wrong.createClient(client(), randomUUID()));
  expect(err).toMatchObject({
    provider: 'circle',
    kind: 'http',
    status: 401,
    code: 401,
    operation: 'createClient',
  });
  expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
});

test('a duplicate name and country is a 409', async () => {
  const body = client();
  await circle.createClient(body, randomUUID());
  const err = await rejection(circle.createClient(body, randomUUID()));
  expect(err.status).toBe(409);
});

test('a 422 carries per-field errors with dot paths', async () => {
  const { applicationId } = await circle.createClient(client(), randomUUID());
  const err = await rejection(
    circle.saveSection(applicationId, 'basicBusinessInfo', { website: 'ftp://x', email: 'nope' }),
  );
  expect(err.status).toBe(422);
  expect(err.fieldErrors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: 'basicBusinessInfo.website' }),
      expect.objectContaining({ path: 'basicBusinessInfo.email' }),
    ]),
  );
});

test('Retry-After of a 429 is read into retryAfterMs', async () => {
  sim.control.setFaults([
    {
      method: 'GET',
      path: '/v1/partner/clients',
      mode: 'error',
      status: 429,
      retryAfterSeconds: 7,
      times: 1,
    },
  ]);
  const err = await rejection(circle.listClients());
  expect(err).toMatchObject({ status: 429, retryAfterMs: 7000 });
});

test('a dropped connection is a network error, a slow answer a timeout, an abort ends the call', async () => {
  sim.control.setFaults([{ method: 'GET', path: '/v1/partner/clients', mode: 'drop', times: 1 }]);
  expect((await rejection(circle.listClients())).kind).toBe('network');

  const impatient = new CircleClient({
    baseUrl: sim.url,
    apiKey: 'TEST_API_KEY:local:simulator',
    timeoutMs: 100,
  });
  sim.control.setFaults([
    { method: 'GET', path: '/v1/partner/clients', mode: 'delay', delayMs: 1000, times: 1 },
  ]);
  expect((await rejection(impatient.listClients())).kind).toBe('timeout');

  sim.control.setFaults([
    { method: 'GET', path: '/v1/partner/clients', mode: 'delay', delayMs: 1000, times: 1 },
  ]);
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  expect((await rejection(circle.listClients({}, { signal: abort.signal }))).message).toMatch(/cancelled/);
});

test('findClient walks the Link header pages (newest first, 100 per page)', async () => {
  const oldest = client('The oldest client');
  await circle.createClient(oldest, randomUUID());
  for (let i = 0; i < 120; i++) await circle.createClient(client(), randomUUID());

  const first = await circle.listClients({ pageSize: 100 });
  expect(first.clients).toHaveLength(100);
  expect(first.nextPageAfter).toBeTruthy();
  await expect(circle.findClient(oldest.clientName, 'US')).resolves.toMatchObject({
    clientName: oldest.clientName,
  });
  await expect(circle.findClient('Nobody', 'US')).resolves.toBeUndefined();
});

test('the application flow: schema, bulk save, sections, submit, account', async () => {
  const { clientEntityId, applicationId } = await circle.createClient(client(), randomUUID());
  const schema = await circle.getSchema(applicationId);
  expect(schema).toMatchObject({
    $schema: expect.stringContaining('2020-12'),
    properties: expect.any(Object),
  });

  const data = exampleApplicationData({
    natureOfBusiness: 'paymentProcessorPlatform',
    institutionType: 'privateCo',
  });
  await circle.saveSections(applicationId, data);
  const sections = await circle.listSections(applicationId);
  expect(sections.every((s) => s.status === 'complete')).toBe(true);

  const submitted = await circle.submit(
    applicationId,
    { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.9' },
    randomUUID(),
  );
  expect(submitted.status).toBe('SUBMITTED');
  for (let i = 0; i < 100 && (await circle.getApplication(applicationId)).status !== 'APPROVED'; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const account = await circle.createAccount({
    idempotencyKey: randomUUID(),
    description: `Custody ${randomUUID()}`,
    type: 'third_party',
    purpose: 'custody',
    clientEntityId,
  });
  expect(account).toMatchObject({ status: 'pending', clientEntityId });
  await expect(circle.listAccounts({ clientEntityId })).resolves.toEqual([
    expect.objectContaining({ accountId: account.accountId }),
  ]);
});
