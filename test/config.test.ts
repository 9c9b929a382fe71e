// Worker and CLI configuration from the environment: local defaults, and errors that name the variable.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { clientConnectionOptions, nativeConnectionOptions } from '../src/temporal/connection';
import { heapLimitAdvice } from '../src/temporal/memory-budget';

/** What a deployment against Circle's sandbox must set besides the URL (secure-by-default rules). */
const SANDBOX = {
  CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com',
  CIRCLE_API_KEY: 'TEST_API_KEY:partner:secret',
  ONBOARDING_ID_KEY: 'a-shared-secret-of-the-partner',
  PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

test('configuration defaults run the local stack, and bad values are named', () => {
  expect(loadConfig({})).toMatchObject({
    temporal: { address: 'localhost:7233', namespace: 'default' },
    circle: { baseUrl: 'http://127.0.0.1:4010', apiKey: 'TEST_API_KEY:local:simulator' },
    clive: { baseUrl: 'http://127.0.0.1:4010/api/v1' },
  });
  expect(() => loadConfig({ CIRCLE_API_BASE_URL: 'not a url', CIRCLE_HTTP_TIMEOUT_MS: '-1' })).toThrow(
    /CIRCLE_API_BASE_URL[\s\S]*CIRCLE_HTTP_TIMEOUT_MS/,
  );
});

test('polls faster than a second are allowed only against a local simulator', () => {
  expect(loadConfig({}).onboarding.minPollIntervalMs).toBe(1000);
  expect(loadConfig({ ONBOARDING_MIN_POLL_INTERVAL_MS: '10' }).onboarding.minPollIntervalMs).toBe(10);
  expect(() =>
    loadConfig({
      ONBOARDING_MIN_POLL_INTERVAL_MS: '10',
      CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com',
    }),
  ).toThrow(
    /ONBOARDING_MIN_POLL_INTERVAL_MS: may be below 1000 only while CIRCLE_API_BASE_URL is a local simulator/,
  );
});

test('the default workflow-id key is refused outside local runs', () => {
  expect(() => loadConfig({ CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com' })).toThrow(
    /ONBOARDING_ID_KEY: must be set to a secret/,
  );
  const config = loadConfig(SANDBOX);
  expect(config.onboarding.idKey).toBe('a-shared-secret-of-the-partner');
});

test("the simulator's signing certificate is trusted only while Circle is the local simulator", () => {
  const local = loadConfig({ CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: 'http://127.0.0.1:4010' });
  expect(local.notifications.trustedCertOrigins).toEqual(['http://127.0.0.1:4010']);
  expect(() =>
    loadConfig({ ...SANDBOX, CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: 'http://127.0.0.1:4010' }),
  ).toThrow(
    /CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: may be set only while CIRCLE_API_BASE_URL is a local simulator/,
  );
});

test('service API keys are hashes with a scope; a bad entry is named, and none means no access', () => {
  expect(loadConfig({}).service.apiKeys).toEqual([]);
  const hash = 'a'.repeat(64);
  expect(loadConfig({ SERVICE_API_KEYS: `backoffice:${hash}:write` }).service.apiKeys).toEqual([
    { name: 'backoffice', sha256: hash, scope: 'write' },
  ]);
  expect(() => loadConfig({ SERVICE_API_KEYS: `backoffice:${hash}:admin` })).toThrow(
    /entry 1 \("backoffice"\): the scope must be "read" or "write"/,
  );
});

test("rate limits: each partner's task queue across workers, and each worker's own pace", () => {
  expect(loadConfig({})).toMatchObject({
    taskQueueActivitiesPerSecond: {},
    circle: { pace: { requestsPerSecond: undefined, burst: undefined } },
  });
  expect(
    loadConfig({
      CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND: '8',
      CLIVE_TASK_QUEUE_ACTIVITIES_PER_SECOND: '0.5',
      CIRCLE_REQUESTS_PER_SECOND: '4',
      CIRCLE_REQUEST_BURST: '10',
    }),
  ).toMatchObject({
    taskQueueActivitiesPerSecond: { circle: 8, clive: 0.5 },
    circle: { pace: { requestsPerSecond: 4, burst: 10 } },
    clive: { pace: {} },
  });
  // 0 would read as "no limit" to the limiter: refused, like any non-positive value.
  expect(() =>
    loadConfig({ CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND: '0', CLIVE_REQUESTS_PER_SECOND: '-2' }),
  ).toThrow(/CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND[\s\S]*CLIVE_REQUESTS_PER_SECOND/);
  expect(() => loadConfig({ CIRCLE_REQUEST_BURST: '1.5' })).toThrow(/CIRCLE_REQUEST_BURST/);
});

test('a memory budget sizes the workflow cache; a budget too small, or two ways at once, is refused', () => {
  expect(loadConfig({}).worker.maxCachedWorkflows).toBeUndefined(); // the SDK's default, from the heap limit
  // (512 - 256 MiB for the worker itself) / 0.75 MiB per cached onboarding
  expect(loadConfig({ WORKER_MEMORY_BUDGET_MB: '512' }).worker.maxCachedWorkflows).toBe(341);
  expect(loadConfig({ WORKER_MEMORY_BUDGET_MB: '2048' }).worker.maxCachedWorkflows).toBe(2389);
  expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '40' }).worker.maxCachedWorkflows).toBe(40);
  expect(() => loadConfig({ WORKER_MEMORY_BUDGET_MB: '200' })).toThrow(
    /WORKER_MEMORY_BUDGET_MB: must be at least 320 \(MiB\)/,
  );
  expect(() => loadConfig({ WORKER_MEMORY_BUDGET_MB: '512', WORKER_MAX_CACHED_WORKFLOWS: '40' })).toThrow(
    /WORKER_MAX_CACHED_WORKFLOWS and WORKER_MEMORY_BUDGET_MB both size the workflow cache: set one of them/,
  );
  // Node's default heap is sized from the machine: the worker says which limit fits the budget.
  expect(heapLimitAdvice(512, 4144)).toMatch(/NODE_OPTIONS=--max-old-space-size=204 /);
  expect(heapLimitAdvice(512, 204)).toBeUndefined();
});

