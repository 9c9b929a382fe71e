// Commands that send the onboarding what other services send it: RFI answers (valid, invalid, empty,
// for an unknown or an answered RFI; by update or by signal) and section corrections (a new website, a
// revert to an earlier one, an invalid one, a section dropped with `null` and given back), alone or
// several at once in an order fast-check's scheduler picks. Each reply is held against the model's
// allowed replies at once, and against what Circle holds by the invariants.
import { setTimeout as sleep } from 'node:timers/promises';
import type fc from 'fast-check';
import {
  answerRfiUpdate,
  provideSectionDataUpdate,
  rfiAnsweredSignal,
  type SectionDataUpdate,
} from '../../../src/contract';
import { exampleApplicationData } from '../../../simulator';
import { checkAnswerAgainstCircle, checkCorrectionsAgainstCircle, expectReply } from '../invariants';
import { INITIAL_WEBSITE, BAD_WEBSITE } from '../inputs';
import {
  allowedAnswerReplies,
  nextValue,
  SECTION_REPLIES,
  type AnswerKind,
  type Model,
  type SentAnswer,
  type SentCorrection,
} from '../model';
import { handleOf, progressOf, reply, wordOf, type Real } from '../system';

const RFI_WAIT_MS = 2000;

export interface AnswerSpec {
  kind: AnswerKind;
  via: 'update' | 'signal';
}

/** Picks the RFI an answer of `kind` goes to, from what the progress query shows and the model knows. */
async function target(
  model: Model,
  real: Real,
  kind: AnswerKind,
  pick: number,
): Promise<{ rfiId: string; section: string; field: string } | undefined> {
  // An answer to an open RFI waits a moment for one to be listed (a caller answers what it sees).
  const wants = kind === 'valid' || kind === 'invalid' || kind === 'empty';
  const until = Date.now() + (wants ? RFI_WAIT_MS : 0);
  let p = await progressOf(real);
  while (Date.now() < until && !p?.rfis.some((r) => r.state === 'open')) {
    await sleep(200);
    p = await progressOf(real);
  }
  for (const r of p?.rfis ?? []) model.rfis.set(r.rfiId, { section: r.section, field: r.field });
  if (kind === 'unknown') {
    return { rfiId: `unknown-rfi-${nextValue(model, '')}`, section: 'complianceProfile', field: 'note' };
  }
  const known = [...model.rfis].map(([rfiId, r]) => ({ rfiId, ...r }));
  const open = (p?.rfis ?? []).filter((r) => r.state === 'open').map((r) => ({ ...r }));
  const pool =
    kind === 'late' ? known.filter((r) => model.answered.has(r.rfiId)) : open.length ? open : known;
  const chosen = pool.length ? pool[pick % pool.length] : undefined;
  return chosen && { rfiId: chosen.rfiId, section: chosen.section, field: chosen.field };
}

/** The answer of `kind` for an RFI's field: valid values are unique to this message. */
function answerValue(
  model: Model,
  kind: AnswerKind,
  field: string,
): { answer: Record<string, unknown>; value?: unknown } {
  if (kind === 'empty') return { answer: {} };
  const website = field === 'website';
  if (kind === 'invalid') {
    // Circle refuses both with 422: a website must be an https URL, a NEW_FIELD 1..1000 characters.
    const value = website ? `${BAD_WEBSITE} ${nextValue(model, '')}` : '';
    return { answer: { [field]: value }, value: website ? value : undefined };
  }
  const value = website ? `https://${nextValue(model, 'a')}.example.com` : nextValue(model, 'fuzz answer ');
  return { answer: { [field]: value }, value };
}

/** An answer ready to go: its RFI and value chosen, its allowed replies fixed before it is sent. */
interface PreparedAnswer {
  spec: AnswerSpec;
  sent: SentAnswer;
  message: { rfiId: string; answer: Record<string, unknown> };
}

async function prepareAnswer(
  model: Model,
  real: Real,
  spec: AnswerSpec,
  pick: number,
): Promise<PreparedAnswer | undefined> {
  const rfi = await target(model, real, spec.kind, pick);
  if (!rfi) {
    model.trace.push(`answer ${spec.kind} by ${spec.via}: no RFI to answer`);
    return undefined;
  }
  const { answer, value } = answerValue(model, spec.kind, rfi.field);
  return { spec, sent: { ...rfi, value, via: spec.via }, message: { rfiId: rfi.rfiId, answer } };
}

/** Sends a prepared answer; resolves once its reply (for an update) is in and checked against the model. */
async function deliverAnswer(model: Model, real: Real, a: PreparedAnswer): Promise<SentAnswer> {
  const { spec, sent, message } = a;
  model.answers.push(sent);
  model.messages++;
  // Fixed when sent: a concurrent answer's success must not make this one's 'answered' look wrong.
  const allowed = allowedAnswerReplies(spec.kind, model, message.rfiId);
  if (spec.via === 'signal') {
    await handleOf(real)
      .signal(rfiAnsweredSignal, message)
      .catch((err: unknown) => void (sent.reply = wordOf(err)));
    model.trace.push(
      `signal ${spec.kind} answer ${JSON.stringify(message)}${sent.reply ? `: ${sent.reply}` : ''}`,
    );
    return sent;
  }
  const r = await reply(real, () => handleOf(real).executeUpdate(answerRfiUpdate, { args: [message] }));
  sent.reply = r.word === 'ok' ? (r.value?.status ?? 'ok') : r.word;
  model.trace.push(`update ${spec.kind} answer ${JSON.stringify(message)}: ${sent.reply}`);
  expectReply(`answerRfi (${spec.kind}) for ${message.rfiId}`, sent.reply, allowed);
  if (sent.reply === 'answered') {
    if (model.answered.has(message.rfiId)) {
      throw new Error(`RFI ${message.rfiId} was answered twice ('answered' replies to two answers)`);
    }
    model.answered.add(message.rfiId);
  }
  return sent;
}

