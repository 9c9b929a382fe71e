import { randomUUID } from 'node:crypto';
import { APPS, clientBody, createClient, idem, useTestSimulator } from './support';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Circle partner clients', () => {
  const t = useTestSimulator();

  describe('authentication', () => {
    it.each([
      ['no header', {}],
      ['wrong key', { Authorization: 'Bearer TEST_API_KEY:wrong:key' }],
      ['not bearer', { Authorization: 'Basic abc' }],
    ])('rejects %s with 401 Malformed authorization', async (_label, headers) => {
      const res = await t.http.get('/v1/partner/clients', { headers });
      expect(res.status).toBe(401);
      expect(res.data).toEqual({ code: 401, message: 'Malformed authorization.' });
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
    });
  });

  describe('POST /v1/partner/clients', () => {
    it('creates a client and a DRAFT application (200, data envelope, X-Request-Id)', async () => {
      const res = await t.circle.post('/v1/partner/clients', clientBody('Acme Trust Co.'), idem());
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
      expect(res.data).toEqual({
        data: {
          clientEntityId: expect.stringMatching(UUID_V4),
          applicationId: expect.stringMatching(UUID_V4),
        },
      });
      const app = await t.circle.get(`${APPS}/${res.data.data.applicationId}`);
      expect(app.data).toMatchObject({
        status: 'DRAFT',
        clientEntityId: res.data.data.clientEntityId,
        submissionCount: 0,
      });
      expect(app.data.sections.every((s: { status: string }) => s.status === 'not_started')).toBe(true);
    });

    it('each request gets its own request id', async () => {
      const a = await t.circle.get('/v1/partner/clients');
      const b = await t.circle.get('/v1/partner/clients');
      expect(a.headers['x-request-id']).not.toEqual(b.headers['x-request-id']);
    });

    it('requires X-Idempotency-Key (400) and a UUID in it', async () => {
      const missing = await t.circle.post('/v1/partner/clients', clientBody());
      expect(missing.status).toBe(400);
      expect(missing.data).toEqual({ code: 400, message: 'X-Idempotency-Key header is required.' });
      const bad = await t.circle.post('/v1/partner/clients', clientBody(), {
        headers: { 'X-Idempotency-Key': 'abc' },
      });
      expect(bad.status).toBe(400);
      expect(t.sim.control.state().clients).toBe(0);
    });

    it('lists every invalid field in a 400 extended error body', async () => {
      const res = await t.circle.post(
        '/v1/partner/clients',
        {
          clientName: '',
          country: 'usa',
          clientType: 'individual',
          businessDetails: { natureOfBusiness: 'bakery', institutionType: 'llc' },
        },
        idem(),
      );
      expect(res.status).toBe(400);
      expect(res.data.code).toBe(400);
      const pairs = res.data.errors.map((e: { path: string; error: string }) => `${e.path}:${e.error}`);
      expect(pairs).toEqual(
        expect.arrayContaining([
          'clientName:length_outside_bounds',
          'country:length_outside_bounds',
          'country:pattern_mismatch',
          'clientType:invalid_value',
          'businessDetails.natureOfBusiness:invalid_value',
          'businessDetails.institutionType:invalid_value',
        ]),
      );
      for (const e of res.data.errors) expect(e.message).toEqual(expect.any(String));
    });

    it('requires the fields and lower-case countries are refused', async () => {
      const res = await t.circle.post('/v1/partner/clients', {}, idem());
      expect(res.status).toBe(400);
      expect(res.data.errors.map((e: { path: string }) => e.path).sort()).toEqual([
        'businessDetails',
        'clientName',
        'clientType',
        'country',
      ]);
      expect(res.data.errors.every((e: { error: string }) => e.error === 'required')).toBe(true);
      const lower = await t.circle.post('/v1/partner/clients', { ...clientBody(), country: 'us' }, idem());
      expect(lower.status).toBe(400);
      expect(lower.data.errors).toEqual([
        expect.objectContaining({ path: 'country', error: 'pattern_mismatch' }),
      ]);
    });

    it('refuses a duplicate clientName + country with 409; other name or country is fine', async () => {
      const body = clientBody('Same Name Ltd');
      expect((await t.circle.post('/v1/partner/clients', body, idem())).status).toBe(200);
      const dup = await t.circle.post('/v1/partner/clients', body, idem());
      expect(dup.status).toBe(409);
      expect(dup.data).toEqual({ code: 409, message: 'A client with this name and country already exists.' });
      expect((await t.circle.post('/v1/partner/clients', { ...body, country: 'GB' }, idem())).status).toBe(
        200,
      );
      expect(
        (await t.circle.post('/v1/partner/clients', { ...body, clientName: 'same name ltd' }, idem())).status,
      ).toBe(200);
      expect(t.sim.control.state().clients).toBe(3);
    });

    it('replays the same key + body without creating a second client', async () => {
      const key = { headers: { 'X-Idempotency-Key': randomUUID() } };
      const body = clientBody();
      const first = await t.circle.post('/v1/partner/clients', body, key);
      const again = await t.circle.post('/v1/partner/clients', body, key);
      expect(again.status).toBe(200);
      expect(again.data).toEqual(first.data);
      const state = t.sim.control.state();
      expect(state.clients).toBe(1);
      expect(state.requests.filter((r) => r.path === '/v1/partner/clients').map((r) => r.replay)).toEqual([
        false,
        true,
      ]);
      expect(state.requests[1]!.idempotencyKey).toBe(key.headers['X-Idempotency-Key']);
    });

    it('refuses the same key with a different body (422) and runs nothing', async () => {
      const key = { headers: { 'X-Idempotency-Key': randomUUID() } };
      await t.circle.post('/v1/partner/clients', clientBody('First Co'), key);
      const res = await t.circle.post('/v1/partner/clients', clientBody('Second Co'), key);
      expect(res.status).toBe(422);
      expect(res.data.code).toBe(422);
      expect(res.data.message).toMatch(/Idempotency key .* was already used with a different request body/);
      expect(t.sim.control.state().clients).toBe(1);
    });

    it('does not store failed attempts: a corrected retry with the same key runs', async () => {
      const key = { headers: { 'X-Idempotency-Key': randomUUID() } };
      const bad = await t.circle.post('/v1/partner/clients', { ...clientBody(), country: 'USA' }, key);
      expect(bad.status).toBe(400);
      const good = await t.circle.post('/v1/partner/clients', clientBody(), key);
      expect(good.status).toBe(200);
    });

    it('serves two concurrent requests with one key from a single execution', async () => {
      const key = { headers: { 'X-Idempotency-Key': randomUUID() } };
      const body = clientBody();
      const [a, b] = await Promise.all([
        t.circle.post('/v1/partner/clients', body, key),
        t.circle.post('/v1/partner/clients', body, key),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.data).toEqual(b.data);
      expect(t.sim.control.state().clients).toBe(1);
    });
  });

  describe('GET /v1/partner/clients', () => {
    it('lists newest first with a Link header cursor', async () => {
      const names = ['One', 'Two', 'Three', 'Four', 'Five'];
      const ids = [];
      for (const n of names) ids.push((await createClient(t.circle, n)).clientEntityId);
      const newest = [...ids].reverse();

      const first = await t.circle.get('/v1/partner/clients', { params: { pageSize: 2 } });
      expect(first.status).toBe(200);
      expect(first.data.data.map((c: { clientEntityId: string }) => c.clientEntityId)).toEqual(
        newest.slice(0, 2),
      );
      expect(first.data.data[0]).toEqual({
        clientEntityId: newest[0],
        created: expect.any(String),
        clientName: 'Five',
        country: 'US',
        clientType: 'business',
        businessDetails: { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' },
        status: 'pending',
      });
      const link = first.headers.link as string;
      expect(link).toMatch(
        /^<http:\/\/.+\/v1\/partner\/clients\?pageAfter=[0-9a-f-]+&pageSize=2>; rel="next"$/,
      );

      const seen = [...first.data.data];
      let next: string | undefined = link;
      while (next) {
        const url = new URL(/<([^>]+)>/.exec(next)![1]!);
        const page = await t.circle.get(url.pathname + url.search);
        seen.push(...page.data.data);
        next = page.headers.link as string | undefined;
      }
      expect(seen.map((c: { clientEntityId: string }) => c.clientEntityId)).toEqual(newest);
    });

    it('defaults to 50 per page and has no Link header on the last page', async () => {
      await createClient(t.circle);
      const res = await t.circle.get('/v1/partner/clients');
      expect(res.data.data).toHaveLength(1);
      expect(res.headers.link).toBeUndefined();
    });

    it.each([['0'], ['101'], ['abc'], ['2.5']])('rejects pageSize=%s with 400', async (pageSize) => {
      const res = await t.circle.get('/v1/partner/clients', { params: { pageSize } });
      expect(res.status).toBe(400);
      expect(res.data.errors[0]).toMatchObject({ path: 'pageSize' });
    });

    it('rejects an unknown pageAfter cursor with 400', async () => {
      const res = await t.circle.get('/v1/partner/clients', { params: { pageAfter: randomUUID() } });
      expect(res.status).toBe(400);
      expect(res.data.message).toMatch(/pageAfter/);
    });
  });

  describe('GET /v1/partner/clients/{id}', () => {
    it('returns the client, and 404 for an unknown id', async () => {
      const { clientEntityId } = await createClient(t.circle, 'Lookup Co');
      const res = await t.circle.get(`/v1/partner/clients/${clientEntityId}`);
      expect(res.status).toBe(200);
      expect(res.data.data).toMatchObject({ clientEntityId, clientName: 'Lookup Co', status: 'pending' });
      const missing = await t.circle.get(`/v1/partner/clients/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(missing.data).toEqual({ code: 404, message: expect.any(String) });
    });
  });
});
