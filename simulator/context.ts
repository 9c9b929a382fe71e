// Everything a route needs, resolved once per simulator instance. `state` is swapped on reset, so
// handlers always read it through the context.
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { FaultInjector } from './faults';
import { IdempotencyStore } from './idempotency';
import {
  resolveIdempotencyModes,
  type IdempotencyModes,
  type IdempotencyModesInput,
} from './idempotency-modes';
import { Realism, resolveRealismOptions, type RealismConfig, type RealismOptions } from './realism';
import { noteApplication, RealismHistories } from './realism-serve';
import { ReviewEngine } from './review';
import { Scheduler } from './scheduler';
import { PARTNER_CLIENT_ID } from './notifications/messages';
import { Notifier } from './notifications/notifier';
import type { SignatureVersion, SnsSigner } from './notifications/signer';
import { SimState } from './state';

/** Waits before each retry of a notification the receiver did not take (200); three retries. */
export const DEFAULT_NOTIFICATION_RETRY_DELAYS_MS: readonly number[] = [1000, 5000, 15000];

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
  /** Realism modes (all off by default), with the share of applications drawn into them and the seed. */
  realism?: RealismOptions;
  /** SNS `SignatureVersion` of the messages it signs: `'2'` (SHA256withRSA, default) or `'1'` (SHA1withRSA). */
  notificationSignatureVersion?: SignatureVersion;
  /** Waits before each retry of a delivery not answered 200; the length is the number of retries. */
  notificationRetryDelaysMs?: readonly number[];
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
  /** The start-up realism modes, share and seed, restored by reset. */
  realism: RealismConfig;
  notificationSignatureVersion: SignatureVersion;
  notificationRetryDelaysMs: readonly number[];
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
    realism: resolveRealismOptions(o.realism),
    notificationSignatureVersion: signatureVersion(o.notificationSignatureVersion),
    notificationRetryDelaysMs: retryDelays(o.notificationRetryDelaysMs),
    logger: o.logger ?? false,
    partnerEntityId: randomUUID(),
  };
}

function signatureVersion(v: SignatureVersion | undefined): SignatureVersion {
  if (v === undefined) return '2';
  if (v !== '1' && v !== '2') throw new RangeError(`notificationSignatureVersion must be '1' or '2'`);
  return v;
}

function retryDelays(v: readonly number[] | undefined): readonly number[] {
  if (v === undefined) return DEFAULT_NOTIFICATION_RETRY_DELAYS_MS;
  const ok =
    Array.isArray(v) && v.length <= 10 && v.every((d) => Number.isFinite(d) && d >= 0 && d <= 60_000);
  if (!ok) throw new RangeError('notificationRetryDelaysMs must be at most 10 delays, each 0..60000 ms');
  return [...v];
}

/** The delays of the simulator's timed work, set at start-up and changeable at run time. */
export interface Delays {
  reviewDelayMs: number;
  accountActivationDelayMs: number;
}

export class SimContext {
  state = new SimState();
  /** Read when each timer is set: a change applies to reviews and accounts from then on. */
  delays: Delays;
  readonly idempotency: IdempotencyStore;
  readonly faults = new FaultInjector();
  readonly scheduler: Scheduler;
  readonly review: ReviewEngine;
  readonly notifications: Notifier;
  readonly realism: Realism;
  readonly realismHistories = new RealismHistories();
  /** Aborted on close, so that requests held by a `delay` fault finish at once. */
  readonly closing = new AbortController();

  constructor(
    readonly config: SimConfig,
    onTimerError: (err: unknown) => void,
    signer: SnsSigner,
  ) {
    // Every request held by a fault and every notification in flight listens to it: many at once is normal.
    setMaxListeners(0, this.closing.signal);
    this.delays = startUpDelays(config);
    this.idempotency = new IdempotencyStore(config.idempotency);
    this.scheduler = new Scheduler(onTimerError);
    this.realism = new Realism(config.realism);
    this.notifications = new Notifier(
      {
        clientId: PARTNER_CLIENT_ID,
        signatureVersion: config.notificationSignatureVersion,
        retryDelaysMs: config.notificationRetryDelaysMs,
      },
      signer,
      this.closing.signal,
      onTimerError,
    );
    this.review = new ReviewEngine(
      this.scheduler,
      () => this.delays.reviewDelayMs,
      (app, previous) => {
        noteApplication(this, app);
        this.notifications.applicationChanged(app.applicationId, previous, app.status);
      },
    );
  }

  reset(): void {
    this.scheduler.clear();
    this.idempotency.clear();
    // Modes switched at run time are test set-up, like faults: a reset goes back to the start-up ones.
    this.idempotency.modes = { ...this.config.idempotency };
    this.delays = startUpDelays(this.config);
    this.faults.clear();
    this.notifications.reset();
    this.realism.reset();
    this.realismHistories.clear();
    this.state = new SimState();
  }
}

function startUpDelays(config: SimConfig): Delays {
  return { reviewDelayMs: config.reviewDelayMs, accountActivationDelayMs: config.accountActivationDelayMs };
}
