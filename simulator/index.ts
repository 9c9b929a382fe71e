// Public entry point: start the Circle sandbox + Clive simulator in-process.
import { resolveOptions, SimContext, type SimulatorOptions } from './context';
import { SimulatorControl } from './control';
import { buildServer } from './server';

export type { SimulatorOptions } from './context';
export type { SimulatorControl, SimulatorState, IdempotencyState, ReviewRequest } from './control';
export type { IdempotencyModes, IdempotencyModesInput } from './idempotency-modes';
export { DEFAULT_IDEMPOTENCY_MODES } from './idempotency-modes';
export type { ActiveFault, FaultMode, FaultRuleInput } from './faults';
export type { ReviewOutcome, ReviewStep } from './state';
export { AUTOMATIC_DOCUMENT_RFI, AUTOMATIC_RFI, defaultPlan } from './review';
export { CERTIFICATIONS, CERTIFICATION_IDS } from './certifications';
export { CRYPTO_NATURES, DOCUMENT_INSTITUTION_TYPES, SECTION_NAMES, buildTemplate } from './schema-template';
export { UPLOAD_FILE_LIMIT_BYTES } from './multipart';
export { exampleApplicationData } from './examples';

export interface RunningSimulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  control: SimulatorControl;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const config = resolveOptions(options);
  // A failing timer task must not pass unnoticed, with or without Fastify logging.
  const ctx = new SimContext(config, (err) =>
    config.logger ? server.log.error(err) : console.error('simulator: scheduled task failed', err),
  );
  const control = new SimulatorControl(ctx);
  const server = buildServer(ctx, control);
  await server.listen({ port: config.port, host: config.host });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    control,
    close: () =>
      (closed ??= (async () => {
        ctx.closing.abort();
        ctx.scheduler.clear();
        await server.close();
      })()),
  };
}
