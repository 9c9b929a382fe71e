// `provide-documents --workflow-id ID --data JSON|@FILE`: give or replace documents, by reference.
import { documentListProblems, provideDocumentsUpdate, type DocumentReference } from '../contract';
import { parse, readJson, required, UsageError } from './args';
import { withClient } from './connection';

export async function provideDocuments(argv: string[]) {
  const v = parse(argv, { 'workflow-id': { type: 'string' }, data: { type: 'string' } });
  const workflowId = required(v['workflow-id'], 'workflow-id');
  const data = readJson(required(v.data, 'data'), 'data');
  // Either the list itself or `{ "documents": [...] }` (the update's own shape).
  const documents = Array.isArray(data) ? data : (data as { documents?: unknown } | null)?.documents;
  const problems = documentListProblems(documents);
  if (!Array.isArray(documents) || documents.length === 0 || problems.length) {
    const why = problems.length
      ? problems.map((p) => `documents.${p.path}: ${p.message}`).join('; ')
      : 'it holds no documents';
    throw new UsageError(
      `--data must be a list of document references, e.g. [{"datumName":"formationDocument","source":"certificate.pdf"}]: ${why}`,
    );
  }
  return withClient(async (client) => {
    const result = await client.workflow
      .getHandle(workflowId)
      .executeUpdate(provideDocumentsUpdate, { args: [{ documents: documents as DocumentReference[] }] });
    return { workflowId, ...result };
  });
}
