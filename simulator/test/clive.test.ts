import { createHmac, randomUUID } from 'node:crypto';
import { CLIVE_KEY, CLIVE_SECRET, useTestSimulator } from './support';

const sign = (raw: string, secret = CLIVE_SECRET) => createHmac('sha256', secret).update(raw).digest('hex');

describe('Clive partner API', () => {
  const t = useTestSimulator();

  /** Sends exactly `raw` (the bytes that are signed). */
  function post(raw: string, headers: Record<string, string | undefined> = {}) {
    const all: Record<string, string> = {
      'Content-Type': 'application/json',
      'x-api-key': CLIVE_KEY,
      'x-clive-hmac': sign(raw),
      'idempotency-key': `client-${randomUUID()}`,
    };
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined) delete all[k];
      else all[k] = v;
    }
    return t.http.post('/api/v1/clients', Buffer.from(raw), { headers: all });
  }
  const body = (over: Record<string, unknown> = {}) =>
    JSON.stringify({ client_id: 'AIRPEACE001', legal_name: 'Air Peace Ltd', status: 'active', ...over });

  it('creates a client (201) with the documented shape', async () => {
    const res = await post(body({ partner_fee_percentage: 4.0, partner_fee_flat_usd: 0.5 }));
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.data).toEqual({
      id: expect.stringMatching(/^cm[0-9a-z]+$/),
      partner_id: 'LOCALPARTNER001',
      client_id: 'AIRPEACE001',
      legal_name: 'Air Peace Ltd',
      status: 'active',
      partner_fee_percentage: 4,
      partner_fee_flat_usd: 0.5,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(t.sim.control.state().cliveClients).toBe(1);
  });

  it('signs the exact raw bytes: whitespace matters, the key order too', async () => {
    const raw = '{ "legal_name": "Air Peace Ltd",   "client_id": "AIRPEACE001" }';
    expect((await post(raw)).status).toBe(201);
    const tampered = await post(body({ client_id: 'OTHER01' }), { 'x-clive-hmac': sign(body()) });
    expect(tampered.status).toBe(401);
    expect(tampered.data).toEqual({ error: expect.any(String), code: 'HMAC_INVALID', details: null });
  });

  it.each([
    ['missing x-api-key', { 'x-api-key': undefined }, 401, 'API_KEY_MISSING'],
    ['wrong x-api-key', { 'x-api-key': 'cp_test_partner_other' }, 401, 'API_KEY_INVALID'],
    ['missing x-clive-hmac', { 'x-clive-hmac': undefined }, 401, 'HMAC_MISSING'],
    ['HMAC with the wrong secret', { 'x-clive-hmac': sign(body(), 'wrong') }, 401, 'HMAC_INVALID'],
    ['missing idempotency-key', { 'idempotency-key': undefined }, 400, 'IDEMPOTENCY_KEY_MISSING'],
  ])('%s -> %i %s', async (_label, headers, status, code) => {
    const res = await post(body(), headers);
    expect(res.status).toBe(status);
    expect(res.data).toEqual({ error: expect.any(String), code, details: null });
    expect(t.sim.control.state().cliveClients).toBe(0);
  });

  it('validates fields (400 VALIDATION_ERROR with details)', async () => {
    const res = await post(
      JSON.stringify({
        client_id: 'AB',
        legal_name: 'A',
        status: 'gone',
        partner_fee_flat_usd: 11,
        partner_id: 'X',
      }),
    );
    expect(res.status).toBe(400);
    expect(res.data.code).toBe('VALIDATION_ERROR');
    const paths = res.data.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['client_id', 'legal_name', 'partner_fee_flat_usd', 'partner_id', 'status']);
    const missing = await post('{}');
    expect(missing.data.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'client_id',
      'legal_name',
    ]);
  });

  it('refuses a partner fee below the Clive fee (2.5)', async () => {
    const low = await post(body({ partner_fee_percentage: 2.4 }));
    expect(low.status).toBe(400);
    expect(low.data).toMatchObject({ code: 'CLIENT_FEE_BELOW_CLIVE_FEE', details: { minimum: 2.5 } });
    expect((await post(body({ partner_fee_percentage: 2.5 }))).status).toBe(201);
  });

  it('409 CLIENT_EXISTS for a duplicate client_id', async () => {
    expect((await post(body())).status).toBe(201);
    const dup = await post(body({ legal_name: 'Air Peace Again' }));
    expect(dup.status).toBe(409);
    expect(dup.data).toEqual({ error: expect.any(String), code: 'CLIENT_EXISTS', details: null });
  });

  it('replays with idempotentReplay: true; a different body under the key is refused', async () => {
    const key = 'client-AIRPEACE001-v1';
    const first = await post(body(), { 'idempotency-key': key });
    const replay = await post(body(), { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.data).toEqual({ ...first.data, idempotentReplay: true });
    expect(first.data.idempotentReplay).toBeUndefined();
    const other = await post(body({ client_id: 'OTHER001' }), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.data).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      error: expect.stringMatching(/already used/),
    });
    const state = t.sim.control.state();
    expect(state.cliveClients).toBe(1);
    expect(state.requests.map((r) => [r.status, r.replay, r.idempotencyKey])).toEqual([
      [201, false, key],
      [201, true, key],
      [422, false, key],
    ]);
  });

  it('lists clients newest first; needs only the API key', async () => {
    await post(body({ client_id: 'FIRST01' }));
    await post(body({ client_id: 'SECOND01' }));
    const res = await t.http.get('/api/v1/clients', { headers: { 'x-api-key': CLIVE_KEY } });
    expect(res.status).toBe(200);
    expect(res.data.items.map((c: { client_id: string }) => c.client_id)).toEqual(['SECOND01', 'FIRST01']);
    const noKey = await t.http.get('/api/v1/clients');
    expect(noKey.status).toBe(401);
    expect(noKey.data.code).toBe('API_KEY_MISSING');
  });

  it('answers malformed JSON (signed) with a Clive 400 body', async () => {
    const res = await post('{"client_id": ');
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      error: expect.stringMatching(/^Malformed JSON body/),
      code: 'VALIDATION_ERROR',
      details: null,
    });
  });
});
