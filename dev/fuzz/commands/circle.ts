// Commands that change Circle under the onboarding, through the simulator's control API: the reviewer's
// decisions (approve, deny, RFIs, back to DRAFT), realism modes switched on for this application, and
// fault rules on the routes the workflow calls. The control API refuses a decision while the
// application is not in review; that is Circle's rule, not a finding, and the model is left as it was.
import { setTimeout as sleep } from 'node:timers/promises';
import type fc from 'fast-check';
import type { FaultRuleInput, RealismModesInput } from '../../../simulator';
import { checkCounts } from '../invariants';
import { nextValue, type Model } from '../model';
import { handleOf, progressOf, wake, type Real } from '../system';

const REVIEW_WAIT_MS = 3000;

async function inReview(real: Real): Promise<boolean> {
  if (!real.applicationId) await progressOf(real);
  if (!real.applicationId) return false;
  const status = await real.circle.trueStatus(real.applicationId);
  return status === 'SUBMITTED' || status === 'IN_REVIEW';
}

export type Decision = 'approve' | 'deny' | 'rfi' | 'rfi-website' | 'draft';

export class DecideCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly decision: Decision,
    readonly questions: number,
  ) {}
  /** Once approved or denied, Circle's reviewer has nothing left to decide. */
  check = (m: Readonly<Model>) => m.decided === undefined;
  async run(model: Model, real: Real): Promise<void> {
    // A reviewer decides what is in review: give a submission that is on its way a moment to arrive,
    // so that sequences reach RFI rounds instead of being refused by Circle's rule.
    const until = Date.now() + REVIEW_WAIT_MS;
    while (Date.now() < until && !(await inReview(real))) await sleep(200);
    if (!real.applicationId) return void model.trace.push(`decide ${this.decision}: no application yet`);
    const outcome = this.decision === 'rfi-website' ? 'rfi' : this.decision;
    // NEW_FIELD questions on a field of their own each (the automatic RFI asks for the website).
    const rfis =
      this.decision === 'rfi'
        ? Array.from({ length: this.questions }, () => ({
            section: 'complianceProfile',
            field: nextValue(model, 'fuzzQuestion'),
            type: 'NEW_FIELD' as const,
          }))
        : undefined;
    const at = Date.now();
    try {
      real.stack.simulator.control.review(real.applicationId, { outcome, ...(rfis ? { rfis } : {}) });
    } catch (err) {
      return void model.trace.push(`decide ${this.decision}: refused (${(err as Error).message})`);
    }
    model.trace.push(`decide ${this.decision}${rfis ? ` ${rfis.map((r) => r.field).join(',')}` : ''}`);
    if (outcome === 'draft' && model.cancelRequested) model.sentBackAfterCancelAt ??= at;
    if (outcome === 'approve' || outcome === 'deny') model.decided = outcome;
    else model.roundsOpened++;
    if (outcome !== 'draft') await relayNotification(model, real);
    checkCounts(model, real);
  }
  toString = () => `Decide(${this.decision},${this.questions})`;
}

/** Someone cancels the application at Circle, outside the onboarding (Circle allows it in DRAFT). */
export class CancelAtCircleCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    if (!real.applicationId) await progressOf(real);
    if (!real.applicationId) return void model.trace.push('cancel at Circle: no application yet');
    const ended = (await handleOf(real).describe()).status.name !== 'RUNNING';
    const status = await real.circle.cancelApplication(real.applicationId);
    model.cancelledAtCircle ||= status === 200;
    model.cancelledAtCircleAfterEnd ||= status === 200 && ended;
    model.trace.push(`cancel at Circle: ${status}`);
    if (status === 200) await relayNotification(model, real);
  }
  toString = () => 'CancelAtCircle';
}

export class RealismCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly modes: RealismModesInput) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    if (!real.applicationId) await progressOf(real);
    if (!real.applicationId) return void model.trace.push('realism: no application yet');
    real.stack.simulator.control.setApplicationRealism(real.applicationId, this.modes);
    model.trace.push(`realism ${JSON.stringify(this.modes)}`);
  }
  toString = () => `Realism(${JSON.stringify(this.modes)})`;
}

const APPS = '/v1/onboarding/partner/applications';
/** The routes an onboarding writes to or polls, as fault-rule paths. */
export const FAULT_PATHS = [
  ['POST', '/v1/partner/clients'],
  ['PATCH', `${APPS}/*/data`],
  ['PUT', `${APPS}/*/sections/*`],
  ['POST', `${APPS}/*/submit`],
  ['GET', `${APPS}/*`],
  ['GET', `${APPS}/*/rfis`],
  ['PATCH', `${APPS}/*/rfis/*`],
  ['POST', '/v1/accounts'],
  ['GET', '/v1/accounts/*'],
  ['POST', '/api/v1/clients'],
] as const;

export const FAULT_MODES = {
  '500': { mode: 'error', status: 500 },
  '429': { mode: 'error', status: 429, retryAfterSeconds: 1 },
  drop: { mode: 'drop' },
  'drop-after-commit': { mode: 'drop-after-commit' },
  delay: { mode: 'delay', delayMs: 700 },
} as const satisfies Record<string, Omit<FaultRuleInput, 'method' | 'path'>>;

export class FaultsCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly rules: FaultRuleInput[]) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    // Replaces the rules before: the fuzzer runs one onboarding at a time, so they hit only this one.
    real.stack.simulator.control.setFaults(this.rules);
    model.trace.push(`faults ${JSON.stringify(this.rules)}`);
  }
  toString = () =>
    `Faults(${this.rules.map((r) => `${r.method} ${r.path} ${r.mode}${r.status ?? ''} x${r.times}`).join('; ')})`;
}

export class ClearFaultsCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    real.stack.simulator.control.clearFaults();
    model.trace.push('faults cleared');
  }
  toString = () => 'ClearFaults';
}

/** Circle's notification of a decision, relayed as the service does, once notifications flow. */
async function relayNotification(model: Model, real: Real): Promise<void> {
  if (!model.notified) return;
  model.trace.push(`notification relayed: ${await wake(real)}`);
}
