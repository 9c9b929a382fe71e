// Every committed history (test/replay/histories, recorded by `npm run histories`) replays against
// today's workflow code. A change that reorders or inserts commands without `patched()` fails here
// before it can break onboardings in flight. `npm run test:replay` runs just this file.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../../src/temporal/workflow-bundle';

const DIR = path.join(__dirname, 'histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

beforeAll(() => {
  // Quiet unless replay fails (the failures are asserted below); the runtime may be installed already.
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* installed by another test file in this Jest worker */
  }
});

test('there is a recorded history of every kind of run', () => {
  const kinds = new Set(files.map((f) => f.split('.')[0]));
  for (const kind of [
    'happy-path',
    'partner-queues',
    // partner-queues with the input check's result in a workflow task of its own, as happens under
    // load (derived from partner-queues.json: three workflow-task events inserted after the marker).
    'late-local-activity',
    'status-with-writes',
    'sections-in-one-task',
    'lean-history',
    'lean-history-documents',
    'rfi-by-update',
    'rfi-by-signal-two-rounds',
    'section-correction',
    'continue-as-new',
    // A cancel in the task of a wake due to continue as new (patch 'cancel-before-continue-as-new').
    'cancel-before-continue-as-new',
    'cancellation',
    'denial',
    // Circle as it really behaves (patch 'lagging-circle'), one history per branch.
    'lagging-circle',
    'draft-after-submit',
    'rfis-listed-late',
    'not-found-after-create',
    'unknown-statuses',
    'credentials-then-conflict',
    'adoption-after-conflict',
    'refused-answer',
    'document-revert',
    'cancellation-during-documents',
    'review-deadline',
    // Callers that race the workflow (patch 'message-races').
    'answers-racing',
    'correction-during-save',
    'continue-as-new-input-once',
    // A review reached by notifications: the backstop poll.
    'notified-review',
    'cancelled-at-circle-during-sections',
    // A cancel while Circle still answers 404 for the new application (patch 'compensation-waits-out-lag').
    'cancel-while-circle-lags',
    // Notifications that race the review's reads (patches 'wakes-during-reads', 'reads-behind-notifications').
    'wake-during-read',
    'read-behind-notification',
    // An operator's reset to before the save once an RFI round is open (patch 'rfi-sections-route').
    'reset-during-rfi-round',
    // Lag judged by the times activities record with Circle's answers (task-clock.test.ts).
    'answered-at',
    // Circle called from local activities (WORKER_LOCAL_CIRCLE_CALLS), through an RFI round.
    'local-calls',
  ]) {
    expect(kinds).toContain(kind);
  }
});

test('every recorded history replays against the current workflow code', async () => {
  const code = await buildWorkflowBundle(new DefaultLogger('WARN'));
  const histories = files.map((file) => ({
    workflowId: file,
    history: historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8'))),
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code } }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(histories.length).toBe(files.length);
});

test('the cancel-before-continue-as-new history has the cancel in a wake due to continue as new', () => {
  type MarkerAttributes = { details?: Record<string, { payloads?: { data: string }[] }> };
  type Event = { eventId: string; eventType: string; markerRecordedEventAttributes?: unknown };
  const file = path.join(DIR, 'cancel-before-continue-as-new.json');
  const { events } = JSON.parse(readFileSync(file, 'utf8')) as { events: Event[] };
  const types = events.map((e) => e.eventType.replace('EVENT_TYPE_', ''));
  const cancel = types.indexOf('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
  const fired = types.lastIndexOf('TIMER_FIRED', cancel);
  const started = types.indexOf('WORKFLOW_TASK_STARTED', cancel);
  // The timer's firing and the cancel came in one workflow task...
  expect(fired).toBeGreaterThan(-1);
  expect(types.slice(fired, cancel)).not.toContain('WORKFLOW_TASK_STARTED');
  // ...whose history length reached the run's limit of 100 events, so the wake was due to continue.
  expect(Number(events[started]!.eventId)).toBeGreaterThanOrEqual(100);
  const patchIds = events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes as MarkerAttributes | undefined;
    const data = marker?.details?.['patch-data']?.payloads ?? [];
    return data.map((p) => (JSON.parse(Buffer.from(p.data, 'base64').toString()) as { id: string }).id);
  });
  expect(patchIds).toContain('cancel-before-continue-as-new');
  expect(types).not.toContain('WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
  expect(types.at(-1)).toBe('WORKFLOW_EXECUTION_CANCELED');
});
