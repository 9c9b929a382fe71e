// The Circle client's document methods against the simulator over loopback: multipart upload (replayed
// under its idempotency key), list, download, delete, and the typed error of a refused upload.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CircleClient } from '../../src/circle/client';
import { DOCUMENT_REJECTED_CODE, type CreateClientBody } from '../../src/circle/wire';
import { rejection } from '../helpers/partner-api';
import { exampleApplicationData, startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
let circle: CircleClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, reviewDelayMs: 10, accountActivationDelayMs: 10 });
  circle = new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:local:simulator', timeoutMs: 5000 });
});
afterAll(() => sim?.close());
beforeEach(() => sim.control.reset());

const sample = (name: string) => readFileSync(join(__dirname, '..', '..', 'examples', 'documents', name));
const PDF = sample('certificate-of-incorporation.pdf');
const PNG = sample('representative-id.png');
const JPEG = sample('owner-id.jpg');

const TRUST = { natureOfBusiness: 'familyOffice', institutionType: 'trust' } as const;
const client = (): CreateClientBody => ({
  clientName: `Harbor Trust ${randomUUID().slice(0, 8)}`,
  country: 'US',
  clientType: 'business',
  businessDetails: { ...TRUST },
});

/** A trust's application with its data saved; its one beneficial owner's refId. */
async function trustApplication() {
  const { applicationId } = await circle.createClient(client(), randomUUID());
  await circle.saveSections(applicationId, exampleApplicationData(TRUST));
  const owners = (await circle.getData(applicationId)).beneficialOwners as { refId: string }[];
  return { applicationId, refId: owners[0]!.refId };
}

test('uploads (the same key replays), lists with refIds, downloads the bytes, deletes', async () => {
  const { applicationId, refId } = await trustApplication();
  const parts = { datumName: 'formationDocument', fileName: 'Stiftungsurkunde Überseering.pdf' };
  const key = randomUUID();
  const formation = await circle.uploadDocument(applicationId, parts, PDF, key);
  expect(formation).toEqual({ documentId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  await expect(circle.uploadDocument(applicationId, parts, PDF, key)).resolves.toEqual(formation);
  const owner = await circle.uploadDocument(
    applicationId,
    {
      datumName: 'beneficialOwnerGovernmentId',
      fileName: 'owner-id.jpg',
      refId,
      documentType: 'passport',
      issuedCountry: 'DE',
    },
    new Uint8Array(JPEG),
    randomUUID(),
  );

  await expect(circle.listDocuments(applicationId)).resolves.toEqual([
    {
      datumName: 'formationDocument',
      documentId: formation.documentId,
      fileName: 'Stiftungsurkunde Überseering.pdf',
      uploadedAt: expect.any(String),
    },
    {
      datumName: 'beneficialOwnerGovernmentId',
      documentId: owner.documentId,
      fileName: 'owner-id.jpg',
      uploadedAt: expect.any(String),
      refId,
    },
  ]);
  const bytes = await circle.downloadDocument(applicationId, owner.documentId);
  expect(Buffer.isBuffer(bytes) && bytes.equals(JPEG)).toBe(true);

  await expect(circle.deleteDocument(applicationId, owner.documentId)).resolves.toBeUndefined();
  expect((await circle.listDocuments(applicationId)).map((d) => d.documentId)).toEqual([
    formation.documentId,
  ]);
  const gone = await rejection(circle.deleteDocument(applicationId, owner.documentId));
  expect(gone).toMatchObject({ status: 404, operation: 'deleteDocument' });
});

test('a refused upload is a PartnerApiError: 400, code 181102, each problem as a field error', async () => {
  const { applicationId } = await trustApplication();
  const err = await rejection(
    circle.uploadDocument(
      applicationId,
      { datumName: 'authorizedRepGovernmentId', fileName: 'id".png', documentType: 'visa' },
      Buffer.from('not an image'),
      randomUUID(),
    ),
  );
  expect(err).toMatchObject({
    provider: 'circle',
    kind: 'http',
    operation: 'uploadDocument',
    status: 400,
    code: DOCUMENT_REJECTED_CODE,
    providerMessage: expect.stringMatching(/^Document rejected: /),
  });
  expect(err.fieldErrors).toEqual([
    { path: 'fileContent', error: 'unrecognized_type', message: 'fileContent: unrecognized_type' },
    { path: 'fileName', error: 'invalid_file_name', message: 'fileName: invalid_file_name' },
    { path: 'documentType', error: 'invalid_value', message: 'documentType: invalid_value' },
    { path: 'issuedCountry', error: 'required', message: 'issuedCountry: required' },
  ]);
  await expect(circle.listDocuments(applicationId)).resolves.toEqual([]);
});

test("a failed download's JSON error body is read from the binary answer", async () => {
  const { applicationId } = await trustApplication();
  const err = await rejection(circle.downloadDocument(applicationId, randomUUID()));
  expect(err).toMatchObject({ status: 404, code: 404, providerMessage: 'Document not found.' });
  const unknownApp = await rejection(circle.downloadDocument(randomUUID(), randomUUID()));
  expect(unknownApp).toMatchObject({ status: 404, code: 181103 });
});

test('with every required document uploaded the application submits; a lost answer replays on retry', async () => {
  const { applicationId, refId } = await trustApplication();
  sim.control.setFaults([
    {
      method: 'POST',
      path: '/v1/onboarding/partner/applications/*/documents',
      mode: 'drop-after-commit',
      times: 1,
    },
  ]);
  const key = randomUUID();
  const formation = { datumName: 'formationDocument', fileName: 'trust-deed.pdf' };
  expect((await rejection(circle.uploadDocument(applicationId, formation, PDF, key))).kind).toBe('network');
  const retried = await circle.uploadDocument(applicationId, formation, PDF, key);
  const ids = { documentType: 'usid', issuedCountry: 'US' };
  await circle.uploadDocument(
    applicationId,
    { datumName: 'authorizedRepGovernmentId', fileName: 'rep.png', ...ids },
    PNG,
    randomUUID(),
  );
  await circle.uploadDocument(
    applicationId,
    { datumName: 'beneficialOwnerGovernmentId', fileName: 'owner.jpg', refId, ...ids },
    JPEG,
    randomUUID(),
  );
  const documents = await circle.listDocuments(applicationId);
  expect(documents.filter((d) => d.datumName === 'formationDocument')).toEqual([
    expect.objectContaining({ documentId: retried.documentId }),
  ]);
  const submitted = await circle.submit(
    applicationId,
    { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.9' },
    randomUUID(),
  );
  expect(submitted.status).toBe('SUBMITTED');
});
