// The onboarding service's figures for `npm run bench`: starts per second through the HTTP API, and
// how long a Circle notification takes to become a signal to its onboarding (from the SNS message's
// Timestamp to the end of the signal call), measured by the service's own `onRelayed` hook.
import { randomUUID } from 'node:crypto';
import type { OnboardingInput } from '../src/contract';
import { progressQuery } from '../src/contract';
import type { LocalStack } from './local-stack';
import { percentile, round } from './local-tools';

export interface ServiceFigures {
  starts: number;
  startsPerSecond: number;
  startP50Ms: number;
  startP99Ms: number;
  notifications: number;
  notificationToSignalMs: { p50: number; p99: number; max: number };
}

/** The latencies the service reports as it relays; the bench reads them after the decisions. */
export class RelayTimes {
  readonly ms: number[] = [];
  record = (outcome: { kind: string }, msFromTimestamp: number): void => {
    if (outcome.kind === 'signalled') this.ms.push(msFromTimestamp);
  };
}

/**
 * Starts `count` onboardings through `POST /v1/onboardings` (`concurrency` in flight), each parked in
 * review, then decides them at the simulator so that only its notifications move them on.
 */
export async function measureService(
  stack: LocalStack,
  times: RelayTimes,
  inputFor: (name: string) => OnboardingInput,
  { count, concurrency, prefix }: { count: number; concurrency: number; prefix: string },
): Promise<ServiceFigures> {
  const service = stack.service;
  if (!service) throw new Error('the stack runs no service');
  const headers = { Authorization: `Bearer ${service.apiKey}`, 'Content-Type': 'application/json' };
  const ids: string[] = [];
  const startMs: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const res = await fetch(`${service.url}/v1/onboardings`, {
          method: 'POST',
          headers: { ...headers, 'Idempotency-Key': randomUUID() },
          body: JSON.stringify(inputFor(`${prefix} ${i} [manual]`)),
        });
        if (res.status !== 202) throw new Error(`POST /v1/onboardings: ${res.status} ${await res.text()}`);
        startMs.push(performance.now() - t0);
        ids.push(((await res.json()) as { id: string }).id);
      }
    }),
  );
  const startSeconds = (performance.now() - began) / 1000;

  // Each one waits in review with its application id visible, then the simulator decides it.
  const applications = await Promise.all(ids.map((id) => applicationInReview(stack, id)));
  const before = times.ms.length;
  for (const applicationId of applications)
    stack.simulator.control.review(applicationId, { outcome: 'approve' });
  const deadline = Date.now() + 60_000;
  while (times.ms.length - before < applications.length) {
    if (Date.now() > deadline) throw new Error('not every notification was relayed within 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(ids.map((id) => stack.client.workflow.getHandle(id).result()));
  const relayed = times.ms.slice(before);
  return {
    starts: count,
    startsPerSecond: round(count / startSeconds),
    startP50Ms: round(percentile(startMs, 50)),
    startP99Ms: round(percentile(startMs, 99)),
    notifications: relayed.length,
    notificationToSignalMs: {
      p50: round(percentile(relayed, 50)),
      p99: round(percentile(relayed, 99)),
      max: round(Math.max(...relayed)),
    },
  };
}

async function applicationInReview(stack: LocalStack, workflowId: string): Promise<string> {
  const handle = stack.client.workflow.getHandle(workflowId);
  for (let i = 0; i < 1200; i++) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p?.step === 'in-review' && p.applicationId) {
      const attrs = (await handle.describe()).searchAttributes;
      if (attrs.CircleApplicationId !== undefined) return p.applicationId;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${workflowId} never waited in review`);
}
