// Message handlers, registered before the workflow's first await so that nothing sent right after the
// start finds no handler. Validators are synchronous and refuse with typed failures; accepted answers
// are kept until they can be applied, and an update's reply says what actually happened at Circle.
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, condition, isCancellation, setHandler } from '@temporalio/workflow';
import { documentListProblems, documentReferenceProblems, shownSource, slotOf } from '../contract/documents';
import { MessageRejection } from '../contract/failures';
import { jsonBytes, MAX_RFI_ANSWER_BYTES, MAX_SECTIONS_BYTES } from '../contract/limits';
import {
  answerRfiUpdate,
  applicationStatusChangedSignal,
  progressQuery,
  provideDocumentsUpdate,
  provideSectionDataUpdate,
  rfiAnsweredSignal,
  sectionsShapeProblem,
  type DocumentsUpdate,
  type MessageRequest,
  type RfiAnswer,
  type SectionDataUpdate,
} from '../contract/messages';
import type { DocumentProgress, OnboardingProgress } from '../contract/progress';
import { mergedSection } from '../contract/section-merge';
import { isPlainObject } from '../shared/plain-object';
import { settlesMessages } from './versions';
import type { AnswerTicket, Onboarding } from './onboarding';
import { recordError } from './visibility';

/** Signalled answers kept for RFIs not listed yet. */
const MAX_PENDING = 50;
/**
 * Updates of one onboarding waiting for their answer at once; more are refused with `OnboardingBusy`
 * (a caller may send again), well below the 10 Temporal admits, so one caller's retries never lock
 * out the update an onboarding waits for.
 */
export const MAX_UPDATES_IN_FLIGHT = 6;
/** Documents one onboarding holds (one per file field and entity; far more than any template has). */
const MAX_DOCUMENTS_HELD = 100;

function reject(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : [] });
}

/** Steps in which section data can still change what will be submitted. */
export function acceptsSections(o: Onboarding): boolean {
  return !o.ended && ['client', 'route', 'sections'].includes(o.state.step);
}

/** An application status as Circle spells them (known or not yet known to this version). */
const STATUS_NAME = /^[A-Z][A-Z_]{0,63}$/;

export function registerHandlers(o: Onboarding): void {
  setHandler(progressQuery, () => shown(o.progress));
  registerDocuments(o);

  setHandler(applicationStatusChangedSignal, (notification) => {
    o.state.lastNotifiedAt = new Date().toISOString();
    const status = notification?.status;
    // Kept only if it looks like one of Circle's statuses: a signal is anyone's to send.
    if (typeof status === 'string' && STATUS_NAME.test(status)) o.state.lastNotifiedStatus = status;
    else delete o.state.lastNotifiedStatus;
    o.wake();
  });

  setHandler(
    answerRfiUpdate,
    (answer) => inFlight(o, () => idempotent(o, answer.request, () => applyRfiAnswer(o, answer))),
    {
      validator: (answer) => {
        if (!replays(o, answer?.request)) validateRfiAnswer(o, answer);
      },
    },
  );

  setHandler(rfiAnsweredSignal, (answer) => {
    try {
      validateRfiAnswer(o, answer);
    } catch (err) {
      const type = err instanceof ApplicationFailure ? (err.type ?? 'InvalidRfiAnswer') : 'InvalidRfiAnswer';
      recordError(o, type, (err as Error).message);
      return;
    }
    // Kept until Circle lists its RFI; bounded, the oldest dropped first.
    const pending = o.state.pendingAnswers.filter((a) => a.rfiId !== answer.rfiId);
    o.state.pendingAnswers = [...pending, { ...answer }].slice(-MAX_PENDING);
    o.progress.pendingRfiAnswers = o.state.pendingAnswers.map((a) => a.rfiId);
    o.wake();
  });

  registerCollected(o, provideSectionDataUpdate, {
    refuse: notAccepted,
    actedOn: 'sectionsSavedVersion',
    apply: ({ sections }) => applySections(o, sections),
    validate: (update) => validateSections(o, update),
    reply: (version) => ({ version, sectionErrors: o.progress.sectionErrors, sections: o.progress.sections }),
  });
}

