// Operator and integration CLI: `npm run -s starter -- <command> [options]`.
// Prints JSON on stdout, explanations on stderr, and exits non-zero on failure.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { APPLICATION_STATUSES } from './circle/enums';
import { loadConfig } from './config';
import {
  answerRfiUpdate,
  describeIssues,
  onboardingInputSchema,
  progressQuery,
  provideSectionDataUpdate,
  sectionsSchema,
  WORKFLOW_TYPE,
  type OnboardingInput,
  type OnboardingProgress,
} from './contract';
import { onboardingWorkflowId, startOnboarding } from './onboarding-client';
import { dataConverterFor } from './temporal/data-converter';

const USAGE = `usage: npm run -s starter -- <command> [options]

commands:
  start --input FILE [--workflow-id ID] [--wait]     start (or join) the onboarding described by FILE
  status --workflow-id ID                            execution status, progress, and result or failure
  watch --workflow-id ID                             follow progress until the onboarding ends
  answer-rfi --workflow-id ID --rfi-id ID --data JSON|@FILE
                                                     answer an RFI, e.g. --data '{"website":"https://..."}'
  provide-sections --workflow-id ID --data JSON|@FILE
                                                     add or correct section data, e.g. --data @sections.json
  cancel --workflow-id ID                            cancel (a DRAFT application is cancelled at Circle)
  list [--status APPLICATION_STATUS] [--step STEP]   onboardings, newest first

environment: TEMPORAL_ADDRESS (localhost:7233), TEMPORAL_NAMESPACE (default), TEMPORAL_TASK_QUEUE`;

class UsageError extends Error {}

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${flag}`);
  return value;
}

/** `--data` takes inline JSON or `@path/to/file.json`. */
function readJson(arg: string, flag: string): unknown {
  let text = arg;
  if (arg.startsWith('@')) {
    try {
      text = readFileSync(arg.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --${flag} file ${arg.slice(1)}: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${flag} is not valid JSON: ${(err as Error).message}`);
  }
}

function readInputFile(path: string): OnboardingInput {
  const json = readJson(`@${path}`, 'input');
  // Checked here too, so that a bad file is reported before anything is started.
  const parsed = onboardingInputSchema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(`--input ${path} is not a valid onboarding input: ${describeIssues(parsed.error)}`);
  return json as OnboardingInput;
}

async function withClient<T>(fn: (client: Client, taskQueue?: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    return await fn(
      new Client({
        connection,
        namespace: config.temporal.namespace,
        dataConverter: dataConverterFor(config),
      }),
      config.temporal.taskQueue,
    );
  } finally {
    await connection.close();
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function start(argv: string[]) {
  const v = parse(argv, {
    input: { type: 'string' },
    'workflow-id': { type: 'string' },
    wait: { type: 'boolean' },
  });
  const input = readInputFile(required(v.input, 'input'));
  return withClient(async (client, taskQueue) => {
    const workflowId = v['workflow-id'] ?? onboardingWorkflowId(input.client);
    const handle = await startOnboarding(client, input, { workflowId, taskQueue }).catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      throw new Error(
        `onboarding ${workflowId} already completed for this client; see \`status --workflow-id ${workflowId}\` (a failed or cancelled one can be started again, with "adoptExistingClient": true to continue its Circle client)`,
      );
    });
    log(`onboarding ${handle.workflowId} is running`);
    if (!v.wait) return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
    return { workflowId: handle.workflowId, result: await handle.result() };
  });
}

async function status(argv: string[]) {
  const id = required(parse(argv, { 'workflow-id': { type: 'string' } })['workflow-id'], 'workflow-id');
  return withClient(async (client) => {
    const handle = client.workflow.getHandle(id);
    const description = await handle.describe();
    const progress = await handle.query(progressQuery).catch(() => undefined);
    const out: Record<string, unknown> = { workflowId: id, status: description.status.name, progress };
    if (description.status.name === 'COMPLETED') out.result = await handle.result();
    if (description.status.name === 'FAILED') out.failure = await handle.result().catch(failureSummary);
    return out;
  });
}

