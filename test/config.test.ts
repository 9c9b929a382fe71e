// Worker and CLI configuration from the environment: local defaults, and errors that name the variable.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { clientConnectionOptions, nativeConnectionOptions } from '../src/temporal/connection';
import { heapLimitAdvice } from '../src/temporal/memory-budget';
import { deploymentOptions } from '../src/worker';

/** The local environment, as every test of the local stack's defaults runs. */
const LOCAL = { ONBOARDING_ENV: 'local' };

/** What a local run against Circle's sandbox must set besides the URL (its defaults are refused). */
const SANDBOX = {
  ...LOCAL,
  CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com',
  CIRCLE_API_KEY: 'TEST_API_KEY:partner:secret',
  ONBOARDING_ID_KEY: 'a-shared-secret-of-the-partner',
  PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

test('configuration defaults run the local stack, and bad values are named', () => {
  expect(loadConfig(LOCAL)).toMatchObject({
    temporal: { address: 'localhost:7233', namespace: 'default' },
    circle: { baseUrl: 'http://127.0.0.1:4010', apiKey: 'TEST_API_KEY:local:simulator' },
    clive: { baseUrl: 'http://127.0.0.1:4010/api/v1' },
  });
  expect(() =>
    loadConfig({ ...LOCAL, CIRCLE_API_BASE_URL: 'not a url', CIRCLE_HTTP_TIMEOUT_MS: '-1' }),
  ).toThrow(/CIRCLE_API_BASE_URL[\s\S]*CIRCLE_HTTP_TIMEOUT_MS/);
});

test('polls faster than a second are allowed only against a local simulator', () => {
  expect(loadConfig(LOCAL).onboarding.minPollIntervalMs).toBe(1000);
  expect(loadConfig({ ...LOCAL, ONBOARDING_MIN_POLL_INTERVAL_MS: '10' }).onboarding.minPollIntervalMs).toBe(
    10,
  );
  expect(() =>
    loadConfig({
      ...LOCAL,
      ONBOARDING_MIN_POLL_INTERVAL_MS: '10',
      CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com',
    }),
  ).toThrow(
    /ONBOARDING_MIN_POLL_INTERVAL_MS: may be below 1000 only with ONBOARDING_ENV=local while CIRCLE_API_BASE_URL is a local simulator/,
  );
});

test('the default workflow-id key is refused outside local runs', () => {
  expect(() => loadConfig({ ...LOCAL, CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com' })).toThrow(
    /ONBOARDING_ID_KEY: must be set to a secret/,
  );
  const config = loadConfig(SANDBOX);
  expect(config.onboarding.idKey).toBe('a-shared-secret-of-the-partner');
});

test("the simulator's signing certificate is trusted only while Circle is the local simulator", () => {
  const local = loadConfig({ ...LOCAL, CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: 'http://127.0.0.1:4010' });
  expect(local.notifications.trustedCertOrigins).toEqual(['http://127.0.0.1:4010']);
  expect(() =>
    loadConfig({ ...SANDBOX, CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: 'http://127.0.0.1:4010' }),
  ).toThrow(
    /CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: may be set only with ONBOARDING_ENV=local while CIRCLE_API_BASE_URL is a local simulator/,
  );
});

test('service API keys are hashes with a scope; a bad entry is named, and none means no access', () => {
  expect(loadConfig(LOCAL).service.apiKeys).toEqual([]);
  const hash = 'a'.repeat(64);
  expect(loadConfig({ ...LOCAL, SERVICE_API_KEYS: `backoffice:${hash}:write` }).service.apiKeys).toEqual([
    { name: 'backoffice', sha256: hash, scope: 'write' },
  ]);
  expect(() => loadConfig({ ...LOCAL, SERVICE_API_KEYS: `backoffice:${hash}:admin` })).toThrow(
    /entry 1 \("backoffice"\): the scope must be "read" or "write"/,
  );
});

test("rate limits: each partner's task queue across workers, and each worker's own pace", () => {
  expect(loadConfig(LOCAL)).toMatchObject({
    taskQueueActivitiesPerSecond: {},
    circle: { pace: { requestsPerSecond: undefined, burst: undefined } },
  });
  expect(
    loadConfig({
      ...LOCAL,
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
    loadConfig({ ...LOCAL, CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND: '0', CLIVE_REQUESTS_PER_SECOND: '-2' }),
  ).toThrow(/CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND[\s\S]*CLIVE_REQUESTS_PER_SECOND/);
  expect(() => loadConfig({ ...LOCAL, CIRCLE_REQUEST_BURST: '1.5' })).toThrow(/CIRCLE_REQUEST_BURST/);
});

test('local Circle calls are off unless WORKER_LOCAL_CIRCLE_CALLS is true; another value is refused by name', () => {
  expect(loadConfig(LOCAL).localCircleCalls).toBe(false);
  expect(loadConfig({ ...LOCAL, WORKER_LOCAL_CIRCLE_CALLS: 'true' }).localCircleCalls).toBe(true);
  expect(loadConfig({ ...LOCAL, WORKER_LOCAL_CIRCLE_CALLS: 'false' }).localCircleCalls).toBe(false);
  expect(() => loadConfig({ ...LOCAL, WORKER_LOCAL_CIRCLE_CALLS: 'yes' })).toThrow(
    /WORKER_LOCAL_CIRCLE_CALLS/,
  );
});

test('a memory budget sizes the workflow cache; a budget too small, or two ways at once, is refused', () => {
  expect(loadConfig(LOCAL).worker.maxCachedWorkflows).toBeUndefined(); // the SDK's default, from the heap limit
  // (512 - 256 MiB for the worker itself) / 0.75 MiB per cached onboarding
  expect(loadConfig({ ...LOCAL, WORKER_MEMORY_BUDGET_MB: '512' }).worker.maxCachedWorkflows).toBe(341);
  expect(loadConfig({ ...LOCAL, WORKER_MEMORY_BUDGET_MB: '2048' }).worker.maxCachedWorkflows).toBe(2389);
  expect(loadConfig({ ...LOCAL, WORKER_MAX_CACHED_WORKFLOWS: '40' }).worker.maxCachedWorkflows).toBe(40);
  expect(() => loadConfig({ ...LOCAL, WORKER_MEMORY_BUDGET_MB: '200' })).toThrow(
    /WORKER_MEMORY_BUDGET_MB: must be at least 320 \(MiB\)/,
  );
  expect(() =>
    loadConfig({ ...LOCAL, WORKER_MEMORY_BUDGET_MB: '512', WORKER_MAX_CACHED_WORKFLOWS: '40' }),
  ).toThrow(
    /WORKER_MAX_CACHED_WORKFLOWS and WORKER_MEMORY_BUDGET_MB both size the workflow cache: set one of them/,
  );
  // Node's default heap is sized from the machine: the worker says which limit fits the budget.
  expect(heapLimitAdvice(512, 4144)).toMatch(/NODE_OPTIONS=--max-old-space-size=204 /);
  expect(heapLimitAdvice(512, 204)).toBeUndefined();
});

test('worker versioning: a deployment name and build id together, or an unversioned worker', () => {
  expect(loadConfig(LOCAL).deployment).toBeUndefined();
  const env = { ...LOCAL, WORKER_DEPLOYMENT_NAME: 'circle-onboarding', WORKER_BUILD_ID: '3f2c1ab' };
  expect(loadConfig(env).deployment).toEqual({ name: 'circle-onboarding', buildId: '3f2c1ab' });
  expect(deploymentOptions(loadConfig(env).deployment!)).toEqual({
    version: { deploymentName: 'circle-onboarding', buildId: '3f2c1ab' },
    useWorkerVersioning: true,
    defaultVersioningBehavior: 'PINNED',
  });
  expect(() => loadConfig({ ...LOCAL, WORKER_BUILD_ID: '3f2c1ab' })).toThrow(/WORKER_BUILD_ID[\s\S]*both/);
  expect(() => loadConfig({ ...LOCAL, WORKER_DEPLOYMENT_NAME: 'circle-onboarding' })).toThrow(
    /WORKER_BUILD_ID[\s\S]*both/,
  );
  // Temporal refuses '.' and ':' in a deployment name (its version strings use them).
  expect(() => loadConfig({ ...env, WORKER_DEPLOYMENT_NAME: 'circle.onboarding' })).toThrow(
    /WORKER_DEPLOYMENT_NAME/,
  );
});

describe('Temporal connection (envconfig variables and TOML profile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-tls-'));
  const file = (name: string, text = `-----BEGIN CERTIFICATE-----\n${name}\n`) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('local defaults: plaintext to localhost:7233, namespace default', () => {
    const { temporal, environment } = loadConfig(LOCAL);
    expect(environment).toBe('local');
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
    expect(loadConfig({ ...LOCAL, TEMPORAL_API_KEY: 'k' }).temporal.connection.tls).toEqual({});
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
    expect(() => loadConfig({ ...LOCAL, TEMPORAL_CONFIG_FILE: join(dir, 'missing.toml') })).toThrow(
      /TEMPORAL_CONFIG_FILE: .*missing\.toml does not exist/,
    );
  });

  test('incomplete or contradictory TLS is refused, naming the variable', () => {
    const cert = file('only-cert.pem');
    expect(() => loadConfig({ ...LOCAL, TEMPORAL_TLS_CLIENT_CERT_PATH: cert })).toThrow(
      /TEMPORAL_TLS_CLIENT_KEY_PATH: required with TEMPORAL_TLS_CLIENT_CERT_PATH/,
    );
    expect(() => loadConfig({ ...LOCAL, TEMPORAL_TLS_CLIENT_KEY_DATA: 'key' })).toThrow(
      /TEMPORAL_TLS_CLIENT_CERT_PATH: required with TEMPORAL_TLS_CLIENT_KEY_DATA/,
    );
    expect(() => loadConfig({ ...LOCAL, TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'nope.pem') })).toThrow(
      /TEMPORAL_TLS_SERVER_CA_CERT_PATH: .*nope\.pem does not exist/,
    );
    expect(() => loadConfig({ ...LOCAL, TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'x' })).toThrow(
      /TEMPORAL_TLS: disables TLS, but TLS certificates or a server name are configured/,
    );
    expect(() => loadConfig({ ...LOCAL, TEMPORAL_ADDRESS: 'http://temporal' })).toThrow(
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
      ...LOCAL,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_API_KEY: 'k',
      TEMPORAL_TLS: 'false',
    });
    expect(local.temporal.connection).toMatchObject({ apiKey: 'k', tls: undefined });
  });
});

