// Activity stubs for workflow code. Every call carries a one-line summary for the Temporal UI.
import {
  ActivityCancellationType,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { OnboardingActivities } from '../activities';
import { providerTaskQueue, type Provider } from '../contract/task-queues';
import { callsCircleLocally, usesPartnerQueues } from './versions';

const RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
};

/**
 * Writes retry until they succeed or fail for good, however long an outage lasts: each carries its
 * idempotency key, so every attempt is the same request.
 */
const WRITE: ActivityOptions = {
  startToCloseTimeout: '45 seconds', // above the HTTP client's timeout, with room for two calls
  // Activities heartbeat while their call runs: cancellation reaches it, and a lost worker's activity
  // is retried after 10 s instead of after the whole start-to-close timeout.
  heartbeatTimeout: '10 seconds',
  // A cancelled write is waited for until its HTTP call is aborted, so nothing it sends lands after
  // the compensation that follows.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: RETRY,
};

/**
 * Reads give up after a while so the wait that made them can look at its own deadline, continue as
 * new, and try again after its next timer (waiting.ts): an outage never fails a long wait early.
 */
const READ: ActivityOptions = {
  ...WRITE,
  cancellationType: ActivityCancellationType.TRY_CANCEL,
  scheduleToCloseTimeout: '10 minutes',
};

/** Compensation on cancellation is bounded: a run that was cancelled must end, even if it cannot. */
const COMPENSATION: ActivityOptions = { ...WRITE, scheduleToCloseTimeout: '5 minutes' };

type Acts = OnboardingActivities;

/**
 * The partner each activity calls: its tasks go to that partner's queue, where the cluster-wide rate
 * limit applies. `null`: no partner call (Temporal visibility, the document store), the workflow's queue.
 */
const PARTNER_OF: Record<keyof Acts, Provider | null> = {
  validateOnboardingInput: null,
  createClient: 'circle',
  findExistingClient: 'circle',
  recordedByOwnRun: null,
  checkSections: 'circle',
  prepareSections: 'circle',
  saveSections: 'circle',
  listSections: 'circle',
  getApplication: 'circle',
  submitApplication: 'circle',
  cancelDraftApplication: 'circle',
  listOpenRfis: 'circle',
  getRfiState: 'circle',
  answerRfi: 'circle',
  readDocumentSlots: 'circle',
  inspectDocuments: null,
  uploadDocument: 'circle',
  deleteDocument: 'circle',
  createCustodyAccount: 'circle',
  getAccount: 'circle',
  findCustodyAccount: 'circle',
  registerCliveClient: 'clive',
  findCliveClient: 'clive',
};

/** The queue of an activity's task: the partner's, for runs since `partner-task-queues` (versions.ts). */
function taskQueueOf(name: keyof Acts): string | undefined {
  const partner = PARTNER_OF[name];
  if (!partner || !usesPartnerQueues()) return undefined;
  return providerTaskQueue(workflowInfo().taskQueue, partner);
}

/**
 * The Circle calls a run started with WORKER_LOCAL_CIRCLE_CALLS makes as local activities: quick ones
 * (a request or a few), writes with their keys as before. Document uploads and deletes (bytes from
 * the document store) and the client lookup (paging, resumed across attempts from heartbeats, which a
 * local activity has not) stay regular activities; so do the compensation's calls.
 */
const LOCAL_CIRCLE_CALLS = new Set<keyof Acts>([
  'createClient',
  'checkSections',
  'prepareSections',
  'saveSections',
  'listSections',
  'getApplication',
  'submitApplication',
  'listOpenRfis',
  'getRfiState',
  'answerRfi',
  'readDocumentSlots',
  'createCustodyAccount',
  'getAccount',
  'findCustodyAccount',
]);

/**
 * A regular activity's options as a local activity's: the same attempt timeout, retries and
 * cancellation. Retries wait in the worker up to `localRetryThreshold` (1 minute), then on a timer.
 * No heartbeat timeout: a local activity runs in the workflow's own worker, which Temporal watches
 * through the workflow task instead.
 */
function asLocal({ startToCloseTimeout, scheduleToCloseTimeout, cancellationType, retry }: ActivityOptions) {
  const options: LocalActivityOptions = { startToCloseTimeout, retry, cancellationType };
  return scheduleToCloseTimeout ? { ...options, scheduleToCloseTimeout } : options;
}

/** How an activity is called through a proxy's stub, with the options of this one call. */
type Stub<R> = { executeWithOptions(o: ActivityOptions | LocalActivityOptions, a: unknown[]): Promise<R> };

/**
 * Calls activities with `options`, each with a UI summary. With `localAllowed`, a Circle call of a run
 * that calls Circle locally (versions.ts: `callsCircleLocally`) goes as a local activity instead.
 */
function caller(options: ActivityOptions, { localAllowed }: { localAllowed: boolean }) {
  const stubs = proxyActivities<Acts>(options);
  const localOptions = asLocal(options);
  const localStubs = proxyLocalActivities<Acts>(localOptions);
  return function <K extends keyof Acts>(
    name: K,
    summary: string,
    ...args: Parameters<Acts[K]>
  ): Promise<Awaited<ReturnType<Acts[K]>>> {
    // The stub's type is a union over every activity; the arguments are checked by this signature.
    type R = Awaited<ReturnType<Acts[K]>>;
    if (localAllowed && callsCircleLocally() && LOCAL_CIRCLE_CALLS.has(name)) {
      return (localStubs[name] as unknown as Stub<R>).executeWithOptions({ ...localOptions, summary }, args);
    }
    const taskQueue = taskQueueOf(name);
    return (stubs[name] as unknown as Stub<R>).executeWithOptions(
      { ...options, summary, ...(taskQueue ? { taskQueue } : {}) },
      args,
    );
  };
}

/** `call('createClient', 'Create Circle client', client, key)`: a write, with a UI summary. */
export const call = caller(WRITE, { localAllowed: true });
/** `read('getApplication', 'Read application status', id)`: a read with a bounded budget. */
export const read = caller(READ, { localAllowed: true });
/** A compensating write, with a budget of its own: always a regular activity. */
export const compensation = caller(COMPENSATION, { localAllowed: false });

export type Activities = Acts;

/** Pure CPU work whose result must be recorded, not recomputed: a local activity, no task round trip. */
export const local = proxyLocalActivities<Pick<OnboardingActivities, 'validateOnboardingInput'>>({
  startToCloseTimeout: '10 seconds',
});
