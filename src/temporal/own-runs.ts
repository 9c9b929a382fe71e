// Visibility queries the activities may make about the onboarding's own runs (see activities/client.ts).
import type { Client } from '@temporalio/client';
import type { OwnRuns } from '../activities/client';

export function ownRunsOf(client: Client): OwnRuns {
  return { count: async (query) => Number((await client.workflow.count(query)).count) };
}
