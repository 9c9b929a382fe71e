// Typed helper for services that start onboardings (the CLI uses it too). Starting is idempotent: the
// workflow id is the business key, a start with the same input joins the running onboarding, and a
// start with a different input for the same client is refused instead of silently joining.
import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { InternalWorkflowStartOptionsSymbol } from '@temporalio/client/lib/internal';
import { StartRefusal } from './failures';
import type { OnboardingInput } from './input';
import {
  inputDigest,
  LOCAL_ID_KEY,
  onboardingWorkflowId,
  TASK_QUEUE,
  WORKFLOW_TYPE,
  type OnboardPartnerClientWorkflow,
} from './workflow';

export type StartOptions = {
  taskQueue?: string;
  /** The key of the business-key rule, shared by every caller (config: ONBOARDING_ID_KEY). */
  idKey?: string;
  /** An explicit workflow id instead of the business key (tests, migrations). */
  workflowId?: string;
  /**
   * Temporal's start request id (e.g. an HTTP Idempotency-Key): a retry with the same one is the same
   * start, also once the run has closed. The SDK takes it only through its internal start options.
   */
  requestId?: string;
};

/** A start that was refused; `type` is stable (see `StartRefusal`). */
export class OnboardingStartRefused extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly workflowId: string,
  ) {
    super(message);
    this.name = 'OnboardingStartRefused';
  }
}

export async function startOnboarding(
  client: Client,
  input: OnboardingInput,
  options: StartOptions = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<OnboardPartnerClientWorkflow>> {
  const idKey = options.idKey ?? LOCAL_ID_KEY;
  const workflowId = options.workflowId ?? onboardingWorkflowId(input.client, idKey);
  const digest = inputDigest(input, idKey);
  const start = (workflowIdConflictPolicy: 'FAIL' | 'USE_EXISTING') =>
    client.workflow.start<OnboardPartnerClientWorkflow>(WORKFLOW_TYPE, {
      taskQueue: options.taskQueue ?? TASK_QUEUE,
      workflowId,
      args: [input],
      workflowIdConflictPolicy,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY', // a finished success is never redone
      memo: { inputDigest: digest },
      // Shown in the Temporal UI: no names, only what helps an operator tell runs apart.
      staticSummary: `Onboard ${input.client.country} ${input.client.businessDetails.natureOfBusiness} client with Circle`,
      ...(options.requestId && { [InternalWorkflowStartOptionsSymbol]: { requestId: options.requestId } }),
    });
  // Most starts create the run, whose input is this one: no need to read it back (a request saved per
  // start). With a request id that shortcut is not taken: Temporal would answer a repeated id with
  // the running onboarding whatever its input, and another input must still be refused below.
  if (!options.requestId) {
    try {
      return await start('FAIL');
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  const handle = await start('USE_EXISTING'); // a second start joins the running onboarding...
  // ...but only with the same input: another input for the same client would be silently ignored.
  const { memo } = await handle.describe();
  if (memo?.inputDigest !== undefined && memo.inputDigest !== digest) {
    throw new OnboardingStartRefused(
      StartRefusal.InputConflict,
      `onboarding ${workflowId} is already running for this client with a different input; send changes as messages (provideSectionData, answerRfi) or cancel it first`,
      workflowId,
    );
  }
  return handle;
}
