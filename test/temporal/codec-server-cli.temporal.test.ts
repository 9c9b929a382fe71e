// The command of docs/encryption.md, as written, with the real Temporal CLI: `temporal workflow show -w <id>
// --codec-endpoint http://127.0.0.1:<port> --codec-auth "Bearer $token"`, without --namespace, against
// the codec server. The CLI then sends `X-Namespace: ` (empty), which the server takes as the one
// namespace it serves; the run's encrypted result is printed decoded.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { resolveTemporalCli } from '../../dev/temporal-cli';
import { loadConfig } from '../../src/config';
import { hashApiKey } from '../../src/service/auth';
import { createCodecServer } from '../../src/temporal/codec-server';
import { dataConverterFor } from '../../src/temporal/data-converter';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';

const address = process.env.TEMPORAL_TEST_ADDRESS!;
const namespace = process.env.TEMPORAL_TEST_NAMESPACE ?? 'default';
const keysText = `k1:${randomBytes(32).toString('base64')}`;
const token = randomBytes(24).toString('base64url');
const marker = `codec-cli-${randomUUID()}`;

let connection: Connection;
let client: Client;
let server: Server;
let codecUrl: string;
let codec: EncryptionCodec;
const seen: { namespace: string | string[] | undefined; authorization: string | undefined }[] = [];

beforeAll(async () => {
  const config = loadConfig({
    ONBOARDING_ENV: 'local',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    PAYLOAD_ENCRYPTION_KEYS: keysText,
  });
  connection = await Connection.connect({ address });
  client = new Client({ connection, namespace, dataConverter: dataConverterFor(config) });
  codec = new EncryptionCodec(config.temporal.encryption!);
  const codecServer = createCodecServer({
    keys: config.temporal.encryption!,
    tokenHashes: [hashApiKey(token)],
    namespaces: [namespace],
    corsOrigins: [],
    encode: false,
  });
  server = codecServer.on('request', (req) =>
    seen.push({ namespace: req.headers['x-namespace'], authorization: req.headers.authorization }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  codecUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await connection?.close();
});

/** The CLI with only what an operator's shell would give it: the address, no namespace, no profile. */
async function temporalCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { path } = await resolveTemporalCli();
  const home = mkdtempSync(join(tmpdir(), 'codec-cli-home-'));
  const child = spawn(path, args, {
    env: { PATH: process.env.PATH, HOME: home, TEMPORAL_ADDRESS: address },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  // A refused codec call makes the CLI wait for its own deadline (10 s) and fail; never wait longer.
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** A run completed with an encrypted result, by answering its first workflow task by hand (no worker). */
async function completedRun(result: unknown): Promise<string> {
  const workflowId = `codec-cli-${randomUUID()}`;
  const taskQueue = `codec-cli-${randomUUID()}`;
  await client.workflow.start('codecCliProbe', { taskQueue, workflowId, args: [{ input: true }] });
  const service = connection.workflowService;
  // A long poll: the server wants a deadline on it.
  const task = await connection.withDeadline(Date.now() + 30_000, () =>
    service.pollWorkflowTaskQueue({ namespace, taskQueue: { name: taskQueue }, identity: 'test' }),
  );
  const payloads = await codec.encode([defaultPayloadConverter.toPayload(result)]);
  await service.respondWorkflowTaskCompleted({
    namespace,
    identity: 'test',
    taskToken: task.taskToken,
    commands: [
      {
        commandType: temporal.api.enums.v1.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
        completeWorkflowExecutionCommandAttributes: { result: { payloads } },
      },
    ],
  });
  await client.workflow.getHandle(workflowId).result(); // decodes with the key: completed
  return workflowId;
}

test('`temporal workflow show --codec-endpoint --codec-auth` without --namespace prints the decoded result', async () => {
  const workflowId = await completedRun({ marker });
  const plain = await temporalCli(['workflow', 'show', '-w', workflowId]);
  expect(plain.code).toBe(0);
  expect(plain.stdout).toMatch(/COMPLETED/);
  expect(plain.stdout).not.toContain(marker); // stored encrypted

  // The command of docs/encryption.md (the address comes from TEMPORAL_ADDRESS, the namespace from nowhere).
  const decoded = await temporalCli([
    'workflow',
    'show',
    '-w',
    workflowId,
    '--codec-endpoint',
    codecUrl,
    '--codec-auth',
    `Bearer ${token}`,
  ]);
  expect({ code: decoded.code, stderr: decoded.stderr }).toEqual({ code: 0, stderr: '' });
  expect(decoded.stdout).toContain(marker);
  expect(seen).toContainEqual({ namespace: '', authorization: `Bearer ${token}` });
});
