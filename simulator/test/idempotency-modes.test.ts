// The idempotency modes (retention, concurrent duplicates, replayed errors) over HTTP, on Circle's
// POST /v1/partner/clients and Clive's POST /api/v1/clients, switched at start-up and through /_sim.
import { createHmac, randomUUID } from 'node:crypto';
import type { AxiosResponse } from 'axios';
import {
  CLIVE_KEY,
  CLIVE_SECRET,
  clientBody,
  eventually,
  startTestSimulator,
  useTestSimulator,
  type TestSim,
} from './support';

const IN_PROGRESS = 'A request with this idempotency key is already in progress';
const DEFAULTS = { keyRetention: null, concurrentDuplicate: 'wait', replayErrors: false };

describe('idempotency modes', () => {
  const t = useTestSimulator();

  const circlePost = (body: unknown, key: string, sim: TestSim = t) =>
    sim.circle.post('/v1/partner/clients', body, { headers: { 'X-Idempotency-Key': key } });

  /** Clive signs the exact bytes, so the body goes out as the string that was signed. */
  const clivePost = (body: Record<string, unknown>, key: string, sim: TestSim = t) => {
    const raw = JSON.stringify(body);
    return sim.http.post('/api/v1/clients', Buffer.from(raw), {
      headers: {
        'Content-Type': 'application/json',
        'x-api-key': CLIVE_KEY,
        'x-clive-hmac': createHmac('sha256', CLIVE_SECRET).update(raw).digest('hex'),
        'idempotency-key': key,
      },
    });
  };
  const cliveBody = (over: Record<string, unknown> = {}) => ({
    client_id: 'AIRPEACE001',
    legal_name: 'Air Peace Ltd',
    ...over,
  });

  const setModes = (modes: unknown) => t.http.put('/_sim/idempotency', modes);
  const log = (sim: TestSim = t) => sim.sim.control.state().requests.map((r) => [r.status, r.replay]);

  /**
   * Sends `first` with its operation held for `holdMs` after it claims its key (a `delay-in-progress`
   * fault), then `second` once the key is in progress. Returns both answers and whether the first one
   * had already finished when the second was answered.
   */
  async function overlapping(
    path: string,
    first: () => Promise<AxiosResponse>,
    second: () => Promise<AxiosResponse>,
    holdMs = 400,
  ) {
    t.sim.control.setFaults([{ method: 'POST', path, mode: 'delay-in-progress', delayMs: holdMs, times: 1 }]);
    let firstDone = false;
    const a = first().finally(() => (firstDone = true));
    await eventually(
      async () => t.sim.control.idempotency().keys,
      (keys) => keys === 1,
    );
    // The point of the helper: the duplicate goes out while the first request still holds its key.
    expect(firstDone).toBe(false);
    const b = await second();
    const firstDoneWhenSecondAnswered = firstDone;
    return { a: await a, b, firstDoneWhenSecondAnswered };
  }

  describe('control', () => {
    it('GET /_sim/idempotency and /_sim/state show the modes (defaults) and the remembered keys', async () => {
      expect((await t.http.get('/_sim/idempotency')).data).toEqual({ ...DEFAULTS, keys: 0 });
      expect((await circlePost(clientBody(), randomUUID())).status).toBe(200);
      expect((await t.http.get('/_sim/idempotency')).data).toEqual({ ...DEFAULTS, keys: 1 });
      expect((await t.http.get('/_sim/state')).data.idempotency).toEqual({ ...DEFAULTS, keys: 1 });
    });

    it('PUT validates (400), sets what it is given and puts the rest back to the start-up values', async () => {
      for (const bad of [
        { keyRetention: -1 },
        { keyRetention: 1.5 },
        { keyRetention: 'forever' },
        { concurrentDuplicate: 'queue' },
        { replayErrors: 'yes' },
        { replayErrorz: true },
        [],
      ]) {
        const res = await setModes(bad);
        expect(res.status).toBe(400);
        expect(res.data).toMatchObject({ code: 400, message: expect.any(String), errors: expect.any(Array) });
      }
      expect(t.sim.control.idempotency()).toEqual({ ...DEFAULTS, keys: 0 });
      const set = await setModes({
        keyRetention: 60_000,
        concurrentDuplicate: 'conflict',
        replayErrors: true,
      });
      expect(set.status).toBe(200);
      expect(set.data).toEqual({
        keyRetention: 60_000,
        concurrentDuplicate: 'conflict',
        replayErrors: true,
        keys: 0,
      });
      expect((await setModes({ replayErrors: true })).data).toEqual({
        ...DEFAULTS,
        replayErrors: true,
        keys: 0,
      });
      expect((await setModes({})).data).toEqual({ ...DEFAULTS, keys: 0 });
    });

    it('in-process: the same operations and validation; reset restores the start-up modes', async () => {
      expect(() => t.sim.control.setIdempotency({ keyRetention: -5 })).toThrow(/keyRetention/);
      expect(t.sim.control.setIdempotency({ concurrentDuplicate: 'conflict' })).toEqual({
        ...DEFAULTS,
        concurrentDuplicate: 'conflict',
        keys: 0,
      });
      expect((await circlePost(clientBody(), randomUUID())).status).toBe(200);
      expect(t.sim.control.expireKeys()).toEqual({ expired: 1 });
      expect(t.sim.control.expireKeys()).toEqual({ expired: 0 });
      t.sim.control.reset();
      expect(t.sim.control.idempotency()).toEqual({ ...DEFAULTS, keys: 0 });
    });

    it('start-up options set the modes reset goes back to; bad options refuse to start', async () => {
      await expect(startTestSimulator({ idempotency: { keyRetention: -1 } })).rejects.toThrow(RangeError);
      const modes = { keyRetention: 5000, concurrentDuplicate: 'conflict', replayErrors: true } as const;
      const other = await startTestSimulator({ idempotency: modes });
      try {
        expect((await other.http.get('/_sim/idempotency')).data).toEqual({ ...modes, keys: 0 });
        expect((await other.http.put('/_sim/idempotency', { keyRetention: null })).data).toEqual({
          ...modes,
          keyRetention: null,
          keys: 0,
        });
        expect((await other.http.post('/_sim/reset')).status).toBe(200);
        expect(other.sim.control.idempotency()).toEqual({ ...modes, keys: 0 });
      } finally {
        await other.sim.close();
      }
    });
  });

  describe('keyRetention', () => {
    it('Circle: after POST /_sim/idempotency/expire a retry runs again and meets the existing client (409)', async () => {
      const key = randomUUID();
      const body = clientBody();
      const created = await circlePost(body, key);
      expect(created.status).toBe(200);
      expect((await circlePost(body, key)).data).toEqual(created.data);
      const expired = await t.http.post('/_sim/idempotency/expire');
      expect(expired.status).toBe(200);
      expect(expired.data).toEqual({ expired: 1 });
      const retry = await circlePost(body, key);
      expect(retry.status).toBe(409);
      expect(retry.data).toEqual({
        code: 409,
        message: 'A client with this name and country already exists.',
      });
      const state = t.sim.control.state();
      expect(state.clients).toBe(1);
      expect(state.idempotency.keys).toBe(0);
      expect(log()).toEqual([
        [200, false],
        [200, true],
        [409, false],
      ]);
    });

    it('Clive: after expireKeys() a retry runs again and meets the existing client (409 CLIENT_EXISTS)', async () => {
      const key = `client-${randomUUID()}`;
      expect((await clivePost(cliveBody(), key)).status).toBe(201);
      expect(t.sim.control.expireKeys()).toEqual({ expired: 1 });
      const retry = await clivePost(cliveBody(), key);
      expect(retry.status).toBe(409);
      expect(retry.data).toEqual({ error: expect.any(String), code: 'CLIENT_EXISTS', details: null });
      expect(t.sim.control.state().cliveClients).toBe(1);
    });

    it('Circle, switched at run time: replays within the retention, forgets the key after it', async () => {
      await setModes({ keyRetention: 150 });
      const key = randomUUID();
      const body = clientBody();
      const created = await circlePost(body, key);
      expect(created.status).toBe(200);
      const replay = await circlePost(body, key);
      expect(replay.status).toBe(200);
      expect(replay.data).toEqual(created.data);
      await eventually(
        async () => t.sim.control.idempotency().keys,
        (keys) => keys === 0,
      );
      expect((await circlePost(body, key)).status).toBe(409);
      // Forgotten, the key is free for another request too (no 422).
      const other = await circlePost(clientBody(), key);
      expect(other.status).toBe(200);
      expect(other.data.data.clientEntityId).not.toBe(created.data.data.clientEntityId);
      expect(t.sim.control.state().clients).toBe(2);
    });

    it('Clive, set at start-up: the key is forgotten after the retention', async () => {
      const short = await startTestSimulator({ idempotency: { keyRetention: 150 } });
      try {
        const key = `client-${randomUUID()}`;
        expect((await clivePost(cliveBody(), key, short)).status).toBe(201);
        const replay = await clivePost(cliveBody(), key, short);
        expect(replay.status).toBe(201);
        expect(replay.data).toMatchObject({ client_id: 'AIRPEACE001', idempotentReplay: true });
        await eventually(
          async () => short.sim.control.idempotency().keys,
          (keys) => keys === 0,
        );
        const retry = await clivePost(cliveBody(), key, short);
        expect(retry.status).toBe(409);
        expect(retry.data.code).toBe('CLIENT_EXISTS');
        expect(short.sim.control.state().cliveClients).toBe(1);
      } finally {
        await short.sim.close();
      }
    });
  });

  describe('concurrentDuplicate', () => {
    it('wait (default), Circle: the duplicate waits for the running first request and replays it', async () => {
      const key = randomUUID();
      const body = clientBody();
      const { a, b, firstDoneWhenSecondAnswered } = await overlapping(
        '/v1/partner/clients',
        () => circlePost(body, key),
        () => circlePost(body, key),
      );
      expect(firstDoneWhenSecondAnswered).toBe(true);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(b.data).toEqual(a.data);
      expect(t.sim.control.state().clients).toBe(1);
      // Both finish together, so their log order is not fixed.
      expect(log().sort()).toEqual([
        [200, false],
        [200, true],
      ]);
    });

    it('conflict, Circle: the duplicate gets 409 at once; the first commits once and is then replayed', async () => {
      await setModes({ concurrentDuplicate: 'conflict' });
      const key = randomUUID();
      const body = clientBody();
      const { a, b, firstDoneWhenSecondAnswered } = await overlapping(
        '/v1/partner/clients',
        () => circlePost(body, key),
        () => circlePost(body, key),
      );
      expect(firstDoneWhenSecondAnswered).toBe(false);
      expect(b.status).toBe(409);
      expect(b.data).toEqual({ code: 409, message: IN_PROGRESS });
      expect(a.status).toBe(200);
      const retry = await circlePost(body, key);
      expect(retry.status).toBe(200);
      expect(retry.data).toEqual(a.data);
      expect(t.sim.control.state().clients).toBe(1);
      expect(log()).toEqual([
        [409, false],
        [200, false],
        [200, true],
      ]);
    });

    it('conflict: a different body under a running key is still the 422 of a reused key', async () => {
      await setModes({ concurrentDuplicate: 'conflict' });
      const key = randomUUID();
      const { a, b } = await overlapping(
        '/v1/partner/clients',
        () => circlePost(clientBody(), key),
        () => circlePost(clientBody(), key),
      );
      expect(b.status).toBe(422);
      expect(a.status).toBe(200);
      expect(t.sim.control.state().clients).toBe(1);
    });

    it('conflict, Clive: the duplicate gets 409 IDEMPOTENCY_KEY_IN_USE at once; one client is created', async () => {
      await setModes({ concurrentDuplicate: 'conflict' });
      const key = `client-${randomUUID()}`;
      const { a, b, firstDoneWhenSecondAnswered } = await overlapping(
        '/api/v1/clients',
        () => clivePost(cliveBody(), key),
        () => clivePost(cliveBody(), key),
      );
      expect(firstDoneWhenSecondAnswered).toBe(false);
      expect(b.status).toBe(409);
      expect(b.data).toEqual({ error: IN_PROGRESS, code: 'IDEMPOTENCY_KEY_IN_USE', details: null });
      expect(a.status).toBe(201);
      const retry = await clivePost(cliveBody(), key);
      expect(retry.status).toBe(201);
      expect(retry.data).toEqual({ ...a.data, idempotentReplay: true });
      expect(t.sim.control.state().cliveClients).toBe(1);
    });

    it('wait, Clive: the duplicate waits and replays', async () => {
      const key = `client-${randomUUID()}`;
      const { a, b, firstDoneWhenSecondAnswered } = await overlapping(
        '/api/v1/clients',
        () => clivePost(cliveBody(), key),
        () => clivePost(cliveBody(), key),
      );
      expect(firstDoneWhenSecondAnswered).toBe(true);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.data).toEqual({ ...a.data, idempotentReplay: true });
      expect(t.sim.control.state().cliveClients).toBe(1);
    });
  });

  describe('replayErrors', () => {
    const badCountry = (body: ReturnType<typeof clientBody>) => ({ ...body, country: 'usa' });

    it('false (default), Circle: a failed key is not stored; the corrected retry with it runs', async () => {
      const key = randomUUID();
      const body = clientBody();
      const failed = await circlePost(badCountry(body), key);
      expect(failed.status).toBe(400);
      expect(t.sim.control.idempotency().keys).toBe(0);
      const again = await circlePost(badCountry(body), key);
      expect(again.status).toBe(400);
      const fixed = await circlePost(body, key);
      expect(fixed.status).toBe(200);
      expect(t.sim.control.state().clients).toBe(1);
      expect(log()).toEqual([
        [400, false],
        [400, false],
        [200, false],
      ]);
    });

    it('true, Circle: the error is stored and replayed; the corrected retry with that key is a 422', async () => {
      await setModes({ replayErrors: true });
      const key = randomUUID();
      const body = clientBody();
      const failed = await circlePost(badCountry(body), key);
      expect(failed.status).toBe(400);
      expect(failed.data).toMatchObject({
        code: 400,
        errors: expect.arrayContaining([expect.objectContaining({ path: 'country' })]),
      });
      const again = await circlePost(badCountry(body), key);
      expect(again.status).toBe(400);
      expect(again.data).toEqual(failed.data);
      const fixed = await circlePost(body, key);
      expect(fixed.status).toBe(422);
      expect(fixed.data.message).toMatch(/already used with a different request body/);
      expect(t.sim.control.state().clients).toBe(0);
      expect(log()).toEqual([
        [400, false],
        [400, true],
        [422, false],
      ]);
      // A new key reaches the handler.
      expect((await circlePost(body, randomUUID())).status).toBe(200);
    });

    it('true, Circle: a 409 answer is stored too, and the retry with its key is its replay', async () => {
      await setModes({ replayErrors: true });
      const body = clientBody();
      expect((await circlePost(body, randomUUID())).status).toBe(200);
      const key = randomUUID();
      const conflict = await circlePost(body, key);
      expect(conflict.status).toBe(409);
      expect((await circlePost(body, key)).data).toEqual(conflict.data);
      expect(t.sim.control.state().requests.at(-1)).toMatchObject({ status: 409, replay: true });
      expect(t.sim.control.idempotency().keys).toBe(2);
    });

    it('false (default), Clive: a failed key is not stored; the corrected retry with it creates the client', async () => {
      const key = `client-${randomUUID()}`;
      const low = await clivePost(cliveBody({ partner_fee_percentage: 1 }), key);
      expect(low.status).toBe(400);
      expect(low.data.code).toBe('CLIENT_FEE_BELOW_CLIVE_FEE');
      const fixed = await clivePost(cliveBody({ partner_fee_percentage: 3 }), key);
      expect(fixed.status).toBe(201);
      expect(fixed.data.idempotentReplay).toBeUndefined();
      expect(t.sim.control.state().cliveClients).toBe(1);
    });

    it('true, Clive: the error is replayed (marked idempotentReplay); the corrected retry is a 422', async () => {
      await setModes({ replayErrors: true });
      const key = `client-${randomUUID()}`;
      const low = await clivePost(cliveBody({ partner_fee_percentage: 1 }), key);
      expect(low.status).toBe(400);
      expect(low.data).toEqual({
        error: expect.any(String),
        code: 'CLIENT_FEE_BELOW_CLIVE_FEE',
        details: { minimum: 2.5 },
      });
      const again = await clivePost(cliveBody({ partner_fee_percentage: 1 }), key);
      expect(again.status).toBe(400);
      expect(again.data).toEqual({ ...low.data, idempotentReplay: true });
      const fixed = await clivePost(cliveBody({ partner_fee_percentage: 3 }), key);
      expect(fixed.status).toBe(422);
      expect(fixed.data.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(t.sim.control.state().cliveClients).toBe(0);
    });
  });
});
