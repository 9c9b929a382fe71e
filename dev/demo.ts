// `npm run demo [-- --exit] [--ui-port N]`: the whole stack on this machine (Temporal dev server with
// its Web UI, on 8233 as `temporal server start-dev` has it or else the next free port, the
// Circle/Clive simulator, a worker) running the four examples/ onboardings side by side:
// a happy path, one RFI round answered by this script, a denial, and a trust whose documents are
// uploaded from examples/documents and whose document RFI this script answers with a file. Keeps running for the Web UI
// until Ctrl-C; with --exit it stops and exits 0 only if every scenario ended as expected.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  answerRfiUpdate,
  OnboardingFailure,
  progressQuery,
  type OnboardingInput,
  type OnboardingProgress,
  type OnboardingResult,
  type RfiAnswer,
} from '../src/contract';
import { startLocalStack, type LocalStack } from './local-stack';
import { startOnboarding } from '../src/contract';

const EXAMPLES = join(__dirname, '..', 'examples');
const SCENARIOS = [
  { name: 'happy-path', file: 'happy-path.json', expect: 'completed' },
  { name: 'rfi-round', file: 'rfi-round.json', expect: 'completed' },
  { name: 'denied', file: 'denied.json', expect: OnboardingFailure.ApplicationDenied },
  { name: 'documents', file: 'with-documents.json', expect: 'completed' },
] as const;
type Scenario = (typeof SCENARIOS)[number];

type Outcome = { ok: true; result: OnboardingResult } | { ok: false; type: string; message: string };

const readJson = (file: string): unknown => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Each scenario takes seconds with the demo's delays; a stuck one fails the demo instead of hanging. */
const SCENARIO_TIMEOUT_MS = 90_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** A per-run suffix keeps repeated demos apart: client names, descriptions and Clive ids are unique. */
function uniqueInput(input: OnboardingInput, suffix: string): OnboardingInput {
  return {
    ...input,
    client: { ...input.client, clientName: `${input.client.clientName} ${suffix}` },
    account: { description: `${input.account.description} ${suffix}` },
    ...(input.clive ? { clive: { ...input.clive, clientId: `${input.clive.clientId}-${suffix}` } } : {}),
  };
}

/** Runs one scenario to its end; true when it ended as the scenario expects. */
async function run(
  stack: LocalStack,
  scenario: Scenario,
  suffix: string,
): Promise<{ workflowId: string; ok: boolean }> {
  const tag = `[${scenario.name}]`.padEnd(13);
  const input = uniqueInput(readJson(scenario.file) as OnboardingInput, suffix);
  const handle = await startOnboarding(stack.client, input, { taskQueue: stack.taskQueue });
  say(`${tag} started ${handle.workflowId}`);

  let settled: Outcome | undefined;
  const outcome = handle.result().then(
    (result): Outcome => (settled = { ok: true, result }),
    (err: unknown): Outcome => (settled = failureOf(err)),
  );

  // Follow the progress query until the workflow ends; print only what changed.
  let last = '';
  const answered = new Set<string>();
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  while (!settled) {
    if (Date.now() > deadline)
      throw new Error(`${scenario.name} did not finish within ${SCENARIO_TIMEOUT_MS / 1000} s (${last})`);
    const progress = await handle.query(progressQuery).catch(() => undefined);
    if (progress) {
      const status = progress.applicationStatus ? `, application ${progress.applicationStatus}` : '';
      const line = `step ${progress.step}${status}`;
      if (line !== last) say(`${tag} ${(last = line)}`);
      if (progress.step === 'awaiting-rfi-answers') await answerOpenRfis(handle, progress, answered, tag);
    }
    await Promise.race([outcome, sleep(300)]);
  }

  const result = await outcome;
  if (result.ok) say(`${tag} completed:\n${JSON.stringify(result.result, null, 2)}`);
  else say(`${tag} failed: ${result.type}: ${result.message}`);
  return { workflowId: handle.workflowId, ok: asExpected(scenario, result) };
}

/**
 * Shows each open RFI, then answers it through the update: a field RFI with
 * examples/rfi-round.answer.json, a document RFI with the file examples/with-documents.answer.json names.
 */
