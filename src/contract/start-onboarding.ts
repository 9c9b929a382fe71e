// Typed helper for services that start onboardings (the CLI uses it too). Starting is idempotent: the
// workflow id is the business key, a start with the same input joins the running onboarding, and a
// start with a different input for the same client is refused instead of silently joining. A start
// with an idempotency key is bound to its request: the key that started one onboarding cannot start
// another one (another client) or stand for another input.
import { createHmac } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { InternalWorkflowStartOptionsSymbol } from '@temporalio/client/lib/internal';
import { StartRefusal } from './failures';
import type { OnboardingInput } from './input';
import { OnboardingStartKey } from './search-attributes';
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
   * The request's idempotency key (e.g. an HTTP Idempotency-Key), Temporal's start request id: a retry
   * with the same one is the same start, also once the run has closed (the SDK takes it only through
   * its internal start options). The run keeps a keyed digest of it (`OnboardingStartKey`), so the key
   * cannot start another onboarding or stand for another input: `StartRefusal.KeyReused`.
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
  const startKey = options.requestId && startKeyDigest(options.requestId, idKey);
  if (startKey) await refuseReusedKey(client, startKey, { workflowId, digest });
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
      ...(startKey && { typedSearchAttributes: [{ key: OnboardingStartKey, value: startKey }] }),
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

/** The start key as the visibility index holds it: keyed, so the key itself never reaches Temporal. */
export function startKeyDigest(key: string, idKey: string): string {
  return createHmac('sha256', idKey).update(`start\n${key}`).digest('hex').slice(0, 32);
}

/**
 * Refuses a key that already started an onboarding of another client, or of this client with another
 * input. Found through the visibility index, which follows a start within about a second: two starts
 * with one key for two clients inside that window are not told apart (a caller's key is one request's).
 */
async function refuseReusedKey(
  client: Client,
  startKey: string,
  expected: { workflowId: string; digest: string },
): Promise<void> {
  for await (const run of client.workflow.list({
    query: `OnboardingStartKey = '${startKey}'`,
    pageSize: 10,
  })) {
    const sameRequest = run.workflowId === expected.workflowId && run.memo?.inputDigest === expected.digest;
    if (sameRequest) continue;
    throw new OnboardingStartRefused(
      StartRefusal.KeyReused,
      run.workflowId === expected.workflowId
        ? `this Idempotency-Key started onboarding ${run.workflowId} with another input; use a new key for a new request`
        : 'this Idempotency-Key already started the onboarding of another client; use a new key for a new request',
      expected.workflowId,
    );
  }
}
