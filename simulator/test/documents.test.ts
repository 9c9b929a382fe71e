import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AxiosResponse } from 'axios';
import { INSTITUTION_TYPES } from '../circle-enums';
import { documentFieldsOf } from '../document-fields';
import { maxBytesOf } from '../file-rules';
import {
  AUTOMATIC_DOCUMENT_RFI,
  DOCUMENT_INSTITUTION_TYPES,
  UPLOAD_FILE_LIMIT_BYTES,
  buildTemplate,
  defaultPlan,
  exampleApplicationData,
} from '../index';
import {
  APPS,
  createClient,
  fill,
  idem,
  submit,
  useTestSimulator,
  waitForStatus,
  type Profile,
} from './support';

const TRUST: Profile = { natureOfBusiness: 'familyOffice', institutionType: 'trust' };
const sample = (name: string) => readFileSync(join(__dirname, '..', '..', 'examples', 'documents', name));
const PDF = sample('certificate-of-incorporation.pdf');
const PNG = sample('representative-id.png');
const JPEG = sample('owner-id.jpg');
const PROOF = sample('proof-of-address.pdf');
// The smallest headers that make an office file: a ZIP local-file header (docx) and the OLE2 signature (doc).
const DOCX = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60, 0x20)]);
const DOC = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(60)]);
const TEXT = Buffer.from('This is plain text, whatever its name says.\n');
const MIB = 1024 * 1024;
/** `bytes` padded with zeros to `size` (the signature stays, so the type is still detected). */
const padded = (bytes: Buffer, size: number) => Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]);

type Parts = Record<string, string | undefined>;
type Status = { sectionName: string; status: string };
const statusOf = (sections: Status[]) => Object.fromEntries(sections.map((s) => [s.sectionName, s.status]));

const FORMATION = { datumName: 'formationDocument', fileName: 'certificate-of-incorporation.pdf' };
const REP_ID = {
  datumName: 'authorizedRepGovernmentId',
  fileName: 'representative-id.png',
  documentType: 'passport',
  issuedCountry: 'US',
};
const OWNER_ID = {
  datumName: 'beneficialOwnerGovernmentId',
  fileName: 'owner-id.jpg',
  documentType: 'usdl',
  issuedCountry: 'US',
};

