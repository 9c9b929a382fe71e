// Typed helper for services that start onboardings (the CLI uses it too). Starting is idempotent:
// the workflow id is a business key, and starting one that is already running returns that run.
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { onboardPartnerClient } from '../workflows';
import type { OnboardingInput } from './input';
import { onboardingWorkflowId, TASK_QUEUE, WORKFLOW_TYPE } from './workflow';

export interface StartOptions {
  workflowId?: string;
  taskQueue?: string;
}

export async function startOnboarding(
  client: Client,
  input: OnboardingInput,
  options: StartOptions = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof onboardPartnerClient>> {
  return client.workflow.start<typeof onboardPartnerClient>(WORKFLOW_TYPE, {
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    workflowId: options.workflowId ?? onboardingWorkflowId(input.client),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING', // a second start joins the running onboarding
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY', // a finished success is never redone
    // Shown in the Temporal UI: no names, only what helps an operator tell runs apart.
    staticSummary: `Onboard ${input.client.country} ${input.client.businessDetails.natureOfBusiness} client with Circle`,
  });
}
