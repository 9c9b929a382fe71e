// The simulator's control surface, used in-process (RunningSimulator.control) and over HTTP (/_sim/...).
// Inputs are validated here with zod so both ways reject the same bad input the same way.
import { z } from 'zod';
import { ACCOUNT_STATUSES, APPLICATION_STATUSES, RFI_TYPES } from './circle-enums';
import type { Delays, SimContext } from './context';
import { applicationNotFound, circleFail } from './errors';
import { faultsBodySchema, type ActiveFault, type FaultRuleInput } from './faults';
import {
  idempotencyModesSchema,
  withModes,
  type IdempotencyModes,
  type IdempotencyModesInput,
} from './idempotency-modes';
import type { Delivery } from './notifications/deliveries';
import {
  notificationFaultsSchema,
  type ActiveNotificationFault,
  type NotificationFaultInput,
} from './notifications/faults';
import {
  realismBodySchema,
  realismModesSchema,
  type RealismBody,
  type RealismConfig,
  type RealismModes,
  type RealismModesInput,
} from './realism';
import type { RfiRequest } from './review';
import type { RequestLogEntry, ReviewOutcome, ReviewStep } from './state';
import { applicationView } from './views';

const rfiRequestSchema = z
  .object({
    section: z.string().min(1),
    field: z.string().min(1),
    type: z.enum(RFI_TYPES).default('UPDATE_FIELD'),
    comment: z.string().min(1).optional(),
  })
  .strict();

export const reviewRequestSchema = z
  .object({
    outcome: z.enum(['approve', 'deny', 'rfi', 'draft']),
    rfis: z.array(rfiRequestSchema).min(1).optional(),
  })
  .strict();

/** setTimeout's own limit: a longer timer would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;
const delayMs = z.number().int().min(0).max(MAX_DELAY_MS);
export const delaysSchema = z
  .object({ reviewDelayMs: delayMs.optional(), accountActivationDelayMs: delayMs.optional() })
  .strict();

const stepsSchema = z.array(z.enum(['approve', 'deny', 'rfi', 'rfi-document', 'draft', 'manual']));
export const reviewPlanSchema = z.object({ outcomes: stepsSchema }).strict();

export interface ReviewRequest {
  outcome: ReviewOutcome;
  rfis?: { section: string; field: string; type?: RfiRequest['type']; comment?: string }[];
}

export interface SimulatorState {
  clients: number;
  applications: { total: number; byStatus: Record<string, number> };
  /** Submit operations actually executed (idempotent replays not counted). */
  submissions: number;
  accounts: { total: number; byStatus: Record<string, number> };
  cliveClients: number;
  /** Pending scheduled work (review steps, account activations). */
  timers: number;
  /** The current idempotency modes and how many keys are remembered now. */
  idempotency: IdempotencyState;
  /** The most recent Circle and Clive requests (up to 5000), oldest first. */
  requests: RequestLogEntry[];
  /** How many Circle and Clive requests came since start or reset, by `<method> <route>`. */
  requestCounts: Record<string, number>;
}

export interface IdempotencyState extends IdempotencyModes {
  /** Keys remembered now (stored and not expired, or still running). */
  keys: number;
}

/** Parses with zod; a failure becomes a 400 with one entry per problem. */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return { path, error: 'invalid_value', message: path ? `${path}: ${i.message}` : i.message };
  });
  throw circleFail(400, `Invalid request: ${errors.map((e) => e.message).join('; ')}`, errors);
}

export class SimulatorControl {
  constructor(private readonly ctx: SimContext) {}

  state(): SimulatorState {
    const { state } = this.ctx;
    const count = (statuses: readonly string[], values: Iterable<{ status: string }>) => {
      const byStatus: Record<string, number> = Object.fromEntries(statuses.map((s) => [s, 0]));
      let total = 0;
      for (const v of values) {
        byStatus[v.status] = (byStatus[v.status] ?? 0) + 1;
        total++;
      }
      return { total, byStatus };
    };
    return {
      clients: state.clients.size,
      applications: count(APPLICATION_STATUSES, state.applications.values()),
      submissions: state.submissions,
      accounts: count(ACCOUNT_STATUSES, state.accounts.values()),
      cliveClients: state.cliveClients.size,
      timers: this.ctx.scheduler.size,
      idempotency: this.idempotency(),
      requests: state.recentRequests(),
      requestCounts: Object.fromEntries(state.requestCounts),
    };
  }

  faults(): ActiveFault[] {
    return this.ctx.faults.list();
  }

  /** Replaces all fault rules (a list, or `{ rules, seed }`). */
  setFaults(rules: FaultRuleInput[] | { rules: FaultRuleInput[]; seed?: number }): ActiveFault[] {
    const parsed = parseOrThrow(faultsBodySchema, rules);
    if (Array.isArray(parsed)) this.ctx.faults.set(parsed);
    else this.ctx.faults.set(parsed.rules, parsed.seed);
    return this.faults();
  }