describe('Temporal connection (envconfig variables and TOML profile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-tls-'));
  const file = (name: string, text = `-----BEGIN CERTIFICATE-----\n${name}\n`) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('local defaults: plaintext to localhost:7233, namespace default', () => {
    const { temporal, local } = loadConfig({});
    expect(local).toBe(true);
    expect(temporal).toMatchObject({ address: 'localhost:7233', namespace: 'default' });
    expect(clientConnectionOptions(temporal.connection)).toEqual({
      address: 'localhost:7233',
      tls: undefined,
      apiKey: undefined,
      metadata: undefined,
    });
  });

  test('an API key turns TLS on; certificates are read at start-up for both connection kinds', () => {
    const ca = file('ca.pem');
    const { temporal } = loadConfig({
      ...SANDBOX,
      TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'acme.a1b2c',
      TEMPORAL_API_KEY: 'cloud-key',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
      TEMPORAL_TLS_SERVER_NAME: 'acme.a1b2c.tmprl.cloud',
    });
    expect(temporal).toMatchObject({ address: 'acme.a1b2c.tmprl.cloud:7233', namespace: 'acme.a1b2c' });
    const native = nativeConnectionOptions(temporal.connection);
    expect(native).toMatchObject({
      apiKey: 'cloud-key',
      tls: { serverNameOverride: 'acme.a1b2c.tmprl.cloud' },
    });
    const tls = native.tls as { serverRootCACertificate: Uint8Array };
    expect(Buffer.from(tls.serverRootCACertificate).toString()).toContain('ca.pem');
    expect(loadConfig({ TEMPORAL_API_KEY: 'k' }).temporal.connection.tls).toEqual({});
  });

  test('a TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE), overridden by the variables', () => {
    const cert = file('client.pem');
    const key = file('client.key', 'key');
    const toml = file(
      'temporal.toml',
      `[profile.prod]\naddress = "temporal.internal:7233"\nnamespace = "onboarding"\n` +
        `[profile.prod.tls]\nclient_cert_path = "${cert}"\nclient_key_path = "${key}"\n`,
    );
    const env = { ...SANDBOX, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' };
    const { temporal } = loadConfig(env);
    expect(temporal).toMatchObject({ address: 'temporal.internal:7233', namespace: 'onboarding' });
    expect(temporal.connection.tls?.clientCertPair).toBeDefined();
    expect(loadConfig({ ...env, TEMPORAL_NAMESPACE: 'other' }).temporal.namespace).toBe('other');
    expect(() => loadConfig({ ...env, TEMPORAL_PROFILE: 'staging' })).toThrow(
      /TEMPORAL_PROFILE: Profile 'staging' not found/,
    );
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: join(dir, 'missing.toml') })).toThrow(
      /TEMPORAL_CONFIG_FILE: .*missing\.toml does not exist/,
    );
  });

  test('incomplete or contradictory TLS is refused, naming the variable', () => {
    const cert = file('only-cert.pem');
    expect(() => loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert })).toThrow(
      /TEMPORAL_TLS_CLIENT_KEY_PATH: required with TEMPORAL_TLS_CLIENT_CERT_PATH/,
    );
    expect(() => loadConfig({ TEMPORAL_TLS_CLIENT_KEY_DATA: 'key' })).toThrow(
      /TEMPORAL_TLS_CLIENT_CERT_PATH: required with TEMPORAL_TLS_CLIENT_KEY_DATA/,
    );
    expect(() => loadConfig({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'nope.pem') })).toThrow(
      /TEMPORAL_TLS_SERVER_CA_CERT_PATH: .*nope\.pem does not exist/,
    );
    expect(() => loadConfig({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'x' })).toThrow(
      /TEMPORAL_TLS: disables TLS, but TLS certificates or a server name are configured/,
    );
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'http://temporal' })).toThrow(
      /TEMPORAL_ADDRESS: must be host:port/,
    );
  });

  test('an API key never goes in plaintext to a remote address (a loopback proxy is fine)', () => {
    expect(() =>
      loadConfig({
        ...SANDBOX,
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_API_KEY: 'k',
        TEMPORAL_TLS: 'false',
      }),
    ).toThrow(
      /TEMPORAL_API_KEY: needs TLS towards temporal.internal:7233 \(not loopback\), but TEMPORAL_TLS disables it/,
    );
    const local = loadConfig({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_API_KEY: 'k',
      TEMPORAL_TLS: 'false',
    });
    expect(local.temporal.connection).toMatchObject({ apiKey: 'k', tls: undefined });
  });
});

