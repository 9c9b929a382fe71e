// `start --input FILE [--workflow-id ID] [--wait]`: start the onboarding, or join the one running.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  describeIssues,
  onboardingInputSchema,
  onboardingWorkflowId,
  startOnboarding,
  type OnboardingInput,
} from '../contract';
import { parse, readJson, required, UsageError } from './args';
import { withClient } from './connection';
import { log } from './output';

function readInputFile(path: string): OnboardingInput {
  const json = readJson(`@${path}`, 'input');
  // Checked here too, so that a bad file is reported before anything is started.
  const parsed = onboardingInputSchema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(`--input ${path} is not a valid onboarding input: ${describeIssues(parsed.error)}`);
  return json as OnboardingInput;
}

export async function start(argv: string[]) {
  const v = parse(argv, {
    input: { type: 'string' },
    'workflow-id': { type: 'string' },
    wait: { type: 'boolean' },
  });
  const input = readInputFile(required(v.input, 'input'));
  return withClient(async (client, { taskQueue, idKey }) => {
    const workflowId = v['workflow-id'] ?? onboardingWorkflowId(input.client, idKey);
    const handle = await startOnboarding(client, input, { workflowId, taskQueue, idKey }).catch(
      (err: unknown) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        throw new Error(
          `onboarding ${workflowId} already completed for this client; see \`status --workflow-id ${workflowId}\` (a failed or cancelled one can be started again, with "adoptExistingClient": true to continue its Circle client)`,
        );
      },
    );
    log(`onboarding ${handle.workflowId} is running`);
    if (!v.wait) return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
    return { workflowId: handle.workflowId, result: await handle.result() };
  });
}
