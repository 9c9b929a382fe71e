// The checks run after each command: every reply is one the model allows, says what Circle holds (an
// answer 'answered' is the RFI's value at Circle; a refused one never got there), and the onboarding
// has made at most one of each thing at Circle. A failed check throws: fast-check then shrinks the
// sequence that led to it.
import type { Model, SentAnswer, SentCorrection } from './model';
import type { Real } from './system';

export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
}

function violated(message: string): never {
  throw new InvariantViolation(message);
}

/** A reply outside `allowed`; 'no-reply' (past the bound) and transport errors are never allowed. */
export function expectReply(what: string, word: string, allowed: readonly string[]): void {
  if (!allowed.includes(word)) violated(`${what}: replied ${word}, expected one of ${allowed.join(', ')}`);
}

/** Replies that say the workflow did not take the message (Circle must not hold its value). */
const isRefusal = (word: string | undefined) =>
  word !== undefined &&
  word !== 'answered' &&
  word !== 'accepted' &&
  word !== 'no-reply' &&
  !word.startsWith('error');

export async function checkAnswerAgainstCircle(model: Model, real: Real, a: SentAnswer): Promise<void> {
  if (!real.applicationId || a.rfiId.startsWith('unknown-rfi-')) return;
  const { circle, applicationId } = real;
  if (a.reply === 'answered') {
    const status = await circle.rfiStatus(applicationId, a.rfiId);
    if (status !== 'RESPONDED')
      violated(`answerRfi ${a.rfiId} replied answered, but Circle shows the RFI ${status}`);
    const held = await circle.field(applicationId, a.section, a.field);
    if (held !== a.value) {
      violated(
        `answerRfi ${a.rfiId} replied answered with ${JSON.stringify(a.value)}, but Circle holds ${a.section}.${a.field} = ${JSON.stringify(held)}`,
      );
    }
  } else if (a.via === 'update' && isRefusal(a.reply) && a.value !== undefined) {
    const held = await circle.field(applicationId, a.section, a.field);
    if (held === a.value) {
      violated(
        `answerRfi ${a.rfiId} was refused (${a.reply}), but Circle holds its value ${JSON.stringify(a.value)}`,
      );
    }
  }
  model.trace.push(`  checked against Circle: answer to ${a.rfiId}`);
}

/**
 * After corrections (one, or a group sent at once): one accepted with no section errors was saved, so
 * Circle holds its website or that of one saved after it (a higher version); a refused one was not.
 */
export async function checkCorrectionsAgainstCircle(
  model: Model,
  real: Real,
  group: SentCorrection[],
): Promise<void> {
  if (!real.applicationId) return;
  const held = await real.circle.field(real.applicationId, 'basicBusinessInfo', 'website');
  const accepted = group.filter((c) => c.reply === 'accepted' && c.website !== undefined);
  for (const c of accepted) {
    if (c.sectionErrors !== 0 || c.version === undefined) continue;
    const allowed = accepted.filter((d) => (d.version ?? 0) >= c.version!).map((d) => d.website);
    if (!allowed.includes(held as string)) {
      violated(
        `provideSectionData set website ${c.website} (version ${c.version}) and replied saved with no errors, but Circle holds ${JSON.stringify(held)} (allowed: ${allowed.join(', ')})`,
      );
    }
  }
  for (const c of group) {
    if (isRefusal(c.reply) && c.website !== undefined && !c.revert && held === c.website) {
      violated(`provideSectionData was refused (${c.reply}), but Circle holds its website ${c.website}`);
    }
  }
}

/**
 * At most one client, application, account and Clive client for the onboarding, and no more executed
 * submissions than rounds Circle opened (the fuzzer runs one onboarding at a time, so the simulator's
 * counters grow only by this one's doing).
 */
export function checkCounts(model: Model, real: Real): void {
  const now = real.circle.counts();
  const d = (k: keyof typeof now) => now[k] - real.base[k];
  const most = (k: keyof typeof now, n: number, what: string) => {
    if (d(k) > n) violated(`${d(k)} ${what} at Circle for one onboarding (at most ${n})`);
  };
  most('clients', 1, 'clients');
  most('applications', 1, 'applications');
  most('accounts', 1, 'accounts');
  most('cliveClients', real.input.clive ? 1 : 0, 'Clive clients');
  // Per application when it is known: the counters are simulator-wide.
  const submissions = real.applicationId ? real.circle.submissionsOf(real.applicationId) : d('submissions');
  if (submissions > model.roundsOpened) {
    violated(
      `${submissions} submissions executed in ${model.roundsOpened} rounds at Circle for one onboarding (at most ${model.roundsOpened})`,
    );
  }
}