describe('secure by default outside local mode', () => {
  test('payloads must be encrypted unless ALLOW_UNENCRYPTED_PAYLOADS=true, which is said loudly', () => {
    const remote = { ...SANDBOX, PAYLOAD_ENCRYPTION_KEYS: undefined };
    expect(() => loadConfig(remote)).toThrow(
      /PAYLOAD_ENCRYPTION_KEYS: required unless Temporal \(localhost:7233\) and CIRCLE_API_BASE_URL are both loopback/,
    );
    const remoteTemporal = { TEMPORAL_ADDRESS: 'temporal.internal:7233' };
    expect(() => loadConfig(remoteTemporal)).toThrow(/PAYLOAD_ENCRYPTION_KEYS: required/);
    const warnings: string[] = [];
    const config = loadConfig(
      { ...remote, ALLOW_UNENCRYPTED_PAYLOADS: 'true', DOCUMENT_URL_HOSTS: 'docs.example.com' },
      { warn: (l) => warnings.push(l) },
    );
    expect(config.temporal.encryption).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/ALLOW_UNENCRYPTED_PAYLOADS=true: .*PLAINTEXT/)]);
    // Local mode needs neither, and says nothing.
    loadConfig({}, { warn: (l) => warnings.push(l) });
    expect(warnings).toHaveLength(1);
  });

  test('document URLs need DOCUMENT_URL_HOSTS outside local mode: said at start-up, refused per document', () => {
    const warnings: string[] = [];
    const remote = loadConfig(SANDBOX, { warn: (l) => warnings.push(l) });
    expect(remote.documents.urls).toEqual({ enabled: true });
    expect(warnings).toEqual([expect.stringMatching(/^DOCUMENT_URL_HOSTS is not set: .*refused/)]);
    expect(loadConfig({ ...SANDBOX, DOCUMENT_URLS: 'off' }, { warn: (l) => warnings.push(l) })).toBeTruthy();
    expect(
      loadConfig({ ...SANDBOX, DOCUMENT_URL_HOSTS: 'docs.example.com' }, { warn: (l) => warnings.push(l) })
        .documents.urls,
    ).toEqual({ enabled: true, allowedHosts: ['docs.example.com'] });
    expect(warnings).toHaveLength(1);
    expect(() => loadConfig({ ...SANDBOX, DOCUMENT_URLS_ALLOW_LOOPBACK: 'true' })).toThrow(
      /DOCUMENT_URLS_ALLOW_LOOPBACK: may be true only in local mode/,
    );
    // Local mode: any host (public addresses only), loopback on request.
    expect(loadConfig({}).documents.urls).toEqual({ enabled: true, anyHost: true });
    expect(loadConfig({ DOCUMENT_URLS_ALLOW_LOOPBACK: 'true' }).documents.urls).toEqual({
      enabled: true,
      anyHost: true,
      allowLoopback: true,
    });
  });

  test('notifications: one topic, the sandbox one by default only in local mode; a per-IP limit', () => {
    expect(loadConfig({}).notifications).toMatchObject({
      topicArn: 'arn:aws:sns:us-east-1:908968368384:sandbox_platform-notifications-topic',
      rateLimitPerMinute: 120,
    });
    const remote = { ...SANDBOX, DOCUMENT_URLS: 'off' };
    expect(loadConfig(remote).notifications.topicArn).toBeUndefined();
    const prod = 'arn:aws:sns:us-west-2:908968368384:prod_platform-notifications-topic';
    expect(
      loadConfig({
        ...remote,
        CIRCLE_NOTIFICATIONS_TOPIC_ARN: prod,
        CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE: '30',
      }).notifications,
    ).toMatchObject({ topicArn: prod, rateLimitPerMinute: 30 });
    expect(() => loadConfig({ CIRCLE_NOTIFICATIONS_TOPIC_ARN: 'prod_platform-notifications-topic' })).toThrow(
      /CIRCLE_NOTIFICATIONS_TOPIC_ARN: must be an SNS topic ARN/,
    );
    expect(() => loadConfig({ CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(
      /CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE/,
    );
  });

  test("the simulator's secrets are refused against non-local Circle and Clive, each on its own", () => {
    expect(() => loadConfig({ ...SANDBOX, CIRCLE_API_KEY: undefined })).toThrow(
      /CIRCLE_API_KEY: must be set \(the default is the local simulator's, and CIRCLE_API_BASE_URL is not loopback\)/,
    );
    const clive = { CLIVE_API_BASE_URL: 'https://clive.example.com/api/v1' };
    const refused = () => loadConfig(clive);
    expect(refused).toThrow(/CLIVE_API_KEY: must be set[\s\S]*CLIVE_HMAC_SECRET: must be set/);
    expect(refused).not.toThrow(/CIRCLE_API_KEY/);
    const ok = loadConfig({ ...clive, CLIVE_API_KEY: 'cp_live_x', CLIVE_HMAC_SECRET: 'a-real-secret' });
    expect(ok.clive.apiKey).toBe('cp_live_x');
  });

  test('codec server settings: token hashes, namespaces (default the configured one), origins, encode', () => {
    expect(loadConfig({ TEMPORAL_NAMESPACE: 'onboarding' }).codecServer).toEqual({
      host: '127.0.0.1',
      port: 8888,
      corsOrigins: ['http://localhost:8233'],
      tokenHashes: [],
      namespaces: ['onboarding'],
      encode: false,
    });
    const hash = 'A'.repeat(64);
    expect(
      loadConfig({
        CODEC_SERVER_TOKENS: `${hash}, ${'b'.repeat(64)}`,
        CODEC_SERVER_NAMESPACES: 'a,b',
        CODEC_CORS_ORIGIN: 'https://cloud.temporal.io, http://localhost:8233',
        CODEC_SERVER_ENCODE: 'true',
      }).codecServer,
    ).toMatchObject({
      tokenHashes: ['a'.repeat(64), 'b'.repeat(64)],
      namespaces: ['a', 'b'],
      corsOrigins: ['https://cloud.temporal.io', 'http://localhost:8233'],
      encode: true,
    });
    expect(() => loadConfig({ CODEC_SERVER_TOKENS: 'plain-token' })).toThrow(
      /CODEC_SERVER_TOKENS: each entry must be 64 hex digits/,
    );
  });
});
