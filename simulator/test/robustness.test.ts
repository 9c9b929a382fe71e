import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import axios from 'axios';
import { startSimulator } from '../index';
import {
  APPS,
  CIRCLE_KEY,
  CLIVE_KEY,
  CLIVE_SECRET,
  clientBody,
  createClient,
  idem,
  useTestSimulator,
  submittedApplication,
  startTestSimulator,
} from './support';
import { createHmac } from 'node:crypto';

describe('robustness', () => {
  const t = useTestSimulator();

  const json = { 'Content-Type': 'application/json' };

  it('malformed JSON -> 400 Circle body (after authentication)', async () => {
    const res = await t.circle.post('/v1/partner/clients', Buffer.from('{"clientName": '), {
      headers: { ...json, ...idem().headers },
    });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ code: 400, message: expect.stringMatching(/^Malformed JSON body: /) });
    const unauth = await t.http.post('/v1/partner/clients', Buffer.from('{'), { headers: json });
    expect(unauth.status).toBe(401);
    const control = await t.http.put('/_sim/faults', Buffer.from('[{'), { headers: json });
    expect(control.status).toBe(400);
    expect(control.data.message).toMatch(/^Malformed JSON body/);
  });

  it('wrong content type -> 415 in the dialect of the API', async () => {
    const circle = await t.circle.post('/v1/partner/clients', 'clientName=x', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...idem().headers },
    });
    expect(circle.status).toBe(415);
    expect(circle.data).toEqual({ code: 415, message: expect.stringMatching(/content type/i) });
    const text = await t.circle.put(`${APPS}/${randomUUID()}/sections/businessAddress`, 'hello', {
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    const raw = 'client_id=x';
    const clive = await t.http.post('/api/v1/clients', raw, {
      headers: {
        'Content-Type': 'text/plain',
        'x-api-key': CLIVE_KEY,
        'x-clive-hmac': createHmac('sha256', CLIVE_SECRET).update(raw).digest('hex'),
        'idempotency-key': 'k1',
      },
    });
    expect(clive.status).toBe(415);
    expect(clive.data).toEqual({ error: expect.any(String), code: 'UNSUPPORTED_MEDIA_TYPE', details: null });
  });

  it('bodies over 1 MiB -> 413', async () => {
    const huge = JSON.stringify({ ...clientBody(), clientName: 'x'.repeat(1024 * 1024 + 10) });
    const res = await t.circle.post('/v1/partner/clients', huge, { headers: { ...json, ...idem().headers } });
    expect(res.status).toBe(413);
    expect(res.data).toEqual({ code: 413, message: expect.any(String) });
    const clive = await t.http.post('/api/v1/clients', huge, {
      headers: { ...json, 'x-api-key': CLIVE_KEY },
    });
    expect(clive.status).toBe(413);
    expect(clive.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(t.sim.control.state().clients).toBe(0);
  });

  it('unknown routes -> 404 with the right body per prefix, and a request id', async () => {
    const circle = await t.circle.get('/v1/nothing/here');
    expect(circle.status).toBe(404);
    expect(circle.data).toEqual({ code: 404, message: 'No route GET /v1/nothing/here' });
    expect(circle.headers['x-request-id']).toEqual(expect.any(String));
    expect((await t.circle.patch('/v1/partner/clients', {})).status).toBe(404);
    const clive = await t.http.get('/api/v1/transactions', { headers: { 'x-api-key': CLIVE_KEY } });
    expect(clive.status).toBe(404);
    expect(clive.data).toEqual({ error: expect.any(String), code: 'NOT_FOUND', details: null });
    expect((await t.http.get('/_sim/nothing')).data).toMatchObject({ code: 404 });
  });

  it('odd bodies never crash the server', async () => {
    const headers = { ...json, ...idem().headers };
    for (const body of [
      'null',
      '[]',
      '"text"',
      '42',
      '{"businessDetails": null}',
      '{"__proto__": {"x": 1}}',
    ]) {
      const res = await t.circle.post('/v1/partner/clients', Buffer.from(body), {
        headers: { ...headers, 'X-Idempotency-Key': randomUUID() },
      });
      expect(res.status).toBe(400);
    }
    const { applicationId } = await createClient(t.circle);
    for (const body of ['null', '"x"', '{"a": {"b": [1, {"c": null}]}}']) {
      const res = await t.circle.patch(`${APPS}/${applicationId}/data`, Buffer.from(body), { headers: json });
      expect([400, 422]).toContain(res.status);
    }
    const empty = await t.circle.post(`${APPS}/${applicationId}/submit`, undefined, idem());
    expect(empty.status).toBe(400);
    expect((await t.http.get('/_sim/state')).status).toBe(200);
  });

  it('reset clears state, idempotency records, faults and timers', async () => {
    const slow = await startTestSimulator({ reviewDelayMs: 60_000, accountActivationDelayMs: 60_000 });
    try {
      const key = idem();
      const body = clientBody();
      await slow.circle.post('/v1/partner/clients', body, key);
      await submittedApplication(slow.circle);
      await slow.http.put('/_sim/faults', [{ path: '/v1/accounts', mode: 'error' }]);
      expect(slow.sim.control.state()).toMatchObject({ clients: 2, submissions: 1, timers: 1 });
      const res = await slow.http.post('/_sim/reset');
      expect(res.status).toBe(200);
      expect(slow.sim.control.state()).toMatchObject({
        clients: 0,
        submissions: 0,
        timers: 0,
        cliveClients: 0,
        applications: { total: 0 },
        accounts: { total: 0 },
        requests: [],
      });
      expect((await slow.http.get('/_sim/faults')).data.rules).toEqual([]);
      const again = await slow.circle.post('/v1/partner/clients', body, key);
      expect(again.status).toBe(200);
      expect(slow.sim.control.state().requests[0]!.replay).toBe(false);
    } finally {
      await slow.sim.close();
    }
  });

  it('close() stops the server, clears timers, and can be called twice', async () => {
    const sim = await startSimulator({ circleApiKey: CIRCLE_KEY, reviewDelayMs: 60_000 });
    const client = axios.create({
      baseURL: sim.url,
      validateStatus: () => true,
      headers: { Authorization: `Bearer ${CIRCLE_KEY}` },
    });
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await submittedApplication(client);
    expect(sim.control.state().timers).toBe(1);
    await Promise.all([sim.close(), sim.close()]);
    expect(sim.control.state().timers).toBe(0);
    await expect(client.get('/v1/partner/clients')).rejects.toThrow();
  });

  it('the state log is capped and lists Circle/Clive requests only', async () => {
    await t.circle.get('/v1/partner/clients');
    await t.http.get('/_sim/state');
    const { requests } = t.sim.control.state();
    expect(requests).toEqual([
      {
        method: 'GET',
        path: '/v1/partner/clients',
        status: 200,
        idempotencyKey: null,
        replay: false,
        at: expect.any(String),
      },
    ]);
  });

  it('npm run simulator entry point: prints its URL and exits cleanly on SIGTERM', async () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'simulator/main.ts'], {
      cwd: root,
      env: { ...process.env, SIMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
      });
      const res = await axios.get(`${url}/_sim/state`);
      expect(res.data.clients).toBe(0);
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
