// `npm run simulator`: serve the simulator on SIMULATOR_PORT (default 4010) until SIGINT / SIGTERM.
import { startSimulator } from './index';

async function main(): Promise<void> {
  const port = Number(process.env.SIMULATOR_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid SIMULATOR_PORT: ${port}`);
  const sim = await startSimulator({ port, host: '127.0.0.1', logger: process.env.SIMULATOR_LOG === '1' });
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
