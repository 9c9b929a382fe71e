// `list [--status S] [--step STEP]`: onboardings found through their search attributes.
import { APPLICATION_STATUSES } from '../circle/enums';
import { ONBOARDING_STEP_NAMES, onboardingsQuery } from '../contract';
import { parse, UsageError } from './args';
import { withClient } from './connection';

export async function list(argv: string[]) {
  const v = parse(argv, { status: { type: 'string' }, step: { type: 'string' } });
  if (v.status && !(APPLICATION_STATUSES as readonly string[]).includes(v.status)) {
    throw new UsageError(`--status must be one of ${APPLICATION_STATUSES.join(', ')}`);
  }
  if (v.step && !(ONBOARDING_STEP_NAMES as readonly string[]).includes(v.step)) {
    throw new UsageError(`--step must be one of ${ONBOARDING_STEP_NAMES.join(', ')}`);
  }
  const query = onboardingsQuery({ step: v.step, applicationStatus: v.status });
  return withClient(async (client) => {
    const rows = [];
    for await (const wf of client.workflow.list({ query })) {
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
