// The soak's verdict: what every onboarding should have left behind, compared with Temporal's view of
// each workflow and with the simulator's truth (its counters, and each application, account and Clive
// client read back through the project's own clients once faults are off).
import { pool } from '../pool';
import type { Client } from '@temporalio/client';
import { CircleClient } from '../../src/circle/client';
import { CliveClient } from '../../src/clive/client';
import { loadConfig } from '../../src/config';
import { localEnv } from '../local-stack';
import { progressQuery } from '../../src/contract';
import type { RunningSimulator } from '../../simulator';
import type { Run } from './drive';
import type { OnboardingProgress } from '../../src/contract';

/**
 * No run of an onboarding may end (or, still open, stand) with more history events than this. The
 * longest normal runs (rfi2 with faults and worker kills, no realism mode) measured about 180 events;
 * continue-as-new scenarios move on at 100. About 2.5× headroom: a run that loops (polls a status it
 * does not understand, reads again a 404 without backoff) crosses it long before it hangs the soak.
 */
export const HISTORY_EVENTS_BOUND = 450;

export interface Check {
  name: string;
  expected: number;
  actual: number;
  ok: boolean;
}

export interface Seen {
  status?: string;
  /** The step the progress query shows, for onboardings that did not complete. */
  step?: string;
  continuedAsNew?: boolean;
  clientEntityId?: string;
  applicationId?: string;
  app?: { status: string; submissionCount: unknown; owners: number };
  accounts?: { id: string; status: string }[];
  /** History events of its longest run (of every run it continued as new through), and how many runs. */
  historyEvents?: number;
  runs?: number;
  /** The progress query's timeline, for onboardings that did not complete (a result carries its own). */
  timeline?: OnboardingProgress['timeline'];
}

export async function verify(
  env: { client: Client; taskQueue: string; simulator: RunningSimulator },
  runs: readonly Run[],
  unexpectedWorkerExits: number,
): Promise<{ checks: Check[]; problems: string[]; seen: Seen[] }> {
  const { simulator } = env;
  const config = loadConfig(
    localEnv({ CIRCLE_API_BASE_URL: simulator.url, CLIVE_API_BASE_URL: `${simulator.url}/api/v1` }),
  );
  const circle = new CircleClient(config.circle);
  const clive = new CliveClient(config.clive);

  const seen = await pool(runs.length, 8, async (i) => inspect(env.client, circle, runs[i]!));
  const state = simulator.control.state();
  const cliveIds = new Map<string, number>();
  for (const c of await clive.listClients()) cliveIds.set(c.client_id, (cliveIds.get(c.client_id) ?? 0) + 1);

  const failing = new Map<number, string[]>(); // run index -> what is wrong with it
  /** How many of `subset` satisfy `pred`; each run that does not is listed with `what`. */
  const count = (subset: (r: Run) => boolean, pred: (run: Run, s: Seen) => boolean, what: string) =>
    runs.filter((r, i) => {
      if (!subset(r)) return false;
      const ok = pred(r, seen[i]!);
      if (!ok) failing.set(i, [...(failing.get(i) ?? []), what]);
      return ok;
    }).length;
  const all = () => true;
  const approved = (r: Run) => r.scenario.expect === 'completed';
  const continues = (r: Run) => r.scenario.continueAsNew === true;
  const approvals = runs.filter(approved).length;
  const n = runs.length;
  const sum = (f: (r: Run) => number) => runs.reduce((a, r) => a + f(r), 0);
  const distinct = (values: (string | undefined)[]) => new Set(values.filter(Boolean)).size;
  const check = (name: string, expected: number, actual: number): Check => ({
    name,
    expected,
    actual,
    ok: expected === actual,
  });

  const checks = [
    check('onboardingsEndedAsExpected', n, count(all, endedAsExpected, 'did not end as expected')),
    check(
      'workflowStatusAsExpected',
      n,
      count(all, (r, s) => s.status === (approved(r) ? 'COMPLETED' : 'FAILED'), 'workflow status'),
    ),
    check('workflowsStillRunning', 0, await stillRunning(env.client, env.taskQueue)),
    check(
      'resultSubmissionRounds',
      approvals,
      count(approved, (r) => r.result?.submissionRounds === r.rounds, 'submissionRounds in the result'),
    ),
    check(
      'rfisAnswered',
      sum((r) => r.scenario.answers.length),
      sum((r) => r.rfisAnswered),
    ),
    check(
      'continuedAsNew',
      runs.filter(continues).length,
      count(continues, (_, s) => s.continuedAsNew === true, 'did not continue as new'),
    ),
    check('clients', n, state.clients),
    check('distinctClientEntityIds', n, distinct(seen.map((s) => s.clientEntityId))),
    check('applications', n, state.applications.total),
    check('distinctApplicationIds', n, distinct(seen.map((s) => s.applicationId))),
    check('applicationsApproved', approvals, state.applications.byStatus.APPROVED ?? 0),
    check('applicationsDenied', n - approvals, state.applications.byStatus.DENIED ?? 0),
    check(
      'applicationsWithExpectedStatus',
      n,
      count(all, (r, s) => s.app?.status === (approved(r) ? 'APPROVED' : 'DENIED'), 'application status'),
    ),
    check(
      'submissions',
      sum((r) => r.rounds),
      state.submissions,
    ),
    check(
      'applicationsWithOneSubmissionPerRound',
      n,
      count(all, (r, s) => s.app?.submissionCount === r.rounds, 'submissionCount of the application'),
    ),
    check(
      'applicationsWithOneBeneficialOwner',
      n,
      count(all, (_, s) => s.app?.owners === 1, 'beneficial owners duplicated or missing'),
    ),
    check('accounts', approvals, state.accounts.total),
    check('accountsActive', approvals, state.accounts.byStatus.active ?? 0),
    check(
      'clientsWithExpectedAccounts',
      n,
      count(
        all,
        (r, s) => {
          const accounts = s.accounts ?? [];
          if (!approved(r)) return s.accounts !== undefined && accounts.length === 0;
          const [only] = accounts;
          return accounts.length === 1 && only!.status === 'active' && only!.id === r.result?.accountId;
        },
        'accounts of the client',
      ),
    ),
    check('cliveClients', runs.filter((r) => r.scenario.clive).length, state.cliveClients),
    check(
      'onboardingsWithExpectedCliveClients',
      n,
      count(
        all,
        (r) => {
          const registered = r.cliveClientId ? (cliveIds.get(r.cliveClientId) ?? 0) : 0;
          return r.scenario.clive
            ? registered === 1 && r.result?.cliveClientId !== undefined
            : registered === 0;
        },
        'Clive clients',
      ),
    ),
    check(
      'runsWithinHistoryBound',
      n,
      count(
        all,
        (_, s) => s.historyEvents !== undefined && s.historyEvents <= HISTORY_EVENTS_BOUND,
        `history events above ${HISTORY_EVENTS_BOUND}`,
      ),
    ),
    check(
      // Already in onboardingsEndedAsExpected; on its own so that a mode's failure shows by name.
      'realismOnboardingsEndedAsExpected',
      runs.filter((r) => r.modes.length > 0).length,
      count((r) => r.modes.length > 0, endedAsExpected, 'did not end as expected under a realism mode'),
    ),
    check('simulatorTimersPending', 0, state.timers),
    check('unexpectedWorkerExits', 0, unexpectedWorkerExits),
  ];
  const problems = [...failing].map(([i, what]) => {
    const r = runs[i]!;
    const how = r.outcome === 'failed' ? `failed ${r.failureType}: ${r.message}` : r.outcome;
    const at = seen[i]!.step ? `, step ${seen[i]!.step}` : '';
    const modes = r.modes.length ? ` [${r.modes.join(',')}]` : '';
    const events = `, ${seen[i]!.historyEvents ?? '?'} events`;
    return `#${r.index} ${r.scenario.name}${modes} ${r.workflowId ?? '-'} (${how}${at}${events}): ${what.join('; ')}`;
  });
  return { checks, problems, seen };
}

