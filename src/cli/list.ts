// `list [--status S] [--step STEP]`: onboardings found through their search attributes.
import { APPLICATION_STATUSES } from '../circle/enums';
import { WORKFLOW_TYPE } from '../contract';
import { parse, UsageError } from './args';
import { withClient } from './connection';

export async function list(argv: string[]) {
  const v = parse(argv, { status: { type: 'string' }, step: { type: 'string' } });
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`];
  if (v.status) {
    if (!(APPLICATION_STATUSES as readonly string[]).includes(v.status)) {
      throw new UsageError(`--status must be one of ${APPLICATION_STATUSES.join(', ')}`);
    }
    clauses.push(`CircleApplicationStatus = '${v.status}'`);
  }
  if (v.step) {
    if (!/^[a-z-]+$/.test(v.step))
      throw new UsageError('--step must be a step name such as awaiting-rfi-answers');
    clauses.push(`OnboardingStep = '${v.step}'`);
  }
  return withClient(async (client) => {
    const rows = [];
    for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) {
      const sa = wf.typedSearchAttributes;
      const get = (name: string) => sa.getAll().find((p) => p.key.name === name)?.value;
      rows.push({
        workflowId: wf.workflowId,
        status: wf.status.name,
        step: get('OnboardingStep'),
        applicationStatus: get('CircleApplicationStatus'),
        applicationId: get('CircleApplicationId'),
        country: get('ClientCountry'),
        startTime: wf.startTime.toISOString(),
      });
      if (rows.length >= 1000) break;
    }
    return rows;
  });
}
