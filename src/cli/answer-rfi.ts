// `answer-rfi --workflow-id ID --rfi-id ID --data JSON|@FILE`: answer an RFI and wait for Circle's verdict.
import { answerRfiUpdate } from '../contract';
import { parse, readJson, required, UsageError } from './args';
import { withClient } from './connection';

export async function answerRfi(argv: string[]) {
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
