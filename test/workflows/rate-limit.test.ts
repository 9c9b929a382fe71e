// Circle's rate limit across worker replicas: Circle's activities run on a task queue of their own whose
// limit the Temporal server holds for every worker at once, so two workers together start at most N of
// them a second, and the simulator sees the requests at that pace. A 429 storm slows the workers down
// and fails no onboarding.
import type { temporal } from '@temporalio/proto';
import { providerTaskQueue } from '../../src/contract';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv, type WorkerLimits } from '../helpers/onboarding-env';
import { start, type OnboardingHandle } from '../helpers/workflow';

const t = useOnboardingEnv();

const N = 5; // Circle activities per second, across both workers
/**
 * What the server lets through at once: it splits a queue's limit over the queue's 4 read partitions,
 * each with a burst of ceil(its rate) tasks (Temporal's matching service, rateLimitManager).
 */
const SERVER_BURST = 4 * Math.ceil(N / 4);
const ONBOARDINGS = 4;

/** Runs `ONBOARDINGS` onboardings at once on fresh workers (the file's own one stopped meanwhile). */
async function runOnWorkers(count: number, limits: WorkerLimits): Promise<OnboardingHandle[]> {
  await t.stopMainWorker();
  const workers = [];
  for (let i = 0; i < count; i++) workers.push(await t.startWorker(limits));
  try {
    const handles = await Promise.all(Array.from({ length: ONBOARDINGS }, () => start(t, onboardingInput())));
    await Promise.all(handles.map((h) => h.result()));
    return handles;
  } finally {
    for (const w of workers) await w.stop();
    await t.restartMainWorker();
  }
}
/** When each activity on the Circle queue started (from the histories: the server's own clock). */
async function circleActivityStarts(handles: OnboardingHandle[]): Promise<number[]> {
  const circleQueue = providerTaskQueue(t.taskQueue, 'circle');
  const starts: number[] = [];
  for (const h of handles) {
    const events = (await h.fetchHistory()).events ?? [];
    const queueOf = new Map<string, string>();
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) queueOf.set(String(e.eventId), scheduled.taskQueue?.name ?? '');
      const started = e.activityTaskStartedEventAttributes;
      if (started && queueOf.get(String(started.scheduledEventId)) === circleQueue)
        starts.push(millis(e.eventTime));
    }
  }
  return starts.sort((a, b) => a - b);
}

function millis(time: temporal.api.history.v1.IHistoryEvent['eventTime']): number {
  return Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
}

/** The most timestamps in any window of one second. */
function busiestSecond(times: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Per second over the run, not counting the burst the limiter allows at the start. */
function sustainedRate(times: number[], burst: number): number {
  return (times.length - burst) / ((times.at(-1)! - times[0]!) / 1000);
}

function circleRequestTimes(): number[] {
  return t.sim.control
    .state()
    .requests.filter((r) => r.path.startsWith('/v1/'))
    .map((r) => Date.parse(r.at))
    .sort((a, b) => a - b);
}

test(`two workers with a limit of ${N}/s start at most ${N} Circle activities a second together`, async () => {
  const handles = await runOnWorkers(2, { taskQueueActivitiesPerSecond: { circle: N } });

  const starts = await circleActivityStarts(handles);
  expect(starts.length).toBeGreaterThanOrEqual(ONBOARDINGS * 4); // every Circle call went through the queue
  expect(sustainedRate(starts, SERVER_BURST)).toBeLessThanOrEqual(N * 1.1);
  expect(busiestSecond(starts)).toBeLessThanOrEqual(N + SERVER_BURST);

  // What the simulator sees: the same pace, times the requests an activity makes on this flow.
  const requests = circleRequestTimes();
  const perActivity = requests.length / starts.length;
  expect(sustainedRate(requests, SERVER_BURST * perActivity)).toBeLessThanOrEqual(N * perActivity * 1.1);
  // Exactly once, however slow: one client and one account per onboarding.
  const state = t.sim.control.state();
  expect(state.clients).toBe(ONBOARDINGS);
  expect(state.accounts.total).toBe(ONBOARDINGS);
}, 60_000);

test('without the limit the same load goes well past it (the checks above can fail)', async () => {
  const handles = await runOnWorkers(2, {});
  const starts = await circleActivityStarts(handles);
  expect(busiestSecond(starts)).toBeGreaterThan(N + SERVER_BURST);
}, 60_000);

test("each worker keeps to its own pace of requests: two workers, twice one's pace", async () => {
  const pace = 5;
  await runOnWorkers(2, { circlePace: { requestsPerSecond: pace, burst: 1 } });
  const requests = circleRequestTimes();
  expect(requests.length).toBeGreaterThanOrEqual(ONBOARDINGS * 10);
  expect(sustainedRate(requests, 2)).toBeLessThanOrEqual(2 * pace * 1.1);
}, 60_000);

test('after a 429 a worker sends nothing to Circle until the Retry-After has passed', async () => {
  t.sim.control.setFaults([
    { method: '*', path: '/v1/**', mode: 'error', status: 429, retryAfterSeconds: 1, times: 6 },
  ]);
  await runOnWorkers(1, {});

  const { requests } = t.sim.control.state();
  const refused = requests.filter((r) => r.status === 429).map((r) => Date.parse(r.at));
  expect(refused).toHaveLength(6);
  // Requests already on their way when the 429 came back may still land just after it (the log says
  // when each was answered, which under load can be a few hundred ms later); nothing sent afterwards
  // does within the second Circle asked for.
  const times = circleRequestTimes();
  for (const at of refused) {
    expect(times.filter((x) => x > at + 300 && x < at + 900)).toEqual([]);
  }
}, 60_000);

test('a 429 storm on two workers fails no onboarding, and creates nothing twice', async () => {
  t.sim.control.setFaults([
    { method: '*', path: '/v1/**', mode: 'error', status: 429, retryAfterSeconds: 1, times: 12 },
  ]);
  const handles = await runOnWorkers(2, { taskQueueActivitiesPerSecond: { circle: 20 } });

  const results = await Promise.all(handles.map((h) => h.result()));
  expect(results.filter((r) => r.accountId)).toHaveLength(ONBOARDINGS);
  const state = t.sim.control.state();
  expect(state.requests.filter((r) => r.status === 429)).toHaveLength(12);
  expect(state.clients).toBe(ONBOARDINGS);
  expect(state.accounts.total).toBe(ONBOARDINGS);
}, 60_000);
