// Uploads belong to their onboarding: stored in its own folder, refused as a source of another one,
// removed when the onboarding refuses them or after it closed, and bounded by quotas per onboarding
// and per API key. Over the dev server, a real worker and the simulator: the onboardings are real,
// parked where they take documents (awaiting-section-data), submitted to refuse them, closed to be swept.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  onboardingWorkflowId,
  startOnboarding,
  type DocumentReference,
  type OnboardingInput,
} from '../../src/contract';
import { uploadFolderOf } from '../../src/documents/uploads';
import { sweepUploads } from '../../src/service';
import { clientInput, FAST_OPTIONS, onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep } from '../helpers/workflow';
import {
  ID_KEY,
  problemOf,
  startService,
  startThrough,
  useService,
  waitForProgressOf,
  type TestService,
} from './helpers';

const t = useOnboardingEnv();
// Uploads go to the worker's document store, which reads them when the onboarding checks its documents.
const s = useService(t);

const onboarding = (id: string) => t.client.workflow.getHandle(id);
const uploadArea = () => join(t.documentsDir, 'uploads');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pdf = (n: number, fill = 'x') => Buffer.from(`%PDF-1.4\n${fill.repeat(n - 9)}`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The identity documents a trust's application asks for, from the store; its formation document is uploaded. */
const IDENTITY_DOCUMENTS: DocumentReference[] = [
  {
    datumName: 'authorizedRepGovernmentId',
    documentType: 'passport',
    issuedCountry: 'US',
    source: 'representative-id.png',
  },
  {
    datumName: 'beneficialOwnerGovernmentId',
    entityIndex: 0,
    documentType: 'usdl',
    issuedCountry: 'US',
    source: 'owner-id.jpg',
  },
];

/**
 * A trust without its business address: the onboarding waits for it in awaiting-section-data, where it
 * takes documents (formationDocument is one of its application's file fields).
 */
function parkedInput(tag = '') {
  const client = clientInput(
    { businessDetails: { natureOfBusiness: 'familyOffice', institutionType: 'trust' } },
    tag,
  );
  const input = onboardingInput({
    client,
    documents: IDENTITY_DOCUMENTS,
    options: { ...FAST_OPTIONS, sectionDataDeadline: '10 minutes' },
  });
  const { businessAddress, ...sections } = input.sections!;
  return { input: { ...input, sections } as OnboardingInput, businessAddress };
}

/** An onboarding started through `service`, waiting for section data: it takes documents. */
async function parked(service: TestService, tag = '') {
  const { input, businessAddress } = parkedInput(tag);
  const id = await startThrough(service, input);
  await waitForProgressOf(service.read, id, (p) => p.step === 'awaiting-section-data');
  return { id, businessAddress };
}

function upload(id: string, bytes: Buffer, name = 'a.pdf', service: TestService = s) {
  const form = new FormData();
  form.append('datumName', 'formationDocument');
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
  return service.write.post(`/v1/onboardings/${encodeURIComponent(id)}/documents`, form, {
    headers: { 'idempotency-key': randomUUID() },
  });
}

test('an upload is stored in its onboarding’s folder and given by that path', async () => {
  const { id } = await parked(s);
  const bytes = pdf(100);
  const res = await upload(id, bytes, 'cert of inc.pdf');
  expect(res.status).toBe(200);
  const source = `uploads/${id}/${sha(bytes)}-cert of inc.pdf`;
  // The onboarding holds the document by that path (checked once its sections are saved).
  expect(res.data.documentErrors).toEqual([]);
  expect(res.data.documents).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ datumName: 'formationDocument', source, state: 'given' }),
    ]),
  );
  expect(existsSync(join(t.documentsDir, ...source.split('/')))).toBe(true);
  expect(readdirSync(join(uploadArea(), '.incoming'))).toEqual([]);

  // An id with characters a folder name must not have gets an encoded folder, never `..`.
  const odd = `test-${randomUUID()}/..`;
  const handle = await startOnboarding(t.client, parkedInput().input, {
    taskQueue: t.taskQueue,
    workflowId: odd,
  });
  await waitForStep(handle, 'awaiting-section-data');
  const before = readdirSync(uploadArea());
  const oddRes = await upload(odd, bytes);
  expect(oddRes.status).toBe(200);
  const folder = `${odd.slice(0, -3)}%2F%2E%2E`;
  expect(oddRes.data.documentErrors).toEqual([]);
  expect(oddRes.data.documents).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        datumName: 'formationDocument',
        source: `uploads/${folder}/${sha(bytes)}-a.pdf`,
      }),
    ]),
  );
  expect(readdirSync(uploadArea()).filter((f) => !before.includes(f))).toEqual([folder]);
  expect(readdirSync(join(uploadArea(), folder))).toEqual([`${sha(bytes)}-a.pdf`]);
  await onboarding(id).terminate('test done');
  await handle.terminate('test done');
});