function validateSections(o: Onboarding, update: SectionDataUpdate): void {
  const problem = sectionsShapeProblem(update?.sections, { allowNull: true });
  if (problem) throw reject(MessageRejection.SectionsNotAccepted, `invalid sections: ${problem}`);
  const size = jsonBytes(update.sections);
  if (size > MAX_SECTIONS_BYTES) {
    throw reject(
      MessageRejection.PayloadTooLarge,
      `sections are ${size} bytes as JSON; the limit is ${MAX_SECTIONS_BYTES} bytes (${MAX_SECTIONS_BYTES / 1024} KiB)`,
    );
  }
  // What is kept is bounded, not only each message: the data as it would be after this update.
  const total = settlesMessages() && o.input ? jsonBytes(merged(o.input.sections, update.sections)) : 0;
  if (total > MAX_SECTIONS_BYTES) {
    throw reject(
      MessageRejection.PayloadTooLarge,
      `the section data would be ${total} bytes as JSON with this update; the limit is ${MAX_SECTIONS_BYTES} bytes (${MAX_SECTIONS_BYTES / 1024} KiB) for all sections together`,
    );
  }
}

/** An answer kept until it was tried: a newer one for the same RFI replaces it unless it is being applied. */
async function applyRfiAnswer(
  o: Onboarding,
  answer: RfiAnswer,
): Promise<{ rfiId: string; status: 'answered' }> {
  const { request: _request, ...rest } = answer;
  const ticket: AnswerTicket = { ...rest };
  // A newer answer for the same RFI replaces one still waiting (since `message-races`, one being
  // applied is not replaced: the newer one waits behind it, and is then told what Circle holds).
  for (const old of o.tickets.filter((t) => t.rfiId === answer.rfiId && !t.outcome)) {
    if (old.applying && settlesMessages()) continue;
    old.outcome = { type: MessageRejection.RfiNotOpen, errors: [superseded(old.rfiId)] };
  }
  o.tickets.push(ticket);
  o.wake();
  await condition(() => ticket.outcome !== undefined);
  o.tickets.splice(o.tickets.indexOf(ticket), 1);
  const { type, errors } = ticket.outcome!;
  if (type) {
    throw reject(type, `RFI ${answer.rfiId}: ${errors.map((e) => e.message).join('; ')}`, errors);
  }
  return { rfiId: answer.rfiId, status: 'answered' as const };
}

/** Messages with an Idempotency-Key remembered per onboarding (the newest; older ones are forgotten). */
const MAX_REQUESTS = 100;

/**
 * For a validator: true when `request` was seen before with the same body (its reply is given again,
 * whatever changed since); refuses the same key with another body.
 */
function replays(o: Onboarding, request: MessageRequest | undefined): boolean {
  if (!request || !settlesMessages()) return false;
  const seen = o.state.requests?.find((r) => r.key === request.key);
  if (!seen) return false;
  if (seen.digest !== request.digest) {
    throw reject(
      MessageRejection.IdempotencyKeyReused,
      'this Idempotency-Key was used before with another body; use a new key for a new message',
    );
  }
  return true;
}

/** Runs a message once per Idempotency-Key and keeps its reply (across continue-as-new) for retries. */
async function idempotent<T>(
  o: Onboarding,
  request: MessageRequest | undefined,
  run: () => Promise<T>,
): Promise<T> {
  if (!request || !settlesMessages()) return run();
  const requests = (o.state.requests ??= []);
  let record = requests.find((r) => r.key === request.key);
  if (!record) {
    record = { key: request.key, digest: request.digest };
    requests.push(record);
    if (requests.length > MAX_REQUESTS) requests.splice(0, requests.length - MAX_REQUESTS);
    try {
      const value = await run();
      record.reply = { value };
      return value;
    } catch (err) {
      if (err instanceof ApplicationFailure)
        record.reply = {
          rejection: {
            type: err.type ?? 'UpdateRefused',
            message: err.message,
            details: [...(err.details ?? [])],
          },
        };
      throw err;
    }
  }
  const seen = record;
  await condition(() => seen.reply !== undefined);
  const reply = seen.reply!;
  if ('value' in reply) return reply.value as T;
  throw reject(reply.rejection.type, reply.rejection.message, reply.rejection.details[0]);
}

