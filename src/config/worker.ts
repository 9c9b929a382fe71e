// The worker: its workflow cache (a count, or a memory budget that sizes it), its activity slots, its
// worker deployment version, and the cluster-wide rate limit of each partner's task queue.
import { z } from 'zod';
import type { Provider } from '../contract/task-queues';
import { cachedWorkflowsFor, MIN_MEMORY_BUDGET_MIB, WORKER_BASE_MIB } from '../temporal/memory-budget';

export const workerVariables = z
  .object({
    /** Workflows kept in the worker's memory; fewer bounds RSS, at the cost of replays on wake-up. */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
    /** The worker's RSS to stay within, in MiB: sizes the workflow cache (temporal/memory-budget.ts). */
    WORKER_MEMORY_BUDGET_MB: z.coerce
      .number()
      .int()
      .min(MIN_MEMORY_BUDGET_MIB, {
        message: `must be at least ${MIN_MEMORY_BUDGET_MIB} (MiB): a worker holds about ${WORKER_BASE_MIB} MiB before it caches any onboarding`,
      })
      .optional(),
    /** Activities one worker runs at once, on each of its task queues (workflows', Circle's, Clive's). */
    WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().optional(),
    /**
     * Worker Versioning: the worker deployment (one name for every version of this worker) and this
     * build's id (the image's git commit). Both or neither; unset, the worker is unversioned.
     */
    WORKER_DEPLOYMENT_NAME: z
      .string()
      .regex(/^(?!__)[^.:]{1,480}$/, "at most 480 characters, without '.' or ':', not starting with '__'")
      .optional(),
    WORKER_BUILD_ID: z
      .string()
      .regex(/^(?!__).{1,480}$/, "1 to 480 characters, not starting with '__'")
      .optional(),
    /**
     * Circle (Clive) activities per second across every worker replica: the rate limit of the partner's
     * task queue, held by the Temporal server. Unset: none.
     */
    CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
    CLIVE_TASK_QUEUE_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
    /**
     * Onboardings started on this worker make their quick Circle calls as local activities (no task
     * round trip through the server per call; no per-call row in the Web UI, no server-side rate limit:
     * README "Local Circle calls"). Off by default.
     */
    WORKER_LOCAL_CIRCLE_CALLS: z.enum(['true', 'false']).default('false'),
  })
  .refine((e) => (e.WORKER_DEPLOYMENT_NAME === undefined) === (e.WORKER_BUILD_ID === undefined), {
    message:
      'WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID go together: set both (a versioned worker) or neither',
    path: ['WORKER_BUILD_ID'],
  })
  .refine((e) => e.WORKER_MAX_CACHED_WORKFLOWS === undefined || e.WORKER_MEMORY_BUDGET_MB === undefined, {
    message:
      'WORKER_MAX_CACHED_WORKFLOWS and WORKER_MEMORY_BUDGET_MB both size the workflow cache: set one of them',
    path: ['WORKER_MEMORY_BUDGET_MB'],
  });

export interface WorkerDeployment {
  name: string;
  buildId: string;
}

export interface WorkerSettings {
  worker: { maxCachedWorkflows?: number; maxConcurrentActivityTaskExecutions?: number };
  /**
   * WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID: the worker deployment version this worker polls as
   * (each onboarding stays on the version it started on); unset, the worker is unversioned.
   */
  deployment?: WorkerDeployment;
  /** WORKER_MEMORY_BUDGET_MB, which sized `worker.maxCachedWorkflows` (temporal/memory-budget.ts). */
  memoryBudgetMiB?: number;
  /** The cluster-wide limit of each partner's task queue (activities per second), where one is set. */
  taskQueueActivitiesPerSecond: Partial<Record<Provider, number>>;
  /** WORKER_LOCAL_CIRCLE_CALLS: onboardings started here call Circle from local activities. */
  localCircleCalls: boolean;
}

export function workerSettings(e: z.infer<typeof workerVariables>): WorkerSettings {
  return {
    worker: {
      maxCachedWorkflows:
        e.WORKER_MEMORY_BUDGET_MB === undefined
          ? e.WORKER_MAX_CACHED_WORKFLOWS
          : cachedWorkflowsFor(e.WORKER_MEMORY_BUDGET_MB),
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    memoryBudgetMiB: e.WORKER_MEMORY_BUDGET_MB,
    ...(e.WORKER_DEPLOYMENT_NAME &&
      e.WORKER_BUILD_ID && { deployment: { name: e.WORKER_DEPLOYMENT_NAME, buildId: e.WORKER_BUILD_ID } }),
    taskQueueActivitiesPerSecond: {
      ...(e.CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND && { circle: e.CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND }),
      ...(e.CLIVE_TASK_QUEUE_ACTIVITIES_PER_SECOND && { clive: e.CLIVE_TASK_QUEUE_ACTIVITIES_PER_SECOND }),
    },
    localCircleCalls: e.WORKER_LOCAL_CIRCLE_CALLS === 'true',
  };
}
