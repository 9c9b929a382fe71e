// Circle's compliance review, simulated: after a submit the application goes SUBMITTED -> IN_REVIEW
// after one delay and is decided after another, following the application's review plan. The default
// plan comes from tags in the client name; the control API can decide at once or replace the plan.
import { randomUUID } from 'node:crypto';
import type { ApplicationStatus, RfiType } from './circle-enums';
import { isFileField } from './document-fields';
import { ApiError, circleFail } from './errors';
import type { Scheduler } from './scheduler';
import { templateFor } from './sections';
import { now, type ApplicationRecord, type ReviewOutcome, type ReviewPlan, type ReviewStep } from './state';

export interface RfiRequest {
  section: string;
  field: string;
  type: RfiType;
  comment?: string;
}

/** The RFI an automatic `rfi` review issues. */
export const AUTOMATIC_RFI: Readonly<Required<RfiRequest>> = {
  section: 'basicBusinessInfo',
  field: 'website',
  type: 'UPDATE_FIELD',
  comment: "Please provide the company's primary website (https URL).",
};

/** The RFI an automatic `rfi-document` review issues: a document the template did not ask for. */
export const AUTOMATIC_DOCUMENT_RFI: Readonly<Required<RfiRequest>> = {
  section: 'businessAddress',
  field: 'proofOfAddress',
  type: 'COLLECT_DOCUMENT',
  comment:
    'Please upload a proof of the registered address (utility bill or bank statement, under 3 months old).',
};

const NEW_FIELD_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * Scenario tags in the client name (case-insensitive): `[rfi]` one RFI round, `[rfi2]` two,
 * `[rfi-document]` one COLLECT_DOCUMENT round (after any field rounds), `[draft]` sent back to DRAFT once
 * (after any RFI rounds), `[deny]` deny (after those), `[manual]` no automatic decision. Otherwise: approve.
 */
export function defaultPlan(clientName: string): ReviewPlan {
  const name = clientName.toLowerCase();
  const rounds = name.includes('[rfi2]') ? 2 : name.includes('[rfi]') ? 1 : 0;
  const manual = name.includes('[manual]');
  const steps: ReviewStep[] = Array.from({ length: rounds }, () => 'rfi');
  if (name.includes('[rfi-document]')) steps.push('rfi-document');
  if (name.includes('[draft]')) steps.push('draft');
  if (name.includes('[deny]')) steps.push('deny');
  else if (!manual) steps.push('approve');
  return { steps, whenEmpty: manual ? 'manual' : 'approve' };
}

export class ReviewEngine {
  constructor(
    private readonly scheduler: Scheduler,
    /** Read for each step, so that a change at run time applies from the next step on. */
    private readonly delayMs: () => number,
    /** Told of every status change the review makes (notifications). */
    private readonly onChange: (app: ApplicationRecord, previous: ApplicationStatus) => void = () =>
      undefined,
  ) {}

  /** Called by a submit that ran: starts the timed review. */
  submitted(app: ApplicationRecord): void {
    this.scheduler.schedule(timerKey(app), this.delayMs(), () => {
      if (app.status !== 'SUBMITTED') return;
      this.transition(app, 'IN_REVIEW');
      this.scheduleDecision(app);
    });
  }

  /** Decides now (control API). Allowed while SUBMITTED or IN_REVIEW. */
  decide(app: ApplicationRecord, outcome: ReviewOutcome, rfis?: readonly RfiRequest[]): void {
    if (app.status !== 'SUBMITTED' && app.status !== 'IN_REVIEW') {
      throw circleFail(
        409,
        `Application ${app.applicationId} is ${app.status}; only SUBMITTED or IN_REVIEW can be decided.`,
      );
    }
    const requests = outcome === 'rfi' ? this.checkRfis(app, rfis?.length ? rfis : [AUTOMATIC_RFI]) : [];
    this.scheduler.cancel(timerKey(app));
    this.apply(app, outcome, requests);
  }

  /** Replaces the queued outcomes; an application waiting for a manual decision is reviewed again. */
  setPlan(app: ApplicationRecord, steps: readonly ReviewStep[]): void {
    app.plan = { ...app.plan, steps: [...steps] };
    if (app.status === 'IN_REVIEW' && !this.scheduler.has(timerKey(app))) this.scheduleDecision(app);
  }