  clearFaults(): void {
    this.ctx.faults.clear();
  }

  idempotency(): IdempotencyState {
    const store = this.ctx.idempotency;
    return { ...store.modes, keys: store.size };
  }

  /**
   * Replaces the idempotency modes: the fields given are set, the others go back to their start-up
   * values (so the result never depends on earlier calls). Stored keys are kept.
   */
  setIdempotency(modes: IdempotencyModesInput): IdempotencyState {
    const parsed = parseOrThrow(idempotencyModesSchema, modes);
    this.ctx.idempotency.modes = withModes(this.ctx.config.idempotency, parsed);
    return this.idempotency();
  }

  /** Forgets every stored idempotency key now, as if its retention had passed; returns how many. */
  expireKeys(): { expired: number } {
    return { expired: this.ctx.idempotency.expire() };
  }

  /** The current review-step and account-activation delays. */
  delays(): Delays {
    return { ...this.ctx.delays };
  }

  /**
   * Replaces the delays: the ones given are set, the others go back to their start-up values. Reviews
   * and accounts take the delay in force when their timer is set (timers already set keep theirs).
   */
  setDelays(delays: Partial<Delays>): Delays {
    const parsed = parseOrThrow(delaysSchema, delays);
    const startUp = this.ctx.config;
    this.ctx.delays = {
      reviewDelayMs: parsed.reviewDelayMs ?? startUp.reviewDelayMs,
      accountActivationDelayMs: parsed.accountActivationDelayMs ?? startUp.accountActivationDelayMs,
    };
    return this.delays();
  }

  /** The global realism modes, the share of new applications drawn into them, and the seed. */
  realism(): RealismConfig {
    return this.ctx.realism.config;
  }

  /**
   * Replaces the global realism modes (what `modes` leaves out, and `share` / `seed` when not given, go
   * back to their start-up values) and restarts the seeded draw; applications created from now on are
   * drawn into them with probability `share`.
   */
  setRealism(body: RealismBody): RealismConfig {
    return this.ctx.realism.set(parseOrThrow(realismBodySchema, body));
  }

  /** The realism modes that apply to one application (drawn, name tag, override). */
  applicationRealism(applicationId: string): { applicationId: string; modes: RealismModes } {
    this.application(applicationId);
    return { applicationId, modes: this.ctx.realism.forApplication(applicationId) };
  }

  /** Replaces the application's realism override; returns the modes that now apply to it. */
  setApplicationRealism(
    applicationId: string,
    modes: RealismModesInput,
  ): { applicationId: string; modes: RealismModes } {
    const parsed = parseOrThrow(realismModesSchema, modes);
    this.application(applicationId);
    return { applicationId, modes: this.ctx.realism.setApplication(applicationId, parsed) };
  }

  /** Every notification delivery (confirmations included), oldest first. */
  notifications(): Delivery[] {
    return this.ctx.notifications.deliveries();
  }

  /** Sends a sent message again, byte for byte, to the endpoints it went to; returns the new deliveries. */
  redeliverNotification(messageId: string): Delivery[] {
    return this.ctx.notifications.redeliver(messageId);
  }

  notificationFaults(): ActiveNotificationFault[] {
    return this.ctx.notifications.faults.list();
  }

  /** Replaces the notification fault rules; each applies to the next `times` notifications (default 1). */
  setNotificationFaults(rules: NotificationFaultInput[]): ActiveNotificationFault[] {
    this.ctx.notifications.faults.set(parseOrThrow(notificationFaultsSchema, rules));
    return this.notificationFaults();
  }

  clearNotificationFaults(): void {
    this.ctx.notifications.faults.clear();
  }

  /**
   * Forgets every client, application, account, idempotency record, fault, timer, notification
   * subscription and delivery (pending deliveries stop), and restores the start-up idempotency and
   * realism modes.
   */
  reset(): void {
    this.ctx.reset();
  }

  /** Decides the review of a SUBMITTED / IN_REVIEW application now; returns the application. */
  review(applicationId: string, request: ReviewRequest) {
    const { outcome, rfis } = parseOrThrow(reviewRequestSchema, request);
    const app = this.application(applicationId);
    this.ctx.review.decide(app, outcome, rfis);
    return applicationView(app);
  }

  /** Replaces the queue of outcomes consumed one per automatic review (`manual` = wait for review()). */
  setReviewPlan(applicationId: string, outcomes: ReviewStep[]) {
    const steps = parseOrThrow(stepsSchema, outcomes);
    const app = this.application(applicationId);
    this.ctx.review.setPlan(app, steps);
    return { applicationId, outcomes: [...app.plan.steps], whenEmpty: app.plan.whenEmpty };
  }

  private application(applicationId: string) {
    const app = this.ctx.state.applications.get(applicationId);
    if (!app) throw applicationNotFound();
    return app;
  }
}
