// How a caller addresses the onboarding workflow: its type name, the default task queue, and the
// business-key rule that gives each Circle client exactly one workflow id.
import { createHash } from 'node:crypto';
import type { ClientInput } from './input';

export const TASK_QUEUE = 'circle-onboarding';
export const WORKFLOW_TYPE = 'onboardPartnerClient';

/**
 * `onboarding-<country>-<hash of the normalised client name>`: one onboarding per Circle client
 * (Circle keeps name + country unique) without putting the name itself in the visible id.
 */
export function onboardingWorkflowId(client: Pick<ClientInput, 'clientName' | 'country'>): string {
  const name = client.clientName.trim().replace(/\s+/g, ' ').toLowerCase();
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 20);
  return `onboarding-${client.country.toUpperCase()}-${digest}`;
}
