// Activity stubs for workflow code. Every call carries a one-line summary for the Temporal UI.
import {
  ActivityCancellationType,
  patched,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
  type ActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { OnboardingActivities } from '../activities';
import { providerTaskQueue, type Provider } from '../contract/task-queues';

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

const PARTNER_QUEUES_PATCH = 'partner-task-queues';
/** Writes that read the status they lead to (client, submit, account): no separate read after them. */
const STATUS_WITH_WRITES_PATCH = 'status-with-writes';
/** Check, save, statuses and file fields of the sections in one task (prepareSections). */
const SECTIONS_IN_ONE_TASK_PATCH = 'sections-in-one-task';
/** Documents uploaded and kept in step with the input (steps/documents.ts). */
const DOCUMENTS_PATCH = 'documents';
/**
 * Every change above, under one marker instead of one each (each marker also costs an upsert of
 * `TemporalChangeVersion`), and the search attributes set between two waits written as one upsert
 * (visibility.ts). Runs that started before it keep deciding each change on its own.
 */
const LEAN_HISTORY_PATCH = 'lean-history';

/**
 * Circle as it really behaves (reads that lag, RFIs listed late, an application sent back to DRAFT,
 * credentials that come back): runs since this marker trust an accepted write over a stale read,
 * nap instead of looping without a timer, key each resubmission by its round, and clear a
 * credentials outage as soon as a call stops failing with one. Decided first thing in every run.
 */
const LAGGING_CIRCLE_PATCH = 'lagging-circle';
/**
 * Callers that race the workflow (runs since this marker): every message gets a true answer soon (an
 * answer to an RFI that is not open is refused in every step, one for an RFI not listed yet waits only
 * for the next listing), a second answer waits behind the one being applied, a correction sent during
 * a save is saved before the submit, and continue-as-new carries the input once.
 */
const MESSAGE_RACES_PATCH = 'message-races';

// Per run: the workflow bundle's module state is isolated per workflow execution by the SDK.
let leanHistory = false;
let laggingCircle = false;
let messageRaces = false;

/**
 * Decides, once and first thing in a run, which changes of command order it follows: runs started
 * before a change keep the old order. Before anything is awaited, because a patch asked for right
 * after a local activity can replay out of place: when the local activity's result came in a
 * workflow task of its own, a replay delivers it earlier than the patch's marker, and the run would
 * fail as nondeterministic. (patched() later returns what was decided here, without a new marker.)
 */
export function decidePatches(): void {
  laggingCircle = patched(LAGGING_CIRCLE_PATCH);
  messageRaces = patched(MESSAGE_RACES_PATCH);
  leanHistory = patched(LEAN_HISTORY_PATCH);
  if (leanHistory) return;
  patched(PARTNER_QUEUES_PATCH);
  patched(STATUS_WITH_WRITES_PATCH);
  patched(SECTIONS_IN_ONE_TASK_PATCH);
}

/** A change this run follows: all of them under `lean-history`, else each by its own marker. */
const follows = (patch: string): boolean => leanHistory || patched(patch);

/** Whether this run copes with a Circle that lags and changes its mind (decidePatches). */
export function toleratesLag(): boolean {
  return laggingCircle;
}

/** Whether this run settles every message soon and truly (decidePatches). */
export function settlesMessages(): boolean {
  return messageRaces;
}

/** Whether this run writes its search attributes once per wait (visibility.ts). */
export function attributesOncePerWait(): boolean {
  return leanHistory;
}

/** Whether this run prepares its sections in one task (decidePatches). */
export function sectionsInOneTask(): boolean {
  return follows(SECTIONS_IN_ONE_TASK_PATCH);
}

/** Whether this run takes the status a write read, instead of reading it again (decidePatches). */
export function statusComesWithWrites(): boolean {
  return follows(STATUS_WITH_WRITES_PATCH);
}

/**
 * Whether this run uploads documents. Asked in the sections step, where runs before `lean-history`
 * first asked it: their markers are there.
 */
export function syncsDocuments(): boolean {
  return follows(DOCUMENTS_PATCH);
}

/** The queue of an activity's task (patched() returns what the run decided, without a new marker). */
function taskQueueOf(name: keyof Acts): string | undefined {
  const partner = PARTNER_OF[name];
  if (!partner || !follows(PARTNER_QUEUES_PATCH)) return undefined;
  return providerTaskQueue(workflowInfo().taskQueue, partner);
}

function caller(options: ActivityOptions) {
  const stubs = proxyActivities<Acts>(options);
  return function <K extends keyof Acts>(
    name: K,
    summary: string,
    ...args: Parameters<Acts[K]>
  ): Promise<Awaited<ReturnType<Acts[K]>>> {
    // The stub's type is a union over every activity; the arguments are checked by this signature.
    const stub = stubs[name] as unknown as {
      executeWithOptions(o: ActivityOptions, a: unknown[]): Promise<Awaited<ReturnType<Acts[K]>>>;
    };
    const taskQueue = taskQueueOf(name);
    return stub.executeWithOptions({ ...options, summary, ...(taskQueue ? { taskQueue } : {}) }, args);
  };
}

/** `call('createClient', 'Create Circle client', client, key)`: a write, with a UI summary. */
export const call = caller(WRITE);
/** `read('getApplication', 'Read application status', id)`: a read with a bounded budget. */
export const read = caller(READ);
/** A compensating write, with a budget of its own. */
export const compensation = caller(COMPENSATION);

export type Activities = Acts;

/** Pure CPU work whose result must be recorded, not recomputed: a local activity, no task round trip. */
export const local = proxyLocalActivities<Pick<OnboardingActivities, 'validateOnboardingInput'>>({
  startToCloseTimeout: '10 seconds',
});