/** Progress as callers read it: document sources without their secrets (shownSource). */
function shown(progress: OnboardingProgress): OnboardingProgress {
  return { ...progress, documents: shownDocuments(progress.documents) };
}

function shownDocuments(documents: DocumentProgress[]): DocumentProgress[] {
  return documents.map((d) => ({ ...d, source: shownSource(d.source) }));
}

/** Runs an update's handler counted among the updates in flight (see MAX_UPDATES_IN_FLIGHT). */
async function inFlight<T>(o: Onboarding, handler: () => Promise<T>): Promise<T> {
  o.updatesInFlight++;
  try {
    return await handler();
  } catch (err) {
    // The onboarding was cancelled while this update waited: a typed answer, not the bare cancellation.
    if (isCancellation(err) && settlesMessages()) {
      throw reject(MessageRejection.OnboardingNotReady, `the onboarding has ended (cancelled)`);
    }
    throw err;
  } finally {
    o.updatesInFlight--;
  }
}

function refuseWhenBusy(o: Onboarding): void {
  if (!settlesMessages() || o.updatesInFlight < MAX_UPDATES_IN_FLIGHT) return;
  throw reject(
    MessageRejection.OnboardingBusy,
    `${o.updatesInFlight} updates of this onboarding are waiting for their answer (at most ${MAX_UPDATES_IN_FLIGHT}); send this one again once they are answered`,
  );
}

/** The sections as applySections would leave them (without changing them). */
function merged(
  sections: Record<string, unknown>,
  update: SectionDataUpdate['sections'],
): Record<string, unknown> {
  const out = { ...sections };
  for (const [name, data] of Object.entries(update)) {
    if (data === null) delete out[name];
    else out[name] = mergedSection(out[name], data);
  }
  return out;
}

/** An update the sections step acts on (section data, documents). */
interface Collected<U extends { request?: MessageRequest }, R> {
  /** The refusal once the input is known not to be usable, or after the submit. */
  refuse: (o: Onboarding) => ApplicationFailure;
  /** The progress counter the sections step raises once it has acted on a version. */
  actedOn: 'sectionsSavedVersion' | 'documentsCheckedVersion';
  /** Lays the update over what is kept; returns its version. */
  apply: (update: U) => number;
  /** Refuses what this kind of update may not carry (after the checks every such update gets). */
  validate: (update: U) => void;
  reply: (version: number) => R;
}

/**
 * Registers an update the sections step acts on: counted among the updates in flight, run once per
 * Idempotency-Key, and answered once that step has acted on its version.
 */
function registerCollected<U extends { request?: MessageRequest }, R>(
  o: Onboarding,
  definition: UpdateDefinition<R, [U]>,
  update: Collected<NoInfer<U>, NoInfer<R>>,
): void {
  setHandler(
    definition,
    (u: U) =>
      inFlight(o, () => idempotent(o, u.request, async () => update.reply(await collect(o, update, u)))),
    {
      validator: (u: U) => {
        if (replays(o, u?.request)) return;
        if (o.input && !acceptsSections(o)) throw update.refuse(o);
        refuseWhenBusy(o);
        update.validate(u);
      },
    },
  );
}

/**
 * Applies an update that the sections step acts on, then waits until that step has acted on its
 * version. Refused before the input is known to be usable or after the submit.
 */
async function collect<U extends { request?: MessageRequest }>(
  o: Onboarding,
  { refuse, apply, actedOn }: Collected<U, unknown>,
  u: U,
): Promise<number> {
  await condition(() => o.input !== undefined);
  if (!acceptsSections(o)) throw refuse(o);
  const version = apply(u);
  await condition(() => o.progress[actedOn] >= version || !acceptsSections(o));
  if (o.progress[actedOn] < version) throw refuse(o);
  return version;
}

