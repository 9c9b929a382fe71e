// Codec server for the Temporal Web UI and CLI: decrypts payloads for display (and, when enabled,
// encrypts input) with the same keys as the worker, so operators can read runs that the server only
// stores encrypted. Only for callers with a token, for the configured namespaces (codec-server-access.ts).
// Run by `src/codec-server.ts` (`npm run codec-server`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload } from '@temporalio/common';
import { codecAccess, type CodecAccessOptions } from './codec-server-access';
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

export interface CodecServerOptions extends CodecAccessOptions {
  keys: EncryptionKeys;
  /** Serve `/encode` too (lets token holders make ciphertext with the key); `/decode` always. */
  encode: boolean;
}

export function createCodecServer(options: CodecServerOptions): Server {
  const codec = new EncryptionCodec(options.keys);
  const access = codecAccess(options);
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const cors = access.cors(req);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, { ...cors, ...headers, 'Content-Type': 'application/json' })
        .end(JSON.stringify(body));
    };
    // Preflights carry no credentials; the browser sends the real request only if CORS allowed it.
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    // Liveness for container health checks and probes: no token, decodes nothing, says nothing.
    if (req.method === 'GET' && req.url === '/healthz') return send(200, { status: 'ok' });
    const refused = access.check(req);
    if (refused) return send(refused.status, { error: refused.error }, refused.headers);
    const path = req.url?.split('?')[0];
    const action =
      path === '/decode' ? 'decode' : path === '/encode' && options.encode ? 'encode' : undefined;
    if (req.method !== 'POST' || !action) {
      return send(404, { error: options.encode ? 'POST /encode or /decode' : 'POST /decode' });
    }
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

/** What the codec server is configured with (CODEC_SERVER_*, CODEC_CORS_ORIGIN). */
export interface CodecServerSettings {
  /** 127.0.0.1 by default; 0.0.0.0 in a container, behind the network's own controls. */
  host: string;
  port: number;
  corsOrigins: string[];
  /** SHA-256 hex of accepted bearer tokens; empty: open (refused in production). */
  tokenHashes: string[];
  namespaces: string[];
  encode: boolean;
}

/** What the codec server reads of the configuration. */
export interface CodecServerConfig {
  environment: string;
  temporal: { encryption?: EncryptionKeys };
  codecServer: CodecServerSettings;
}

/** The server's options from the configuration; refuses to run open with ONBOARDING_ENV=production. */
export function codecServerOptionsFrom(
  config: CodecServerConfig,
  say: (line: string) => void,
): CodecServerOptions {
  const keys = config.temporal.encryption;
  if (!keys)
    throw new Error('Set PAYLOAD_ENCRYPTION_KEYS (the same value as the worker) to run the codec server.');
  const { tokenHashes, namespaces, corsOrigins, encode } = config.codecServer;
  if (tokenHashes.length === 0) {
    if (config.environment !== 'local') {
      throw new Error(
        'CODEC_SERVER_TOKENS: required with ONBOARDING_ENV=production (SHA-256 hex of each bearer token, comma-separated)',
      );
    }
    say('CODEC_SERVER_TOKENS is empty: the codec server decrypts for ANY caller (ONBOARDING_ENV=local only)');
  }
  return { keys, tokenHashes, namespaces, corsOrigins, encode };
}
