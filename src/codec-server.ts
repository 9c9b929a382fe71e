// Runs the codec server for the Temporal Web UI and CLI: `npm run -s codec-server`. Configuration comes
// from the environment (src/config/): `PAYLOAD_ENCRYPTION_KEYS=... CODEC_SERVER_TOKENS=<sha256 hex>`, then
// point the UI at it (`temporal server start-dev --ui-codec-endpoint http://localhost:8888`).
import { loadConfig } from './config';
import { codecServerOptionsFrom, createCodecServer } from './temporal/codec-server';

try {
  const config = loadConfig();
  const say = (line: string) => console.error(line);
  const server = createCodecServer(codecServerOptionsFrom(config, say));
  const { host, port, namespaces, corsOrigins, encode } = config.codecServer;
  server.listen(port, host, () =>
    say(
      `codec server on http://${host}:${port}: /decode${encode ? ' and /encode' : ''} for namespaces ${namespaces.join(', ')} (CORS origins ${corsOrigins.join(', ')}; ONBOARDING_ENV=${config.environment})`,
    ),
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close());
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
