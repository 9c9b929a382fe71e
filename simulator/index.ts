// Public entry point: start the Circle sandbox + Clive simulator in-process.
import { resolveOptions, SimContext, type SimulatorOptions } from './context';
import { SimulatorControl } from './control';
import { SnsSigner } from './notifications/signer';
import { buildServer } from './server';

export type { Delays, SimulatorOptions } from './context';
export type { SimulatorControl, SimulatorState, IdempotencyState, ReviewRequest } from './control';
export type { IdempotencyModes, IdempotencyModesInput } from './idempotency-modes';
export { DEFAULT_IDEMPOTENCY_MODES } from './idempotency-modes';
export type { RealismBody, RealismConfig, RealismModes, RealismModesInput, RealismOptions } from './realism';
export { DEFAULT_REALISM_MODES } from './realism';
export type { ActiveFault, FaultMode, FaultRuleInput } from './faults';
export type { ReviewOutcome, ReviewStep } from './state';
export { AUTOMATIC_DOCUMENT_RFI, AUTOMATIC_RFI, defaultPlan } from './review';
export { CERTIFICATIONS, CERTIFICATION_IDS } from './certifications';
export { CRYPTO_NATURES, DOCUMENT_INSTITUTION_TYPES, SECTION_NAMES, buildTemplate } from './schema-template';
export { UPLOAD_FILE_LIMIT_BYTES } from './multipart';
export { APPLICATION_STATUSES } from './circle-enums';
export { exampleApplicationData } from './examples';
export { DEFAULT_NOTIFICATION_RETRY_DELAYS_MS } from './context';
export { PARTNER_CLIENT_ID } from './notifications/messages';
export { SUBSCRIPTION_LIMIT } from './notifications/subscriptions';
export { NOTIFICATION_FAULT_MODES, OTHER_TOPIC_ARN, STALE_AGE_MS } from './notifications/faults';
export type {
  ActiveNotificationFault,
  NotificationFaultInput,
  NotificationFaultMode,
} from './notifications/faults';
export type { Delivery, DeliveryState } from './notifications/deliveries';

export interface RunningSimulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  control: SimulatorControl;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const config = resolveOptions(options);
  // One signing key and certificate per start: nothing to commit, nothing shared between runs.
  const signer = await SnsSigner.create();
  // A failing timer task (or background delivery) must not pass unnoticed, with or without Fastify logging.
  const ctx = new SimContext(
    config,
    (err) =>
      config.logger ? server.log.error(err) : console.error('simulator: background task failed', err),
    signer,
  );
  const control = new SimulatorControl(ctx);
  const server = buildServer(ctx, control);
  await server.listen({ port: config.port, host: config.host });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  ctx.notifications.baseUrl = `http://${host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url: ctx.notifications.baseUrl,
    control,
    close: () =>
      (closed ??= (async () => {
        ctx.closing.abort();
        ctx.scheduler.clear();
        await server.close();
      })()),
  };
}
