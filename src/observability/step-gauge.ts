// Running onboardings per step, as a gauge refreshed from visibility every 30 s. It counts the whole
// task queue, not this replica's work, so one replica is enough (STEP_GAUGE=on on one; the others
// would export the same numbers). One GROUP BY query where the server supports it, else one count
// per step (servers of today group by ExecutionStatus only).
import type { Client } from '@temporalio/client';
import type { Logger, MetricMeter } from '@temporalio/common';
import { ENDED_STEPS, ONBOARDING_STEP_NAMES, type OnboardingStepName } from '../contract/progress';
import { WORKFLOW_TYPE } from '../contract/workflow';
import { ONBOARDINGS_IN_STEP } from './metric-names';

/** Every step a running onboarding can be in. */
export const STEPS: readonly OnboardingStepName[] = ONBOARDING_STEP_NAMES.filter(
  (step) => !ENDED_STEPS.includes(step),
);

export interface StepGaugeOptions {
  client: Pick<Client, 'workflow'>;
  namespace: string;
  taskQueue: string;
  /** The runtime's meter (Runtime.instance().metricMeter): no activity or workflow here. */
  meter: MetricMeter;
  logger: Logger;
  intervalMs?: number;
}

export interface StepGauge {
  /** Counts now (also done at start and then every interval). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export function startStepGauge(options: StepGaugeOptions): StepGauge {
  const { client, namespace, taskQueue, logger } = options;
  const gauge = options.meter.createGauge(
    ONBOARDINGS_IN_STEP,
    'int',
    undefined,
    'Running onboardings per step',
  );
  const base = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = ${quoted(taskQueue)}`;
  let groupBy = true; // until the server says it cannot
  let running: Promise<void> | undefined;

  const countSteps = async (): Promise<Map<string, number>> => {
    if (groupBy) {
      try {
        const { groups } = await client.workflow.count(`${base} GROUP BY OnboardingStep`);
        return new Map(groups.map((g) => [String(g.groupValues[0] ?? ''), g.count]));
      } catch (err) {
        groupBy = false;
        logger.info('step gauge: the server cannot group by OnboardingStep; counting each step', {
          error: err as Error,
        });
      }
    }
    const counts = await Promise.all(
      STEPS.map(
        async (step) =>
          [
            step,
            (await client.workflow.count(`${base} AND OnboardingStep = ${quoted(step)}`)).count,
          ] as const,
      ),
    );
    return new Map(counts);
  };

  const refresh = () =>
    (running ??= countSteps()
      .then((counts) => {
        for (const step of new Set([...STEPS, ...counts.keys()])) {
          if (step) gauge.set(counts.get(step) ?? 0, { step, namespace, taskQueue });
        }
      })
      .catch((err: Error) => logger.warn('step gauge: visibility count failed', { error: err }))
      .finally(() => (running = undefined)));

  void refresh();
  const timer = setInterval(() => void refresh(), options.intervalMs ?? 30_000);
  timer.unref(); // never what keeps the process alive
  return {
    refresh,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** A visibility query string literal. */
function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
