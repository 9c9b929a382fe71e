// Worker and CLI configuration from the environment: local defaults, and errors that name the variable.
import { loadConfig } from '../src/config';

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
  const config = loadConfig({
    CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com',
    ONBOARDING_ID_KEY: 'a-shared-secret-of-the-partner',
  });
  expect(config.onboarding.idKey).toBe('a-shared-secret-of-the-partner');
});

test("the simulator's signing certificate is trusted only while Circle is the local simulator", () => {
  const local = loadConfig({ CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: 'http://127.0.0.1:4010' });
  expect(local.notifications.trustedCertOrigins).toEqual(['http://127.0.0.1:4010']);
  expect(() =>
    loadConfig({
      CIRCLE_API_BASE_URL: 'https://api-sandbox.circle.com',
      ONBOARDING_ID_KEY: 'a-shared-secret-of-the-partner',
      CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: 'http://127.0.0.1:4010',
    }),
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
