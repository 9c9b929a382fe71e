import { randomUUID } from 'node:crypto';
import { APPS, CLIVE_KEY, clientBody, createClient, fill, idem, useTestSimulator, submit } from './support';

describe('fault injection', () => {
  const t = useTestSimulator();

  const setFaults = (rules: unknown) => t.http.put('/_sim/faults', rules);

  describe('rules', () => {
    it('are validated (400) and listed with their counters; DELETE clears them', async () => {
      for (const bad of [
        [{ path: '/v1/**', mode: 'explode' }],
        [{ path: '/v1/**', mode: 'delay' }],
        [{ method: 'POST', path: '/v1/**', mode: 'delay-in-progress' }],
        [{ path: '/v1/**', mode: 'delay-in-progress', delayMs: 5 }],
        [{ path: '/v1/**', mode: 'drop', status: 500 }],
        [{ path: 'v1', mode: 'error' }],
        [{ path: '/v1/**', mode: 'error', probability: 2 }],
        [{ path: '/v1/**', mode: 'error', colour: 'red' }],
        { rules: 'all' },
      ]) {
        const res = await setFaults(bad);
        expect(res.status).toBe(400);
        expect(res.data).toMatchObject({ code: 400, message: expect.any(String), errors: expect.any(Array) });
      }
      const ok = await setFaults([
        { method: 'post', path: '/v1/partner/clients', mode: 'error', status: 503, times: 2 },
      ]);
      expect(ok.status).toBe(200);
      expect(ok.data.rules).toEqual([
        {
          method: 'POST',
          path: '/v1/partner/clients',
          mode: 'error',
          status: 503,
          times: 2,
          remaining: 2,
          applied: 0,
        },
      ]);
      await t.circle.post('/v1/partner/clients', clientBody(), idem());
      expect((await t.http.get('/_sim/faults')).data.rules[0]).toMatchObject({ remaining: 1, applied: 1 });
      expect((await t.http.delete('/_sim/faults')).data).toEqual({ rules: [] });
      expect((await t.http.get('/_sim/faults')).data.rules).toEqual([]);
    });

    it('can be set and cleared in-process, with the same validation', () => {
      expect(() => t.sim.control.setFaults([{ path: '/v1/**', mode: 'delay' }])).toThrow(/delayMs/);
      const rules = t.sim.control.setFaults([{ path: '/v1/**', mode: 'delay', delayMs: 5 }]);
      expect(rules).toEqual([
        { method: '*', path: '/v1/**', mode: 'delay', delayMs: 5, remaining: null, applied: 0 },
      ]);
      t.sim.control.clearFaults();
      expect(t.sim.control.faults()).toEqual([]);
    });

    it('match method and path patterns (* one segment, ** the rest); /_sim is never faulted', async () => {
      const { applicationId } = await createClient(t.circle);
      await setFaults([
        { method: 'GET', path: '/v1/onboarding/partner/applications/*', mode: 'error', status: 500 },
        { path: '/api/**', mode: 'error', status: 502 },
        { path: '/**', mode: 'error', status: 418 },
      ]);
      expect((await t.circle.get(`${APPS}/${applicationId}`)).status).toBe(500);
      expect((await t.circle.get(`${APPS}/${applicationId}/sections`)).status).toBe(418);
      expect((await t.circle.delete(`${APPS}/${applicationId}`)).status).toBe(418);
      expect((await t.http.get('/api/v1/clients', { headers: { 'x-api-key': CLIVE_KEY } })).status).toBe(502);
      expect((await t.http.get('/_sim/state')).status).toBe(200);
      expect((await t.http.get('/_sim/faults')).status).toBe(200);
    });

    it('probability is drawn from a seeded random source (repeatable)', async () => {
      const pattern = async () => {
        await setFaults({
          rules: [{ path: '/v1/partner/clients', mode: 'error', probability: 0.5 }],
          seed: 42,
        });
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await t.circle.get('/v1/partner/clients')).status);
        return out;
      };
      const a = await pattern();
      const b = await pattern();
      expect(a).toEqual(b);
      const failures = a.filter((s) => s === 500).length;
      expect(failures).toBeGreaterThan(0);
      expect(failures).toBeLessThan(20);
      await setFaults([{ path: '/v1/partner/clients', mode: 'error', probability: 0 }]);
      expect((await t.circle.get('/v1/partner/clients')).status).toBe(200);
    });
  });

  describe('modes', () => {
    it('error 500: Circle body, operation not run, applies `times` times', async () => {
      await setFaults([{ method: 'POST', path: '/v1/partner/clients', mode: 'error', times: 1 }]);
      const key = idem();
      const body = clientBody();
      const failed = await t.circle.post('/v1/partner/clients', body, key);
      expect(failed.status).toBe(500);
      expect(failed.data).toEqual({ code: 500, message: expect.stringMatching(/Simulated fault/) });
      expect(failed.headers['x-request-id']).toEqual(expect.any(String));
      expect(t.sim.control.state().clients).toBe(0);
      const retry = await t.circle.post('/v1/partner/clients', body, key);
      expect(retry.status).toBe(200);
      const state = t.sim.control.state();
      expect(state.clients).toBe(1);
      expect(state.requests.map((r) => [r.status, r.replay, r.fault ?? null])).toEqual([
        [500, false, 'error'],
        [200, false, null],
      ]);
    });

    it('error 429 / 503 carry Retry-After (Circle and Clive bodies)', async () => {
      await setFaults([
        { path: '/v1/accounts', mode: 'error', status: 429, retryAfterSeconds: 7 },
        { path: '/v1/partner/clients', mode: 'error', status: 503 },
        { path: '/api/v1/clients', mode: 'error', status: 429, retryAfterSeconds: 3 },
      ]);
      const limited = await t.circle.get('/v1/accounts');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('7');
      expect(limited.data).toEqual({ code: 429, message: expect.any(String) });
      const unavailable = await t.circle.get('/v1/partner/clients');
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers['retry-after']).toBe('1');
      const clive = await t.http.get('/api/v1/clients', { headers: { 'x-api-key': CLIVE_KEY } });
      expect(clive.status).toBe(429);
      expect(clive.headers['retry-after']).toBe('3');
      expect(clive.data).toEqual({ error: expect.any(String), code: 'RATE_LIMITED', details: null });
    });

    it('drop: the connection closes before the operation runs', async () => {
      await setFaults([{ method: 'POST', path: '/v1/partner/clients', mode: 'drop', times: 1 }]);
      const key = idem();
      const body = clientBody();
      await expect(t.circle.post('/v1/partner/clients', body, key)).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      expect(t.sim.control.state().clients).toBe(0);
      const retry = await t.circle.post('/v1/partner/clients', body, key);
      expect(retry.status).toBe(200);
      const state = t.sim.control.state();
      expect(state.clients).toBe(1);
      expect(state.requests.map((r) => [r.status, r.replay, r.fault ?? null])).toEqual([
        [0, false, 'drop'],
        [200, false, null],
      ]);
    });

    it('drop-after-commit: the operation commits once; a retry with the same key replays it', async () => {
      await setFaults([{ method: 'POST', path: '/v1/partner/clients', mode: 'drop-after-commit', times: 1 }]);
      const key = idem();
      const body = clientBody();
      await expect(t.circle.post('/v1/partner/clients', body, key)).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      expect(t.sim.control.state().clients).toBe(1);
      const retry = await t.circle.post('/v1/partner/clients', body, key);
      expect(retry.status).toBe(200);
      const listed = await t.circle.get('/v1/partner/clients');
      expect(listed.data.data.map((c: { clientEntityId: string }) => c.clientEntityId)).toEqual([
        retry.data.data.clientEntityId,
      ]);
      const state = t.sim.control.state();
      expect(state.clients).toBe(1);
      expect(state.applications.total).toBe(1);
      expect(state.requests.slice(0, 2).map((r) => [r.status, r.replay, r.fault ?? null])).toEqual([
        [200, false, 'drop-after-commit'],
        [200, true, null],
      ]);
    });

    it('drop-after-commit on submit: one submission, the retry replays SUBMITTED', async () => {
      const { applicationId } = await createClient(t.circle);
      await fill(t.circle, applicationId);
      await setFaults([{ method: 'POST', path: `${APPS}/*/submit`, mode: 'drop-after-commit', times: 1 }]);
      const key = randomUUID();
      await expect(submit(t.circle, applicationId, key)).rejects.toThrow(/socket hang up|ECONNRESET/);
      const retry = await submit(t.circle, applicationId, key);
      expect(retry.status).toBe(200);
      expect(retry.data).toEqual({ applicationId, status: 'SUBMITTED' });
      expect(t.sim.control.state().submissions).toBe(1);
    });

    it('delay: waits, then answers normally', async () => {
      await setFaults([
        { method: 'GET', path: '/v1/partner/clients', mode: 'delay', delayMs: 150, times: 1 },
      ]);
      const started = Date.now();
      const res = await t.circle.get('/v1/partner/clients');
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await t.circle.get('/v1/partner/clients');
      // `times: 1`: only the first request was held.
      expect(t.sim.control.state().requests.map((r) => [r.status, r.fault ?? null])).toEqual([
        [200, 'delay'],
        [200, null],
      ]);
    });

    it('concurrent requests with one key, the first one delayed, create one client', async () => {
      await setFaults([
        { method: 'POST', path: '/v1/partner/clients', mode: 'delay', delayMs: 50, times: 1 },
      ]);
      const key = idem();
      const body = clientBody();
      const [a, b] = await Promise.all([
        t.circle.post('/v1/partner/clients', body, key),
        t.circle.post('/v1/partner/clients', body, key),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.data).toEqual(b.data);
      const state = t.sim.control.state();
      expect(state.clients).toBe(1);
      expect(state.requests.filter((r) => r.replay)).toHaveLength(1);
    });
  });
});
