// Judgments of Circle's lag (may this DRAFT, this 404 still be a read behind our write?) must come out
// the same in every replay. A task's clock does not always: a worker that answered a progress query for
// a run it did not hold, then took that run's next task after a sticky task timed out, ran the task
// with its query's clock (the TypeScript SDK 1.24), and a later replay, with the task's real start,
// judged the same DRAFT read otherwise (a nondeterminism error). So the judgments use the times the
// activities recorded with Circle's answers.
//
// This replays a run with DRAFT reads after the submit and 404s after the create and the account
// (`npm run histories -- answered-at`), once as recorded and once with every workflow task's clock
// pushed a stale-read window later than the one before: the recorded answers stay as they were. Code
// that judged by the task's clock would believe the reads it napped on the first time, and fail.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../../src/temporal/workflow-bundle';

interface JsonEvent {
  eventId: string;
  eventTime: string;
  eventType: string;
  [attributes: string]: unknown;
}

const FILE = path.join(__dirname, 'histories', 'answered-at.json');
/** More than the run's stale-read window (3 s, in its input). */
const STRETCH_MS = 10_000;

function load(): { events: JsonEvent[] } {
  return JSON.parse(readFileSync(FILE, 'utf8')) as { events: JsonEvent[] };
}

/** Each event moved later by STRETCH_MS for every workflow task started up to it. */
function stretched(history: { events: JsonEvent[] }): { events: JsonEvent[] } {
  let tasks = 0;
  const events = history.events.map((e) => {
    if (e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED') tasks++;
    const ms = Date.parse(e.eventTime) + tasks * STRETCH_MS;
    return { ...e, eventTime: new Date(ms).toISOString() };
  });
  return { ...history, events };
}

const payloadOf = (e: JsonEvent, key: string): Record<string, unknown> => {
  const attrs = e[key] as { result?: { payloads: { data: string }[] } };
  return JSON.parse(Buffer.from(attrs.result!.payloads[0]!.data, 'base64').toString()) as Record<
    string,
    unknown
  >;
};

async function replay(history: { events: JsonEvent[] }, code: string): Promise<string | undefined> {
  try {
    await Worker.runReplayHistory({ workflowBundle: { code } }, historyFromJSON(history), 'task-clock');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

let code: string;
beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* installed by another test file in this Jest worker */
  }
  code = await buildWorkflowBundle(new DefaultLogger('WARN'));
});

test('the recorded run has the reads the judgments are about, each with the time Circle answered', () => {
  const { events } = load();
  const completed = events.filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED');
  const results = completed.map((e) => payloadOf(e, 'activityTaskCompletedEventAttributes'));
  const drafts = results.filter((r) => r.status === 'DRAFT' && typeof r.answeredAt === 'string');
  expect(drafts.length).toBeGreaterThanOrEqual(2); // the submit's answer and the review's first read
  const failed = events.filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_FAILED');
  const notFound = failed.filter((e) => JSON.stringify(e).includes('CircleNotFound'));
  expect(notFound.length).toBeGreaterThanOrEqual(2); // the application, then the account
  // Each 404 and each stale DRAFT was waited out with a timer, not believed.
  expect(events.filter((e) => e.eventType === 'EVENT_TYPE_TIMER_STARTED').length).toBeGreaterThanOrEqual(3);
});

test('it replays as recorded, and with every task clock a window later than the last', async () => {
  const history = load();
  const late = stretched(history);
  const first = history.events.find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED')!;
  const last = [...late.events].reverse().find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED')!;
  expect(Date.parse(last.eventTime) - Date.parse(first.eventTime)).toBeGreaterThan(10 * STRETCH_MS);
  expect(await replay(history, code)).toBeUndefined();
  expect(await replay(late, code)).toBeUndefined();
});
