// The observer around the provider clients, against the simulator: one record per client method call,
// with the status class and code the call ended with. (Outside an activity nothing is exported.)
import { CircleClient } from '../../src/circle/client';
import { PartnerApiError } from '../../src/partner-api/error';
import {
  observePartnerClient,
  recordPartnerCall,
  statusOf,
  type PartnerCall,
} from '../../src/observability/partner-calls';
import { startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());

test('each call is recorded with its operation and status', async () => {
  const calls: PartnerCall[] = [];
  const raw = new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:local:simulator' });
  const circle = observePartnerClient(raw, 'circle', (c) => calls.push(c));
  expect(circle).toBeInstanceOf(CircleClient);

  await circle.listClients({ pageSize: 1 });
  await expect(circle.getApplication('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
    PartnerApiError,
  );
  await circle.findClient('nobody', 'US'); // pages through listClients: one record for the lookup

  expect(calls.map((c) => [c.provider, c.operation, statusOf(c.error)])).toEqual([
    ['circle', 'listClients', { status_class: '2xx', status: '2xx' }],
    ['circle', 'getApplication', { status_class: '4xx', status: '404' }],
    ['circle', 'findClient', { status_class: '2xx', status: '2xx' }],
  ]);
  expect(calls.every((c) => c.durationMs >= 0)).toBe(true);
});

test('status classes of calls that got no answer or a bad one', () => {
  const err = (kind: PartnerApiError['kind'], status?: number) =>
    new PartnerApiError({ provider: 'clive', operation: 'createClient', kind, status, message: 'x' });
  expect(statusOf(err('http', 503))).toEqual({ status_class: '5xx', status: '503' });
  expect(statusOf(err('network'))).toEqual({ status_class: 'network', status: 'none' });
  expect(statusOf(err('timeout'))).toEqual({ status_class: 'timeout', status: 'none' });
  expect(statusOf(err('invalid-response', 200))).toEqual({ status_class: 'invalid_response', status: '200' });
  expect(statusOf(new TypeError('bug'))).toEqual({ status_class: 'error', status: 'none' });
});

test('outside an activity, recording is a no-op', () => {
  expect(() => recordPartnerCall({ provider: 'circle', operation: 'submit', durationMs: 1 })).not.toThrow();
});
