import { randomUUID } from 'node:crypto';
import { createClient, eventually, useTestSimulator, submittedApplication, waitForStatus } from './support';

const businessPii = {
  businessName: 'Acme Corporation',
  businessUniqueIdentifier: '12-3456789',
  identifierIssuingCountryCode: 'US',
  address: {
    line1: '100 Pine Street',
    line2: 'Suite 2500',
    city: 'San Francisco',
    district: 'CA',
    postalCode: '94111',
    country: 'US',
  },
};

describe('Circle accounts', () => {
  const t = useTestSimulator(); // resets the simulator before each test
  let approvedClient: string;
  beforeEach(async () => {
    const { applicationId, clientEntityId } = await submittedApplication(t.circle);
    await waitForStatus(t.circle, applicationId, 'APPROVED');
    approvedClient = clientEntityId;
  });

  const custody = (over: Record<string, unknown> = {}) => ({
    idempotencyKey: randomUUID(),
    description: `Custody ${randomUUID().slice(0, 8)}`,
    type: 'third_party',
    purpose: 'custody',
    clientEntityId: approvedClient,
    ...over,
  });

  it('creates a pending third-party custody account (201) that becomes active', async () => {
    const body = custody({ description: 'Acme main account' });
    const res = await t.circle.post('/v1/accounts', body);
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.data).toEqual({
      data: {
        accountId: expect.stringMatching(/^\d+$/),
        entityId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientEntityId: approvedClient,
        type: 'third_party',
        purpose: 'custody',
        status: 'pending',
        description: 'Acme main account',
        balances: [],
        groupId: null,
      },
    });
    const id = res.data.data.accountId as string;
    const active = await eventually(
      () => t.circle.get(`/v1/accounts/${id}`),
      (r) => r.data.data.status === 'active',
    );
    expect(active.data.data).toMatchObject({ accountId: id, clientEntityId: approvedClient });
    expect(t.sim.control.state().accounts).toEqual({
      total: 1,
      byStatus: { active: 1, pending: 0, rejected: 0, archived: 0 },
    });
  });

  it('creates first-party accounts without clientEntityId', async () => {
    const res = await t.circle.post(
      '/v1/accounts',
      custody({ type: 'first_party', clientEntityId: undefined }),
    );
    expect(res.status).toBe(201);
    expect(res.data.data.clientEntityId).toBeUndefined();
    const withClient = await t.circle.post('/v1/accounts', custody({ type: 'first_party' }));
    expect(withClient.status).toBe(400);
    expect(withClient.data.errors[0]).toMatchObject({ path: 'clientEntityId' });
  });

  it('requires a UUID idempotencyKey in the body', async () => {
    const { idempotencyKey: _k, ...noKey } = custody();
    const missing = await t.circle.post('/v1/accounts', noKey);
    expect(missing.status).toBe(400);
    expect(missing.data.errors[0]).toMatchObject({ path: 'idempotencyKey', error: 'required' });
    const bad = await t.circle.post('/v1/accounts', custody({ idempotencyKey: 'one' }));
    expect(bad.status).toBe(400);
    expect(bad.data.errors[0]).toMatchObject({ path: 'idempotencyKey', error: 'invalid_format' });
    expect(
      (await t.circle.post('/v1/accounts', 'x', { headers: { 'Content-Type': 'application/json' } })).status,
    ).toBe(400);
  });

  it('validates description, type and purpose', async () => {
    const res = await t.circle.post(
      '/v1/accounts',
      custody({ description: '', type: 'shared', purpose: 'savings' }),
    );
    expect(res.status).toBe(400);
    const pairs = res.data.errors.map((e: { path: string; error: string }) => `${e.path}:${e.error}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        'description:length_outside_bounds',
        'type:invalid_value',
        'purpose:invalid_value',
      ]),
    );
    expect((await t.circle.post('/v1/accounts', custody({ description: 'x'.repeat(256) }))).status).toBe(400);
  });

  it('third_party needs an existing, approved client', async () => {
    const missing = await t.circle.post('/v1/accounts', custody({ clientEntityId: undefined }));
    expect(missing.status).toBe(400);
    expect(missing.data.errors[0]).toMatchObject({ path: 'clientEntityId', error: 'required' });
    const unknown = await t.circle.post('/v1/accounts', custody({ clientEntityId: randomUUID() }));
    expect(unknown.status).toBe(404);
    const draft = await createClient(t.circle);
    const notApproved = await t.circle.post(
      '/v1/accounts',
      custody({ clientEntityId: draft.clientEntityId }),
    );
    expect(notApproved.status).toBe(400);
    expect(notApproved.data.message).toMatch(/not approved.*DRAFT/);
    expect(t.sim.control.state().accounts.total).toBe(0);
  });

  it('descriptions are unique case-insensitively among non-archived accounts (409)', async () => {
    const first = await t.circle.post('/v1/accounts', custody({ description: 'Treasury' }));
    const dup = await t.circle.post('/v1/accounts', custody({ description: 'TREASURY' }));
    expect(dup.status).toBe(409);
    expect(dup.data).toEqual({ code: 409, message: expect.stringMatching(/already exists/) });

    const id = first.data.data.accountId as string;
    const archiveKey = randomUUID();
    const archived = await t.circle.post(`/v1/accounts/${id}/archive`, { idempotencyKey: archiveKey });
    expect(archived.status).toBe(200);
    expect(archived.data.data.status).toBe('archived');
    const replay = await t.circle.post(`/v1/accounts/${id}/archive`, { idempotencyKey: archiveKey });
    expect(replay.data).toEqual(archived.data);
    expect((await t.circle.post(`/v1/accounts/${id}/archive`, { idempotencyKey: randomUUID() })).status).toBe(
      200,
    );
    expect((await t.circle.post('/v1/accounts/999/archive', { idempotencyKey: randomUUID() })).status).toBe(
      404,
    );
    expect((await t.circle.post('/v1/accounts', custody({ description: 'treasury' }))).status).toBe(201);
  });

  it('replays the same idempotencyKey + body; a different body under the key is 422', async () => {
    const body = custody();
    const first = await t.circle.post('/v1/accounts', body);
    const again = await t.circle.post('/v1/accounts', body);
    expect(again.status).toBe(201);
    expect(again.data).toEqual(first.data);
    const changed = await t.circle.post('/v1/accounts', { ...body, description: 'Something else' });
    expect(changed.status).toBe(422);
    expect(changed.data.message).toMatch(/already used with a different request body/);
    const state = t.sim.control.state();
    expect(state.accounts.total).toBe(1);
    const logged = state.requests.filter((r) => r.path === '/v1/accounts');
    expect(logged.map((r) => [r.status, r.replay, r.idempotencyKey])).toEqual([
      [201, false, body.idempotencyKey],
      [201, true, body.idempotencyKey],
      [422, false, body.idempotencyKey],
    ]);
  });

  it('Managed Payments variant: businessPii routes to a first_party / payments account', async () => {
    const base = {
      idempotencyKey: randomUUID(),
      description: 'MP intermediary',
      type: 'first_party',
      purpose: 'payments',
    };
    const ok = await t.circle.post('/v1/accounts', { ...base, businessPii });
    expect(ok.status).toBe(201);
    expect(ok.data.data).toMatchObject({
      type: 'first_party',
      purpose: 'payments',
      status: 'pending',
      businessPii,
    });

    const wrongPurpose = await t.circle.post('/v1/accounts', {
      ...base,
      idempotencyKey: randomUUID(),
      description: 'x1',
      purpose: 'custody',
      businessPii,
    });
    expect(wrongPurpose.status).toBe(400);
    expect(wrongPurpose.data.errors[0]).toMatchObject({ path: 'purpose', error: 'invalid_value' });
    const badPii = await t.circle.post('/v1/accounts', {
      ...base,
      idempotencyKey: randomUUID(),
      description: 'x2',
      businessPii: { ...businessPii, identifierIssuingCountryCode: 'USA', address: { line1: '1 Main St' } },
    });
    expect(badPii.status).toBe(400);
    const paths = badPii.data.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'businessPii.identifierIssuingCountryCode',
        'businessPii.address.city',
        'businessPii.address.postalCode',
        'businessPii.address.country',
      ]),
    );
    const noPii = await t.circle.post('/v1/accounts', {
      ...base,
      idempotencyKey: randomUUID(),
      description: 'x3',
      endCustomerType: 'business',
    });
    expect(noPii.status).toBe(400);
    expect(noPii.data.errors[0]).toMatchObject({ path: 'businessPii', error: 'required' });
    const both = await t.circle.post('/v1/accounts', {
      ...base,
      idempotencyKey: randomUUID(),
      description: 'x4',
      endCustomerType: 'individual',
      individualPii: { firstName: 'Jo' },
      businessPii,
    });
    expect(both.status).toBe(400);
    expect(both.data.errors[0]).toMatchObject({ path: 'businessPii', error: 'not_allowed' });
  });

  it('gets by id (404 unknown) and lists with filters; archived only on request', async () => {
    const third = (await t.circle.post('/v1/accounts', custody())).data.data;
    const first = (
      await t.circle.post('/v1/accounts', custody({ type: 'first_party', clientEntityId: undefined }))
    ).data.data;
    const gone = (await t.circle.post('/v1/accounts', custody())).data.data;
    await t.circle.post(`/v1/accounts/${gone.accountId}/archive`, { idempotencyKey: randomUUID() });
    expect((await t.circle.get('/v1/accounts/1')).status).toBe(404);

    const ids = async (params: Record<string, unknown>) =>
      (
        (await t.circle.get('/v1/accounts', { params, paramsSerializer: { indexes: null } })).data.data as {
          accountId: string;
        }[]
      ).map((a) => a.accountId);
    expect(await ids({})).toEqual([first.accountId, third.accountId]);
    expect(await ids({ type: 'third_party' })).toEqual([third.accountId]);
    expect(await ids({ clientEntityId: approvedClient })).toEqual([third.accountId]);
    expect(await ids({ purpose: 'payments' })).toEqual([]);
    expect(await ids({ status: 'archived' })).toEqual([gone.accountId]);
    expect(await ids({ status: ['archived', 'pending', 'active'] })).toEqual([
      gone.accountId,
      first.accountId,
      third.accountId,
    ]);
    for (const params of [{ status: 'closed' }, { type: 'x' }, { purpose: 'x' }, { clientEntityId: 'x' }]) {
      expect((await t.circle.get('/v1/accounts', { params })).status).toBe(400);
    }
  });
});
