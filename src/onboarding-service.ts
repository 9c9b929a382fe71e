// Runs the onboarding service: `npm run -s service`. The HTTP API other services call, and the endpoint
// Circle's notifications are delivered to. Configuration comes from the environment (src/config/).
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from './config';
import { serviceFromConfig } from './service/from-config';
import { clientConnectionOptions } from './temporal/connection';
import { dataConverterFor } from './temporal/data-converter';

async function main(): Promise<void> {
  const config = loadConfig();
  // Lazy: the service starts (and /healthz answers) while Temporal is down; /readyz tells the difference.
  const connection = Connection.lazy(clientConnectionOptions(config.temporal.connection));
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: dataConverterFor(config),
  });
  const app = serviceFromConfig(config, client, { logger: { level: 'info' } });
  if (config.service.apiKeys.length === 0) {
    console.error('SERVICE_API_KEYS is empty: every /v1/onboardings route answers 401 until keys are set');
  }
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close(); // stops accepting, lets requests in flight finish
      await connection.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close());
  const url = await app.listen({ host: config.service.host, port: config.service.port });
  console.error(
    `onboarding service on ${url} (OpenAPI: ${url}/openapi.json, docs: ${url}/docs; ONBOARDING_ENV=${config.environment})`,
  );
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
