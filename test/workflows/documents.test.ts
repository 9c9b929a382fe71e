// Documents end to end: given by reference, inspected by the worker, checked against the schema's file
// rules before any upload, uploaded once each (also through faults), waited for while missing, and used
// to answer COLLECT_DOCUMENT RFIs. Their bytes never enter workflow history.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { CircleClient } from '../../src/circle/client';
import {
  answerRfiUpdate,
  progressQuery,
  provideDocumentsUpdate,
  type DocumentReference,
  type OnboardingInput,
} from '../../src/contract';
import { clientInput, onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForProgress, waitForStep, type OnboardingHandle } from '../helpers/workflow';

const t = useOnboardingEnv();

/** A string inside the sample PDFs: found in a history only if document bytes went into it. */
const MARKER = 'SAMPLE-DOCUMENT-MARKER-5d1e9c';

const FORMATION: DocumentReference = {
  datumName: 'formationDocument',
  source: 'certificate-of-incorporation.pdf',
};
const REPRESENTATIVE_ID: DocumentReference = {
  datumName: 'authorizedRepGovernmentId',
  documentType: 'passport',
  issuedCountry: 'US',
  source: 'representative-id.png',
};
const OWNER_ID: DocumentReference = {
  datumName: 'beneficialOwnerGovernmentId',
  entityIndex: 0,
  documentType: 'usdl',
  issuedCountry: 'US',
  source: 'owner-id.jpg',
};
const ALL = [FORMATION, REPRESENTATIVE_ID, OWNER_ID];

/** A trust: its template asks for a formation document and identity documents. */
function trustInput(documents: DocumentReference[], tag = ''): OnboardingInput {
  const client = clientInput(
    { businessDetails: { natureOfBusiness: 'familyOffice', institutionType: 'trust' } },
    tag,
  );
  return { ...onboardingInput({ client }), documents };
}

const circle = () => new CircleClient({ baseUrl: t.sim.url, apiKey: 'TEST_API_KEY:local:simulator' });

/** Every payload of the run's history, decoded to text (what a reader of the history could see). */
async function historyPayloads(handle: OnboardingHandle): Promise<string> {
  const texts: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if ('metadata' in o && 'data' in o) {
      const data = o.data;
      const bytes = typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.from(data as Uint8Array);
      texts.push(bytes.toString('latin1'));
    }
    Object.values(o).forEach(walk);
  };
  walk(JSON.parse(JSON.stringify(await handle.fetchHistory())));
  return texts.join('\n');
}

test('the required documents are uploaded once each and the onboarding completes', async () => {
  const handle = await start(t, trustInput(ALL));
  const result = await handle.result();

  const docs = await circle().listDocuments(result.applicationId);
  expect(docs.map((d) => d.datumName).sort()).toEqual([
    'authorizedRepGovernmentId',
    'beneficialOwnerGovernmentId',
    'formationDocument',
  ]);
  expect(result.idempotencyKeys.documents).toHaveLength(3);
  const { documents } = await handle.query(progressQuery);
  expect(documents.map((d) => d.state)).toEqual(['uploaded', 'uploaded', 'uploaded']);

  // Claim check: the history holds each file's SHA-256, never its bytes.
  expect(readFileSync(join(t.documentsDir, FORMATION.source), 'latin1')).toContain(MARKER);
  const text = await historyPayloads(handle);
  expect(text).not.toContain(MARKER);
  expect(text).not.toContain('%PDF-');
  for (const d of documents) expect(text).toContain(d.sha256);
});

test('a missing document is waited for in awaiting-documents, then given by update', async () => {
  const handle = await start(t, trustInput([REPRESENTATIVE_ID, OWNER_ID]));
  const waiting = await waitForStep(handle, 'awaiting-documents');
  expect(waiting.missingDocuments).toEqual([
    expect.objectContaining({
      section: 'basicBusinessInfo',
      datumName: 'formationDocument',
      acceptedTypes: ['application/pdf', 'image/jpeg', 'image/png'],
      maxSizeMb: 10,
      needsIssuedCountry: false,
    }),
  ]);
  expect(waiting.sectionErrors).toEqual([
    expect.objectContaining({ path: 'basicBusinessInfo', error: 'documents_missing' }),
  ]);
  expect(t.sim.control.state().submissions).toBe(0);

  const reply = await handle.executeUpdate(provideDocumentsUpdate, { args: [{ documents: [FORMATION] }] });
  expect(reply.missingDocuments).toEqual([]);
  expect(reply.documentErrors).toEqual([]);
  const result = await handle.result();
  expect((await circle().listDocuments(result.applicationId)).map((d) => d.datumName).sort()).toEqual([
    'authorizedRepGovernmentId',
    'beneficialOwnerGovernmentId',
    'formationDocument',
  ]);
});

