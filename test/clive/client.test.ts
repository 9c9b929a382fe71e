// The Clive HTTP client against the simulator over loopback: HMAC signing, idempotent replays, errors.
import { randomUUID } from 'node:crypto';
import { CliveClient } from '../../src/clive/client';
import { rejection } from '../helpers/partner-api';
import { startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
let clive: CliveClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  clive = new CliveClient({
    baseUrl: `${sim.url}/api/v1`,
    apiKey: 'cp_test_partner_local',
    hmacSecret: 'local-hmac-secret',
  });
});
afterAll(() => sim?.close());

test('Clive: signed create, replay flagged idempotentReplay, a wrong secret refused', async () => {
  const body = { client_id: 'AIRPEACE001', legal_name: 'Air Peace Ltd', partner_fee_percentage: 4 };
  const key = `client-${randomUUID()}`;
  const created = await clive.createClient(body, key);
  const replay = await clive.createClient(body, key);
  expect(replay).toMatchObject({ id: created.id, idempotentReplay: true });
  await expect(clive.listClients()).resolves.toEqual([
    expect.objectContaining({ id: created.id, client_id: 'AIRPEACE001' }),
  ]);

  const forged = new CliveClient({
    baseUrl: `${sim.url}/api/v1`,
    apiKey: 'cp_test_partner_local',
    hmacSecret: 'wrong',
  });
  const err = await rejection(forged.createClient({ ...body, client_id: 'OTHER001' }, randomUUID()));
  expect(err).toMatchObject({ provider: 'clive', status: 401, code: 'HMAC_INVALID' });
});
