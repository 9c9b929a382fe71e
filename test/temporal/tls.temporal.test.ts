// A worker and a client configured only by Temporal's environment variables reach the server through
// TLS (a test CA) with an API key: the onboarding completes, and the TLS proxy saw `Bearer <key>`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { loadConfig } from '../../src/config';
import { startOnboarding } from '../../src/contract';
import { clientConnectionOptions, nativeConnectionOptions } from '../../src/temporal/connection';
import { ownRunsOf } from '../../src/temporal/own-runs';
import { buildWorkflowBundle } from '../../src/temporal/workflow-bundle';
import { createOnboardingWorker, depsFromConfig } from '../../src/worker';
import { onboardingInput } from '../helpers/inputs';
import { makeTestCa, startTlsProxy, type TlsProxy } from './tls-proxy';

const API_KEY = `test-api-key-${randomUUID()}`;
let proxy: TlsProxy;
let sim: RunningSimulator;
let env: Record<string, string>;

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed by an earlier file in this Jest worker
  }
  const ca = await makeTestCa();
  const dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  writeFileSync(join(dir, 'ca.pem'), ca.caCert);
  proxy = await startTlsProxy(ca, process.env.TEMPORAL_TEST_ADDRESS!);
  sim = await startSimulator({ port: 0, reviewDelayMs: 20, accountActivationDelayMs: 20 });
  env = {
    ONBOARDING_ENV: 'local',
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_TEST_NAMESPACE ?? 'default',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.pem'),
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
    TEMPORAL_API_KEY: API_KEY,
    CIRCLE_API_BASE_URL: sim.url,
    CLIVE_API_BASE_URL: `${sim.url}/api/v1`,
    ONBOARDING_MIN_POLL_INTERVAL_MS: '10',
  };
});
afterAll(async () => {
  await sim?.close();
  await proxy?.close();
});

test('worker and client over TLS with an API key, from the environment alone', async () => {
  const config = loadConfig(env);
  expect(config.temporal.connection.tls).toMatchObject({ serverNameOverride: 'localhost' });
  const { namespace } = config.temporal;
  const taskQueue = `tls-${randomUUID()}`;

  const connection = await Connection.connect(clientConnectionOptions(config.temporal.connection));
  const nativeConnection = await NativeConnection.connect(
    nativeConnectionOptions(config.temporal.connection),
  );
  try {
    const client = new Client({ connection, namespace });
    const worker = await createOnboardingWorker({
      connection: nativeConnection,
      namespace,
      taskQueue,
      workflowBundle: { code: await buildWorkflowBundle() },
      deps: { ...depsFromConfig(config), ownRuns: ownRunsOf(client) },
    });
    const result = await worker.runUntil(async () => {
      const handle = await startOnboarding(client, onboardingInput(), {
        taskQueue,
        workflowId: `tls-${randomUUID()}`,
      });
      return handle.result();
    });
    expect(result.accountId).toBeTruthy();
  } finally {
    await nativeConnection.close();
    await connection.close();
  }
  // Both the client (grpc-js) and the worker (Rust core) sent the key on every call.
  expect(proxy.authorizations.length).toBeGreaterThan(3);
  expect(new Set(proxy.authorizations)).toEqual(new Set([`Bearer ${API_KEY}`]));
});

test('without the CA the server certificate is refused; incomplete configurations do not start', async () => {
  const { TEMPORAL_TLS_SERVER_CA_CERT_PATH: caPath, ...bare } = env;
  const untrusting = loadConfig(bare);
  expect(untrusting.temporal.connection.tls).toEqual({ serverNameOverride: 'localhost' }); // system CAs only
  await expect(
    Connection.connect({ ...clientConnectionOptions(untrusting.temporal.connection), connectTimeout: 1000 }),
  ).rejects.toThrow();
  expect(() => loadConfig({ ...env, TEMPORAL_TLS_CLIENT_CERT_PATH: caPath! })).toThrow(
    /TEMPORAL_TLS_CLIENT_KEY_PATH: required with TEMPORAL_TLS_CLIENT_CERT_PATH/,
  );
  const { TEMPORAL_TLS_SERVER_NAME: _name, ...plain } = bare;
  expect(() =>
    loadConfig({ ...plain, TEMPORAL_ADDRESS: 'temporal.example.com:7233', TEMPORAL_TLS: 'false' }),
  ).toThrow(
    /TEMPORAL_API_KEY: needs TLS towards temporal.example.com:7233 \(not loopback\), but TEMPORAL_TLS disables it/,
  );
});
