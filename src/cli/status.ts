// `status --workflow-id ID`: execution status, progress, and the result or the failure.
import { progressQuery } from '../contract';
import { parse, required } from './args';
import { withClient } from './connection';
import { failureSummary } from './output';

export async function status(argv: string[]) {
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
