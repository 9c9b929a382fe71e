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
