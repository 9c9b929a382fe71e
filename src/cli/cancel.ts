// `cancel --workflow-id ID`: request cancellation (a DRAFT application is cancelled at Circle).
import { parse, required } from './args';
import { withClient } from './connection';
import { log } from './output';

export async function cancel(argv: string[]) {
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