test('a document of the wrong type is refused before any upload, with its field named', async () => {
  // A `.pdf` name over text, and PNG bytes named `.pdf` for a field that takes PDF and Word files only.
  writeFileSync(join(t.documentsDir, 'notes.pdf'), 'just some text, not a PDF');
  const aml: DocumentReference = {
    datumName: 'amlPolicyDocument',
    source: 'representative-id.png',
    fileName: 'aml-policy.pdf',
  };
  const handle = await start(
    t,
    trustInput([{ ...FORMATION, source: 'notes.pdf' }, REPRESENTATIVE_ID, OWNER_ID, aml]),
  );
  const waiting = await waitForProgress(
    handle,
    (p) => p.step === 'awaiting-documents' && p.documentErrors.length > 0,
  );

  expect(waiting.documentErrors).toEqual([
    expect.objectContaining({ path: 'basicBusinessInfo.formationDocument', error: 'unrecognized_type' }),
    expect.objectContaining({ path: 'complianceProfile.amlPolicyDocument', error: 'unrecognized_type' }),
  ]);
  const uploads = t.sim.control
    .state()
    .requests.filter((r) => r.method === 'POST' && r.path.endsWith('/documents'));
  expect(uploads).toEqual([]);
  expect(await circle().listDocuments(waiting.applicationId!)).toEqual([]);

  const reply = await handle.executeUpdate(provideDocumentsUpdate, {
    args: [{ documents: [FORMATION, { ...aml, source: 'proof-of-address.pdf' }] }],
  });
  expect(reply.documentErrors).toEqual([]);
  const result = await handle.result();
  expect(await circle().listDocuments(result.applicationId)).toHaveLength(4);
});

test('a correction replaces the document at Circle: the new one is uploaded, the old one removed', async () => {
  const handle = await start(t, trustInput([FORMATION, REPRESENTATIVE_ID]));
  const waiting = await waitForProgress(
    handle,
    (p) => p.step === 'awaiting-documents' && p.documents.every((d) => d.state === 'uploaded'),
  );
  const before = await circle().listDocuments(waiting.applicationId!);
  const oldFormation = before.find((d) => d.datumName === 'formationDocument')!;

  await handle.executeUpdate(provideDocumentsUpdate, {
    args: [
      { documents: [{ ...FORMATION, source: 'proof-of-address.pdf', fileName: 'trust-deed.pdf' }, OWNER_ID] },
    ],
  });
  const result = await handle.result();
  const after = await circle().listDocuments(result.applicationId);
  const formations = after.filter((d) => d.datumName === 'formationDocument');
  expect(formations).toHaveLength(1);
  expect(formations[0]!.documentId).not.toBe(oldFormation.documentId);
  expect(formations[0]!.fileName).toBe('trust-deed.pdf');
});

test('a document corrected and then given again (A, B, A) is uploaded again, and the field is never left empty', async () => {
  const handle = await start(t, trustInput([FORMATION, REPRESENTATIVE_ID]));
  const uploaded = (p: { documents: { datumName: string; state: string; version: number }[] }, v: number) =>
    p.documents.some((d) => d.datumName === 'formationDocument' && d.state === 'uploaded' && d.version === v);
  const waiting = await waitForProgress(handle, (p) => p.step === 'awaiting-documents' && uploaded(p, 0));
  const formations = async () =>
    (await circle().listDocuments(waiting.applicationId!)).filter((d) => d.datumName === 'formationDocument');
  const [a] = await formations();

  const B = { ...FORMATION, source: 'proof-of-address.pdf', fileName: 'trust-deed.pdf' };
  await handle.executeUpdate(provideDocumentsUpdate, { args: [{ documents: [B] }] });
  await waitForProgress(handle, (p) => uploaded(p, 1));
  expect((await formations()).map((d) => d.fileName)).toEqual(['trust-deed.pdf']);

  // A again: a new upload (its first key would replay the deleted one), and B goes only after it.
  await handle.executeUpdate(provideDocumentsUpdate, { args: [{ documents: [FORMATION, OWNER_ID] }] });
  const result = await handle.result();
  const now = await formations();
  expect(now).toHaveLength(1);
  expect(now[0]!.documentId).not.toBe(a!.documentId);
  expect(now[0]!.fileName).toBe(a!.fileName);
  expect(result.idempotencyKeys.documents).toHaveLength(5); // A, B, A again, the ID and the owner's ID
});

