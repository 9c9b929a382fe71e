// `npm run simulator`: serve the simulator on SIMULATOR_HOST:SIMULATOR_PORT (default 127.0.0.1:4010)
// until SIGINT / SIGTERM. In a container (deploy/compose.yaml) it listens on all interfaces and takes
// the credentials the other containers are configured with.
import { startSimulator } from './index';
import type { RealismOptions } from './realism';

/** SIM_REALISM: the `realism` start-up option as JSON, e.g. {"readLagMs":2000,"share":0.5,"seed":7}. */
function realismFromEnv(raw: string | undefined): { realism?: RealismOptions } {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`Invalid SIM_REALISM (not JSON): ${(err as Error).message}`);
  }
  return { realism: parsed as RealismOptions };
}

async function main(): Promise<void> {
  const port = Number(process.env.SIMULATOR_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid SIMULATOR_PORT: ${port}`);
  const env = process.env;
  const sim = await startSimulator({
    port,
    host: env.SIMULATOR_HOST ?? '127.0.0.1',
    logger: env.SIMULATOR_LOG === '1',
    ...(env.SIMULATOR_CIRCLE_API_KEY ? { circleApiKey: env.SIMULATOR_CIRCLE_API_KEY } : {}),
    ...(env.SIMULATOR_CLIVE_API_KEY ? { cliveApiKey: env.SIMULATOR_CLIVE_API_KEY } : {}),
    ...(env.SIMULATOR_CLIVE_HMAC_SECRET ? { cliveHmacSecret: env.SIMULATOR_CLIVE_HMAC_SECRET } : {}),
    ...realismFromEnv(env.SIM_REALISM),
  });
  console.log(`Circle/Clive simulator listening on ${sim.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, closing the simulator`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
