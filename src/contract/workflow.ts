// How a caller addresses the onboarding workflow: its type name, the default task queue, and the
// business-key rule that gives each Circle client exactly one workflow id.
import { createHmac } from 'node:crypto';
import type { ClientInput, OnboardingInput } from './input';
import type { OnboardingResult } from './progress';

export const TASK_QUEUE = 'circle-onboarding';
export const WORKFLOW_TYPE = 'onboardPartnerClient';

/**
 * The workflow as callers see it: started by its type name (`WORKFLOW_TYPE`) with the onboarding's
 * input, it returns the result. The workflow implements this type (workflows/onboard-partner-client.ts);
 * callers type their handles with it and never import workflow code. (A run that continues as new
 * passes itself a second, internal argument that no caller sends.)
 */
export type OnboardPartnerClientWorkflow = (input: OnboardingInput) => Promise<OnboardingResult>;

/**
 * The visibility query for onboardings, optionally of one step, application status or application (the
 * search attributes the workflow keeps). Values must be keyword-like: nothing in them needs quoting.
 */
export function onboardingsQuery(
  filter: { step?: string; applicationStatus?: string; applicationId?: string } = {},
): string {
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`];
  const add = (attribute: string, value: string | undefined) => {
    if (value === undefined) return;
    if (!/^[A-Za-z0-9_-]+$/.test(value))
      throw new RangeError(`${attribute} filter ${JSON.stringify(value)} is not a keyword`);
    clauses.push(`${attribute} = '${value}'`);
  };
  add('OnboardingStep', filter.step);
  add('CircleApplicationStatus', filter.applicationStatus);
  add('CircleApplicationId', filter.applicationId);
  return clauses.join(' AND ');
}

/** The id key of local runs (the simulator). Anywhere else, every caller shares a secret one. */
export const LOCAL_ID_KEY = 'local-onboarding-ids';

/**
 * `onboarding-<country>-<HMAC-SHA256(idKey, country + clientName)>`: one onboarding per Circle client,
 * keyed on what Circle keeps unique: the `clientName` as it is sent to Circle (the input's rule: leading
 * and trailing whitespace removed, nothing else) and the `country`. So " Acme " and "Acme" are one
 * onboarding, as they are one client at Circle. Keyed, so the id cannot be matched against a list of
 * company names without the key.
 */
export function onboardingWorkflowId(
  client: Pick<ClientInput, 'clientName' | 'country'>,
  idKey: string,
): string {
  const name = client.clientName.trim();
  const digest = createHmac('sha256', idKey).update(`${client.country}\n${name}`).digest('hex');
  return `onboarding-${client.country}-${digest.slice(0, 32)}`;
}

/** A digest of the whole input (keyed like the id), kept in the run's memo to compare later starts. */
export function inputDigest(input: unknown, idKey: string): string {
  return createHmac('sha256', idKey).update(canonicalJson(input)).digest('hex');
}

/** JSON with object keys sorted, so the same input always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
