// `answer-rfi --workflow-id ID --rfi-id ID --data JSON|@FILE | --document JSON|@FILE`: answer an RFI (a
// document for a COLLECT_DOCUMENT RFI) and wait for Circle's verdict.
import { answerRfiUpdate, documentReferenceProblems, type RfiAnswer } from '../contract';
import { parse, readJson, required, UsageError } from './args';
import { withClient } from './connection';
import { isPlainObject } from '../shared/plain-object';

export async function answerRfi(argv: string[]) {
  const v = parse(argv, {
    'workflow-id': { type: 'string' },
    'rfi-id': { type: 'string' },
    data: { type: 'string' },
    document: { type: 'string' },
  });
  const workflowId = required(v['workflow-id'], 'workflow-id');
  const rfiId = required(v['rfi-id'], 'rfi-id');
  if ((v.data === undefined) === (v.document === undefined)) {
    throw new UsageError('give --data (a field RFI) or --document (a COLLECT_DOCUMENT RFI), not both');
  }
  const answer: RfiAnswer = { rfiId };
  if (v.data !== undefined) {
    const data = readJson(v.data, 'data');
    if (!isPlainObject(data)) {
      throw new UsageError(
        '--data must be a JSON object keyed by the RFI field, e.g. {"website":"https://example.com"}',
      );
    }
    answer.answer = data as Record<string, unknown>;
  } else {
    const document = readJson(v.document!, 'document');
    const problems = documentReferenceProblems(document, { datumNameOptional: true });
    if (problems.length) {
      throw new UsageError(
        `--document must be a document reference, e.g. {"source":"proof-of-address.pdf"}: ${problems.map((p) => `${p.path || '(document)'}: ${p.message}`).join('; ')}`,
      );
    }
    answer.document = document as RfiAnswer['document'];
  }
  return withClient(async (client) => {
    const result = await client.workflow
      .getHandle(workflowId)
      .executeUpdate(answerRfiUpdate, { args: [answer] });
    return { workflowId, ...result };
  });
}