/** Completed if its scenario approves, else failed with the scenario's failure (ApplicationDenied). */
export function endedAsExpected(r: Run): boolean {
  return r.scenario.expect === 'completed'
    ? r.outcome === 'completed'
    : r.outcome === 'failed' && r.failureType === r.scenario.expect;
}

async function inspect(client: Client, circle: CircleClient, run: Run): Promise<Seen> {
  if (!run.workflowId) return {};
  const seen: Seen = {};
  const handle = client.workflow.getHandle(run.workflowId);
  const description = await handle.describe();
  seen.status = description.status.name;
  seen.continuedAsNew = description.runId !== run.firstRunId;
  // Every run of the chain (visibility has each closed one's length); the open one from describe.
  let longest = description.historyLength;
  let runs = 0;
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${run.workflowId}'` })) {
    longest = Math.max(longest, execution.historyLength);
    runs++;
  }
  seen.historyEvents = longest;
  seen.runs = Math.max(runs, 1);
  if (run.result) {
    seen.clientEntityId = run.result.clientEntityId;
    seen.applicationId = run.result.applicationId;
  } else {
    // A failed onboarding returns nothing: its last progress holds the ids (the worker replays it).
    const progress = await handle.query(progressQuery).catch(() => undefined);
    seen.step = progress?.step;
    seen.timeline = progress?.timeline;
    seen.clientEntityId = progress?.clientEntityId;
    seen.applicationId = progress?.applicationId;
  }
  if (seen.applicationId) {
    const app = await circle.getApplication(seen.applicationId);
    const data = await circle.getData(seen.applicationId);
    const owners = data.beneficialOwners;
    seen.app = {
      status: app.status,
      submissionCount: (app as Record<string, unknown>).submissionCount,
      owners: Array.isArray(owners) ? owners.length : 0,
    };
  }
  if (seen.clientEntityId) {
    const accounts = await circle.listAccounts({ clientEntityId: seen.clientEntityId });
    seen.accounts = accounts.map((a) => ({ id: a.accountId, status: a.status }));
  }
  return seen;
}

/** Running onboardings on the soak's task queue; visibility may lag a moment behind the close. */
async function stillRunning(client: Client, taskQueue: string): Promise<number> {
  const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
  let running = 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    running = (await client.workflow.count(query)).count;
    if (running === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return running;
}
