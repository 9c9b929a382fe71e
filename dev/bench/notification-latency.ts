// How long a review decision takes to move a parked onboarding on, through Circle's notification: N
// onboardings wait in review with hour-long polls (so no poll can be what wakes them); the simulator
// approves some of them one after another, sends its SNS notification to the onboarding service, which
// signals the onboarding. Measured from the decision to the workflow task that leaves `in-review` (the
// one that schedules the next step, read from the history: the `OnboardingStep` search attribute is
// only written at the next wait, and a progress query per onboarding would load the worker).
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { RelayTimes } from '../bench-service';
import { localEnv, type LocalStack } from '../local-stack';
import { percentile, round } from '../local-tools';
import { loadConfig } from '../../src/config';
import { pool } from '../pool';
import { CircleApplicationId } from '../../src/contract/search-attributes';
import { idOf } from './inputs';
import { parkInWaves, terminateAll } from './parking';
import { settledRss, type RssSampler } from './rss';
import { WAITS, waitInput } from './wait-kinds';
import { msOf } from './event-time';

const { EventType } = temporal.api.enums.v1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls far apart: within the measurement, only a notification can wake a review. */
const LONG_POLLS = { pollInterval: '1 hour', maxPollInterval: '1 hour' } as const;
/** At most this many decisions, spaced out, so that each meets N parked onboardings and not a queue of decisions. */
export const MAX_DECISIONS = 200;
const MIN_DECISION_SPACING_MS = 250;

/**
 * The service limits notifications per sender IP (CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE), and here
 * every one comes from the simulator's: decisions stay at three quarters of it, so none is refused
 * with 429 and delivered again only at SNS's next retry.
 */
function decisionSpacingMs(): number {
  const perMinute = loadConfig(localEnv()).notifications.rateLimitPerMinute;
  return Math.max(MIN_DECISION_SPACING_MS, Math.ceil(60_000 / (0.75 * perMinute)));
}

export interface NotificationLatency {
  parked: number;
  decided: number;
  decisionsPerSecond: number;
  notificationsRelayed: number;
  /** The simulator's deliveries of these notifications: delivered at the first attempt, retried, not delivered. */
  deliveries: { firstAttempt: number; retried: number; notDelivered: number };
  /** Onboardings whose history shows the signal before they left review, and no poll timer fired. */
  wokenByNotification: number;
  pollTimersFired: number;
  decisionToNextStepMs: { p50: number; p99: number; max: number };
  /** The worker's RSS before parking, once all are parked (after a 5 s hold), and its peak meanwhile. */
  workerRssMiB: { before: number; parked: number; peak: number };
  /** From the SNS message's Timestamp to the end of the signal call, as the service reports it. */
  notificationToSignalMs: { p50: number; p99: number; max: number };
}