async function answerOpenRfis(
  handle: Awaited<ReturnType<typeof startOnboarding>>,
  progress: OnboardingProgress,
  answered: Set<string>,
  tag: string,
): Promise<void> {
  for (const rfi of progress.rfis.filter((r) => r.state === 'open' && !answered.has(r.rfiId))) {
    answered.add(rfi.rfiId);
    say(
      `${tag} open RFI ${rfi.rfiId} on ${rfi.section}.${rfi.field} (${rfi.type}): ${rfi.systemComment ?? ''}`,
    );
    const reply: RfiAnswer =
      rfi.type === 'COLLECT_DOCUMENT'
        ? { rfiId: rfi.rfiId, document: readJson('with-documents.answer.json') as RfiAnswer['document'] }
        : { rfiId: rfi.rfiId, answer: readJson('rfi-round.answer.json') as Record<string, unknown> };
    try {
      const accepted = await handle.executeUpdate(answerRfiUpdate, { args: [reply] });
      say(`${tag} answered with ${JSON.stringify(reply.document ?? reply.answer)}: ${accepted.status}`);
    } catch (err) {
      // Refused answers leave the RFI open; the scenario then times out and the demo reports it.
      say(`${tag} answer refused: ${(err as Error).cause instanceof Error ? (err as Error).cause : err}`);
    }
  }
}

function failureOf(err: unknown): Outcome {
  const cause = err instanceof WorkflowFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure)
    return { ok: false, type: cause.type ?? 'Error', message: cause.message };
  return {
    ok: false,
    type: (cause as Error)?.name ?? 'Error',
    message: (cause as Error)?.message ?? String(cause),
  };
}

function asExpected(scenario: Scenario, outcome: Outcome): boolean {
  return outcome.ok ? scenario.expect === 'completed' : scenario.expect === outcome.type;
}

function printSummary(stack: LocalStack, workflowIds: string[]): void {
  const { requests, requestCounts: _byRoute, ...counts } = stack.simulator.control.state();
  say(`\nsimulator: ${JSON.stringify({ ...counts, requests: requests.length })}`);
  if (!stack.uiUrl) return;
  const workflows = `${stack.uiUrl}/namespaces/${stack.namespace}/workflows`;
  say(`Temporal Web UI: ${workflows}`);
  say(`  completed onboardings: ${workflows}?query=${encodeURIComponent("OnboardingStep = 'completed'")}`);
  for (const id of workflowIds) say(`  ${workflows}/${id}`);
}

/** Where the HTTP API is, how to call it, and how many notifications woke an onboarding. */
function printService(stack: LocalStack, relayed: number): void {
  if (!stack.service) return;
  const { url, apiKey } = stack.service;
  say(`\nonboarding service: ${url} (API key for this run: ${apiKey})`);
  say(`  OpenAPI: ${url}/openapi.json, interactive page: ${url}/docs`);
  say(`  curl -H 'Authorization: Bearer ${apiKey}' ${url}/v1/onboardings`);
  say(`  Circle notifications relayed to onboardings: ${relayed}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { exit: { type: 'boolean', default: false }, 'ui-port': { type: 'string' } },
  });
  const uiPort = values['ui-port'] === undefined ? undefined : Number(values['ui-port']);
  if (uiPort !== undefined && !(Number.isInteger(uiPort) && uiPort > 0 && uiPort < 65536)) {
    throw new Error(`--ui-port must be a port number, got ${values['ui-port']}`);
  }

  let relayed = 0;
  const starting = startLocalStack({
    ui: true,
    uiPort,
    // Slow enough to watch the steps go by, in the terminal and in the Web UI.
    simulator: { reviewDelayMs: 1500, accountActivationDelayMs: 1500 },
    worker: true,
    // The HTTP service, subscribed to the simulator's notifications: review decisions wake the runs.
    service: { onRelayed: (outcome) => void (outcome.kind === 'signalled' && relayed++) },
    sdkLogLevel: 'ERROR', // the SDK logs each failed workflow at WARN; the denial is expected here
  });
  let finished = false;
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping\n`);
    void starting
      .then((stack) => stack.stop())
      .catch(() => undefined)
      .finally(() => process.exit(finished ? 0 : 130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stack = await starting;
  let ok: boolean;
  try {
    const suffix = randomBytes(3).toString('hex');
    const runs = await Promise.all(SCENARIOS.map((s) => run(stack, s, suffix)));
    printSummary(
      stack,
      runs.map((r) => r.workflowId),
    );
    printService(stack, relayed);
    ok = runs.every((r) => r.ok);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  finished = true;
  say(ok ? '\nAll four scenarios ended as expected.' : '\nSome scenarios did NOT end as expected.');

  if (values.exit) {
    await stack.stop();
    return ok ? 0 : 1;
  }
  say('Running until Ctrl-C, so the runs can be explored in the Web UI.');
  return new Promise<number>(() => undefined); // the signal handler stops and exits
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`demo failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
