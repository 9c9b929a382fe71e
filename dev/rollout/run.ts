// `npm run -s cluster -- --rollout`: a new worker version rolled out under onboardings parked in every
// wait, on the real server with Worker Versioning. v1 workers (the product's bundle) take onboardings
// into section data, review, an RFI round and account activation; v2 (v2-workflow.ts: one more activity
// before each submit, which v1 histories cannot replay) starts and becomes the deployment's current
// version; each v1 run finishes its step on v1 and continues as new onto v2 at its next wait; new
// onboardings start on v2; v1 drains and is stopped. Checks: every onboarding completes once (the
// simulator's counts), every run's versions, no workflow task failed (no nondeterminism) anywhere, and
// that v2 does reject a v1 history (so the pinning is what kept the runs safe).
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import {
  answerRfiUpdate,
  progressQuery,
  provideSectionDataUpdate,
  startOnboarding,
  type OnboardingInput,
  type OnboardingStepName,
} from '../../src/contract';
import { stopChild, type LocalStack } from '../local-stack';
import { SCENARIOS, soakInput } from '../soak/scenarios';
import { resolveTemporalCli } from '../temporal-cli';

export const DEPLOYMENT = 'circle-onboarding-rollout';
/** Long enough that onboardings sit in activation across the switch. */
export const ACTIVATION_DELAY_MS = 20_000;

const WAITS = {
  'section-data': 'awaiting-section-data',
  review: 'in-review',
  rfi: 'awaiting-rfi-answers',
  activation: 'awaiting-account-activation',
} as const satisfies Record<string, OnboardingStepName>;
type Wait = keyof typeof WAITS;

interface Onboarding {
  workflowId: string;
  wait: Wait | 'new';
  /** The section held back until the run moved (section-data). */
  held?: { name: string; data: unknown };
  runAtSwitch?: string;
}

export interface RolloutOptions {
  runId: string;
  /** Onboardings parked in each wait before the switch. */
  perWait: number;
  /** Onboardings started after the switch. */
  newStarts: number;
  log: (line: string) => void;
}

