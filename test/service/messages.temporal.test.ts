// Messages through the service: RFI answers (accepted, refused by Circle, refused by the validator),
// section data, and a document uploaded as a file that the worker then reads from the store by
// reference: the onboarding completes and no byte of the file is in its history.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleApplicationData } from '../../simulator';
import type { DocumentReference } from '../../src/contract';
import { clientInput, onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import {
  http,
  problemOf,
  startService,
  startThrough,
  useService,
  waitForProgressOf,
  WRITE_KEY,
} from './helpers';

const t = useOnboardingEnv();
const s = useService(t);

const onboarding = (id: string) => t.client.workflow.getHandle(id);
const website = { website: 'https://acme-payments.example.com' };

// Message routes require an Idempotency-Key: each request here gets a fresh one unless it sets its own.
const MESSAGE_ROUTE = /\/v1\/onboardings\/[^/]+\/(rfis\/[^/]+\/answer|sections|documents)$/;
beforeAll(() => {
  s.write.interceptors.request.use((config) => {
    if (MESSAGE_ROUTE.test(config.url ?? '') && !config.headers['idempotency-key'])
      config.headers['idempotency-key'] = randomUUID();
    return config;
  });
});

test('a message without an Idempotency-Key is a 400 naming the header', async () => {
  const id = await startThrough(s, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-rfi-answers');
  const bare = http(s.url, { authorization: `Bearer ${WRITE_KEY}` });
  const res = await bare.post(`/v1/onboardings/${id}/rfis/${rfis[0]!.rfiId}/answer`, { answer: website });
  expect(res.status).toBe(400);
  expect(problemOf(res).errors).toEqual([
    expect.objectContaining({ path: 'headers.idempotency-key', error: 'required' }),
  ]);
  expect(t.sim.control.state().requests.filter((r) => r.path.includes('/rfis/'))).toHaveLength(0);
  await onboarding(id).terminate('test done');
});

test('a retried answer gets the same reply, also after the round is over; another body under its key is refused', async () => {
  const id = await startThrough(s, onboardingInput({ tag: '[rfi] [manual]' }));
  const { rfis } = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-rfi-answers');
  const rfiId = rfis[0]!.rfiId;
  const headers = { 'idempotency-key': randomUUID() };
  const path = `/v1/onboardings/${id}/rfis/${rfiId}/answer`;

  const first = await s.write.post(path, { answer: website }, { headers });
  expect(first.status).toBe(200);
  await waitForProgressOf(s.read, id, (p) => p.step === 'in-review' && p.submissionRound === 2);
  // A retry (say, after a 504): the same answer, though the RFI is no longer open.
  const retry = await s.write.post(path, { answer: website }, { headers });
  expect({ status: retry.status, data: retry.data }).toEqual({ status: 200, data: first.data });
  const other = await s.write.post(path, { answer: { website: 'https://other.example.com' } }, { headers });
  expect(other.status).toBe(422);
  expect(problemOf(other).failureType).toBe('IdempotencyKeyReused');
  // Circle took the answer once.
  const patched = t.sim.control
    .state()
    .requests.filter((r) => r.method === 'PATCH' && r.path.includes(`/rfis/${rfiId}`));
  expect(patched).toHaveLength(1);
  await onboarding(id).terminate('test done');
});

test('an RFI answer is applied: the update result, then approval after resubmission', async () => {
  const id = await startThrough(s, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-rfi-answers');
  const rfiId = rfis[0]!.rfiId;

  const res = await s.write.post(`/v1/onboardings/${id}/rfis/${rfiId}/answer`, { answer: website });
  expect(res.status).toBe(200);
  expect(res.data).toEqual({ rfiId, status: 'answered' });
  await expect(onboarding(id).result()).resolves.toMatchObject({ submissionRounds: 2 });
  const patched = t.sim.control
    .state()
    .requests.filter((r) => r.method === 'PATCH' && r.path.includes(`/rfis/${rfiId}`));
  expect(patched.map((r) => r.status)).toEqual([200]);
});

test('refused answers are 422 problems with the refusal type and per-field errors', async () => {
  const id = await startThrough(s, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-rfi-answers');
  const rfiId = rfis[0]!.rfiId;

  const rejected = await s.write.post(`/v1/onboardings/${id}/rfis/${rfiId}/answer`, {
    answer: { website: 'not a url' },
  });
  expect(rejected.status).toBe(422);
  const problem = problemOf(rejected);
  expect(problem.failureType).toBe('RfiAnswerRejected');
  expect(problem.errors).toEqual(
    expect.arrayContaining([expect.objectContaining({ path: 'basicBusinessInfo.website' })]),
  );
  expect(problem.errors!.every((e) => e.path === 'basicBusinessInfo.website')).toBe(true);

  const notOpen = await s.write.post(`/v1/onboardings/${id}/rfis/no-such-rfi/answer`, { answer: website });
  expect(notOpen.status).toBe(422);
  expect(problemOf(notOpen).failureType).toBe('RfiNotOpen');

  // A document for a field RFI: the workflow's validator refuses the kind of answer.
  const wrongKind = await s.write.post(`/v1/onboardings/${id}/rfis/${rfiId}/answer`, {
    document: { source: 'proof-of-address.pdf' },
  });
  expect(wrongKind.status).toBe(422);
  expect(problemOf(wrongKind).failureType).toBe('InvalidRfiAnswer');

  // Malformed bodies never reach the workflow.
  const malformed = await s.write.post(`/v1/onboardings/${id}/rfis/${rfiId}/answer`, { answer: [] });
  expect(malformed.status).toBe(400);
  expect(problemOf(malformed).errors).toEqual([expect.objectContaining({ path: 'answer' })]);

  // Still open and answerable.
  const ok = await s.write.post(`/v1/onboardings/${id}/rfis/${rfiId}/answer`, { answer: website });
  expect(ok.status).toBe(200);
  await expect(onboarding(id).result()).resolves.toMatchObject({ submissionRounds: 2 });

  const ended = await s.write.post(`/v1/onboardings/${id}/rfis/${rfiId}/answer`, { answer: website });
  expect(ended.status).toBe(409);
  expect(problemOf(ended).failureType).toBe('OnboardingNotReady');
});

test('section data corrects an invalid field and the onboarding completes', async () => {
  const profile = { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' } as const;
  const valid = exampleApplicationData(profile) as Record<string, Record<string, unknown>>;
  const sections = {
    ...valid,
    basicBusinessInfo: { ...valid.basicBusinessInfo, website: 'http://plain-http.example' },
  };
  const id = await startThrough(s, onboardingInput({ sections }));
  const waiting = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-section-data');
  expect(waiting.sectionErrors).toEqual([expect.objectContaining({ path: 'basicBusinessInfo.website' })]);

  const bad = await s.write.post(`/v1/onboardings/${id}/sections`, { sections: [] });
  expect(bad.status).toBe(400);
  expect(problemOf(bad).failureType).toBe('SectionsNotAccepted');

  const res = await s.write.post(`/v1/onboardings/${id}/sections`, {
    sections: { basicBusinessInfo: valid.basicBusinessInfo },
  });
  expect(res.status).toBe(200);
  expect(res.data.sectionErrors).toEqual([]);
  expect(res.data.sections.every((x: { status: string }) => x.status === 'complete')).toBe(true);
  await expect(onboarding(id).result()).resolves.toMatchObject({ submissionRounds: 1 });
});

/** Inside the sample PDFs: found in a history only if document bytes went into it. */
const MARKER = 'SAMPLE-DOCUMENT-MARKER-5d1e9c';

async function historyText(id: string): Promise<string> {
  const history = JSON.stringify(await onboarding(id).fetchHistory());
  const texts: string[] = [history];
  for (const m of history.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)) {
    texts.push(Buffer.from(m[1]!, 'base64').toString('latin1'));
  }
  return texts.join('\n');
}

function upload(fields: Record<string, string>, file?: { bytes: Buffer; name: string }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.bytes], { type: 'application/pdf' }), file.name);
  return form;
}

test('an uploaded document is stored by content, given by reference, and the onboarding completes', async () => {
  const ids: DocumentReference[] = [
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
  const client = clientInput({
    businessDetails: { natureOfBusiness: 'familyOffice', institutionType: 'trust' },
  });
  const id = await startThrough(s, { ...onboardingInput({ client }), documents: ids });
  const waiting = await waitForProgressOf(s.read, id, (p) => p.step === 'awaiting-documents');
  expect(waiting.missingDocuments).toEqual([expect.objectContaining({ datumName: 'formationDocument' })]);

  const bytes = readFileSync(join(__dirname, '../../examples/documents/certificate-of-incorporation.pdf'));
  expect(bytes.toString('latin1')).toContain(MARKER);
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  // Refused at the door: no datumName; nothing is stored.
  const incomplete = await s.write.post(
    `/v1/onboardings/${id}/documents`,
    upload({}, { bytes, name: 'certificate.pdf' }),
  );
  expect(incomplete.status).toBe(400);
  expect(problemOf(incomplete).errors).toEqual([expect.objectContaining({ path: 'datumName' })]);
  expect(existsSync(join(t.documentsDir, 'uploads', id))).toBe(false);

  const res = await s.write.post(
    `/v1/onboardings/${id}/documents`,
    upload({ datumName: 'formationDocument' }, { bytes, name: 'certificate of incorporation.pdf' }),
  );
  expect(res.status).toBe(200);
  expect(res.data.missingDocuments).toEqual([]);
  expect(res.data.documentErrors).toEqual([]);
  const source = `uploads/${id}/${sha256}-certificate of incorporation.pdf`;
  expect(res.data.documents).toEqual(
    expect.arrayContaining([expect.objectContaining({ datumName: 'formationDocument', source, sha256 })]),
  );

  const result = await onboarding(id).result();
  expect(readFileSync(join(t.documentsDir, source))).toEqual(bytes);
  expect(readdirSync(join(t.documentsDir, 'uploads', '.incoming'))).toEqual([]);
  const uploads = t.sim.control
    .state()
    .requests.filter((r) => r.method === 'POST' && r.path.endsWith('/documents'));
  expect(uploads).toHaveLength(3);
  expect(result.idempotencyKeys.documents).toHaveLength(3);

  const history = await historyText(id);
  expect(history).toContain(sha256);
  expect(history).not.toContain(MARKER);
  expect(history).not.toContain('%PDF-');
});

test('uploads over the size limit are 413; a JSON body is 415; an unknown onboarding 404', async () => {
  const id = await startThrough(s, onboardingInput({ tag: '[manual]' }));
  const big = upload(
    { datumName: 'formationDocument' },
    { bytes: Buffer.alloc(1024 * 1024 + 1, 1), name: 'big.pdf' },
  );
  const tooLarge = await s.write.post(`/v1/onboardings/${id}/documents`, big);
  expect(tooLarge.status).toBe(413);
  expect(problemOf(tooLarge).failureType).toBe('PayloadTooLarge');
  expect(readdirSync(join(t.documentsDir, 'uploads', '.incoming'))).toEqual([]);

  const json = await s.write.post(`/v1/onboardings/${id}/documents`, { datumName: 'formationDocument' });
  expect(json.status).toBe(415);
  expect(problemOf(json).failureType).toBe('UnsupportedMediaType');

  const unknown = await s.write.post(
    '/v1/onboardings/onboarding-US-nope/documents',
    upload({ datumName: 'formationDocument' }, { bytes: Buffer.from('%PDF-1.4'), name: 'a.pdf' }),
  );
  expect(unknown.status).toBe(404);
  expect(problemOf(unknown).failureType).toBe('OnboardingNotFound');
  await onboarding(id).terminate('test done');
});

test('a message the onboarding cannot answer because it ended meanwhile is 409 OnboardingNotReady', async () => {
  const id = await startThrough(s, onboardingInput({ tag: '[manual]' }));
  await waitForProgressOf(s.read, id, (p) => p.step === 'in-review');
  await t.stopMainWorker(); // the update waits on the server...
  try {
    const reply = s.write.post(
      `/v1/onboardings/${id}/sections`,
      { sections: { basicBusinessInfo: { website: 'https://example.com' } } },
      { headers: { 'idempotency-key': randomUUID() } },
    );
    const bytes = readFileSync(join(__dirname, '../../examples/documents/certificate-of-incorporation.pdf'));
    const uploaded = s.write.post(
      `/v1/onboardings/${id}/documents`,
      upload({ datumName: 'formationDocument' }, { bytes, name: 'certificate.pdf' }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    await onboarding(id).terminate('an operator ends it'); // ...and the onboarding ends first
    for (const res of [await reply, await uploaded]) {
      expect([res.status, problemOf(res).failureType]).toEqual([409, 'OnboardingNotReady']);
      expect(problemOf(res).detail).toMatch(/ended before it answered/);
    }
  } finally {
    await t.restartMainWorker();
  }
});

test('a message no worker answers in time is 504 TemporalTimeout, not a hung request', async () => {
  const id = await startThrough(s, onboardingInput({ tag: '[manual]' }));
  await waitForProgressOf(s.read, id, (p) => p.step === 'in-review');
  const impatient = await startService(t, { messageTimeoutMs: 1500 });
  await t.stopMainWorker();
  try {
    const started = Date.now();
    const res = await impatient.write.post(
      `/v1/onboardings/${id}/sections`,
      { sections: { basicBusinessInfo: { website: 'https://example.com' } } },
      { headers: { 'idempotency-key': randomUUID() } },
    );
    expect(res.status).toBe(504);
    expect(problemOf(res).failureType).toBe('TemporalTimeout');
    expect(Date.now() - started).toBeLessThan(10_000);
  } finally {
    await t.restartMainWorker();
    await impatient.app.close();
    await onboarding(id).terminate('test done');
  }
});
