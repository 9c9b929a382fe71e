// The codec server over real HTTP: a bearer token (held as its SHA-256), an allowed namespace, CORS
// for configured origins only, /encode only when enabled, refusals as JSON.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadConfig } from '../../src/config';
import { hashApiKey } from '../../src/service/auth';
import { codecServerOptionsFrom, createCodecServer } from '../../src/temporal/codec-server';
import { EncryptionCodec, parseEncryptionKeys } from '../../src/temporal/encryption-codec';

const keysText = `k1:${randomBytes(32).toString('base64')}`;
const keys = parseEncryptionKeys(keysText);
const token = randomBytes(24).toString('base64url');
const UI = 'https://ui.example.com';

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function serve(
  encode: boolean,
  tokenHashes = [hashApiKey(token)],
  namespaces = ['onboarding'],
): Promise<string> {
  const server = createCodecServer({
    keys,
    tokenHashes,
    namespaces,
    corsOrigins: [UI],
    encode,
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const asJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

async function encrypted(): Promise<ReturnType<typeof asJson>> {
  const [payload] = await new EncryptionCodec(keys).encode([
    defaultPayloadConverter.toPayload({ secret: 'Acme' }),
  ]);
  return asJson(payload!);
}

const post = (url: string, headers: Record<string, string>, body: unknown = { payloads: [] }) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const good = { Authorization: `Bearer ${token}`, 'X-Namespace': 'onboarding' };

test('401 without a token or with a wrong one, as JSON with a challenge', async () => {
  const url = await serve(false);
  const missing = await post(`${url}/decode`, { 'X-Namespace': 'onboarding' });
  expect(missing.status).toBe(401);
  expect(missing.headers.get('content-type')).toBe('application/json');
  expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
  expect(await missing.json()).toEqual({ error: expect.stringMatching(/Bearer <token> is required/) });
  const wrong = await post(`${url}/decode`, { ...good, Authorization: 'Bearer not-the-token' });
  expect(wrong.status).toBe(401);
  expect(await wrong.json()).toEqual({ error: 'the token is not valid' });
});

test('403 for a namespace it does not serve', async () => {
  const url = await serve(false);
  const other = await post(`${url}/decode`, { ...good, 'X-Namespace': 'payments' });
  expect(other.status).toBe(403);
  expect(await other.json()).toEqual({ error: expect.stringMatching(/X-Namespace/) });
});

// The Temporal CLI without --namespace (and no TEMPORAL_NAMESPACE or profile) sends `X-Namespace: `
// (empty), `Content-Type: application/json` and its --codec-auth as Authorization (temporalcli/client.go,
// payloadCodecInterceptor; the Go SDK's remote payload codec).
const cliHeaders = { Authorization: good.Authorization, 'X-Namespace': '' };

test("an empty or missing X-Namespace is the only namespace served: the CLI's request decodes", async () => {
  const url = await serve(false);
  for (const headers of [cliHeaders, { Authorization: good.Authorization }]) {
    const res = await post(`${url}/decode`, headers, { payloads: [await encrypted()] });
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: { data: string }[] };
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ secret: 'Acme' });
  }
  // The token is still what grants access.
  const anonymous = await post(`${url}/decode`, { 'X-Namespace': '' }, { payloads: [await encrypted()] });
  expect(anonymous.status).toBe(401);
});

test('an empty or missing X-Namespace is refused when several namespaces are served', async () => {
  const url = await serve(false, [hashApiKey(token)], ['onboarding', 'payments']);
  for (const headers of [cliHeaders, { Authorization: good.Authorization }]) {
    const res = await post(`${url}/decode`, headers);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/serves several: .*--namespace/) });
  }
  expect((await post(`${url}/decode`, { ...good, 'X-Namespace': 'payments' })).status).toBe(200);
});

test('200 decode with a token; /encode is 404 unless enabled', async () => {
  const url = await serve(false);
  const res = await post(`${url}/decode`, good, { payloads: [await encrypted()] });
  expect(res.status).toBe(200);
  const { payloads } = (await res.json()) as { payloads: { data: string }[] };
  expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ secret: 'Acme' });
  const encode = await post(`${url}/encode`, good);
  expect(encode.status).toBe(404);
  expect(await encode.json()).toEqual({ error: 'POST /decode' });

  const withEncode = await serve(true);
  const enc = await post(`${withEncode}/encode`, good, {
    payloads: [asJson(defaultPayloadConverter.toPayload('x'))],
  });
  expect(enc.status).toBe(200);
  const out = (await enc.json()) as { payloads: { metadata: Record<string, string> }[] };
  expect(Buffer.from(out.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
});

test('GET /healthz answers without a token, for health checks; nothing else does', async () => {
  const url = await serve(false);
  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  expect((await fetch(`${url}/decode`)).status).toBe(401);
  expect((await fetch(`${url}/healthz?x=1`)).status).toBe(401);
});

test('CORS answers only the configured origins; preflights need no token', async () => {
  const url = await serve(false);
  const preflight = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { Origin: UI } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  const stranger = await fetch(`${url}/decode`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example' },
  });
  expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  const refused = await post(`${url}/decode`, { Origin: UI });
  expect(refused.headers.get('access-control-allow-origin')).toBe(UI); // so the UI can read the 401
});

test('without tokens: open with ONBOARDING_ENV=local (and said so), refused in production on any address', () => {
  const said: string[] = [];
  const local = codecServerOptionsFrom(
    loadConfig({ ONBOARDING_ENV: 'local', PAYLOAD_ENCRYPTION_KEYS: keysText }),
    (l) => said.push(l),
  );
  expect(local).toMatchObject({ tokenHashes: [], namespaces: ['default'], encode: false });
  expect(said).toEqual([expect.stringMatching(/CODEC_SERVER_TOKENS is empty: .*ANY caller/)]);
  // Production with everything else set, on loopback addresses (a sidecar in front of Temporal).
  const production = loadConfig({
    ONBOARDING_ENV: 'production',
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    CIRCLE_API_KEY: 'TEST_API_KEY:partner:secret',
    CLIVE_API_KEY: 'cp_live_x',
    CLIVE_HMAC_SECRET: 'a-real-secret',
    ONBOARDING_ID_KEY: 'a-shared-secret-of-the-partner',
    DOCUMENT_URLS: 'off',
    PAYLOAD_ENCRYPTION_KEYS: keysText,
  });
  expect(() => codecServerOptionsFrom(production, () => undefined)).toThrow(
    /CODEC_SERVER_TOKENS: required with ONBOARDING_ENV=production/,
  );
  expect(() => codecServerOptionsFrom(loadConfig({ ONBOARDING_ENV: 'local' }), () => undefined)).toThrow(
    /Set PAYLOAD_ENCRYPTION_KEYS/,
  );
});