export async function runRollout(
  stack: LocalStack,
  bundles: { v2: string },
  options: RolloutOptions,
): Promise<Record<string, unknown>> {
  const { client, namespace, taskQueue, simulator } = stack;
  const { runId, perWait, newStarts, log } = options;
  const began = Date.now();
  await setCurrentVersion(client, namespace, 'v1', log);

  // v1 takes onboardings into every wait.
  const onboardings: Onboarding[] = [];
  let index = 0;
  for (const wait of Object.keys(WAITS) as Wait[]) {
    for (let i = 0; i < perWait; i++) {
      const { input, held } = inputFor(wait, runId, index++);
      const workflowId = `rollout-${runId}-${wait}-${i}`;
      await startOnboarding(client, input, { taskQueue, workflowId });
      onboardings.push({ workflowId, wait, ...(held ? { held } : {}) });
    }
  }
  log(`${onboardings.length} onboardings started on v1; waiting until each is parked in its wait`);
  await Promise.all(
    onboardings.map((o) =>
      waitFor(`${o.workflowId} in ${o.wait}`, () => stepIs(client, o, WAITS[o.wait as Wait])),
    ),
  );
  const perWaitBefore: Record<string, number> = {};
  for (const o of onboardings) {
    const step = (await client.workflow.getHandle(o.workflowId).query(progressQuery)).step;
    perWaitBefore[step] = (perWaitBefore[step] ?? 0) + 1;
    o.runAtSwitch = (await client.workflow.getHandle(o.workflowId).describe()).runId;
  }
  const onV1Before = await Promise.all(onboardings.map((o) => buildIdOf(client, o.workflowId)));

  // v2 starts and becomes current.
  const v2 = await stack.addWorker!({ CHILD_WORKFLOW_BUNDLE: bundles.v2, WORKER_BUILD_ID: 'v2' });
  log(`v2 worker process ${v2.pid} polling`);
  const switchAt = Date.now();
  // As an operator would (README, "Deploying a new version", step 3): the Temporal CLI's command.
  await waitFor('version v2 to become current (temporal worker deployment set-current-version)', () =>
    deploymentCli(stack, [
      'set-current-version',
      '--deployment-name',
      DEPLOYMENT,
      '--build-id',
      'v2',
      '--yes',
    ]).then(
      () => true,
      () => false, // not every task queue has seen the version's pollers yet
    ),
  );
  log(`${DEPLOYMENT}:v2 is the current version (temporal worker deployment set-current-version)`);
  const switchMs = Date.now() - switchAt;
  // v1 drains once no open run is pinned to it (watched from the switch on).
  const drainQuery = `TemporalWorkerDeploymentVersion = '${DEPLOYMENT}:v1' AND ExecutionStatus = 'Running'`;
  const drained = waitFor(
    'v1 to drain',
    async () => (await client.workflow.count(drainQuery)).count === 0,
  ).then(() => Date.now() - switchAt);

  // New starts go to v2.
  for (let i = 0; i < newStarts; i++) {
    const { input } = inputFor('activation', runId, index++);
    const workflowId = `rollout-${runId}-new-${i}`;
    await startOnboarding(client, input, { taskQueue, workflowId });
    onboardings.push({ workflowId, wait: 'new' });
  }

  // Each parked v1 run moves to v2 at its next wait; then its wait is released.
  const movedAtMs: number[] = [];
  await Promise.all(
    onboardings
      .filter((o) => o.wait !== 'new')
      .map(async (o) => {
        await waitFor(`${o.workflowId} on v2`, async () => (await buildIdOf(client, o.workflowId)) === 'v2');
        movedAtMs.push(Date.now() - switchAt);
        await release(stack, o);
      }),
  );
  log(`every parked onboarding moved to v2; waiting for the results`);
  const results = await Promise.allSettled(
    onboardings.map((o) =>
      Promise.race([
        client.workflow.getHandle(o.workflowId).result(),
        sleep(ACTIVATION_DELAY_MS + 120_000).then(() => {
          throw new Error('no result within 2 minutes of its activation');
        }),
      ]),
    ),
  );
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${onboardings[i]!.workflowId}: ${(r.reason as Error).message}`] : [],
  );

  // v1 drained, then is stopped; the README's step 4 command says so too (the server refreshes a
  // version's drainage status every few seconds here: dev/cluster/server-config.ts).
  const drainMs = await drained;
  let v1Drainage: string | undefined;
  await waitFor('temporal worker deployment describe-version to show v1 drained', async () => {
    const described = await deploymentCli(stack, [
      'describe-version',
      '--deployment-name',
      DEPLOYMENT,
      '--build-id',
      'v1',
      '--output',
      'json',
    ]);
    v1Drainage = drainageStatusOf(JSON.parse(described));
    return /^(VERSION_DRAINAGE_STATUS_)?DRAINED$/i.test(v1Drainage ?? '');
  }).catch((err: Error) => log(err.message));
  const v1 = stack.workerProcesses![0]!;
  await stopChild(v1);
  log(`v1 drained ${drainMs} ms after the switch; its worker ${v1.pid} stopped`);

  // Every run of every onboarding: its build, whether it continued as new, and failed workflow tasks.
  const runs = await runsOf(client, onboardings);
  const movedAtContinueAsNew = onboardings.filter(
    (o) =>
      o.wait !== 'new' &&
      runs.some((r) => r.workflowId === o.workflowId && r.buildId === 'v2' && r.runId !== o.runAtSwitch),
  ).length;
  const newOnV2 = onboardings.filter(
    (o) =>
      o.wait === 'new' && runs.filter((r) => r.workflowId === o.workflowId).every((r) => r.buildId === 'v2'),
  ).length;
  const failedTasks = runs.flatMap((r) => r.failedTasks);
  // Each v1 run ended by continuing as new (onto v2), never by finishing on v1 after the switch.
  const v1Ends = runs.filter((r) => r.buildId === 'v1').map((r) => r.status);
  const nondeterminism = failedTasks.filter((f) => /nondetermin/i.test(f));

  // v2 really is incompatible with v1 histories: a v1 run that submitted, replayed on v2, fails.
  const reviewRun = runs.find(
    (r) => r.workflowId === onboardings.find((o) => o.wait === 'review')!.workflowId && r.buildId === 'v1',
  );
  const v2RejectsV1History = reviewRun ? await rejects(bundles.v2, reviewRun.history) : false;

  const sim = simulator.control.state();
  const expected = {
    clients: onboardings.length,
    accounts: onboardings.length,
    submissions: onboardings.length + perWait, // one more for each RFI round
  };
  const duplicates = {
    clients: sim.clients - expected.clients,
    accounts: sim.accounts.total - expected.accounts,
    submissions: sim.submissions - expected.submissions,
  };
  const checks = {
    allParkedOnV1: { ok: onV1Before.every((b) => b === 'v1'), detail: onV1Before },
    everyOnboardingCompleted: { ok: failed.length === 0, detail: failed },
    everyParkedRunMovedAtContinueAsNew: {
      ok: movedAtContinueAsNew === onboardings.length - newStarts,
      detail: movedAtContinueAsNew,
    },
    v1RunsEndedByContinueAsNew: {
      ok: v1Ends.length === onboardings.length - newStarts && v1Ends.every((e) => e === 'CONTINUED_AS_NEW'),
      detail: v1Ends,
    },
    newStartsOnV2: { ok: newOnV2 === newStarts, detail: newOnV2 },
    noDuplicates: { ok: Object.values(duplicates).every((d) => d === 0), detail: duplicates },
    noFailedWorkflowTasks: { ok: failedTasks.length === 0, detail: failedTasks.slice(0, 5) },
    v2RejectsV1History: { ok: v2RejectsV1History, detail: reviewRun?.runId },
    cliShowsV1Drained: {
      ok: /^(VERSION_DRAINAGE_STATUS_)?DRAINED$/i.test(v1Drainage ?? ''),
      detail: v1Drainage,
    },
  };
  return {
    ok: Object.values(checks).every((c) => c.ok),
    scenario: 'rollout',
    deployment: DEPLOYMENT,
    onboardings: onboardings.length,
    perWaitBefore,
    movedAtContinueAsNew,
    moveAfterSwitchMs: { first: Math.min(...movedAtMs), last: Math.max(...movedAtMs) },
    setCurrentVersionMs: switchMs,
    v1DrainMs: drainMs,
    newStartsOnV2: newOnV2,
    runs: runs.length,
    nondeterminismErrors: nondeterminism.length,
    failedWorkflowTasks: failedTasks.length,
    duplicates,
    simulator: { clients: sim.clients, submissions: sim.submissions, accounts: sim.accounts.total },
    durationMs: Date.now() - began,
    checks,
  };
}

/** The input of an onboarding meant to park in `wait`; section data holds one section back. */
function inputFor(
  wait: Wait,
  runId: string,
  index: number,
): { input: OnboardingInput; held?: Onboarding['held'] } {
  const name = { 'section-data': 'happy', review: 'can-review', rfi: 'rfi-update', activation: 'happy' }[
    wait
  ];
  const scenario = SCENARIOS.find((s) => s.name === name)!;
  const input = soakInput(runId, 1, index, scenario);
  // Polls every second at most: a parked run wakes (and can move) soon after the switch.
  input.options = { ...input.options, pollInterval: 200, maxPollInterval: 1000 };
  delete input.options.maxHistoryEvents;
  if (wait !== 'section-data') return { input };
  // Not basicBusinessInfo: what it says decides which other sections apply.
  const sections = { ...(input.sections as Record<string, unknown>) };
  const held = { name: 'businessAddress', data: sections.businessAddress };
  delete sections.businessAddress;
  return { input: { ...input, sections: sections as OnboardingInput['sections'] }, held };
}

/** Lets a moved onboarding go on: the held section, the review's decision, the RFI's answer. */
async function release(stack: LocalStack, o: Onboarding): Promise<void> {
  const handle = stack.client.workflow.getHandle(o.workflowId);
  const progress = await handle.query(progressQuery);
  if (o.wait === 'section-data') {
    await handle.executeUpdate(provideSectionDataUpdate, {
      args: [{ sections: { [o.held!.name]: o.held!.data } as Record<string, Record<string, unknown>> }],
    });
  } else if (o.wait === 'review') {
    stack.simulator.control.review(progress.applicationId!, { outcome: 'approve' });
  } else if (o.wait === 'rfi') {
    const rfi = progress.rfis.find((r) => r.state === 'open')!;
    await handle.executeUpdate(answerRfiUpdate, {
      args: [{ rfiId: rfi.rfiId, answer: { website: 'https://rollout.example.com' } }],
    });
  }
}

async function stepIs(client: Client, o: Onboarding, step: OnboardingStepName): Promise<boolean> {
  return (await client.workflow.getHandle(o.workflowId).query(progressQuery)).step === step;
}

/** The build id of the deployment version the onboarding's latest run is pinned to. */
async function buildIdOf(client: Client, workflowId: string): Promise<string | undefined> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  return raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId ?? undefined;
}

interface RunRecord {
  workflowId: string;
  runId: string;
  buildId?: string;
  status: string;
  failedTasks: string[];
  history: temporal.api.history.v1.IHistory;
}

async function runsOf(client: Client, onboardings: Onboarding[]): Promise<RunRecord[]> {
  const { EventType } = temporal.api.enums.v1;
  const runs: RunRecord[] = [];
  for (const o of onboardings) {
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${o.workflowId}'` })) {
      const handle = client.workflow.getHandle(o.workflowId, execution.runId);
      const history = await handle.fetchHistory();
      const { raw } = await handle.describe();
      const failedTasks = (history.events ?? [])
        .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
        .map(
          (e) =>
            `${o.workflowId}/${execution.runId}: ${e.workflowTaskFailedEventAttributes?.failure?.message ?? ''}`,
        );
      runs.push({
        workflowId: o.workflowId,
        runId: execution.runId,
        status: execution.status.name,
        buildId: raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId ?? undefined,
        failedTasks,
        history,
      });
    }
  }
  return runs;
}

