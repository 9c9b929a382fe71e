// The fuzzer's model of one onboarding: what the callers and Circle's reviewer did, as far as the test
// knows it, and from that which replies a message may get. The workflow runs on its own, so the model
// never predicts its exact step; it bounds what may happen and remembers what each reply claimed, so
// that the invariants can hold the replies against what Circle holds.
import { MessageRejection } from '../../src/contract';

/** One message sent to the onboarding with a value no other message carries (or a revert's old one). */
export interface SentAnswer {
  rfiId: string;
  section: string;
  field: string;
  /** undefined for answers that carry no value the check can look for (an empty answer). */
  value?: unknown;
  via: 'update' | 'signal';
  /** The update's reply ('answered', a rejection type, 'closed', 'no-reply'); signals have none. */
  reply?: string;
}

export interface SentCorrection {
  /** The website it sets, if it sets one. */
  website?: string;
  /** A revert sends an earlier value again: Circle holding it does not prove this message was saved. */
  revert: boolean;
  reply?: string;
  version?: number;
  sectionErrors?: number;
}

export interface Model {
  /** Rounds Circle opened for a submission: the first, one per RFI decision, one per return to DRAFT. */
  roundsOpened: number;
  /** A final decision the reviewer took (the control API accepted it). */
  decided?: 'approve' | 'deny';
  cancelRequested: boolean;
  /**
   * A notification reached the onboarding (Wake): from then on its review polls only as a daily
   * backstop, so Circle's notifications are relayed as Circle sends them (approve, deny, RFI, cancel;
   * none for a return to DRAFT, which the backstop finds).
   */
  notified: boolean;
  /** Circle's application was cancelled: by someone at Circle, or by the onboarding's own cancel. */
  cancelledAtCircle: boolean;
  /** Someone at Circle cancelled the application of an onboarding that had already ended. */
  cancelledAtCircleAfterEnd: boolean;
  /**
   * When (epoch ms) the reviewer sent the application back to DRAFT after a cancel was requested: if the
   * compensation read it in review before that, the DRAFT is Circle's doing after the onboarding ended.
   */
  sentBackAfterCancelAt?: number;
  /** RFIs Circle issued through the reviewer, by id, with the field they ask for. */
  rfis: Map<string, { section: string; field: string }>;
  /** RFIs an update reply said were answered: a later answer must be refused. */
  answered: Set<string>;
  answers: SentAnswer[];
  corrections: SentCorrection[];
  /** Messages sent (updates and signals): each may cost the workflow activities without a timer. */
  messages: number;
  /** Values used so far, so that each message's value is its own. */
  counter: number;
  /** What the commands did, in order, for the failure report. */
  trace: string[];
}

export function initialModel(): Model {
  return {
    roundsOpened: 1,
    cancelRequested: false,
    notified: false,
    cancelledAtCircle: false,
    cancelledAtCircleAfterEnd: false,
    rfis: new Map(),
    answered: new Set(),
    answers: [],
    corrections: [],
    messages: 0,
    counter: 0,
    trace: [],
  };
}

/** Replies any update may get whatever it asks: the onboarding ended, or too many are waiting. */
const ALWAYS = ['closed', MessageRejection.OnboardingNotReady, MessageRejection.OnboardingBusy];

export type AnswerKind = 'valid' | 'invalid' | 'empty' | 'unknown' | 'late';

/**
 * The replies an `answerRfi` of this kind may get (docs/messages.md, "When each message is answered"). Only a
 * valid answer to an RFI nobody answered may be `answered`; Circle's 409 while the application is not
 * waiting for answers (sent back, decided) is `RfiAnswerRejected`.
 */
export function allowedAnswerReplies(kind: AnswerKind, model: Model, rfiId: string): string[] {
  const { RfiNotOpen, RfiAnswerRejected, InvalidRfiAnswer } = MessageRejection;
  switch (kind) {
    case 'valid':
      return model.answered.has(rfiId)
        ? [...ALWAYS, RfiNotOpen]
        : [...ALWAYS, 'answered', RfiNotOpen, RfiAnswerRejected];
    case 'invalid':
      return [...ALWAYS, RfiNotOpen, RfiAnswerRejected];
    case 'empty':
      return [...ALWAYS, RfiNotOpen, InvalidRfiAnswer];
    case 'unknown':
    case 'late':
      return [...ALWAYS, RfiNotOpen];
  }
}

/** `provideSectionData` is answered with its result, or refused after the submit. */
export const SECTION_REPLIES = [...ALWAYS, 'accepted', MessageRejection.SectionsNotAccepted];

/** A fresh value for a message, so that Circle holding it can only mean that message. */
export function nextValue(model: Model, prefix: string): string {
  model.counter++;
  return `${prefix}${model.counter}`;
}

/** Deadlines may pass in any sequence: they are short, and the reviewer decides only when told to. */
const DEADLINES = [
  'SectionDataDeadlineExceeded',
  'ReviewDeadlineExceeded',
  'RfiDeadlineExceeded',
  'AccountActivationDeadlineExceeded',
];

/**
 * The failure types this sequence explains: a deadline, a denial the reviewer took, a cancellation at
 * Circle. Faults are 5xx, 429, dropped connections and delays only, all retried: a `Circle<Reason>`
 * failure (a 4xx the workflow did not expect) or any other type is something the workflow did wrong.
 */
export function explainedFailures(model: Model): string[] {
  return [
    ...DEADLINES,
    ...(model.decided === 'deny' ? ['ApplicationDenied'] : []),
    ...(model.cancelledAtCircle ? ['ApplicationCancelledAtCircle'] : []),
  ];
}