test('a source in another onboarding’s uploads is refused in a start and in an RFI answer', async () => {
  const input: OnboardingInput = {
    ...onboardingInput(),
    documents: [{ datumName: 'formationDocument', source: 'uploads/onboarding-US-bbbb/f-a.pdf' }],
  };
  const started = await s.write.post('/v1/onboardings', input, {
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(started.status).toBe(400);
  expect(problemOf(started)).toMatchObject({
    failureType: 'InvalidOnboardingInput',
    errors: [expect.objectContaining({ path: 'documents.0.source' })],
  });
  // Nothing started.
  await expect(onboarding(onboardingWorkflowId(input.client, ID_KEY)).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );

  const id = await startThrough(s, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-rfi-answers');
  const rfiId = rfis[0]!.rfiId;
  const answer = await s.write.post(
    `/v1/onboardings/${id}/rfis/${rfiId}/answer`,
    { document: { source: 'uploads/onboarding-US-bbbb/0f-a.pdf' } },
    { headers: { 'idempotency-key': randomUUID() } },
  );
  expect(answer.status).toBe(400);
  expect(problemOf(answer).errors).toEqual([expect.objectContaining({ path: 'document.source' })]);
  // Nothing reached the onboarding nor Circle: the RFI is still open, unanswered.
  const progress = await waitForProgressOf(s.read, id, () => true);
  expect(progress).toMatchObject({ step: 'awaiting-rfi-answers', pendingRfiAnswers: [] });
  expect(progress.rfis).toEqual([expect.objectContaining({ rfiId, state: 'open' })]);
  const patched = t.sim.control
    .state()
    .requests.filter((r) => r.method === 'PATCH' && r.path.includes('/rfis/'));
  expect(patched).toEqual([]);
  await onboarding(id).terminate('test done');
});

test('an upload the onboarding refuses (422) is deleted at once; one stored before stays', async () => {
  // Waits for section data (documents accepted), then in review once given it (`[manual]`).
  const { id, businessAddress } = await parked(s, '[manual]');
  const kept = pdf(100, 'k');
  expect((await upload(id, kept)).status).toBe(200);

  const sections = await s.write.post(
    `/v1/onboardings/${id}/sections`,
    { sections: { businessAddress } },
    { headers: { 'idempotency-key': randomUUID() } },
  );
  expect(sections.status).toBe(200);
  await waitForProgressOf(s.read, id, (p) => p.step === 'in-review');

  // Submitted: the onboarding refuses documents.
  const refused = await upload(id, pdf(100, 'r'));
  expect(refused.status).toBe(422);
  expect(problemOf(refused).failureType).toBe('DocumentsNotAccepted');
  expect((await upload(id, kept)).status).toBe(422); // the same file again
  expect(readdirSync(join(uploadArea(), id))).toEqual([`${sha(kept)}-a.pdf`]);
  expect(readdirSync(join(uploadArea(), '.incoming'))).toEqual([]);
  await onboarding(id).terminate('test done');
});

test('quotas: bytes per onboarding (413) and per API key per hour (429), each named', async () => {
  // A service of its own: the per-key quota is counted per instance.
  const q = await startService(t, {
    documents: {
      dir: t.documentsDir,
      maxBytes: 1024,
      quotaBytesPerOnboarding: 2500,
      quotaBytesPerKeyPerHour: 3500,
    },
  });
  const ids: string[] = [];
  try {
    const [a, b, c] = (await Promise.all([parked(q), parked(q), parked(q)])).map((p) => p.id) as [
      string,
      string,
      string,
    ];
    ids.push(a, b, c);
    for (const fill of ['a', 'b']) expect((await upload(a, pdf(1000, fill), 'a.pdf', q)).status).toBe(200);
    const full = await upload(a, pdf(1000, 'c'), 'a.pdf', q);
    expect(full.status).toBe(413);
    expect(problemOf(full).failureType).toBe('UploadQuotaPerOnboardingExceeded');
    expect(readdirSync(join(uploadArea(), a))).toHaveLength(2);
    // Already there: no new bytes.
    expect((await upload(a, pdf(1000, 'a'), 'a.pdf', q)).status).toBe(200);

    expect((await upload(b, pdf(1000, 'd'), 'a.pdf', q)).status).toBe(200);
    const spent = await upload(c, pdf(1000, 'e'), 'a.pdf', q);
    expect(spent.status).toBe(429);
    expect(problemOf(spent).failureType).toBe('UploadQuotaPerKeyExceeded');
    expect(Number(spent.headers['retry-after'])).toBeGreaterThan(3000);
    expect(existsSync(join(uploadArea(), c))).toBe(false);
    // The onboarding never heard of it.
    const progress = await waitForProgressOf(q.read, c, () => true);
    expect(progress.documents.map((d) => d.datumName)).not.toContain('formationDocument');
  } finally {
    await q.app.close();
    for (const id of ids) await onboarding(id).terminate('test done');
  }
});

test('the sweeper removes the uploads of onboardings closed longer than the grace period', async () => {
  const GRACE_MS = 5000;
  const dir = mkdtempSync(join(tmpdir(), 'uploads-sweep-'));
  const area = join(dir, 'uploads');
  const folderOf = (id: string) => uploadFolderOf(id)!;
  const folder = (id: string) => {
    mkdirSync(join(area, folderOf(id)), { recursive: true });
    writeFileSync(join(area, folderOf(id), 'f-a.pdf'), 'x');
  };
  const parkedRun = parkedInput();
  const [running, completed, cancelled] = await Promise.all([
    start(t, onboardingInput({ tag: '[manual]' })), // waits in review
    start(t, onboardingInput()), // completes
    start(t, parkedRun.input), // waits for section data, until cancelled
  ]);
  // Folders of ids Temporal does not know: judged by their age.
  const goneOld = `onboarding-US-gone-${randomUUID()}`;
  const goneNew = `onboarding-US-gone-${randomUUID()}`;
  for (const id of [running.workflowId, completed.workflowId, cancelled.workflowId, goneOld]) folder(id);
  mkdirSync(join(area, '.incoming'), { recursive: true });
  writeFileSync(join(area, '.incoming', 'stale'), 'x');
  const lazy = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  let service: TestService | undefined;
  try {
    await completed.result();
    const completedAt = (await completed.describe()).closeTime!.getTime();
    await waitForStep(running, 'in-review');
    await waitForStep(cancelled, 'awaiting-section-data');
    // The grace period passes for the completed onboarding, the old unknown folder and the staged file.
    await sleep(Math.max(0, completedAt + GRACE_MS + 500 - Date.now()));

    // While Temporal cannot answer, every onboarding's folder stays; stale staged files go all the same.
    const down = await sweepUploads({ dir, client: lazy, graceMs: GRACE_MS, temporalTimeoutMs: 300 });
    expect(down.removed).toEqual([]);
    expect(down.unknown.sort()).toEqual(
      [running.workflowId, completed.workflowId, cancelled.workflowId, goneOld].sort(),
    );
    expect(readdirSync(join(area, '.incoming'))).toEqual([]);

    // One closes now; a folder and a staged file appear now.
    await cancelled.cancel();
    await cancelled.result().catch(() => undefined);
    expect((await cancelled.describe()).status.name).toBe('CANCELLED');
    folder(goneNew);
    writeFileSync(join(area, '.incoming', 'fresh'), 'x');

    const result = await sweepUploads({ dir, client: t.client, graceMs: GRACE_MS });
    expect(result.removed.sort()).toEqual([completed.workflowId, goneOld].sort());
    expect(result.unknown).toEqual([]);
    expect(readdirSync(area).sort()).toEqual(
      ['.incoming', folderOf(cancelled.workflowId), folderOf(goneNew), folderOf(running.workflowId)].sort(),
    );
    expect(readdirSync(join(area, '.incoming'))).toEqual(['fresh']);

    // The service's own sweeper, every 200 ms: once the grace period passed for the rest, only the
    // running onboarding's uploads are left.
    service = await startService(t, {
      documents: { dir, maxBytes: 1024, sweepIntervalMs: 200, graceMs: GRACE_MS },
    });
    const until = Date.now() + 20_000;
    const left = () => readdirSync(area).sort();
    while (left().length > 2 && Date.now() < until) await sleep(100);
    expect(left()).toEqual(['.incoming', folderOf(running.workflowId)].sort());
    expect(readdirSync(join(area, '.incoming'))).toEqual([]);
    expect((await running.describe()).status.name).toBe('RUNNING');
  } finally {
    await service?.app.close();
    await lazy.connection.close();
    await running.terminate('test done').catch(() => undefined);
    await cancelled.terminate('test done').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
