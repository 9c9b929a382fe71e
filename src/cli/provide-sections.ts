// `provide-sections --workflow-id ID --data JSON|@FILE`: add or correct section data.
import { describeIssues, provideSectionDataUpdate, sectionsSchema } from '../contract';
import { parse, readJson, required, UsageError } from './args';
import { withClient } from './connection';

export async function provideSections(argv: string[]) {
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