test('with drop-after-commit and 500 faults on uploads, each document exists exactly once', async () => {
  t.sim.control.setFaults([
    {
      method: 'POST',
      path: '/v1/onboarding/partner/applications/*/documents',
      mode: 'drop-after-commit',
      times: 2,
    },
    {
      method: 'POST',
      path: '/v1/onboarding/partner/applications/*/documents',
      mode: 'error',
      status: 500,
      times: 2,
    },
  ]);
  const handle = await start(t, trustInput(ALL));
  const result = await handle.result();

  const faults = t.sim.control.faults();
  expect(faults.map((f) => f.applied)).toEqual([2, 2]);
  const docs = await circle().listDocuments(result.applicationId);
  expect(docs.map((d) => d.datumName).sort()).toEqual([
    'authorizedRepGovernmentId',
    'beneficialOwnerGovernmentId',
    'formationDocument',
  ]);
});

test('a COLLECT_DOCUMENT RFI is answered with a document and the onboarding completes', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi-document]' }));
  const progress = await waitForProgress(
    handle,
    (p) => p.step === 'awaiting-rfi-answers' && p.rfis.some((r) => r.state === 'open'),
  );
  const rfi = progress.rfis[0]!;
  expect(rfi).toMatchObject({
    type: 'COLLECT_DOCUMENT',
    section: 'businessAddress',
    field: 'proofOfAddress',
  });

  // Data is the wrong kind of answer for a document RFI: refused, the RFI stays open.
  const wrong = await handle
    .executeUpdate(answerRfiUpdate, { args: [{ rfiId: rfi.rfiId, answer: { proofOfAddress: 'x' } }] })
    .catch((e: unknown) => e);
  expect(wrong).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(((wrong as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('InvalidRfiAnswer');

  await expect(
    handle.executeUpdate(answerRfiUpdate, {
      args: [{ rfiId: rfi.rfiId, document: { source: 'proof-of-address.pdf' } }],
    }),
  ).resolves.toEqual({ rfiId: rfi.rfiId, status: 'answered' });
  const result = await handle.result();
  expect(result.submissionRounds).toBe(2);
  const docs = await circle().listDocuments(result.applicationId);
  expect(docs).toEqual([
    expect.objectContaining({ datumName: 'proofOfAddress', fileName: 'proof-of-address.pdf' }),
  ]);
  const detail = await circle().getRfi(result.applicationId, rfi.rfiId);
  expect(detail.status).toBe('RESPONDED');
});

test('provideDocuments refuses malformed references with a typed rejection', async () => {
  const handle = await start(t, trustInput([REPRESENTATIVE_ID, OWNER_ID]));
  await waitForStep(handle, 'awaiting-documents');
  const refused = await handle
    .executeUpdate(provideDocumentsUpdate, {
      args: [{ documents: [{ datumName: 'formationDocument', source: '../etc/passwd' }] }],
    })
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
  expect(cause.type).toBe('DocumentsNotAccepted');
  expect(cause.message).toMatch(/documents\.0\.source/);
  await handle.cancel();
});

test("a signed URL's secret (its query string) is never shown: progress and replies show the source without it", async () => {
  const signed =
    'https://127.0.0.1:9/deed.pdf?X-Amz-Signature=s3cr3t-signature&X-Amz-Credential=AKIAEXAMPLE#p2';
  const handle = await start(t, trustInput([{ ...FORMATION, source: signed }]));
  const progress = await waitForProgress(handle, (p) => p.documents.length === 1);
  expect(progress.documents[0]!.source).toBe('https://127.0.0.1:9/deed.pdf');
  const reply = await handle.executeUpdate(provideDocumentsUpdate, {
    args: [
      { documents: [{ ...REPRESENTATIVE_ID, source: `https://127.0.0.1:9/id.png?sig=s3cr3t-signature` }] },
    ],
  });
  const shown = JSON.stringify([await handle.query(progressQuery), reply]);
  expect(shown).not.toContain('s3cr3t');
  expect(shown).not.toContain('AKIAEXAMPLE');
  expect(shown).toContain('https://127.0.0.1:9/id.png');
  await handle.terminate('test done');
});
