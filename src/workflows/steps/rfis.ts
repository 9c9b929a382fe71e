// Step `rfi`: publish what compliance asks, apply answers as they arrive (by update or signal, also
// ones that came before the RFIs were listed), then resubmit with a key of its own. Circle may list a
// round's RFIs after its status change, and a lagging list may show a round already answered: the
// step resubmits only once it has listed and answered RFIs of this round.
import type { FieldError } from '../../circle/wire';
import { MessageRejection, OnboardingFailure } from '../../contract/failures';
import type { RfiAnswer } from '../../contract/messages';
import type { RfiProgress } from '../../contract/progress';
import { settlesMessages, toleratesLag } from '../versions';
import { fail, failureTypeOf, fieldErrorsOf, messageOf } from '../failures';
import type { AnswerTicket, Onboarding } from '../onboarding';
import type { Step } from '../state';
import { recordError, showApplicationStatus, showDetails, showStep } from '../visibility';
import { clearDeadline, deadline, nap, persistently } from '../waiting';
import { answerWithDocument } from './documents';

export async function answerRfis(o: Onboarding): Promise<Step> {
  if (!o.progress.deadlines.rfi) o.progress.rfis = []; // a new round shows only its own RFIs
  await listRfis(o);
  showStep(o, 'awaiting-rfi-answers');
  const end = deadline(o, 'rfi', o.options.rfiDeadline);

  // Since `lagging-circle`, a round with no RFI listed yet waits for its RFIs (never resubmits).
  const waiting = () =>
    o.progress.rfis.some((r) => r.state !== 'answered') || (toleratesLag() && o.progress.rfis.length === 0);
  while (waiting()) {
    const next = nextAnswer(o);
    if (next) {
      await applyAnswer(o, next);
      continue;
    }
    const remaining = end - Date.now();
    if (remaining <= 0) {
      const unanswered = o.progress.rfis.filter((r) => r.state !== 'answered');
      throw fail(
        OnboardingFailure.RfiDeadlineExceeded,
        unanswered.length
          ? `RFIs not answered before the deadline: ${unanswered.map((r) => `${r.rfiId} (${r.section}.${r.field})`).join(', ')}`
          : `Circle listed no RFI of application ${o.applicationId} before the deadline, although it waits for customer information`,
        unanswered.map((r) => r.rfiId),
      );
    }
    const arrived = await nap(o, () => nextAnswer(o) !== undefined, remaining);
    if (arrived) continue;
    // The application may have moved on (decided or cancelled elsewhere): then its status leads.
    const app = await persistently(o, 'application status', () =>
      o.read('getApplication', 'Read application status', o.applicationId),
    );
    showApplicationStatus(o, app.status);
    if (app.status !== 'PENDING_CUSTOMER_INFORMATION') {
      settleLeftovers(o);
      clearDeadline(o, 'rfi');
      return 'route';
    }
    await listRfis(o); // RFIs answered at Circle directly count as answered here too
  }
  settleLeftovers(o);
  clearDeadline(o, 'rfi');
  const bundles = [...new Set(o.progress.rfis.map((r) => r.bundleId))].sort();
  if (toleratesLag()) {
    // The round is part of the key: a later round that lists the same bundle is a new submission.
    o.state.submitFor = `rfi/${o.progress.submissionRound}/${bundles.join('+')}`;
    o.state.answeredBundles = [...(o.state.answeredBundles ?? []), ...bundles].slice(-MAX_ANSWERED_BUNDLES);
    o.state.submitAttempt = 0;
  }
  if (settlesMessages()) {
    const ids = o.progress.rfis.map((r) => r.rfiId);
    o.state.closedRfis = [...(o.state.closedRfis ?? []), ...ids].slice(-MAX_CLOSED_RFIS);
  } else o.state.submitFor = `rfi/${bundles.join('+')}`;
  return 'submit';
}

/** Answered bundles remembered, to tell a lagging list from a new round (a few per onboarding). */
const MAX_ANSWERED_BUNDLES = 50;
/** RFIs of earlier rounds remembered, so that a late answer to one is refused at once. */
const MAX_CLOSED_RFIS = 200;

