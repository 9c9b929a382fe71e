import { lapMsFor } from '../bench/wait-cost';
import {
  dailyCost,
  productionSchedule,
  SERVER_SUGGESTS_CONTINUE_AS_NEW_AT,
  type LapCost,
} from '../bench/wait-cost-model';

const lap: LapCost = {
  historyEvents: 11,
  serverRequests: 18,
  persistenceRequests: 12,
  serverCpuMs: 15,
  workerCpuMs: 10,
  circleRequests: 1,
};

test('the production schedule is the input defaults, the backstop and the server’s continue-as-new suggestion', () => {
  expect(productionSchedule()).toEqual({
    pollIntervalMs: 5_000,
    maxPollIntervalMs: 600_000,
    maxHistoryEvents: 10_000,
    backstopMs: 24 * 3_600_000,
    continueAsNewAtEvents: SERVER_SUGGESTS_CONTINUE_AS_NEW_AT,
  });
});

test('a day is 144 laps at 10 minutes; the review polls once while notifications flow, the other waits do not change', () => {
  const schedule = productionSchedule();
  const review = dailyCost('review', lap, 0, schedule, false);
  expect(review).toMatchObject({
    lapsPerDay: 144,
    serverRequests: 2592,
    persistenceRequests: 1728,
    serverCpuMs: 2160,
    workerCpuMs: 1440,
    temporalCpuMs: 3600,
    circleRequests: 144,
    historyEventsPerWeek: 11 * 144 * 7,
  });
  expect(dailyCost('review', lap, 0, schedule, true)).toMatchObject({ lapsPerDay: 1, serverRequests: 18 });
  for (const kind of ['section-data', 'rfi', 'activation'] as const)
    expect(dailyCost(kind, lap, 0, schedule, true)).toEqual(dailyCost(kind, lap, 0, schedule, false));
});

test('continue-as-new adds its events once per run of continueAsNewAtEvents events', () => {
  const schedule = { ...productionSchedule(), continueAsNewAtEvents: 1000 };
  // 100 of every 1000 events continue as new: 900 of lap events make a run.
  expect(dailyCost('rfi', lap, 100, schedule, false).historyEventsPerWeek).toBe(
    Math.round((11 * 144 * 7 * 1000) / 900),
  );
});

test('the lap time makes the parked onboardings poll about 20 times a second, within 2 s and 10 min', () => {
  expect(lapMsFor(10)).toBe(2_000);
  expect(lapMsFor(200)).toBe(10_000);
  expect(lapMsFor(10_000)).toBe(500_000);
  expect(lapMsFor(1_000_000)).toBe(600_000);
  expect(lapMsFor(10_000, 30)).toBe(30_000);
});
