// One worker's pace towards a partner, against the simulator: a 429 holds back every later request of
// that worker for the Retry-After; a wait too long to hold inside an activity fails the call at once,
// as a retryable 429 carrying the rest of the wait, without sending it.
import { CircleClient } from '../../src/circle/client';
import { failureType, isRetryable } from '../../src/activities/failures';
import {
  activitySlotsFor,
  LONGEST_HELD_MS,
  REQUESTS_PER_ACTIVITY,
  RequestPacer,
} from '../../src/partner-api/pacer';
import { rejection } from '../helpers/partner-api';
import { startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim?.close());
beforeEach(() => sim.control.reset());

const circleWith = (pace?: ConstructorParameters<typeof CircleClient>[0]['pace']) =>
  new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:local:simulator', timeoutMs: 2000, pace });

test('a 429 holds back the next request for its Retry-After', async () => {
  sim.control.setFaults([
    {
      method: 'GET',
      path: '/v1/partner/clients',
      mode: 'error',
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    },
  ]);
  const circle = circleWith();
  const err = await rejection(circle.listClients());
  expect(err).toMatchObject({ status: 429, retryAfterMs: 1000 });

  const refusedAt = Date.now();
  await circle.listClients(); // not sent before the second has passed
  expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(950);
  expect(sim.control.state().requests.map((r) => r.status)).toEqual([429, 200]);
});

test('a Retry-After longer than an activity should hold fails later calls without sending them', async () => {
  sim.control.setFaults([
    {
      method: 'GET',
      path: '/v1/partner/clients',
      mode: 'error',
      status: 429,
      retryAfterSeconds: 60,
      times: 1,
    },
  ]);
  const circle = circleWith();
  await rejection(circle.listClients());

  const held = await rejection(circle.listClients());
  expect(held).toMatchObject({ provider: 'circle', kind: 'http', status: 429 });
  expect(held.retryAfterMs).toBeGreaterThan(LONGEST_HELD_MS);
  expect(held.retryAfterMs).toBeLessThanOrEqual(60_000);
  expect(held.message).toMatch(/not sent/);
  // The activity is retried after the wait, as for Circle's own 429.
  expect(failureType(held)).toBe('CircleRateLimited');
  expect(isRetryable(held)).toBe(true);
  expect(sim.control.state().requests).toHaveLength(1); // only the first one reached Circle
});

test("a rate of its own spreads a worker's requests; a burst goes at once", async () => {
  const circle = circleWith({ requestsPerSecond: 10, burst: 3 });
  const began = Date.now();
  await Promise.all(Array.from({ length: 3 }, () => circle.listClients()));
  const burstMs = Date.now() - began;
  await Promise.all(Array.from({ length: 5 }, () => circle.listClients()));
  expect(burstMs).toBeLessThan(300);
  expect(Date.now() - began).toBeGreaterThanOrEqual(450); // five more at 10/s: about half a second
  expect(sim.control.state().requests).toHaveLength(8);
});

test('a cancelled call stops waiting for its turn', async () => {
  const pacer = new RequestPacer();
  pacer.backOff(5000);
  const controller = new AbortController();
  const turn = pacer.turn(controller.signal);
  controller.abort(new Error('activity cancelled'));
  await expect(turn).rejects.toThrow('activity cancelled');
});

test('a pace of 0 or less is a configuration error, not a silent stop', () => {
  expect(() => new RequestPacer({ requestsPerSecond: 0 })).toThrow(RangeError);
});

describe("a worker's own pace", () => {
  test('a cancelled request leaves the queue without taking a token: the next one goes in its place', async () => {
    const pacer = new RequestPacer({ requestsPerSecond: 5, burst: 1 }); // a token every 200 ms
    await pacer.turn(); // the burst
    const cancelled = new AbortController();
    const first = pacer.turn(cancelled.signal);
    const started = Date.now();
    const second = pacer.turn();
    cancelled.abort(new Error('activity cancelled'));
    await expect(first).rejects.toThrow('activity cancelled');
    await expect(second).resolves.toBe(0);
    // The second took the first token that came in (~200 ms), not the one after it (~400 ms).
    expect(Date.now() - started).toBeLessThan(350);
  });

  test('a turn further off than an activity should hold is refused at once with the wait, taking nothing', async () => {
    const pacer = new RequestPacer({ requestsPerSecond: 1, burst: 1 });
    await pacer.turn();
    const queued = Array.from({ length: 10 }, () => new AbortController());
    const waiting = queued.map((c) => pacer.turn(c.signal).catch(() => 'cancelled'));
    const started = Date.now();
    const refused = await pacer.turn(); // 11th in line: about 11 s away
    expect(Date.now() - started).toBeLessThan(100);
    expect(refused).toBeGreaterThan(LONGEST_HELD_MS);
    expect(refused).toBeLessThanOrEqual(12_000);
    for (const c of queued) c.abort(new Error('done'));
    await expect(Promise.all(waiting)).resolves.toEqual(queued.map(() => 'cancelled'));
  });

  test('requests go out at the pace, in the order they came', async () => {
    const pacer = new RequestPacer({ requestsPerSecond: 20, burst: 2 });
    const order: number[] = [];
    const started = Date.now();
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => pacer.turn().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180); // 2 at once, then 4 at 50 ms each
  });
});

test('a partner queue gets as many activity slots as its pace serves within the longest hold', () => {
  expect(activitySlotsFor(4)).toBe(12);
  expect(activitySlotsFor(10)).toBe(29);
  expect(activitySlotsFor(0.1)).toBe(2); // never fewer than two
  for (const rps of [1, 4, 10, 25]) {
    // The slots' requests fit in the hold: no activity waits in the pacer past it and fails fast.
    const slots = activitySlotsFor(rps);
    expect(((slots - 1) * REQUESTS_PER_ACTIVITY) / rps).toBeLessThan(LONGEST_HELD_MS / 1000);
  }
});