/** Lists the RFIs Circle has open; ones answered elsewhere are marked answered. */
async function listRfis(o: Onboarding): Promise<void> {
  const open = await persistently(o, 'open RFIs', () =>
    o.read('listOpenRfis', 'List open RFIs', o.applicationId),
  );
  const answered = new Set(o.state.answeredBundles ?? []);
  const listed = open.filter((r) => !answered.has(r.bundleId)); // others: a list that lags behind
  const known = new Map(o.progress.rfis.map((r) => [r.rfiId, r]));
  const openIds = new Set(listed.map((r) => r.rfiId));
  for (const rfi of o.progress.rfis)
    if (rfi.state === 'open' && !openIds.has(rfi.rfiId)) rfi.state = 'answered';
  for (const rfi of listed) if (!known.has(rfi.rfiId)) o.progress.rfis.push({ ...rfi, state: 'open' });
  if (settlesMessages()) settleUnlisted(o, 'Circle does not list it');
  o.progress.pendingRfiAnswers = o.state.pendingAnswers.map((a) => a.rfiId);
  showDetails(o);
}

/**
 * Answers for RFIs this round has not listed are decided at the next listing (or status read), never
 * parked: updates are refused with `RfiNotOpen`, signals are dropped and the drop shown in progress.
 */
export function settleUnlisted(o: Onboarding, why: string): void {
  const listed = (id: string) => o.progress.rfis.some((r) => r.rfiId === id);
  for (const ticket of o.tickets) {
    if (ticket.outcome || listed(ticket.rfiId)) continue;
    ticket.outcome = {
      type: MessageRejection.RfiNotOpen,
      errors: [
        { path: ticket.rfiId, error: 'rfi_not_open', message: `RFI ${ticket.rfiId} is not open: ${why}` },
      ],
    };
  }
  const [kept, dropped] = [
    o.state.pendingAnswers.filter((a) => listed(a.rfiId)),
    o.state.pendingAnswers.filter((a) => !listed(a.rfiId)),
  ];
  for (const a of dropped) recordError(o, MessageRejection.RfiNotOpen, `RFI ${a.rfiId} is not open: ${why}`);
  o.state.pendingAnswers = kept;
  o.progress.pendingRfiAnswers = kept.map((a) => a.rfiId);
}

type Next = { kind: 'update'; ticket: AnswerTicket } | { kind: 'signal'; answer: RfiAnswer };

/** The next answer for an open RFI; answers for RFIs that are not open are told so. */
function nextAnswer(o: Onboarding): Next | undefined {
  const open = (id: string) => o.progress.rfis.find((r) => r.rfiId === id && r.state === 'open');
  const known = (id: string) => o.progress.rfis.some((r) => r.rfiId === id);
  for (const ticket of o.tickets) {
    if (ticket.outcome) continue;
    if (open(ticket.rfiId)) return { kind: 'update', ticket };
    if (known(ticket.rfiId))
      ticket.outcome = { type: MessageRejection.RfiNotOpen, errors: [notOpen(ticket.rfiId)] };
  }
  const signal = o.state.pendingAnswers.find((a) => open(a.rfiId));
  return signal ? { kind: 'signal', answer: signal } : undefined;
}

async function applyAnswer(o: Onboarding, next: Next): Promise<void> {
  const answer = next.kind === 'update' ? next.ticket : next.answer;
  const rfiId = answer.rfiId;
  // Since `message-races` a signalled answer stays kept until it was applied: a run that continues
  // as new meanwhile carries it over, and the next run applies it again (the RFI is open there).
  const removeSignal = () => (o.state.pendingAnswers = o.state.pendingAnswers.filter((a) => a !== answer));
  if (next.kind === 'signal' && !settlesMessages())
    o.state.pendingAnswers = o.state.pendingAnswers.filter((a) => a.rfiId !== rfiId);
  if (next.kind === 'update') next.ticket.applying = true;
  const rfi = o.progress.rfis.find((r) => r.rfiId === rfiId)!;
  rfi.state = 'applying';
  const outcome = await answerOne(o, rfi, answer);
  if (next.kind === 'signal' && settlesMessages()) removeSignal();
  if (next.kind === 'update') next.ticket.applying = false;
  rfi.state = outcome.type ? 'open' : 'answered';
  if (outcome.type) {
    rfi.lastErrors = outcome.errors;
    // Named by its RFI: Circle's field messages do not say which answer they refuse.
    const messages = outcome.errors.map((e) => e.message).join('; ');
    recordError(o, outcome.type, messages.includes(rfiId) ? messages : `RFI ${rfiId}: ${messages}`);
  } else delete rfi.lastErrors;
  if (next.kind === 'update') next.ticket.outcome = outcome;
  o.progress.pendingRfiAnswers = o.state.pendingAnswers.map((a) => a.rfiId);
  showDetails(o);
}