async function watch(argv: string[]) {
  const id = required(parse(argv, { 'workflow-id': { type: 'string' } })['workflow-id'], 'workflow-id');
  return withClient(async (client) => {
    const handle = client.workflow.getHandle(id);
    let last = '';
    const report = (p: OnboardingProgress) => {
      const open = p.rfis.filter((r) => r.state === 'open');
      const line = `${p.step}${p.applicationStatus ? ` · application ${p.applicationStatus}` : ''}${
        open.length
          ? ` · ${open.length} open RFI(s): ${open.map((r) => `${r.rfiId} ${r.section}.${r.field}`).join(', ')}`
          : ''
      }${p.sectionErrors.length ? ` · ${p.sectionErrors.length} section problem(s)` : ''}`;
      if (line !== last) log(`[${new Date().toISOString()}] ${line}`);
      last = line;
    };
    const result = handle.result();
    let done = false;
    void result.finally(() => (done = true)).catch(() => undefined);
    while (!done) {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress) report(progress);
      await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    }
    return { workflowId: id, result: await result };
  });
}

async function answerRfi(argv: string[]) {
  const v = parse(argv, {
    'workflow-id': { type: 'string' },
    'rfi-id': { type: 'string' },
    data: { type: 'string' },
  });
  const workflowId = required(v['workflow-id'], 'workflow-id');
  const rfiId = required(v['rfi-id'], 'rfi-id');
  const answer = readJson(required(v.data, 'data'), 'data');
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new UsageError(
      '--data must be a JSON object keyed by the RFI field, e.g. {"website":"https://example.com"}',
    );
  }
  return withClient(async (client) => {
    const result = await client.workflow
      .getHandle(workflowId)
      .executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: answer as Record<string, unknown> }] });
    return { workflowId, ...result };
  });
}

async function provideSections(argv: string[]) {
  const v = parse(argv, { 'workflow-id': { type: 'string' }, data: { type: 'string' } });
  const workflowId = required(v['workflow-id'], 'workflow-id');
  const parsed = sectionsSchema.safeParse(readJson(required(v.data, 'data'), 'data'));
  if (!parsed.success)
    throw new UsageError(`--data is not a sections object: ${describeIssues(parsed.error)}`);
  return withClient(async (client) => {
    const result = await client.workflow
      .getHandle(workflowId)
      .executeUpdate(provideSectionDataUpdate, { args: [{ sections: parsed.data }] });
    return { workflowId, ...result };
  });
}

async function cancel(argv: string[]) {
  const workflowId = required(
    parse(argv, { 'workflow-id': { type: 'string' } })['workflow-id'],
    'workflow-id',
  );
  return withClient(async (client) => {
    await client.workflow.getHandle(workflowId).cancel();
    log(`cancellation requested for ${workflowId}`);
    return { workflowId, cancelRequested: true };
  });
}

async function list(argv: string[]) {
  const v = parse(argv, { status: { type: 'string' }, step: { type: 'string' } });
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`];
  if (v.status) {
    if (!(APPLICATION_STATUSES as readonly string[]).includes(v.status)) {
      throw new UsageError(`--status must be one of ${APPLICATION_STATUSES.join(', ')}`);
    }
    clauses.push(`CircleApplicationStatus = '${v.status}'`);
  }
  if (v.step) {
    if (!/^[a-z-]+$/.test(v.step))
      throw new UsageError('--step must be a step name such as awaiting-rfi-answers');
    clauses.push(`OnboardingStep = '${v.step}'`);
  }
  return withClient(async (client) => {
    const rows = [];
    for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) {
      const sa = wf.typedSearchAttributes;
      const get = (name: string) => sa.getAll().find((p) => p.key.name === name)?.value;
      rows.push({
        workflowId: wf.workflowId,
        status: wf.status.name,
        step: get('OnboardingStep'),
        applicationStatus: get('CircleApplicationStatus'),
        applicationId: get('CircleApplicationId'),
        country: get('ClientCountry'),
        startTime: wf.startTime.toISOString(),
      });
      if (rows.length >= 1000) break;
    }
    return rows;
  });
}

function failureSummary(err: unknown) {
  const cause =
    err instanceof WorkflowFailedError || err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure)
    return { type: cause.type, message: cause.message, details: cause.details };
  return { message: (err as Error).message };
}

const COMMANDS: Record<string, (argv: string[]) => Promise<unknown>> = {
  start,
  status,
  watch,
  'answer-rfi': answerRfi,
  'provide-sections': provideSections,
  cancel,
  list,
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = name ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(name ? `unknown command "${name}"` : 'no command given');
  const output = await command(rest);
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const failure = failureSummary(err);
  process.stderr.write(`${'type' in failure ? `failed (${failure.type}): ` : ''}${failure.message}\n`);
  process.exit(1);
});