  private scheduleDecision(app: ApplicationRecord): void {
    this.scheduler.schedule(timerKey(app), this.delayMs(), () => {
      if (app.status !== 'IN_REVIEW') return;
      const step = app.plan.steps.shift() ?? app.plan.whenEmpty;
      if (step === 'rfi-document') this.apply(app, 'rfi', [AUTOMATIC_DOCUMENT_RFI]);
      else if (step !== 'manual') this.apply(app, step, step === 'rfi' ? [AUTOMATIC_RFI] : []);
    });
  }

  private apply(app: ApplicationRecord, outcome: ReviewOutcome, rfis: readonly RfiRequest[]): void {
    if (outcome === 'approve') {
      this.transition(app, 'APPROVED');
    } else if (outcome === 'deny') {
      this.transition(app, 'DENIED');
    } else if (outcome === 'draft') {
      // Sent back: sections and documents stay as they are, so it can be submitted again (new key).
      this.transition(app, 'DRAFT');
    } else {
      this.issue(app, rfis);
      this.transition(app, 'PENDING_CUSTOMER_INFORMATION');
    }
  }

  private issue(app: ApplicationRecord, requests: readonly RfiRequest[]): void {
    const createdAt = now();
    const bundleId = randomUUID();
    const rfis = requests.map((r) => ({
      rfiId: randomUUID(),
      bundleId,
      section: r.section,
      field: r.field,
      type: r.type,
      status: 'PENDING' as const,
      systemComment: r.comment ?? `Please provide ${r.section}.${r.field}.`,
      createdAt,
      comments: [],
    }));
    app.bundles.push({ bundleId, status: 'PUBLISHED', createdAt, rfis });
    for (const rfi of rfis) {
      app.rfis.set(rfi.rfiId, rfi);
      if (rfi.type === 'UPDATE_FIELD') continue;
      // NEW_FIELD / COLLECT_DOCUMENT: the field is required from now on (and added if it did not exist).
      const known = app.requestedFields.some((f) => f.section === rfi.section && f.field === rfi.field);
      const kind = rfi.type === 'NEW_FIELD' ? 'data' : 'document';
      if (!known) app.requestedFields.push({ section: rfi.section, field: rfi.field, kind });
    }
  }

  /**
   * RFIs may target flat sections only: an existing data field (UPDATE_FIELD), a data field that may be
   * new (NEW_FIELD), or a file field that may be new (COLLECT_DOCUMENT). A new field's name must match
   * NEW_FIELD_NAME; a new file field's name must not be a file field elsewhere (uploads name no section).
   */
  private checkRfis(app: ApplicationRecord, rfis: readonly RfiRequest[]): RfiRequest[] {
    const t = templateFor(app);
    const sections = t.schema.properties as Record<string, { properties?: Record<string, unknown> }>;
    for (const r of rfis) {
      const fields = t.kinds.get(r.section) === 'SINGLE' ? sections[r.section]?.properties : undefined;
      if (!fields) throw badRfi(`RFI section ${r.section} is not a flat section of this application`);
      const exists = Object.hasOwn(fields, r.field);
      const isFile = exists && isFileField(fields[r.field]);
      const path = `${r.section}.${r.field}`;
      if (r.type === 'UPDATE_FIELD' && !exists) {
        throw badRfi(`UPDATE_FIELD RFI field ${path} is not in the schema`);
      }
      if (r.type !== 'COLLECT_DOCUMENT' && isFile) {
        throw badRfi(`${path} is a document field: ask for it with a COLLECT_DOCUMENT RFI`);
      }
      if (r.type === 'COLLECT_DOCUMENT' && exists && !isFile) {
        throw badRfi(`COLLECT_DOCUMENT RFI field ${path} is a data field, not a document field`);
      }
      if (r.type !== 'UPDATE_FIELD' && !exists && !NEW_FIELD_NAME.test(r.field)) {
        throw badRfi(`${r.type} RFI field name ${r.field} must match ${NEW_FIELD_NAME.source}`);
      }
      if (r.type === 'COLLECT_DOCUMENT' && !exists && t.fileFields.some((f) => f.datumName === r.field)) {
        throw badRfi(`COLLECT_DOCUMENT RFI field name ${r.field} is a document field of another section`);
      }
    }
    return [...rfis];
  }

  private transition(app: ApplicationRecord, status: ApplicationStatus): void {
    const previous = app.status;
    app.status = status;
    app.updatedAt = now();
    this.onChange(app, previous);
  }
}

const timerKey = (app: ApplicationRecord) => `review:${app.applicationId}`;
const badRfi = (message: string): ApiError => circleFail(400, message);
