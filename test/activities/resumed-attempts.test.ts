// Activities that keep their progress across attempts, against the simulator: a lookup that pages goes
// on from the cursor the last attempt recorded, and an upload whose source stays unreachable ends, after
// a bounded number of attempts, as a document error the caller can see.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createClientActivities } from '../../src/activities/client';
import { createDocumentActivities, MAX_UNREACHABLE_SOURCE_ATTEMPTS } from '../../src/activities/document';
import { CircleClient } from '../../src/circle/client';
import { DocumentSourceError } from '../../src/documents/source-error';
import { startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
let circle: CircleClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, reviewDelayMs: 0, accountActivationDelayMs: 0 });
  circle = new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:local:simulator', timeoutMs: 2000 });
});
afterAll(() => sim?.close());
beforeEach(() => sim.control.reset());

const client = (name: string) => ({
  clientName: name,
  country: 'US',
  clientType: 'business' as const,
  businessDetails: { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' } as const,
});

describe('findExistingClient', () => {
  const find = (details: unknown, name: string) =>
    new MockActivityEnvironment({ heartbeatDetails: details }).run(
      createClientActivities(circle).findExistingClient,
      name,
      'US',
    );

  test('goes on from the page the last attempt reached', async () => {
    const older = `Older ${randomUUID()}`;
    const newer = `Newer ${randomUUID()}`;
    const x = await circle.createClient(client(older), randomUUID());
    const y = await circle.createClient(client(newer), randomUUID());

    // Fresh: the newest client is on the first page.
    await expect(find(undefined, newer)).resolves.toMatchObject({ clientEntityId: y.clientEntityId });
    // Resumed after the newest client: the list goes on from there, so only older clients are seen.
    await expect(find({ clientsAfter: y.clientEntityId }, newer)).resolves.toBeNull();
    await expect(find({ clientsAfter: y.clientEntityId }, older)).resolves.toMatchObject({
      clientEntityId: x.clientEntityId,
      applicationId: x.applicationId,
    });
  });

  test('a client found by an earlier attempt is not looked up again: only its application is', async () => {
    const found = await circle.createClient(client(`Found ${randomUUID()}`), randomUUID());
    const before = sim.control.state().requests.length;
    await expect(
      find({ client: { clientEntityId: found.clientEntityId } }, 'a name no client has'),
    ).resolves.toEqual({ clientEntityId: found.clientEntityId, applicationId: found.applicationId });
    const paths = sim.control
      .state()
      .requests.slice(before)
      .map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(['GET /v1/onboarding/partner/applications']);
  });
});

describe('uploadDocument with a source that stays unreachable', () => {
  const unreachable = { read: () => Promise.reject(new DocumentSourceError('unreachable', 'x.pdf: 503')) };
  const upload = (attempt: number) =>
    new MockActivityEnvironment({ attempt }).run(
      createDocumentActivities(circle, unreachable).uploadDocument,
      'app',
      { source: 'x.pdf', sha256: 'abc', parts: { fileName: 'x.pdf', datumName: 'formationDocument' } },
      randomUUID(),
    );

  test('is retried while attempts remain', async () => {
    const err = await upload(MAX_UNREACHABLE_SOURCE_ATTEMPTS - 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'DocumentSourceUnavailable', nonRetryable: false });
  });

  test('ends as a document error the caller sees once they are spent', async () => {
    const err = await upload(MAX_UNREACHABLE_SOURCE_ATTEMPTS).catch((e: unknown) => e);
    expect(err).toMatchObject({
      type: 'DocumentSourceUnreadable',
      nonRetryable: true,
      details: [{ problem: 'unreachable_for_long' }],
    });
    expect(sim.control.state().requests).toHaveLength(0); // nothing was sent to Circle
  });
});
