// Uploads belong to their onboarding: stored in its own folder, refused as a source of another one,
// removed when the onboarding refuses them or after it closed, and bounded by quotas per onboarding
// and per API key. Over a stand-in Temporal client (fake-service.ts): no server needed.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { sweepUploads } from '../../src/service';
import { onboardingInput } from '../helpers/inputs';
import { fakeTemporal, startFakeService, type FakeTemporal } from './fake-service';
import { problemOf, type TestService } from './helpers';

let dir: string;
let fake: FakeTemporal;
let s: TestService;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uploads-'));
  fake = fakeTemporal();
  s = await startFakeService(fake, {
    documents: { dir, maxBytes: 1024, quotaBytesPerOnboarding: 2500, quotaBytesPerKeyPerHour: 3500 },
  });
});
afterEach(async () => {
  await s.app.close();
  rmSync(dir, { recursive: true, force: true });
});

const pdf = (n: number, fill = 'x') => Buffer.from(`%PDF-1.4\n${fill.repeat(n - 9)}`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function upload(id: string, bytes: Buffer, name = 'a.pdf') {
  const form = new FormData();
  form.append('datumName', 'formationDocument');
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
  return s.write.post(`/v1/onboardings/${id}/documents`, form, {
    headers: { 'idempotency-key': randomUUID() },
  });
}

test('an upload is stored in its onboarding’s folder and given by that path', async () => {
  const bytes = pdf(100);
  const res = await upload('onboarding-US-aaaa', bytes, 'cert of inc.pdf');
  expect(res.status).toBe(200);
  const source = `uploads/onboarding-US-aaaa/${sha(bytes)}-cert of inc.pdf`;
  expect(fake.updates).toEqual([
    expect.objectContaining({ documents: [expect.objectContaining({ source })] }),
  ]);
  expect(existsSync(join(dir, ...source.split('/')))).toBe(true);
  expect(readdirSync(join(dir, 'uploads', '.incoming'))).toEqual([]);
  // An id with characters a folder name must not have gets an encoded folder, never `..`.
  expect((await upload(encodeURIComponent('x/..'), bytes)).status).toBe(200);
  expect(readdirSync(join(dir, 'uploads')).sort()).toEqual(['.incoming', 'onboarding-US-aaaa', 'x%2F%2E%2E']);
});

test('a source in another onboarding’s uploads is refused in a start and in an RFI answer', async () => {
  const start = await s.write.post(
    '/v1/onboardings',
    {
      ...onboardingInput(),
      documents: [{ datumName: 'formationDocument', source: 'uploads/onboarding-US-bbbb/f-a.pdf' }],
    },
    { headers: { 'idempotency-key': randomUUID() } },
  );
  expect(start.status).toBe(400);
  expect(problemOf(start)).toMatchObject({
    failureType: 'InvalidOnboardingInput',
    errors: [expect.objectContaining({ path: 'documents.0.source' })],
  });
  const answer = await s.write.post(
    '/v1/onboardings/onboarding-US-aaaa/rfis/rfi1/answer',
    { document: { source: 'uploads/onboarding-US-bbbb/0f-a.pdf' } },
    { headers: { 'idempotency-key': randomUUID() } },
  );
  expect(answer.status).toBe(400);
  expect(problemOf(answer).errors).toEqual([expect.objectContaining({ path: 'document.source' })]);
  expect(fake.updates).toEqual([]);
});

test('an upload the onboarding refuses (422) is deleted at once; one stored before stays', async () => {
  const refuse = async () => {
    throw new WorkflowUpdateFailedError(
      'refused',
      ApplicationFailure.create({ type: 'DocumentsNotAccepted', message: 'no', nonRetryable: true }),
    );
  };
  const kept = pdf(100, 'k');
  expect((await upload('onboarding-US-aaaa', kept)).status).toBe(200);
  fake.update = refuse;
  const refused = await upload('onboarding-US-aaaa', pdf(100, 'r'));
  expect(refused.status).toBe(422);
  expect(problemOf(refused).failureType).toBe('DocumentsNotAccepted');
  expect((await upload('onboarding-US-aaaa', kept)).status).toBe(422); // the same file again
  expect(readdirSync(join(dir, 'uploads', 'onboarding-US-aaaa'))).toEqual([`${sha(kept)}-a.pdf`]);
});

test('quotas: bytes per onboarding (413) and per API key per hour (429), each named', async () => {
  for (const fill of ['a', 'b'])
    expect((await upload('onboarding-US-aaaa', pdf(1000, fill))).status).toBe(200);
  const full = await upload('onboarding-US-aaaa', pdf(1000, 'c'));
  expect(full.status).toBe(413);
  expect(problemOf(full).failureType).toBe('UploadQuotaPerOnboardingExceeded');
  expect(readdirSync(join(dir, 'uploads', 'onboarding-US-aaaa'))).toHaveLength(2);
  expect((await upload('onboarding-US-aaaa', pdf(1000, 'a'))).status).toBe(200); // already there: no new bytes

  expect((await upload('onboarding-US-bbbb', pdf(1000, 'd'))).status).toBe(200);
  const spent = await upload('onboarding-US-cccc', pdf(1000, 'e'));
  expect(spent.status).toBe(429);
  expect(problemOf(spent).failureType).toBe('UploadQuotaPerKeyExceeded');
  expect(Number(spent.headers['retry-after'])).toBeGreaterThan(3000);
  expect(existsSync(join(dir, 'uploads', 'onboarding-US-cccc'))).toBe(false);
});

test('the sweeper removes the uploads of onboardings closed longer than the grace period', async () => {
  const hour = 3_600_000;
  const now = Date.now();
  const folder = (id: string, mtime = now) => {
    mkdirSync(join(dir, 'uploads', id), { recursive: true });
    writeFileSync(join(dir, 'uploads', id, 'f-a.pdf'), 'x');
    utimesSync(join(dir, 'uploads', id), mtime / 1000, mtime / 1000);
  };
  folder('running');
  folder('closed-long-ago');
  folder('closed-just-now');
  folder('gone-old', now - 2 * hour);
  folder('gone-new');
  folder('temporal-down');
  mkdirSync(join(dir, 'uploads', '.incoming'), { recursive: true });
  writeFileSync(join(dir, 'uploads', '.incoming', 'stale'), 'x');
  utimesSync(join(dir, 'uploads', '.incoming', 'stale'), (now - 2 * hour) / 1000, (now - 2 * hour) / 1000);
  writeFileSync(join(dir, 'uploads', '.incoming', 'fresh'), 'x');
  fake.strict = true;
  fake.onboardings.set('running', { status: 'RUNNING' });
  fake.onboardings.set('closed-long-ago', { status: 'COMPLETED', closeTime: new Date(now - 2 * hour) });
  fake.onboardings.set('closed-just-now', { status: 'CANCELLED', closeTime: new Date(now - 60_000) });
  fake.failing.add('temporal-down');

  const result = await sweepUploads({ dir, client: fake.client, graceMs: hour, now: () => now });
  expect(result.removed.sort()).toEqual(['closed-long-ago', 'gone-old']);
  expect(result.unknown).toEqual(['temporal-down']);
  expect(readdirSync(join(dir, 'uploads')).sort()).toEqual([
    '.incoming',
    'closed-just-now',
    'gone-new',
    'running',
    'temporal-down',
  ]);
  expect(readdirSync(join(dir, 'uploads', '.incoming'))).toEqual(['fresh']);
});