/** `provideDocuments`: accepted while section data is (before the submit), answered once acted on. */
function registerDocuments(o: Onboarding): void {
  registerCollected(o, provideDocumentsUpdate, {
    refuse: documentsNotAccepted,
    actedOn: 'documentsCheckedVersion',
    apply: ({ documents }) => applyDocuments(o, documents),
    validate: (update) => validateDocuments(o, update),
    reply: (version) => ({
      version,
      documentErrors: o.progress.documentErrors,
      missingDocuments: o.progress.missingDocuments,
      documents: shownDocuments(o.progress.documents),
    }),
  });
}

function validateDocuments(o: Onboarding, update: DocumentsUpdate): void {
  const docs: unknown = update?.documents;
  if (!Array.isArray(docs) || docs.length === 0) {
    throw reject(
      MessageRejection.DocumentsNotAccepted,
      'documents must be a non-empty array of document references',
    );
  }
  const problems = documentListProblems(docs);
  const kept = new Set([...o.progress.documents, ...(docs as DocumentProgress[])].map((d) => slotOf(d)));
  if (settlesMessages() && kept.size > MAX_DOCUMENTS_HELD) {
    throw reject(
      MessageRejection.PayloadTooLarge,
      `the onboarding would hold ${kept.size} documents with this update; the limit is ${MAX_DOCUMENTS_HELD}`,
    );
  }
  if (problems.length) {
    throw reject(
      MessageRejection.DocumentsNotAccepted,
      `invalid documents: ${problems.map((p) => `documents.${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
}

/** Each document replaces the one given before for the same field (and entity). Returns the new version. */
function applyDocuments(o: Onboarding, documents: DocumentsUpdate['documents']): number {
  const version = ++o.progress.documentsVersion;
  for (const ref of documents) {
    const given: DocumentProgress = { ...ref, version, state: 'given' };
    o.progress.documents = o.progress.documents.filter((d) => !sameSlot(o, d, given));
    o.progress.documents.push(given);
  }
  o.wake();
  return version;
}

/** Whether two references fill the same slot, also when one names the entity by index, the other by refId. */
function sameSlot(o: Onboarding, a: DocumentProgress, b: DocumentProgress): boolean {
  if (slotOf(a) === slotOf(b)) return true;
  if (a.datumName !== b.datumName || !a.section) return false;
  const refIds = o.progress.entities[a.section] ?? [];
  const refIdOf = (d: DocumentProgress) =>
    d.refId ?? (d.entityIndex !== undefined ? refIds[d.entityIndex] : undefined);
  return refIdOf(a) !== undefined && refIdOf(a) === refIdOf(b);
}

function documentsNotAccepted(o: Onboarding): ApplicationFailure {
  return reject(
    MessageRejection.DocumentsNotAccepted,
    `documents can only be provided before the application is submitted (now: ${o.progress.step}); answer a COLLECT_DOCUMENT RFI with answerRfi and a document instead`,
  );
}

/**
 * Lays an update over the sections to save: `null` drops a section, a flat section is merged field by
 * field with what was given before, an array section is replaced. Returns the new data version.
 */
function applySections(o: Onboarding, update: SectionDataUpdate['sections']): number {
  const sections = o.checkedInput.sections;
  const unsaved = new Set(o.state.unsavedSections);
  for (const [name, data] of Object.entries(update)) {
    if (data === null) {
      delete sections[name];
      unsaved.delete(name);
      continue;
    }
    sections[name] = mergedSection(sections[name], data);
    unsaved.add(name);
  }
  o.state.unsavedSections = [...unsaved];
  o.wake();
  return ++o.progress.sectionsVersion;
}

function notAccepted(o: Onboarding): ApplicationFailure {
  return reject(
    MessageRejection.SectionsNotAccepted,
    `section data can only be provided before the application is submitted (now: ${o.progress.step}); answer RFIs with answerRfi instead`,
  );
}

/** Synchronous and side-effect free, as Temporal requires of update validators. */
function validateRfiAnswer(o: Onboarding, answer: RfiAnswer): void {
  if (o.ended) {
    throw reject(MessageRejection.OnboardingNotReady, `the onboarding has ended (${o.progress.step})`);
  }
  if (typeof answer?.rfiId !== 'string' || answer.rfiId === '') {
    throw reject(MessageRejection.InvalidRfiAnswer, 'rfiId must be the id of the RFI being answered');
  }
  const rfi = o.progress.rfis.find((r) => r.rfiId === answer.rfiId);
  if (settlesMessages()) refuseNotOpen(o, answer.rfiId, rfi);
  // While RFIs are listed, an id that is not among the open ones is refused; before that, the answer
  // is kept until Circle lists its RFI (a caller may learn of an RFI before this workflow does).
  if (o.progress.step === 'awaiting-rfi-answers' && (!rfi || rfi.state === 'answered')) {
    const open = o.progress.rfis.filter((r) => r.state === 'open').map((r) => r.rfiId);
    throw reject(
      MessageRejection.RfiNotOpen,
      `RFI ${answer.rfiId} is not waiting for an answer; open RFIs: ${open.length ? open.join(', ') : 'none'}`,
    );
  }
  const hasAnswer = answer.answer !== undefined;
  const hasDocument = answer.document !== undefined;
  if (hasAnswer === hasDocument) {
    throw reject(
      MessageRejection.InvalidRfiAnswer,
      'give either answer (the data a field RFI asks for) or document (for a COLLECT_DOCUMENT RFI), not both',
    );
  }
  if (rfi && (rfi.type === 'COLLECT_DOCUMENT') !== hasDocument) {
    throw reject(
      MessageRejection.InvalidRfiAnswer,
      hasDocument
        ? `RFI ${rfi.rfiId} asks for ${rfi.field} as data (${rfi.type}): answer it with answer, not document`
        : `RFI ${rfi.rfiId} asks for a document (${rfi.field}): answer it with document: { source, ... }`,
    );
  }
  if (hasDocument) {
    const problems = documentReferenceProblems(answer.document, { datumNameOptional: true });
    const datumName = answer.document?.datumName;
    if (rfi && datumName !== undefined && datumName !== rfi.field) {
      problems.push({
        path: 'datumName',
        message: `must be ${rfi.field}, the field the RFI asks for (or left out)`,
      });
    }
    if (problems.length) {
      throw reject(
        MessageRejection.InvalidRfiAnswer,
        `invalid document: ${problems.map((p) => `document${p.path ? `.${p.path}` : ''}: ${p.message}`).join('; ')}`,
        problems,
      );
    }
    return;
  }
  const value = answer.answer;
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    throw reject(
      MessageRejection.InvalidRfiAnswer,
      `answer must be a non-empty JSON object keyed by field name, e.g. {"${rfi?.field ?? 'website'}": ...}`,
    );
  }
  const size = jsonBytes(value);
  if (size > MAX_RFI_ANSWER_BYTES) {
    throw reject(
      MessageRejection.PayloadTooLarge,
      `the answer is ${size} bytes as JSON; the limit is ${MAX_RFI_ANSWER_BYTES} bytes (${MAX_RFI_ANSWER_BYTES / 1024} KiB)`,
    );
  }
}

/**
 * Since `message-races`: an RFI known and not open is refused in every step (an earlier round's
 * included), and one not listed yet is taken only while a round can be open (in review or answering
 * RFIs), where it waits for the next listing. Too many waiting updates are refused as busy.
 */
function refuseNotOpen(o: Onboarding, rfiId: string, rfi: { state: string } | undefined): void {
  const closed = rfi ? rfi.state === 'answered' : (o.state.closedRfis ?? []).includes(rfiId);
  const listable = o.state.step === 'review' || o.state.step === 'rfi';
  if (closed || (!rfi && !listable)) {
    const open = o.progress.rfis.filter((r) => r.state === 'open').map((r) => r.rfiId);
    throw reject(
      MessageRejection.RfiNotOpen,
      `RFI ${rfiId} is not waiting for an answer (${closed ? 'answered already' : `no RFI round is open: ${o.progress.step}`}); open RFIs: ${open.length ? open.join(', ') : 'none'}`,
    );
  }
  refuseWhenBusy(o);
}

function superseded(rfiId: string) {
  return { path: rfiId, error: 'superseded', message: `a newer answer to RFI ${rfiId} replaced this one` };
}