export async function measureNotificationLatency(
  stack: LocalStack,
  rss: RssSampler,
  relayTimes: RelayTimes,
  opts: { n: number; concurrency: number; prefix: string; log: (line: string) => void },
): Promise<NotificationLatency> {
  const { n, concurrency, prefix, log } = opts;
  const before = rss.sample();
  rss.reset();
  const { ids } = await parkInWaves(
    stack,
    rss,
    {
      step: WAITS.review.step,
      n,
      concurrency,
      start: (i) => ({
        input: waitInput('review', `${prefix} notified ${i}`, LONG_POLLS),
        workflowId: idOf(`${prefix} notified ${i}`),
      }),
    },
    log,
  );
  try {
    const parkedRss = await settledRss(rss);
    const workerRssMiB = { before: round(before), parked: round(parkedRss), peak: round(rss.peak) };
    log(
      `worker RSS ${workerRssMiB.before} MiB before, ${workerRssMiB.parked} MiB parked (peak ${workerRssMiB.peak})`,
    );
    const applications = await applicationIds(stack, ids);
    const sample = ids.filter((id) => applications.has(id)).slice(0, MAX_DECISIONS);
    const relayedBefore = relayTimes.ms.length;
    const spacingMs = decisionSpacingMs();
    log(
      `approving ${sample.length} of the ${ids.length} parked reviews at the simulator, one every ${spacingMs} ms`,
    );
    const decidedAt = new Map<string, number>();
    const began = Date.now();
    for (const id of sample) {
      decidedAt.set(id, Date.now());
      stack.simulator.control.review(applications.get(id)!, { outcome: 'approve' });
      await sleep(spacingMs);
    }
    const decisionsPerSecond = sample.length / ((Date.now() - began) / 1000);
    const deadline = Date.now() + 60_000;
    while (relayTimes.ms.length - relayedBefore < sample.length && Date.now() < deadline) await sleep(100);
    const relayed = relayTimes.ms.slice(relayedBefore);

    const departures = await pool(sample.length, 10, (i) => departure(stack.client, sample[i]!, deadline));
    const latencies = departures.flatMap((d, i) =>
      d.leftAt === undefined ? [] : [d.leftAt - decidedAt.get(sample[i]!)!],
    );
    if (latencies.length < sample.length)
      log(`${sample.length - latencies.length} onboardings did not leave review in time`);
    return {
      parked: ids.length,
      decided: sample.length,
      decisionsPerSecond: round(decisionsPerSecond, 2),
      notificationsRelayed: relayed.length,
      deliveries: deliveriesOf(stack, new Set(sample.map((id) => applications.get(id)!))),
      wokenByNotification: departures.filter((d) => d.signalled && d.timersFired === 0).length,
      pollTimersFired: departures.reduce((sum, d) => sum + d.timersFired, 0),
      decisionToNextStepMs: spread(latencies),
      workerRssMiB,
      notificationToSignalMs: spread(relayed),
    };
  } finally {
    await terminateAll(stack, ids);
  }
}

function deliveriesOf(stack: LocalStack, applicationIds: Set<string>): NotificationLatency['deliveries'] {
  const mine = stack.simulator.control
    .notifications()
    .filter(
      (d) => d.type === 'Notification' && d.applicationId !== null && applicationIds.has(d.applicationId),
    );
  return {
    firstAttempt: mine.filter((d) => d.state === 'delivered' && d.attempts === 1).length,
    retried: mine.filter((d) => d.attempts > 1).length,
    notDelivered: mine.filter((d) => d.state !== 'delivered').length,
  };
}

const spread = (values: number[]) => ({
  p50: round(percentile(values, 50)),
  p99: round(percentile(values, 99)),
  max: round(values.length ? Math.max(...values) : NaN),
});

/** The application id of each parked onboarding, from its search attribute (one visibility listing). */
async function applicationIds(stack: LocalStack, ids: string[]): Promise<Map<string, string>> {
  const wanted = new Set(ids);
  const found = new Map<string, string>();
  const query = `TaskQueue = '${stack.taskQueue}' AND OnboardingStep = '${WAITS.review.step}' AND ExecutionStatus = 'Running'`;
  for await (const run of stack.client.workflow.list({ query })) {
    const id = run.typedSearchAttributes.get(CircleApplicationId);
    if (wanted.has(run.workflowId) && id) found.set(run.workflowId, id);
  }
  return found;
}

interface Departure {
  /** When the workflow task that left review completed (server time). */
  leftAt?: number;
  signalled: boolean;
  /** Poll timers that fired after the onboarding entered review. */
  timersFired: number;
}

/**
 * From the history: the `applicationStatusChanged` signal, the status read it woke, and the workflow task
 * after that read, which leaves review (it schedules the next step's first activity).
 */
async function departure(client: Client, workflowId: string, deadline: number): Promise<Departure> {
  for (;;) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const signal = events.findIndex(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'applicationStatusChanged',
    );
    const read = events.findIndex(
      (e, i) => i > signal && e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    );
    const left = events.findIndex(
      (e, i) => i > read && e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    );
    const timersFired = events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED).length;
    if (signal >= 0 && read >= 0 && left >= 0)
      return { leftAt: msOf(events[left]!.eventTime), signalled: true, timersFired };
    if (Date.now() > deadline) return { signalled: signal >= 0, timersFired };
    await sleep(250);
  }
}