/** Data goes to `PATCH .../rfis/{id}`, a document is uploaded; the kind must be the one the RFI asks. */
async function answerOne(o: Onboarding, rfi: RfiProgress, answer: RfiAnswer): Promise<Outcome> {
  const wantsDocument = rfi.type === 'COLLECT_DOCUMENT';
  if (wantsDocument !== (answer.document !== undefined)) {
    const message = wantsDocument
      ? `RFI ${rfi.rfiId} asks for a document (${rfi.field}): answer it with document: { source, ... }`
      : `RFI ${rfi.rfiId} asks for ${rfi.field} as data: answer it with answer, not document`;
    return {
      type: MessageRejection.InvalidRfiAnswer,
      errors: [{ path: rfi.field, error: 'wrong_answer_kind', message }],
    };
  }
  if (answer.document) {
    const errors = await answerWithDocument(o, rfi, { ...answer.document, datumName: rfi.field });
    return errors.length ? { type: MessageRejection.RfiAnswerRejected, errors } : { errors };
  }
  return patchRfi(o, rfi, answer.answer ?? {});
}

type Outcome = { type?: string; errors: FieldError[] };

/** `PATCH .../rfis/{id}`. A 409 counts as answered only if Circle shows the RFI responded. */
async function patchRfi(o: Onboarding, rfi: RfiProgress, answer: Record<string, unknown>): Promise<Outcome> {
  try {
    await o.call(
      'answerRfi',
      `Answer RFI on ${rfi.section}.${rfi.field}`,
      o.applicationId,
      rfi.rfiId,
      answer,
    );
    return { errors: [] as FieldError[] };
  } catch (err) {
    const type = failureTypeOf(err);
    if (type === 'CircleConflict') {
      // Only an RFI that Circle shows as responded counts as answered; a 409 alone proves nothing.
      const state = await persistently(o, 'RFI status', () =>
        o.read('getRfiState', 'Read RFI status', o.applicationId, rfi.rfiId),
      );
      if (state === 'responded') return { errors: [] as FieldError[] };
      const rejection =
        state === 'pending' ? MessageRejection.RfiAnswerRejected : MessageRejection.RfiNotOpen;
      return { type: rejection, errors: [{ path: rfi.field, error: 'conflict', message: messageOf(err) }] };
    }
    if (
      type === 'CircleValidationFailed' ||
      type === 'CircleBadRequest' ||
      type === 'CirclePayloadTooLarge'
    ) {
      const fieldErrors = fieldErrorsOf(err);
      return {
        type:
          type === 'CirclePayloadTooLarge'
            ? MessageRejection.PayloadTooLarge
            : MessageRejection.RfiAnswerRejected,
        errors: fieldErrors.length
          ? fieldErrors
          : [{ path: rfi.field, error: 'invalid_value', message: messageOf(err) }],
      };
    }
    throw err;
  }
}

/** Answers still waiting when the round is over are told their RFI is not open any more. */
function settleLeftovers(o: Onboarding): void {
  for (const ticket of o.tickets) {
    if (!ticket.outcome)
      ticket.outcome = { type: MessageRejection.RfiNotOpen, errors: [notOpen(ticket.rfiId)] };
  }
  if (!settlesMessages()) return;
  // Signalled answers for this round's RFIs are spent with it (a later round lists new RFIs).
  const ofRound = new Set(o.progress.rfis.map((r) => r.rfiId));
  for (const a of o.state.pendingAnswers.filter((p) => ofRound.has(p.rfiId)))
    recordError(o, MessageRejection.RfiNotOpen, `RFI ${a.rfiId} is not open: its round is over`);
  o.state.pendingAnswers = o.state.pendingAnswers.filter((p) => !ofRound.has(p.rfiId));
  o.progress.pendingRfiAnswers = o.state.pendingAnswers.map((a) => a.rfiId);
}

function notOpen(rfiId: string): FieldError {
  return { path: rfiId, error: 'rfi_not_open', message: `RFI ${rfiId} is not waiting for an answer` };
}