describe('ONBOARDING_ENV: required, and production refuses the local conveniences whatever the addresses', () => {
  /** Everything production needs, on loopback addresses (a sidecar in front of Temporal and Circle). */
  const PRODUCTION = {
    ONBOARDING_ENV: 'production',
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    CIRCLE_API_BASE_URL: 'http://127.0.0.1:4010',
    CLIVE_API_BASE_URL: 'http://localhost:4010/api/v1',
    CIRCLE_API_KEY: 'TEST_API_KEY:partner:secret',
    CLIVE_API_KEY: 'cp_live_x',
    CLIVE_HMAC_SECRET: 'a-real-secret',
    ONBOARDING_ID_KEY: 'a-shared-secret-of-the-partner',
    PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    DOCUMENT_URL_HOSTS: 'files.example.com',
  };
  const allowed = /"local" \(the dev stack[^)]*\) or "production"/;

  test('missing or misspelt: refused, naming the variable and the values it takes', () => {
    expect(() => loadConfig({})).toThrow(/ONBOARDING_ENV: required: set it to "local" .* or "production"/);
    expect(() => loadConfig({})).toThrow(allowed);
    expect(() => loadConfig({ ONBOARDING_ENV: '' })).toThrow(/ONBOARDING_ENV: required/);
    expect(() => loadConfig({ ...PRODUCTION, ONBOARDING_ENV: 'prod' })).toThrow(
      /ONBOARDING_ENV: must be "local" .* or "production" .*, got "prod"/,
    );
    expect(() => loadConfig({ ...PRODUCTION, ONBOARDING_ENV: 'Production' })).toThrow(/got "Production"/);
    expect(loadConfig(PRODUCTION).environment).toBe('production');
  });

  test.each([
    [
      'CIRCLE_API_KEY',
      /CIRCLE_API_KEY: must be set \(the default is the local simulator's, refused with ONBOARDING_ENV=production\)/,
    ],
    ['CLIVE_API_KEY', /CLIVE_API_KEY: must be set .*refused with ONBOARDING_ENV=production/],
    ['CLIVE_HMAC_SECRET', /CLIVE_HMAC_SECRET: must be set .*refused with ONBOARDING_ENV=production/],
    ['ONBOARDING_ID_KEY', /ONBOARDING_ID_KEY: must be set to a secret .*only with ONBOARDING_ENV=local/],
    ['PAYLOAD_ENCRYPTION_KEYS', /PAYLOAD_ENCRYPTION_KEYS: required with ONBOARDING_ENV=production/],
    [
      'DOCUMENT_URL_HOSTS',
      /DOCUMENT_URL_HOSTS: required with ONBOARDING_ENV=production while document URL sources are on/,
    ],
  ])('production on loopback addresses refuses the default of %s', (name, refusal) => {
    const { [name as keyof typeof PRODUCTION]: _dropped, ...rest } = PRODUCTION;
    expect(() => loadConfig(rest)).toThrow(refusal);
    // The same settings are the local defaults: local takes them.
    expect(loadConfig({ ...rest, ONBOARDING_ENV: 'local' }).environment).toBe('local');
  });

  test("production refuses fast polls and the simulator's signing certificate, even against a loopback Circle", () => {
    expect(() => loadConfig({ ...PRODUCTION, ONBOARDING_MIN_POLL_INTERVAL_MS: '10' })).toThrow(
      /ONBOARDING_MIN_POLL_INTERVAL_MS: may be below 1000 only with ONBOARDING_ENV=local/,
    );
    expect(() =>
      loadConfig({ ...PRODUCTION, CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: 'http://127.0.0.1:4010' }),
    ).toThrow(/CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: may be set only with ONBOARDING_ENV=local/);
    const local = { ...PRODUCTION, ONBOARDING_ENV: 'local' };
    expect(loadConfig({ ...local, ONBOARDING_MIN_POLL_INTERVAL_MS: '10' }).onboarding.minPollIntervalMs).toBe(
      10,
    );
  });

  test('production takes document URLs from listed hosts only, or none', () => {
    const { DOCUMENT_URL_HOSTS: _hosts, ...open } = PRODUCTION;
    expect(() => loadConfig({ ...open, DOCUMENT_URLS: 'on' })).toThrow(/DOCUMENT_URL_HOSTS: required/);
    expect(() => loadConfig({ ...open, DOCUMENT_URL_HOSTS: ' , ' })).toThrow(/DOCUMENT_URL_HOSTS: required/);
    expect(loadConfig({ ...open, DOCUMENT_URLS: 'off' }).documents.urls).toEqual({ enabled: false });
    expect(loadConfig(PRODUCTION).documents.urls).toEqual({
      enabled: true,
      allowedHosts: ['files.example.com'],
    });
  });

  test('every refusal of production is reported at once', () => {
    const message = (() => {
      try {
        loadConfig({ ONBOARDING_ENV: 'production' });
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    for (const name of [
      'ONBOARDING_ID_KEY',
      'PAYLOAD_ENCRYPTION_KEYS',
      'CIRCLE_API_KEY',
      'CLIVE_API_KEY',
      'CLIVE_HMAC_SECRET',
      'DOCUMENT_URL_HOSTS',
    ]) {
      expect(message).toContain(`  ${name}: `);
    }
  });

  test('unencrypted payloads in production only with ALLOW_UNENCRYPTED_PAYLOADS=true, said loudly', () => {
    const plaintext = { ...PRODUCTION, PAYLOAD_ENCRYPTION_KEYS: undefined };
    const warnings: string[] = [];
    const config = loadConfig(
      { ...plaintext, ALLOW_UNENCRYPTED_PAYLOADS: 'true' },
      { warn: (l) => warnings.push(l) },
    );
    expect(config.temporal.encryption).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/ALLOW_UNENCRYPTED_PAYLOADS=true: .*PLAINTEXT/)]);
    // Local needs neither, and says nothing, whatever Temporal's address.
    loadConfig(LOCAL, { warn: (l) => warnings.push(l) });
    loadConfig({ ...LOCAL, TEMPORAL_ADDRESS: 'temporal.internal:7233' }, { warn: (l) => warnings.push(l) });
    expect(warnings).toHaveLength(1);
  });

  test("local still refuses the simulator's secrets against a remote Circle or Clive, each on its own", () => {
    expect(() => loadConfig({ ...SANDBOX, CIRCLE_API_KEY: undefined })).toThrow(
      /CIRCLE_API_KEY: must be set \(the default is the local simulator's, and CIRCLE_API_BASE_URL is not loopback\)/,
    );
    const clive = { CLIVE_API_BASE_URL: 'https://clive.example.com/api/v1' };
    const refused = () => loadConfig({ ...LOCAL, ...clive });
    expect(refused).toThrow(/CLIVE_API_KEY: must be set[\s\S]*CLIVE_HMAC_SECRET: must be set/);
    expect(refused).not.toThrow(/CIRCLE_API_KEY/);
    const ok = loadConfig({
      ...LOCAL,
      ...clive,
      CLIVE_API_KEY: 'cp_live_x',
      CLIVE_HMAC_SECRET: 'a-real-secret',
    });
    expect(ok.clive.apiKey).toBe('cp_live_x');
  });

  test('codec server settings: token hashes, namespaces (default the configured one), origins, encode', () => {
    expect(loadConfig({ ...LOCAL, TEMPORAL_NAMESPACE: 'onboarding' }).codecServer).toEqual({
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
        ...LOCAL,
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
    expect(() => loadConfig({ ...LOCAL, CODEC_SERVER_TOKENS: 'plain-token' })).toThrow(
      /CODEC_SERVER_TOKENS: each entry must be 64 hex digits/,
    );
  });
});

describe('outbound fetches and notifications by environment', () => {
  const PROD = {
    ONBOARDING_ENV: 'production',
    CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com',
    CLIVE_API_BASE_URL: 'https://clive.example.com/api/v1',
    CIRCLE_API_KEY: 'TEST_API_KEY:partner:secret',
    CLIVE_API_KEY: 'cp_live_x',
    CLIVE_HMAC_SECRET: 'a-real-secret',
    ONBOARDING_ID_KEY: 'a-shared-secret-of-the-partner',
    ALLOW_UNENCRYPTED_PAYLOADS: 'true',
    DOCUMENT_URL_HOSTS: 'docs.example.com',
  };
  const quiet = { warn: () => undefined };

  test('document URLs: an allow list in production, loopback only on request and only in local', () => {
    expect(loadConfig(PROD, quiet).documents.urls).toEqual({
      enabled: true,
      allowedHosts: ['docs.example.com'],
    });
    expect(() => loadConfig({ ...PROD, DOCUMENT_URLS_ALLOW_LOOPBACK: 'true' }, quiet)).toThrow(
      /DOCUMENT_URLS_ALLOW_LOOPBACK: may be true only with ONBOARDING_ENV=local/,
    );
    // Local: any host (public addresses only), loopback on request.
    expect(loadConfig(LOCAL).documents.urls).toEqual({ enabled: true, anyHost: true });
    expect(loadConfig({ ...LOCAL, DOCUMENT_URLS_ALLOW_LOOPBACK: 'true' }).documents.urls).toEqual({
      enabled: true,
      anyHost: true,
      allowLoopback: true,
    });
  });

  test('notifications: one topic, the sandbox one by default only in local; a per-IP limit', () => {
    expect(loadConfig(LOCAL).notifications).toMatchObject({
      topicArn: 'arn:aws:sns:us-east-1:908968368384:sandbox_platform-notifications-topic',
      rateLimitPerMinute: 120,
    });
    expect(loadConfig(PROD, quiet).notifications.topicArn).toBeUndefined();
    const prod = 'arn:aws:sns:us-west-2:908968368384:prod_platform-notifications-topic';
    expect(
      loadConfig(
        { ...PROD, CIRCLE_NOTIFICATIONS_TOPIC_ARN: prod, CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE: '30' },
        quiet,
      ).notifications,
    ).toMatchObject({ topicArn: prod, rateLimitPerMinute: 30 });
    expect(() =>
      loadConfig({ ...LOCAL, CIRCLE_NOTIFICATIONS_TOPIC_ARN: 'prod_platform-notifications-topic' }),
    ).toThrow(/CIRCLE_NOTIFICATIONS_TOPIC_ARN: must be an SNS topic ARN/);
    expect(() => loadConfig({ ...LOCAL, CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(
      /CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE/,
    );
  });
});

test('upload quotas and the sweep of closed onboardings’ uploads are configurable', () => {
  expect(loadConfig(LOCAL).service.uploads).toEqual({
    quotaBytesPerOnboarding: 100 * 1024 * 1024,
    quotaBytesPerKeyPerHour: 1024 * 1024 * 1024,
    sweepIntervalMs: 600_000,
    graceMs: 3_600_000,
  });
  const uploads = loadConfig({
    ...LOCAL,
    SERVICE_UPLOAD_QUOTA_BYTES_PER_ONBOARDING: '1000',
    SERVICE_UPLOAD_QUOTA_BYTES_PER_KEY_PER_HOUR: '2000',
    SERVICE_UPLOAD_SWEEP_INTERVAL_MS: '0',
    SERVICE_UPLOAD_GRACE_MS: '5',
  }).service.uploads;
  expect(uploads).toEqual({
    quotaBytesPerOnboarding: 1000,
    quotaBytesPerKeyPerHour: 2000,
    sweepIntervalMs: 0,
    graceMs: 5,
  });
  expect(() => loadConfig({ ...LOCAL, SERVICE_UPLOAD_QUOTA_BYTES_PER_ONBOARDING: '0' })).toThrow(
    /SERVICE_UPLOAD_QUOTA_BYTES_PER_ONBOARDING/,
  );
});
