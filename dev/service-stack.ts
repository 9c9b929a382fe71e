// The local stack with the onboarding service, for trying the HTTP API by hand or fuzzing it
// (src/service/README.md, "Fuzzing"): a dev server, the simulator, a worker and the service on
// loopback. Prints the service's URL and a write API key for this run, then runs until Ctrl-C.
// Uploads go to a temporary document store (never into the repository), removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from './local-stack';

async function main(): Promise<void> {
  const store = mkdtempSync(join(tmpdir(), 'onboarding-store-'));
  process.env.DOCUMENT_STORE_DIR = store;
  const stack = await startLocalStack({ service: true });
  const service = stack.service!;
  process.stdout.write(`SERVICE_URL=${service.url}\nSERVICE_API_KEY=${service.apiKey}\n`);
  const stop = async () => {
    await stack.stop();
    rmSync(store, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
