// Everything a route needs, resolved once per simulator instance. `state` is swapped on reset, so
// handlers always read it through the context.
import { randomUUID } from 'node:crypto';
import { FaultInjector } from './faults';
import { IdempotencyStore } from './idempotency';
import {
  resolveIdempotencyModes,
  type IdempotencyModes,
  type IdempotencyModesInput,
} from './idempotency-modes';
import { ReviewEngine } from './review';
import { Scheduler } from './scheduler';
import { SimState } from './state';

export interface SimulatorOptions {
  /** 0 = any free port; `main.ts` uses SIMULATOR_PORT or 4010. */
  port?: number;
  host?: string;
  circleApiKey?: string;
  cliveApiKey?: string;
  clivePartnerId?: string;
  cliveHmacSecret?: string;
  clivePartnerFeePercentage?: number;
  /** Delay of each automatic review step (SUBMITTED -> IN_REVIEW, IN_REVIEW -> decision). */
  reviewDelayMs?: number;
  /** Delay of account activation (pending -> active). */
  accountActivationDelayMs?: number;
  /** Idempotency behaviour Circle and Clive leave undocumented (any subset; see idempotency-modes.ts). */
  idempotency?: IdempotencyModesInput;
  logger?: boolean;
}

export interface SimConfig {
  port: number;
  host: string;
  circleApiKey: string;
  cliveApiKey: string;
  clivePartnerId: string;
  cliveHmacSecret: string;
  clivePartnerFeePercentage: number;
  reviewDelayMs: number;
  accountActivationDelayMs: number;
  /** The start-up modes, restored by reset. */
  idempotency: IdempotencyModes;
  logger: boolean;
  /** The partner's own entity: owner of first-party accounts. */
  partnerEntityId: string;
}

export function resolveOptions(o: SimulatorOptions = {}): SimConfig {
  const delay = (v: number | undefined, name: string): number => {
    const d = v ?? 2000;
    if (!Number.isFinite(d) || d < 0) throw new RangeError(`${name} must be a number >= 0`);
    return d;
  };
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    circleApiKey: o.circleApiKey ?? process.env.CIRCLE_API_KEY ?? 'TEST_API_KEY:local:simulator',
    cliveApiKey: o.cliveApiKey ?? process.env.CLIVE_API_KEY ?? 'cp_test_partner_local',
    clivePartnerId: o.clivePartnerId ?? 'LOCALPARTNER001',
    cliveHmacSecret: o.cliveHmacSecret ?? process.env.CLIVE_HMAC_SECRET ?? 'local-hmac-secret',
    clivePartnerFeePercentage: o.clivePartnerFeePercentage ?? 2.5,
    reviewDelayMs: delay(o.reviewDelayMs, 'reviewDelayMs'),
    accountActivationDelayMs: delay(o.accountActivationDelayMs, 'accountActivationDelayMs'),
    idempotency: resolveIdempotencyModes(o.idempotency),
    logger: o.logger ?? false,
    partnerEntityId: randomUUID(),
  };
}

export class SimContext {
  state = new SimState();
  readonly idempotency: IdempotencyStore;
  readonly faults = new FaultInjector();
  readonly scheduler: Scheduler;
  readonly review: ReviewEngine;
  /** Aborted on close, so that requests held by a `delay` fault finish at once. */
  readonly closing = new AbortController();

  constructor(
    readonly config: SimConfig,
    onTimerError: (err: unknown) => void,
  ) {
    this.idempotency = new IdempotencyStore(config.idempotency);
    this.scheduler = new Scheduler(onTimerError);
    this.review = new ReviewEngine(this.scheduler, config.reviewDelayMs);
  }

  reset(): void {
    this.scheduler.clear();
    this.idempotency.clear();
    // Modes switched at run time are test set-up, like faults: a reset goes back to the start-up ones.
    this.idempotency.modes = { ...this.config.idempotency };
    this.faults.clear();
    this.state = new SimState();
  }
}