/** Whether replaying `history` with the bundle at `codePath` fails as nondeterministic. */
async function rejects(codePath: string, history: temporal.api.history.v1.IHistory): Promise<boolean> {
  try {
    await Worker.runReplayHistory({ workflowBundle: { codePath } }, history);
    return false;
  } catch (err) {
    return err instanceof DeterminismViolationError;
  }
}

/** Makes `buildId` the deployment's current version, once its workers polled every task queue. */
async function setCurrentVersion(
  client: Client,
  namespace: string,
  buildId: string,
  log: (line: string) => void,
): Promise<void> {
  await waitFor(`version ${buildId} to become current`, async () => {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace,
        deploymentName: DEPLOYMENT,
        buildId,
        identity: 'rollout',
      });
      return true;
    } catch {
      return false; // not every task queue has seen the version's pollers yet
    }
  });
  log(`${DEPLOYMENT}:${buildId} is the current version`);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // a query before the first task, a describe during continue-as-new: try again
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const execFileAsync = promisify(execFile);

/** `temporal worker deployment <args>` against the stack's server, as the README writes it. */
async function deploymentCli(stack: LocalStack, args: string[]): Promise<string> {
  const cli = (await resolveTemporalCli({ log: () => undefined })).path;
  const { stdout } = await execFileAsync(
    cli,
    ['worker', 'deployment', ...args, '--address', stack.address, '--namespace', stack.namespace],
    { timeout: 30_000 },
  );
  return stdout;
}

/** The drainage status in `describe-version --output json`, wherever the CLI version puts it. */
function drainageStatusOf(described: unknown): string | undefined {
  if (!described || typeof described !== 'object') return undefined;
  for (const [key, value] of Object.entries(described)) {
    if (/^drainage(Info)?$/i.test(key) && value && typeof value === 'object' && 'status' in value)
      return String((value as { status: unknown }).status);
    if (/^drainageStatus$/i.test(key)) return String(value);
    const inner = drainageStatusOf(value);
    if (inner) return inner;
  }
  return undefined;
}
