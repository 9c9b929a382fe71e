// Which code a run follows, all in one place. Each run is pinned to the worker deployment version it
// started on (Temporal's Worker Versioning: `PINNED`), so the code that runs it never changes under it.
// A newer version is taken up only at continue-as-new, at a wait (waiting.ts: `maybeContinueAsNew`):
// the next run starts on it with its own code from its first step. The patches below are the older way,
// for runs that started before workers were versioned: runs started before a change keep the old order.
import {
  CancellationScope,
  makeContinueAsNewFunc,
  patched,
  workflowInfo,
  type ContinueAsNewOptions,
} from '@temporalio/workflow';

// The onboarding's versioning behaviour is `PINNED`, set as the worker's default (src/worker.ts,
// `deploymentOptions`) rather than on the workflow with setWorkflowOptions: an unversioned worker (local
// runs, tests) would send that annotation too, and the server refuses a workflow task completion that
// carries a versioning behaviour without deployment options, so every task would time out.

/**
 * Whether a newer worker deployment version is the target of this run (it became current or ramps to
 * it). Temporal tells a pinned run so with each workflow task; the run moves at its next safe point.
 */
export function newerVersionWaiting(): boolean {
  return workflowInfo().targetWorkerDeploymentVersionChanged;
}

/**
 * Continues as new: onto the newer version when one is waiting (the next run's first task goes to it,
 * `AUTO_UPGRADE`, and is then pinned there), else on this run's version, as pinned runs do.
 */
export function continueAsNewAtSafePoint(...args: unknown[]): Promise<never> {
  const options: ContinueAsNewOptions = newerVersionWaiting()
    ? { initialVersioningBehavior: 'AUTO_UPGRADE' }
    : {};
  return makeContinueAsNewFunc(options)(...args);
}

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

/**
 * A cancel request that comes in the same workflow task as the timer that ends a wait: the wait would
 * continue as new, and the next run would never see the cancel (Temporal does not carry it over).
 * Asked only then, so its marker is in the histories of those runs alone; older ones keep continuing.
 */
const CANCEL_BEFORE_CONTINUE_PATCH = 'cancel-before-continue-as-new';

/** Whether this run was asked to cancel and so must not continue as new (waiting.ts). */
export function cancelRequestedBeforeContinuing(): boolean {
  return CancellationScope.current().consideredCancelled && asked(CANCEL_BEFORE_CONTINUE_PATCH);
}

/**
 * A cancellation just after the client was created: Circle may answer the compensation's read of the
 * new application with a 404 for a moment. Runs since this marker wait that out (a timer, then the
 * compensation again) instead of leaving the DRAFT open. Asked only then, like the one above.
 */
const COMPENSATION_LAG_PATCH = 'compensation-waits-out-lag';

/** Whether this run's compensation waits out a 404 for an application just created (onboard-partner-client.ts). */
export function compensationWaitsOutLag(): boolean {
  return asked(COMPENSATION_LAG_PATCH);
}

/**
 * A message that wakes a poll while its read is in flight (a relayed notification, an answer): runs
 * since this marker read again at once, where older ones slept out the next interval (with
 * notifications flowing, the daily backstop) on what the read saw before the message. Asked only
 * then, like the ones above.
 */
const WAKES_DURING_READS_PATCH = 'wakes-during-reads';

/** Whether a wake that came during this poll's read ends the nap after it (waiting.ts). */
export function wakesDuringReadsCount(): boolean {
  return asked(WAKES_DURING_READS_PATCH);
}

/**
 * A read that shows another status than the notification just relayed announced: Circle's reads may
 * lag its notifications. Runs since this marker read again soon, within the stale-read window after the
 * notification; older ones believed the read and slept out the backstop. Asked only then.
 */
const READS_BEHIND_NOTIFICATIONS_PATCH = 'reads-behind-notifications';

/** Whether a read behind the last notification is read again soon (waiting.ts). */
export function readsBehindNotificationsRetried(): boolean {
  return asked(READS_BEHIND_NOTIFICATIONS_PATCH);
}

/**
 * A section an RFI targets (`action_required`) while the run saves sections: the application is in an
 * RFI round (an operator's reset to before the submit). Runs since this marker go where the
 * application's status says; older ones waited for the section until the section-data deadline.
 * Asked only then.
 */
const RFI_SECTIONS_ROUTE_PATCH = 'rfi-sections-route';

/** Whether a section an RFI targets sends the sections step to the application's status (sections.ts). */
export function rfiSectionsRoute(): boolean {
  return asked(RFI_SECTIONS_ROUTE_PATCH);
}

// Per run: the workflow bundle's module state is isolated per workflow execution by the SDK.
let leanHistory = false;
let laggingCircle = false;
let messageRaces = false;
let localCircleCalls = false;

/**
 * The changes asked for only where they matter (the ones above), all older than local Circle calls:
 * a run that calls Circle locally started on code that has them, so it takes each without a marker
 * (a patch asked right after a local activity's result can replay out of place: decidePatches says
 * why). A change made after local calls is not in this list: it needs a way of its own for such runs.
 */
const OLDER_THAN_LOCAL_CALLS = new Set([
  CANCEL_BEFORE_CONTINUE_PATCH,
  COMPENSATION_LAG_PATCH,
  WAKES_DURING_READS_PATCH,
  READS_BEHIND_NOTIFICATIONS_PATCH,
  RFI_SECTIONS_ROUTE_PATCH,
]);
const asked = (patch: string): boolean =>
  (localCircleCalls && OLDER_THAN_LOCAL_CALLS.has(patch)) || patched(patch);

/**
 * This run calls Circle from local activities (calls.ts): the worker it started on said so, in the
 * input check's recorded result, and the state carries it to the runs after.
 */
export function callCircleLocally(): void {
  localCircleCalls = true;
}

/** Whether this run calls Circle from local activities (callCircleLocally). */
export function callsCircleLocally(): boolean {
  return localCircleCalls;
}

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

/** A change this run follows: all of them under `lean-history`, else each by its own marker (patched()
 * returns what the run decided, without a new marker). */
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

/** Whether this run sends partner calls to the partner's own task queue (calls.ts). */
export function usesPartnerQueues(): boolean {
  return follows(PARTNER_QUEUES_PATCH);
}
