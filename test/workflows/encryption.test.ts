// With PAYLOAD_ENCRYPTION_KEYS set, the Temporal server only ever stores ciphertext: the client's
// name and section data are unreadable in history without the key, and the codec server reads them.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import axios from 'axios';
import { createCodecServer } from '../../src/temporal/codec-server';
import { dataConverterFor } from '../../src/temporal/data-converter';
import { parseEncryptionKeys } from '../../src/temporal/encryption-codec';
import { onboardingInput } from '../helpers/inputs';
import { setupOnboardingEnv, type OnboardingTestEnv } from '../helpers/onboarding-env';
import { start } from '../helpers/workflow';

const keys = parseEncryptionKeys(`test-key:${randomBytes(32).toString('base64')}`);
let t: OnboardingTestEnv;
beforeAll(async () => {
  t = await setupOnboardingEnv({}, { dataConverter: dataConverterFor({ temporal: { encryption: keys } }) });
});
afterAll(async () => {
  await t?.teardown();
});

test('payloads are encrypted at rest and readable only with the key (and through the codec server)', async () => {
  const input = onboardingInput();
  const handle = await start(t, input);
  const result = await handle.result(); // decoded by the client's codec
  expect(result.accountId).toBeTruthy();

  // A client without the key sees only ciphertext in history.
  const connection = await Connection.connect({ address: t.address });
  try {
    const plain = new Client({ connection, namespace: t.namespace });
    const history = await plain.workflow.getHandle(handle.workflowId).fetchHistory();
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
    const payload = started.input!.payloads![0]!;
    expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(payload.data!).toString('latin1')).not.toContain(input.client.clientName);

    // The codec server decodes it for the Web UI.
    const server = createCodecServer({
      keys,
      tokenHashes: [],
      namespaces: [t.namespace],
      corsOrigins: ['http://localhost:8233'],
      encode: false,
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const asJson = {
        metadata: Object.fromEntries(
          Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        ),
        data: Buffer.from(payload.data!).toString('base64'),
      };
      const headers = { 'X-Namespace': t.namespace };
      const decoded = await axios.post(`${url}/decode`, { payloads: [asJson] }, { headers });
      const json = JSON.parse(Buffer.from(decoded.data.payloads[0].data, 'base64').toString('utf8'));
      expect(json.client.clientName).toBe(input.client.clientName);
      const bad = await axios.post(`${url}/decode`, { nope: 1 }, { headers, validateStatus: () => true });
      expect(bad.status).toBe(400);
    } finally {
      server.close();
    }
  } finally {
    await connection.close();
  }
});