describe('documents', () => {
  const t = useTestSimulator();
  const url = (app: string, p = '') => `${APPS}/${app}/documents${p}`;

  /** A multipart upload; `file: null` leaves fileContent out. The declared type is deliberately wrong. */
  function upload(app: string, parts: Parts, file: Buffer | null, key: string | null = randomUUID()) {
    const form = new FormData();
    for (const [name, value] of Object.entries(parts)) if (value !== undefined) form.append(name, value);
    if (file) form.append('fileContent', new Blob([file], { type: 'application/pdf' }), 'upload.bin');
    return t.circle.post(url(app), form, key ? { headers: { 'X-Idempotency-Key': key } } : {});
  }

  const list = async (app: string) =>
    (await t.circle.get(url(app))).data.documents as Record<string, unknown>[];

  /** A trust's application with every section's data saved; returns it and its one owner's refId. */
  async function trustApplication(name?: string) {
    const { applicationId } = await createClient(t.circle, name, TRUST);
    await fill(t.circle, applicationId, TRUST);
    const owners = await t.circle.get(`${APPS}/${applicationId}/sections/beneficialOwners`);
    return { app: applicationId, refId: owners.data.data[0].refId as string };
  }

  async function uploadAll(app: string, refId: string) {
    for (const [parts, file] of [
      [FORMATION, PDF],
      [REP_ID, PNG],
      [{ ...OWNER_ID, refId }, JPEG],
    ] as const) {
      const res = await upload(app, parts, file);
      expect(res.status).toBe(201);
    }
  }

  function expectRejected(res: AxiosResponse, errors: { field: string; code: string }[]) {
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      code: 181102,
      message: expect.stringMatching(/^Document rejected: /),
      errors,
    });
    for (const e of errors) expect(res.data.message).toContain(`${e.field} ${e.code}`);
  }

  describe('templates', () => {
    it('institution types without a register entry get document fields; privateCo and publicCo get none', () => {
      expect([...DOCUMENT_INSTITUTION_TYPES].sort()).toEqual(
        INSTITUTION_TYPES.filter((i) => i !== 'privateCo' && i !== 'publicCo'),
      );
      for (const institutionType of ['privateCo', 'publicCo'] as const) {
        const { schema } = buildTemplate({ natureOfBusiness: 'paymentProcessorPlatform', institutionType });
        expect(documentFieldsOf(schema)).toEqual([]);
      }
    });

    it.each(DOCUMENT_INSTITUTION_TYPES)(
      '%s: the four document fields with their rules',
      (institutionType) => {
        const { schema } = buildTemplate({ natureOfBusiness: 'familyOffice', institutionType });
        const pdfOrImage = ['application/pdf', 'image/jpeg', 'image/png'];
        const ids = ['passport', 'usdl', 'usid'];
        expect(documentFieldsOf(schema)).toEqual([
          {
            section: 'basicBusinessInfo',
            datumName: 'formationDocument',
            perEntity: false,
            required: true,
            acceptedTypes: pdfOrImage,
            maxSizeMb: 10,
            title: 'Certificate of incorporation, trust deed or partnership agreement',
          },
          {
            section: 'authorizedRepresentative',
            datumName: 'authorizedRepGovernmentId',
            perEntity: false,
            required: true,
            acceptedTypes: pdfOrImage,
            maxSizeMb: 5,
            documentTypes: ids,
            title: expect.any(String),
          },
          {
            section: 'complianceProfile',
            datumName: 'amlPolicyDocument',
            perEntity: false,
            required: false,
            acceptedTypes: [
              'application/pdf',
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
              'application/msword',
            ],
            maxSizeMb: 10,
            title: 'AML policy',
          },
          {
            section: 'beneficialOwners',
            datumName: 'beneficialOwnerGovernmentId',
            perEntity: true,
            required: true,
            acceptedTypes: pdfOrImage,
            maxSizeMb: 5,
            documentTypes: ids,
            title: expect.any(String),
          },
        ]);
        const props = (schema.properties as Record<string, { properties: Record<string, unknown> }>)
          .basicBusinessInfo!.properties;
        expect(props.formationDocument).toEqual({
          type: 'string',
          title: 'Certificate of incorporation, trust deed or partnership agreement',
          'x-fileUpload': { acceptedTypes: pdfOrImage, maxSizeMb: 10 },
        });
      },
    );

    it('the upload limit lies above every file field, so oversized files are reported, not cut off unseen', () => {
      const requested = { section: 'businessAddress', field: 'proofOfAddress', kind: 'document' as const };
      for (const institutionType of DOCUMENT_INSTITUTION_TYPES) {
        const { schema } = buildTemplate({ natureOfBusiness: 'familyOffice', institutionType }, [requested]);
        for (const f of documentFieldsOf(schema)) expect(maxBytesOf(f)).toBeLessThan(UPLOAD_FILE_LIMIT_BYTES);
      }
    });

    it('the served schema is the template; data stays valid without documents', async () => {
      const { applicationId } = await createClient(t.circle, undefined, TRUST);
      const schema = (await t.circle.get(`${APPS}/${applicationId}/schema`)).data;
      expect(documentFieldsOf(schema).map((f) => f.datumName)).toContain('formationDocument');
      const res = await t.circle.patch(`${APPS}/${applicationId}/data`, exampleApplicationData(TRUST));
      expect(res.status).toBe(200);
    });
  });

  describe('upload, list, download, delete', () => {
    it('stores each document, lists it (refId for entity documents), serves its bytes, deletes it', async () => {
      const { app, refId } = await trustApplication();
      const formation = await upload(app, FORMATION, PDF);
      expect(formation.status).toBe(201);
      expect(formation.data).toEqual({ documentId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      const rep = await upload(app, REP_ID, PNG);
      const owner = await upload(app, { ...OWNER_ID, refId }, JPEG);
      expect([rep.status, owner.status]).toEqual([201, 201]);

      expect(await list(app)).toEqual([
        {
          datumName: 'formationDocument',
          documentId: formation.data.documentId,
          fileName: 'certificate-of-incorporation.pdf',
          uploadedAt: expect.any(String),
        },
        {
          datumName: 'authorizedRepGovernmentId',
          documentId: rep.data.documentId,
          fileName: 'representative-id.png',
          uploadedAt: expect.any(String),
        },
        {
          datumName: 'beneficialOwnerGovernmentId',
          documentId: owner.data.documentId,
          fileName: 'owner-id.jpg',
          uploadedAt: expect.any(String),
          refId,
        },
      ]);

      for (const [res, bytes, type] of [
        [formation, PDF, 'application/pdf'],
        [rep, PNG, 'image/png'],
        [owner, JPEG, 'image/jpeg'],
      ] as const) {
        const file = await t.circle.get(url(app, `/${res.data.documentId}`), { responseType: 'arraybuffer' });
        expect(file.status).toBe(200);
        expect(file.headers['content-type']).toBe(type);
        expect(Buffer.from(file.data).equals(bytes)).toBe(true);
      }

      const deleted = await t.circle.delete(url(app, `/${rep.data.documentId}`));
      expect(deleted.status).toBe(200);
      expect(deleted.data).toEqual({ message: 'Document deleted' });
      expect((await list(app)).map((d) => d.documentId)).toEqual([
        formation.data.documentId,
        owner.data.documentId,
      ]);
      expect((await t.circle.get(url(app, `/${rep.data.documentId}`))).status).toBe(404);
      expect((await t.circle.delete(url(app, `/${rep.data.documentId}`))).status).toBe(404);
    });

    it('sanitizes the file name (strips / and \\, trims) and sends it back as the attachment name', async () => {
      const { app } = await trustApplication();
      const res = await upload(
        app,
        { ...FORMATION, fileName: '  scans/2024\\trust deed (signed).pdf ' },
        PDF,
      );
      expect(res.status).toBe(201);
      expect((await list(app))[0]!.fileName).toBe('scans2024trust deed (signed).pdf');
      const file = await t.circle.get(url(app, `/${res.data.documentId}`));
      expect(file.headers['content-disposition']).toBe(
        `attachment; filename*=UTF-8''${encodeURIComponent('scans2024trust deed (signed).pdf')}`,
      );
    });

    it('office files pass only where the field lists them, and download with that type', async () => {
      const { app } = await trustApplication();
      const aml = { datumName: 'amlPolicyDocument' };
      const docx = await upload(app, { ...aml, fileName: 'aml-policy.docx' }, DOCX);
      const doc = await upload(app, { ...aml, fileName: 'aml-policy.doc' }, DOC);
      expect([docx.status, doc.status]).toEqual([201, 201]);
      const typeOf = async (id: string) => (await t.circle.get(url(app, `/${id}`))).headers['content-type'];
      expect(await typeOf(docx.data.documentId)).toBe(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      );
      expect(await typeOf(doc.data.documentId)).toBe('application/msword');
      expectRejected(await upload(app, { ...FORMATION, fileName: 'deed.docx' }, DOCX), [
        { field: 'fileContent', code: 'unrecognized_type' },
      ]);
      expectRejected(await upload(app, { ...FORMATION, fileName: 'deed.doc' }, DOC), [
        { field: 'fileContent', code: 'unrecognized_type' },
      ]);
    });

    it('404 for an unknown application or document', async () => {
      const unknown = randomUUID();
      const res = await upload(unknown, FORMATION, PDF);
      expect(res.status).toBe(404);
      expect(res.data).toEqual({ code: 181103, message: 'Not found' });
      expect((await t.circle.get(url(unknown))).data).toEqual({ code: 181103, message: 'Not found' });
      const { app } = await trustApplication();
      expect((await t.circle.get(url(app, `/${randomUUID()}`))).data).toEqual({
        code: 404,
        message: 'Document not found.',
      });
      expect((await t.circle.delete(url(app, `/${randomUUID()}`))).status).toBe(404);
    });
  });

  describe('rules: 400 with code 181102 and errors [{field, code}]', () => {
    let app: string;
    let refId: string;
    beforeEach(async () => {
      ({ app, refId } = await trustApplication());
    });
    afterEach(async () => {
      expect(await list(app)).toEqual([]); // a refused upload stores nothing
    });

    it('judges the type by the bytes, never by the name or the declared content type', async () => {
      expectRejected(await upload(app, { ...FORMATION, fileName: 'deed.pdf' }, TEXT), [
        { field: 'fileContent', code: 'unrecognized_type' },
      ]);
      // PNG bytes named .pdf, on a field that takes PDF and Word only.
      const policy = await upload(app, { datumName: 'amlPolicyDocument', fileName: 'policy.pdf' }, PNG);
      expectRejected(policy, [{ field: 'fileContent', code: 'unrecognized_type' }]);
      expect(policy.data.message).toContain('PNG');
    });

    it('an empty file', async () => {
      expectRejected(await upload(app, FORMATION, Buffer.alloc(0)), [
        { field: 'fileContent', code: 'unrecognized_type' },
        { field: 'fileContent', code: 'empty_file' },
      ]);
    });

    it("too_large above the field's maxSizeMb, and above the simulator's own limit", async () => {
      expect((await upload(app, REP_ID, padded(PNG, 5 * MIB))).status).toBe(201);
      await t.circle.delete(url(app, `/${(await list(app))[0]!.documentId}`));
      expectRejected(await upload(app, REP_ID, padded(PNG, 5 * MIB + 1)), [
        { field: 'fileContent', code: 'too_large' },
      ]);
      expectRejected(await upload(app, FORMATION, padded(PDF, 10 * MIB + 1)), [
        { field: 'fileContent', code: 'too_large' },
      ]);
      expectRejected(await upload(app, FORMATION, padded(PDF, UPLOAD_FILE_LIMIT_BYTES + MIB)), [
        { field: 'fileContent', code: 'too_large' },
      ]);
    });

    it.each(['deed".pdf', "o'brien.pdf", 'deed<1>.pdf', ' / \\ ', 'x'.repeat(252) + '.pdf'])(
      'a bad file name: %j',
      async (fileName) => {
        expectRejected(await upload(app, { ...FORMATION, fileName }, PDF), [
          { field: 'fileName', code: 'invalid_file_name' },
        ]);
      },
    );

    it('documentType: required and checked where the field lists types, ignored elsewhere', async () => {
      expectRejected(await upload(app, { ...REP_ID, documentType: undefined }, PNG), [
        { field: 'documentType', code: 'required' },
      ]);
      expectRejected(await upload(app, { ...REP_ID, documentType: 'idNotarization' }, PNG), [
        { field: 'documentType', code: 'invalid_value' },
      ]);
      const ignored = await upload(app, { ...FORMATION, documentType: 'not-a-type' }, PDF);
      expect(ignored.status).toBe(201);
      await t.circle.delete(url(app, `/${ignored.data.documentId}`));
    });

    it('issuedCountry: required for identity documents, ISO alpha-2 in upper case', async () => {
      expectRejected(await upload(app, { ...REP_ID, issuedCountry: undefined }, PNG), [
        { field: 'issuedCountry', code: 'required' },
      ]);
      for (const issuedCountry of ['us', 'USA', '']) {
        expectRejected(await upload(app, { ...REP_ID, issuedCountry }, PNG), [
          { field: 'issuedCountry', code: 'invalid_value' },
        ]);
      }
    });

    it('refId: required in array sections, must name an entity, refused on flat sections', async () => {
      expectRejected(await upload(app, OWNER_ID, JPEG), [{ field: 'refId', code: 'required' }]);
      expectRejected(await upload(app, { ...OWNER_ID, refId: randomUUID() }, JPEG), [
        { field: 'refId', code: 'invalid_value' },
      ]);
      expectRejected(await upload(app, { ...FORMATION, refId }, PDF), [
        { field: 'refId', code: 'invalid_value' },
      ]);
    });

    it('datumName must be a file field of a section that applies', async () => {
      for (const datumName of ['passportScan', 'legalName', 'refId']) {
        expectRejected(await upload(app, { ...FORMATION, datumName }, PDF), [
          { field: 'datumName', code: 'unknown_field' },
        ]);
      }
      // Without beneficial owners their section does not apply, nor does its document field.
      await t.circle.put(`${APPS}/${app}/sections/basicBusinessInfo`, {
        ...(exampleApplicationData(TRUST).basicBusinessInfo as object),
        beneficialOwnersExist: false,
      });
      expectRejected(await upload(app, { ...OWNER_ID, refId }, JPEG), [
        { field: 'datumName', code: 'unknown_field' },
      ]);
    });

    it('missing, unknown, repeated and misplaced parts', async () => {
      expectRejected(await upload(app, { colour: 'blue' }, null), [
        { field: 'colour', code: 'unknown_field' },
        { field: 'fileContent', code: 'required' },
        { field: 'fileName', code: 'required' },
        { field: 'datumName', code: 'required' },
      ]);
      const form = new FormData();
      form.append('datumName', 'formationDocument');
      form.append('fileName', 'a.pdf');
      form.append('fileName', 'b.pdf');
      form.append('fileContent', 'not a file part');
      const res = await t.circle.post(url(app), form, idem());
      expectRejected(res, [
        { field: 'fileName', code: 'invalid_value' },
        { field: 'fileContent', code: 'invalid_value' },
      ]);
    });

    it('reports every problem at once', async () => {
      const res = await upload(
        app,
        { ...OWNER_ID, fileName: 'id".jpg', documentType: 'visa', issuedCountry: undefined },
        TEXT,
      );
      expectRejected(res, [
        { field: 'refId', code: 'required' },
        { field: 'fileContent', code: 'unrecognized_type' },
        { field: 'fileName', code: 'invalid_file_name' },
        { field: 'documentType', code: 'invalid_value' },
        { field: 'issuedCountry', code: 'required' },
      ]);
    });

    it('request-level problems answer Circle errors: no key 400, not multipart 415, malformed 400', async () => {
      const noKey = await upload(app, FORMATION, PDF, null);
      expect(noKey.status).toBe(400);
      expect(noKey.data).toEqual({ code: 400, message: 'X-Idempotency-Key header is required.' });
      const json = await t.circle.post(url(app), { datumName: 'formationDocument' }, idem());
      expect(json.status).toBe(415);
      expect(json.data).toEqual({ code: 415, message: 'Send the document as multipart/form-data.' });
      const truncated = Buffer.from(
        '--xyz\r\nContent-Disposition: form-data; name="fileName"\r\n\r\nab',
        'latin1',
      );
      const malformed = await t.circle.post(url(app), truncated, {
        headers: { 'Content-Type': 'multipart/form-data; boundary=xyz', ...idem().headers },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.data).toEqual({
        code: 400,
        message: expect.stringMatching(/^Malformed multipart body/),
      });
      const unauthenticated = await t.http.post(url(app), new FormData(), idem());
      expect(unauthenticated.status).toBe(401);
    });
  });

  describe('idempotency', () => {
    it('the same key and upload replays (one document); another file under the key is a 422', async () => {
      const { app } = await trustApplication();
      const key = randomUUID();
      const first = await upload(app, FORMATION, PDF, key);
      expect(first.status).toBe(201);
      const replay = await upload(app, FORMATION, PDF, key);
      expect(replay.status).toBe(201);
      expect(replay.data).toEqual(first.data);
      const otherFile = await upload(app, FORMATION, PROOF, key);
      expect(otherFile.status).toBe(422);
      expect(otherFile.data.message).toMatch(/already used with a different request body/);
      const otherName = await upload(app, { ...FORMATION, fileName: 'deed.pdf' }, PDF, key);
      expect(otherName.status).toBe(422);
      expect((await list(app)).map((d) => d.documentId)).toEqual([first.data.documentId]);
      const uploads = t.sim.control
        .state()
        .requests.filter((r) => r.method === 'POST' && r.path === url(app));
      expect(uploads.map((r) => [r.status, r.replay])).toEqual([
        [201, false],
        [201, true],
        [422, false],
        [422, false],
      ]);
    });

    it('a new key stores another document; a refused upload can be corrected under its key', async () => {
      const { app } = await trustApplication();
      expect((await upload(app, FORMATION, PDF)).status).toBe(201);
      expect((await upload(app, FORMATION, PDF)).status).toBe(201);
      const key = randomUUID();
      expect((await upload(app, { ...REP_ID, issuedCountry: 'usa' }, PNG, key)).status).toBe(400);
      expect((await upload(app, REP_ID, PNG, key)).status).toBe(201);
      expect(await list(app)).toHaveLength(3);
    });
  });

  describe('application status', () => {
    it('409 for uploads and deletions unless DRAFT or PENDING_CUSTOMER_INFORMATION; reads still work', async () => {
      const { app, refId } = await trustApplication('Steady Trust [manual]');
      await uploadAll(app, refId);
      const [first] = await list(app);
      expect((await submit(t.circle, app)).status).toBe(200);
      const late = await upload(app, { datumName: 'amlPolicyDocument', fileName: 'aml.pdf' }, PDF);
      expect(late.status).toBe(409);
      // SUBMITTED, or IN_REVIEW already when the machine is slow: immutable either way.
      expect(late.data).toEqual({ code: 409, message: expect.stringMatching(/SUBMITTED|IN_REVIEW/) });
      expect((await t.circle.delete(url(app, `/${first!.documentId}`))).status).toBe(409);
      await waitForStatus(t.circle, app, 'IN_REVIEW');
      t.sim.control.review(app, { outcome: 'approve' });
      expect((await upload(app, FORMATION, PDF)).status).toBe(409);
      expect(await list(app)).toHaveLength(3);
      expect((await t.circle.get(url(app, `/${first!.documentId}`))).status).toBe(200);
    });
  });

  describe('documents in section status and submit', () => {
    it('a required document decides its section: incomplete -> complete -> incomplete', async () => {
      const { app, refId } = await trustApplication();
      const statuses = async () => statusOf((await t.circle.get(`${APPS}/${app}/sections`)).data.sections);
      expect(await statuses()).toEqual({
        basicBusinessInfo: 'incomplete',
        businessAddress: 'complete',
        authorizedRepresentative: 'incomplete',
        complianceProfile: 'complete',
        beneficialOwners: 'incomplete',
      });
      const formation = await upload(app, FORMATION, PDF);
      expect((await statuses()).basicBusinessInfo).toBe('complete');
      await upload(app, { ...OWNER_ID, refId }, JPEG);
      expect((await statuses()).beneficialOwners).toBe('complete');
      await t.circle.delete(url(app, `/${formation.data.documentId}`));
      expect((await statuses()).basicBusinessInfo).toBe('incomplete');
      // Each owner needs their own document.
      const second = { ...(exampleApplicationData(TRUST).beneficialOwners as object[])[0], firstName: 'Sam' };
      const saved = await t.circle.put(`${APPS}/${app}/sections/beneficialOwners`, [second]);
      expect(statusOf(saved.data.sections).beneficialOwners).toBe('incomplete');
    });

    it('a section holding only a document is incomplete, not not_started', async () => {
      const { applicationId: app } = await createClient(t.circle, undefined, TRUST);
      await upload(app, REP_ID, PNG);
      const sections = statusOf((await t.circle.get(`${APPS}/${app}/sections`)).data.sections);
      expect(sections).toMatchObject({
        authorizedRepresentative: 'incomplete',
        businessAddress: 'not_started',
      });
    });

    it('submit: 409 naming the missing documents, then 200 once they are uploaded (the AML policy is optional)', async () => {
      const { app, refId } = await trustApplication();
      const early = await submit(t.circle, app);
      expect(early.status).toBe(409);
      expect(early.data.message).toContain(
        `missing documents: basicBusinessInfo.formationDocument, authorizedRepresentative.authorizedRepGovernmentId, beneficialOwners.${refId}.beneficialOwnerGovernmentId`,
      );
      await uploadAll(app, refId);
      const ok = await submit(t.circle, app);
      expect(ok.status).toBe(200);
      expect(ok.data).toEqual({ applicationId: app, status: 'SUBMITTED' });
      await waitForStatus(t.circle, app, 'APPROVED');
    });

    it('removing an entity removes its documents', async () => {
      const { app, refId } = await trustApplication();
      await uploadAll(app, refId);
      await t.circle.put(`${APPS}/${app}/sections/beneficialOwners`, [
        (exampleApplicationData(TRUST).beneficialOwners as object[])[0],
      ]);
      expect((await t.circle.delete(`${APPS}/${app}/sections/beneficialOwners/${refId}`)).status).toBe(200);
      expect((await list(app)).map((d) => d.datumName)).toEqual([
        'formationDocument',
        'authorizedRepGovernmentId',
      ]);
    });

    it('section data never carries a file field: saves refuse one (422 document_field), reads leave them out', async () => {
      const { app, refId } = await trustApplication();
      await uploadAll(app, refId);
      const basic = exampleApplicationData(TRUST).basicBusinessInfo as Record<string, unknown>;
      const put = await t.circle.put(`${APPS}/${app}/sections/basicBusinessInfo`, {
        ...basic,
        formationDocument: randomUUID(),
      });
      expect(put.status).toBe(422);
      expect(put.data.errors).toEqual([
        {
          path: 'basicBusinessInfo.formationDocument',
          error: 'document_field',
          message: expect.stringContaining('POST .../documents'),
        },
      ]);
      const patch = await t.circle.patch(`${APPS}/${app}/data`, {
        complianceProfile: {
          ...(exampleApplicationData(TRUST).complianceProfile as object),
          amlPolicyDocument: 'x',
        },
        beneficialOwners: [{ refId, beneficialOwnerGovernmentId: 'x' }],
      });
      expect(patch.status).toBe(422);
      expect(patch.data.errors.map((e: { path: string; error: string }) => `${e.path}:${e.error}`)).toEqual([
        'complianceProfile.amlPolicyDocument:document_field',
        'beneficialOwners.0.beneficialOwnerGovernmentId:document_field',
      ]);

      const section = (await t.circle.get(`${APPS}/${app}/sections/basicBusinessInfo`)).data.data;
      expect(section).not.toHaveProperty('formationDocument');
      const all = (await t.circle.get(`${APPS}/${app}/data`)).data.data;
      expect(all.authorizedRepresentative).not.toHaveProperty('authorizedRepGovernmentId');
      expect(all.beneficialOwners[0]).not.toHaveProperty('beneficialOwnerGovernmentId');
      const withData = (await t.circle.get(`${APPS}/${app}/sections?includeData=true`)).data.sections;
      expect(JSON.stringify(withData)).not.toMatch(/formationDocument|GovernmentId/);
      // What GET .../data serves can still be sent back unchanged.
      expect((await t.circle.patch(`${APPS}/${app}/data`, all)).status).toBe(200);
    });
  });

  describe('COLLECT_DOCUMENT RFIs', () => {
    it('[rfi-document]: a document round on businessAddress.proofOfAddress, answered by uploading it', async () => {
      const { applicationId: app } = await createClient(t.circle, 'Paper Trail Co [rfi-document]');
      await fill(t.circle, app);
      expect((await submit(t.circle, app)).status).toBe(200);
      const pending = await waitForStatus(t.circle, app, 'PENDING_CUSTOMER_INFORMATION');
      expect(statusOf(pending.sections).businessAddress).toBe('action_required');
      const rfis = (await t.circle.get(`${APPS}/${app}/rfis`)).data.data.bundles[0].rfis;
      expect(rfis).toEqual([
        {
          rfiId: expect.any(String),
          section: 'businessAddress',
          field: 'proofOfAddress',
          type: 'COLLECT_DOCUMENT',
          status: 'PENDING',
          systemComment: AUTOMATIC_DOCUMENT_RFI.comment,
          createdAt: expect.any(String),
        },
      ]);
      const rfiId = rfis[0].rfiId as string;
      const address = (await t.circle.get(`${APPS}/${app}/schema`)).data.properties.businessAddress;
      expect(address.required).toContain('proofOfAddress');
      expect(address.properties.proofOfAddress).toMatchObject({
        type: 'string',
        'x-fileUpload': { acceptedTypes: ['application/pdf', 'image/jpeg', 'image/png'], maxSizeMb: 10 },
        'x-rfi': 'COLLECT_DOCUMENT',
      });

      expect((await t.circle.patch(`${APPS}/${app}/rfis/${rfiId}`, { proofOfAddress: 'x' })).status).toBe(
        409,
      );
      expect((await submit(t.circle, app)).status).toBe(409);
      const res = await upload(app, { datumName: 'proofOfAddress', fileName: 'proof-of-address.pdf' }, PROOF);
      expect(res.status).toBe(201);
      const rfi = (await t.circle.get(`${APPS}/${app}/rfis/${rfiId}`)).data;
      expect(rfi).toMatchObject({ status: 'RESPONDED', respondedAt: expect.any(String) });
      const after = (await t.circle.get(`${APPS}/${app}`)).data;
      expect(after.pendingRfis).toEqual([]);
      expect(statusOf(after.sections).businessAddress).toBe('complete');
      expect((await submit(t.circle, app)).status).toBe(200);
      const approved = await waitForStatus(t.circle, app, 'APPROVED');
      expect(approved.submissionCount).toBe(2);
    });

    it('the tag combines with the others: field rounds first, then the document round, then the decision', () => {
      expect(defaultPlan('A [rfi-document]')).toEqual({
        steps: ['rfi-document', 'approve'],
        whenEmpty: 'approve',
      });
      expect(defaultPlan('A [RFI] [rfi-document] [deny]').steps).toEqual(['rfi', 'rfi-document', 'deny']);
      expect(defaultPlan('A [rfi-document] [manual]')).toEqual({
        steps: ['rfi-document'],
        whenEmpty: 'manual',
      });
      expect(defaultPlan('A [rfi]').steps).toEqual(['rfi', 'approve']);
    });

    it('the control API asks for an existing file field or a new one; uploads answer each', async () => {
      const { app, refId } = await trustApplication('Asked Twice Trust [manual]');
      await uploadAll(app, refId);
      await submit(t.circle, app);
      const decided = await t.http.post(`/_sim/applications/${app}/review`, {
        outcome: 'rfi',
        rfis: [
          {
            section: 'basicBusinessInfo',
            field: 'formationDocument',
            type: 'COLLECT_DOCUMENT',
            comment: 'Signed copy, please.',
          },
          { section: 'complianceProfile', field: 'sourceOfWealthStatement', type: 'COLLECT_DOCUMENT' },
        ],
      });
      expect(decided.status).toBe(200);
      expect(statusOf(decided.data.sections)).toMatchObject({
        basicBusinessInfo: 'action_required',
        complianceProfile: 'action_required',
      });
      const rfis = (await t.circle.get(`${APPS}/${app}/rfis`)).data.data.bundles[0].rfis as {
        rfiId: string;
        field: string;
        status: string;
      }[];
      expect(rfis.map((r) => r.field)).toEqual(['formationDocument', 'sourceOfWealthStatement']);

      expect((await upload(app, { ...FORMATION, fileName: 'deed-signed.pdf' }, PDF)).status).toBe(201);
      const mid = (await t.circle.get(`${APPS}/${app}/rfis`)).data.data.bundles[0].rfis as typeof rfis;
      expect(mid.map((r) => r.status)).toEqual(['RESPONDED', 'PENDING']);
      const early = await submit(t.circle, app);
      expect(early.status).toBe(409);
      expect(early.data.message).toContain(rfis[1]!.rfiId);

      const wealth = { datumName: 'sourceOfWealthStatement', fileName: 'wealth.pdf' };
      expect((await upload(app, wealth, PDF)).status).toBe(201);
      expect((await submit(t.circle, app)).status).toBe(200);
      await waitForStatus(t.circle, app, 'IN_REVIEW');
      expect(t.sim.control.review(app, { outcome: 'approve' }).status).toBe('APPROVED');
    });

    it('an upload answers only a pending RFI of its own field while PENDING_CUSTOMER_INFORMATION', async () => {
      const { app, refId } = await trustApplication('Picky Trust [manual]');
      await uploadAll(app, refId);
      await submit(t.circle, app);
      t.sim.control.review(app, {
        outcome: 'rfi',
        rfis: [{ section: 'complianceProfile', field: 'amlPolicyDocument', type: 'COLLECT_DOCUMENT' }],
      });
      // The optional AML policy is required once compliance asks for it.
      const schema = (await t.circle.get(`${APPS}/${app}/schema`)).data;
      expect(schema.properties.complianceProfile.required).toContain('amlPolicyDocument');
      expect((await upload(app, FORMATION, PDF)).status).toBe(201);
      const rfi = (await t.circle.get(`${APPS}/${app}/rfis`)).data.data.bundles[0].rfis[0];
      expect(rfi.status).toBe('PENDING');
      const missing = await submit(t.circle, app);
      expect(missing.status).toBe(409);
      expect(missing.data.message).toContain(rfi.rfiId);
    });

    it('refuses RFIs that do not fit (400) and accepts rfi-document in a review plan', async () => {
      const { app, refId } = await trustApplication('Strict Trust [manual]');
      await uploadAll(app, refId);
      await submit(t.circle, app);
      const bad = [
        { section: 'basicBusinessInfo', field: 'website', type: 'COLLECT_DOCUMENT' },
        { section: 'basicBusinessInfo', field: 'bad name!', type: 'COLLECT_DOCUMENT' },
        { section: 'beneficialOwners', field: 'beneficialOwnerGovernmentId', type: 'COLLECT_DOCUMENT' },
        { section: 'businessAddress', field: 'formationDocument', type: 'COLLECT_DOCUMENT' },
        { section: 'basicBusinessInfo', field: 'formationDocument', type: 'UPDATE_FIELD' },
        { section: 'authorizedRepresentative', field: 'authorizedRepGovernmentId', type: 'NEW_FIELD' },
        { section: 'basicBusinessInfo', field: 'formationDocument', type: 'REQUEST_SELFIE' },
      ];
      for (const rfi of bad) {
        const res = await t.http.post(`/_sim/applications/${app}/review`, { outcome: 'rfi', rfis: [rfi] });
        expect([rfi.field, res.status]).toEqual([rfi.field, 400]);
      }
      expect((await t.circle.get(`${APPS}/${app}`)).data.status).not.toBe('PENDING_CUSTOMER_INFORMATION');
      const plan = await t.http.put(`/_sim/applications/${app}/review-plan`, { outcomes: ['rfi-document'] });
      expect(plan.status).toBe(200);
      const pending = await waitForStatus(t.circle, app, 'PENDING_CUSTOMER_INFORMATION');
      expect(statusOf(pending.sections).businessAddress).toBe('action_required');
    });
  });

  describe('faults on the upload route', () => {
    const rule = (mode: string, extra: object = {}) => [
      { method: 'POST', path: `${APPS}/*/documents`, mode, times: 1, ...extra },
    ];

    it('error 500: nothing stored; the retry with the same key stores one document', async () => {
      const { app } = await trustApplication();
      t.sim.control.setFaults(rule('error', { status: 500 }) as never);
      const key = randomUUID();
      const failed = await upload(app, FORMATION, PDF, key);
      expect(failed.status).toBe(500);
      expect(failed.data).toEqual({ code: 500, message: expect.stringMatching(/Simulated fault/) });
      expect(await list(app)).toEqual([]);
      expect((await upload(app, FORMATION, PDF, key)).status).toBe(201);
      expect(await list(app)).toHaveLength(1);
    });

    it('drop: nothing stored; the retry stores one document', async () => {
      const { app } = await trustApplication();
      t.sim.control.setFaults(rule('drop') as never);
      const key = randomUUID();
      await expect(upload(app, FORMATION, PDF, key)).rejects.toThrow();
      expect(await list(app)).toEqual([]);
      expect((await upload(app, FORMATION, PDF, key)).status).toBe(201);
      expect(await list(app)).toHaveLength(1);
    });

    it('drop-after-commit: stored, then the connection drops; the retry replays the same documentId', async () => {
      const { app } = await trustApplication();
      t.sim.control.setFaults(rule('drop-after-commit') as never);
      const key = randomUUID();
      await expect(upload(app, FORMATION, PDF, key)).rejects.toThrow();
      const stored = await list(app);
      expect(stored).toHaveLength(1);
      const retry = await upload(app, FORMATION, PDF, key);
      expect(retry.status).toBe(201);
      expect(retry.data).toEqual({ documentId: stored[0]!.documentId });
      expect(await list(app)).toHaveLength(1);
      const log = t.sim.control.state().requests.filter((r) => r.method === 'POST' && r.path === url(app));
      expect(log.map((r) => [r.status, r.replay, r.fault ?? null])).toEqual([
        [201, false, 'drop-after-commit'],
        [201, true, null],
      ]);
    });
  });
});