export class AnswerCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly spec: AnswerSpec,
    readonly pick: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const prepared = await prepareAnswer(model, real, this.spec, this.pick);
    if (prepared) await checkAnswerAgainstCircle(model, real, await deliverAnswer(model, real, prepared));
  }
  toString = () => `Answer(${this.spec.kind},${this.spec.via},${this.pick})`;
}

/** Two or three answers sent at once, in the order the scheduler releases them, maybe to one RFI. */
export class ConcurrentAnswers implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly specs: AnswerSpec[],
    readonly pick: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    model.trace.push(`concurrently: ${this.specs.map((s) => `${s.kind}/${s.via}`).join(', ')}`);
    // Targets first (they read progress), then the sends, released in the scheduler's order.
    const prepared: PreparedAnswer[] = [];
    for (const spec of this.specs) {
      const p = await prepareAnswer(model, real, spec, this.pick);
      if (p) prepared.push(p);
    }
    const sends = prepared.map((p) =>
      real.scheduler.schedule(Promise.resolve(p)).then((a) => deliverAnswer(model, real, a)),
    );
    await real.scheduler.waitAll();
    for (const s of await Promise.all(sends)) await checkAnswerAgainstCircle(model, real, s);
  }
  toString = () => `ConcurrentAnswers(${this.specs.map((s) => `${s.kind}/${s.via}`).join(',')},${this.pick})`;
}

export type CorrectionKind = 'correct' | 'revert' | 'invalid' | 'drop' | 'restore';

const ADDRESS = exampleApplicationData({
  natureOfBusiness: 'paymentProcessorPlatform',
  institutionType: 'privateCo',
}).businessAddress as Record<string, unknown>;

/** The update of `kind`: website corrections carry unique values, except a revert (an earlier one). */
function correctionOf(
  model: Model,
  kind: CorrectionKind,
  pick: number,
): { sent: SentCorrection; sections: SectionDataUpdate['sections'] } {
  const earlier = [INITIAL_WEBSITE, ...model.corrections.flatMap((c) => (c.website ? [c.website] : []))];
  switch (kind) {
    case 'correct': {
      const website = `https://${nextValue(model, 'c')}.example.com`;
      return { sent: { website, revert: false }, sections: { basicBusinessInfo: { website } } };
    }
    case 'revert': {
      const website = earlier[pick % earlier.length]!;
      return { sent: { website, revert: true }, sections: { basicBusinessInfo: { website } } };
    }
    case 'invalid': {
      const website = `${BAD_WEBSITE} ${nextValue(model, '')}`;
      return { sent: { website, revert: false }, sections: { basicBusinessInfo: { website } } };
    }
    case 'drop':
      return { sent: { revert: false }, sections: { businessAddress: null } };
    case 'restore':
      return { sent: { revert: false }, sections: { businessAddress: ADDRESS } };
  }
}

async function sendCorrection(
  model: Model,
  real: Real,
  kind: CorrectionKind,
  pick: number,
): Promise<SentCorrection> {
  const { sent, sections } = correctionOf(model, kind, pick);
  const correction: SentCorrection = sent;
  model.corrections.push(correction);
  model.messages++;
  const r = await reply(real, () =>
    handleOf(real).executeUpdate(provideSectionDataUpdate, { args: [{ sections }] }),
  );
  correction.reply = r.word === 'ok' ? 'accepted' : r.word;
  correction.version = r.value?.version;
  correction.sectionErrors = r.value?.sectionErrors.length;
  model.trace.push(
    `provideSectionData ${kind} ${JSON.stringify(sections)}: ${correction.reply}` +
      (r.value ? ` (version ${r.value.version}, ${r.value.sectionErrors.length} section errors)` : ''),
  );
  expectReply(`provideSectionData (${kind})`, correction.reply, SECTION_REPLIES);
  return correction;
}

export class CorrectionCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: CorrectionKind,
    readonly pick: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const sent = await sendCorrection(model, real, this.kind, this.pick);
    await checkCorrectionsAgainstCircle(model, real, [sent]);
  }
  toString = () => `Correction(${this.kind},${this.pick})`;
}

/** Corrections sent at once: the one saved last must be one whose reply came after the save. */
export class ConcurrentCorrections implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kinds: CorrectionKind[],
    readonly pick: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    model.trace.push(`concurrently: ${this.kinds.join(', ')}`);
    const sends = this.kinds.map((kind, i) =>
      real.scheduler
        .schedule(Promise.resolve(kind))
        .then((k) => sendCorrection(model, real, k, this.pick + i)),
    );
    await real.scheduler.waitAll();
    await checkCorrectionsAgainstCircle(model, real, await Promise.all(sends));
  }
  toString = () => `ConcurrentCorrections(${this.kinds.join(',')},${this.pick})`;
}
