// Codec server for the Temporal Web UI and CLI: decrypts payloads for display (and encrypts input) with
// the same keys as the worker, so operators can read runs that the server only stores encrypted.
// Run: `PAYLOAD_ENCRYPTION_KEYS=... npm run codec-server`, then point the UI at it
// (`temporal server start-dev --ui-codec-endpoint http://localhost:8888`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload } from '@temporalio/common';
import { loadConfig } from '../config';
import { EncryptionCodec, type EncryptionKeys } from './encryption-codec';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const MAX_BODY = 4 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createCodecServer(keys: EncryptionKeys, corsOrigin: string): Server {
  const codec = new EncryptionCodec(keys);
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', corsOrigin);
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const action = req.url === '/encode' ? 'encode' : req.url === '/decode' ? 'decode' : undefined;
    if (req.method !== 'POST' || !action) return send(404, { error: 'POST /encode or /decode' });
    readBody(req)
      .then(async (text) => {
        const { payloads } = JSON.parse(text) as { payloads?: JsonPayload[] };
        if (!Array.isArray(payloads)) return send(400, { error: 'body must be {"payloads": [...]}' });
        const out = await codec[action](payloads.map(fromJson));
        send(200, { payloads: out.map(toJson) });
      })
      .catch((err: Error) => send(400, { error: err.message }));
  });
}

if (require.main === module) {
  const config = loadConfig();
  if (!config.temporal.encryption) {
    console.error('Set PAYLOAD_ENCRYPTION_KEYS (the same value as the worker) to run the codec server.');
    process.exit(2);
  }
  const server = createCodecServer(config.temporal.encryption, config.codecServer.corsOrigin);
  server.listen(config.codecServer.port, '127.0.0.1', () =>
    console.error(
      `codec server on http://127.0.0.1:${config.codecServer.port} (CORS origin ${config.codecServer.corsOrigin})`,
    ),
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close());
}
