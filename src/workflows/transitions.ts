// The state machine in one table: every step, what it does, and where it may go next. Each step
// returns the next one; after anything ambiguous the workflow goes through `route`, which reads the
// application and follows its status (DRAFT -> sections, SUBMITTED/IN_REVIEW -> review,
// PENDING_CUSTOMER_INFORMATION -> rfi, APPROVED -> account, DENIED/CANCELLED -> typed failure).
import { toleratesLag } from './versions';
import type { Onboarding } from './onboarding';
import type { Step } from './state';
import { nap } from './waiting';
import { createAccount } from './steps/account';
import { awaitAccountActivation } from './steps/activation';
import { createClient } from './steps/client';
import { registerWithClive } from './steps/clive';
import { answerRfis } from './steps/rfis';
import { awaitReview } from './steps/review';
import { routeByStatus } from './steps/route';
import { completeSections } from './steps/sections';
import { submit } from './steps/submit';

type Running = Exclude<Step, 'done'>;

export const TRANSITIONS: Record<Running, { run: (o: Onboarding) => Promise<Step>; next: readonly Step[] }> =
  {
    client: { run: createClient, next: ['route', 'sections', 'review', 'rfi', 'account', 'activation'] },
    route: { run: routeByStatus, next: ['sections', 'review', 'rfi', 'account', 'activation'] },
    sections: { run: completeSections, next: ['submit', 'route'] },
    submit: { run: submit, next: ['review', 'route', 'sections', 'rfi', 'account', 'activation'] },
    review: { run: awaitReview, next: ['sections', 'rfi', 'account', 'activation', 'review'] },
    rfi: { run: answerRfis, next: ['submit', 'route'] },
    account: { run: createAccount, next: ['activation', 'clive'] },
    activation: { run: awaitAccountActivation, next: ['clive'] },
    clive: { run: registerWithClive, next: ['done'] },
  };

/**
 * Runs steps from the current one until `done`; a transition not in the table is a bug. A step entered
 * again with no timer since its last visit (Circle answering the same thing over and over: a stale
 * read, a refusal) naps first, with the poll backoff, so no loop runs without a wait.
 */
export async function runSteps(o: Onboarding): Promise<void> {
  const visited = new Map<Step, number>(); // step -> o.waits when it was last entered
  while (o.state.step !== 'done') {
    const from = o.state.step;
    if (toleratesLag()) {
      if (visited.get(from) === o.waits) await nap(o, () => false, o.options.maxPollInterval);
      visited.set(from, o.waits);
    }
    const next = await TRANSITIONS[from].run(o);
    if (!TRANSITIONS[from].next.includes(next)) {
      // A plain Error fails the workflow task, not the onboarding: it waits for fixed code.
      throw new Error(`step ${from} may not go to ${next}`);
    }
    o.state.step = next;
  }
}
