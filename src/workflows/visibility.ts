// What operators see: the progress query's step and timeline, the search attributes, and the Web UI's
// current details. Set again at the start of every run, so continue-as-new loses none of it.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { OnboardingStepName } from '../contract/progress';
import { CircleApplicationStatus, OnboardingStep } from '../contract/search-attributes';
import { recordStepTime } from '../observability/workflow-metrics';
import { attributesOncePerWait } from './versions';
import type { Onboarding } from './onboarding';

const MAX_ERRORS = 20;
const MAX_TIMELINE = 100;

export function showStep(o: Onboarding, step: OnboardingStepName): void {
  const progress = o.progress;
  if (progress.step !== step || progress.timeline.length === 0) {
    const left = progress.timeline.at(-1); // the step being left and when it was entered
    if (left) recordStepTime(left.step, left.at);
    progress.step = step;
    progress.timeline.push({ step, at: new Date().toISOString() });
    if (progress.timeline.length > MAX_TIMELINE) progress.timeline.splice(1, 1); // keep the first entry
    setAttributes(o, [{ key: OnboardingStep, value: step }]);
  }
  showDetails(o);
}

export function showApplicationStatus(o: Onboarding, status: string): void {
  if (o.progress.applicationStatus === status) return;
  o.progress.applicationStatus = status;
  setAttributes(o, [{ key: CircleApplicationStatus, value: status }]);
  showDetails(o);
}

/**
 * Search attributes, written at once or (runs since `lean-history`) at the run's next wait, all that
 * were set since the last one in a single upsert: each upsert is a history event and a visibility
 * write on the server, and nobody can look between two waits anyway.
 */
export function setAttributes(o: Onboarding, pairs: SearchAttributeUpdatePair[]): void {
  if (!attributesOncePerWait()) return upsertSearchAttributes(pairs);
  for (const pair of pairs) o.unwrittenAttributes.set(pair.key.name, pair);
}

/** Writes what setAttributes held back. Called before every wait and when the run ends. */
export function writeAttributes(o: Onboarding): void {
  if (o.unwrittenAttributes.size === 0) return;
  upsertSearchAttributes([...o.unwrittenAttributes.values()]);
  o.unwrittenAttributes.clear();
}

/** The Web UI's current details: a summary line (no names), the step, and what it waits for. */
export function showDetails(o: Onboarding): void {
  const p = o.progress;
  const client = o.input?.client;
  const lines = [
    client ? `Onboard ${client.country} ${client.businessDetails.natureOfBusiness} client with Circle` : '',
    `**${p.step}**${p.applicationStatus ? `, application ${p.applicationStatus}` : ''}`,
  ];
  const open = p.rfis.filter((r) => r.state === 'open').length;
  if (open) lines.push(`${open} open RFI(s)`);
  if (p.sectionErrors.length) lines.push(`${p.sectionErrors.length} section problem(s)`);
  if (p.missingDocuments.length) lines.push(`${p.missingDocuments.length} document(s) missing`);
  if (p.documentErrors.length) lines.push(`${p.documentErrors.length} document problem(s)`);
  setCurrentDetails(lines.filter(Boolean).join('\n\n'));
}

export function recordError(o: Onboarding, type: string, message: string): void {
  const errors = o.progress.errors;
  errors.push({ at: new Date().toISOString(), step: o.progress.step, type, message });
  if (errors.length > MAX_ERRORS) errors.splice(0, errors.length - MAX_ERRORS);
}
