import { randomUUID } from 'node:crypto';
import { exampleApplicationData } from '../index';
import { APPS, createClient, PAYMENTS, useTestSimulator, submittedApplication } from './support';

type Status = { sectionName: string; status: string };
const statusOf = (sections: Status[]) => Object.fromEntries(sections.map((s) => [s.sectionName, s.status]));
const example = exampleApplicationData(PAYMENTS) as Record<string, Record<string, unknown>> & {
  beneficialOwners: Record<string, unknown>[];
};
const owner = example.beneficialOwners[0]!;

describe('Circle application sections', () => {
  const t = useTestSimulator(); // resets the simulator before each test
  let app: string;
  const url = (p = '') => `${APPS}/${app}${p}`;

  beforeEach(async () => {
    app = (await createClient(t.circle)).applicationId;
  });

  describe('PUT one flat section', () => {
    it('saves, reports statuses, and serves the data back with the prefilled fields', async () => {
      const res = await t.circle.put(url('/sections/businessAddress'), example.businessAddress);
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        data: example.businessAddress,
        fieldsChanged: true,
        sections: expect.arrayContaining([{ sectionName: 'businessAddress', status: 'complete' }]),
        sectionsChanged: false,
      });
      expect(res.data.sections).toHaveLength(4);
      const again = await t.circle.put(url('/sections/businessAddress'), example.businessAddress);
      expect(again.data.fieldsChanged).toBe(false);

      const basic = await t.circle.put(url('/sections/basicBusinessInfo'), {
        legalName: 'Acme Holdings Inc.',
      });
      expect(basic.data.data).toEqual({
        natureOfBusiness: 'paymentProcessorPlatform',
        institutionType: 'privateCo',
        legalName: 'Acme Holdings Inc.',
      });
      const read = await t.circle.get(url('/sections/basicBusinessInfo'));
      expect(read.data).toEqual({
        data: basic.data.data,
        sectionName: 'basicBusinessInfo',
        status: 'incomplete',
      });
    });

    it('accepts missing required fields and leaves the section incomplete', async () => {
      const res = await t.circle.put(url('/sections/authorizedRepresentative'), { firstName: 'Jane' });
      expect(res.status).toBe(200);
      expect(statusOf(res.data.sections).authorizedRepresentative).toBe('incomplete');
      const full = await t.circle.put(
        url('/sections/authorizedRepresentative'),
        example.authorizedRepresentative,
      );
      expect(statusOf(full.data.sections).authorizedRepresentative).toBe('complete');
    });

    it('rejects type / format / pattern / enum / length / unknown-field violations with 422 per-field errors', async () => {
      const res = await t.circle.put(url('/sections/basicBusinessInfo'), {
        legalName: 'A',
        website: 'http://acme.example.com',
        email: 'not-an-email',
        incorporationDate: '2015-13-45',
        incorporationCountry: 'usa',
        phoneNumber: 12345,
        natureOfBusiness: 'banking',
        nickname: 'x',
      });
      expect(res.status).toBe(422);
      expect(res.data.code).toBe(422);
      const pairs = res.data.errors.map((e: { path: string; error: string }) => `${e.path}:${e.error}`);
      expect(pairs).toEqual(
        expect.arrayContaining([
          'basicBusinessInfo.legalName:length_outside_bounds',
          'basicBusinessInfo.website:pattern_mismatch',
          'basicBusinessInfo.email:invalid_format',
          'basicBusinessInfo.incorporationDate:invalid_format',
          'basicBusinessInfo.incorporationCountry:pattern_mismatch',
          'basicBusinessInfo.phoneNumber:invalid_type',
          'basicBusinessInfo.natureOfBusiness:invalid_value',
          'basicBusinessInfo.nickname:unknown_field',
        ]),
      );
      expect(pairs.some((p: string) => p.endsWith(':required'))).toBe(false);
      for (const e of res.data.errors) expect(e.message).toContain(e.path);
      const read = await t.circle.get(url('/sections/basicBusinessInfo'));
      expect(read.data.status).toBe('not_started');
    });

    it('rejects an enum violation and a non-object payload', async () => {
      const bad = await t.circle.put(url('/sections/complianceProfile'), {
        ...example.complianceProfile,
        sourceOfFunds: 'luck',
      });
      expect(bad.status).toBe(422);
      expect(bad.data.errors).toEqual([
        expect.objectContaining({ path: 'complianceProfile.sourceOfFunds', error: 'invalid_value' }),
      ]);
      const arr = await t.circle.put(url('/sections/complianceProfile'), [1]);
      expect(arr.status).toBe(422);
      expect(arr.data.errors[0]).toMatchObject({ path: 'complianceProfile', error: 'invalid_type' });
    });

    it('404 for an unknown section or application', async () => {
      expect((await t.circle.put(url('/sections/favouriteColour'), {})).status).toBe(404);
      expect((await t.circle.get(url('/sections/favouriteColour'))).status).toBe(404);
      expect((await t.circle.put(`${APPS}/${randomUUID()}/sections/businessAddress`, {})).data.code).toBe(
        181103,
      );
    });

    it('409 once the application is submitted', async () => {
      const submitted = await submittedApplication(t.circle);
      const res = await t.circle.put(
        `${APPS}/${submitted.applicationId}/sections/businessAddress`,
        example.businessAddress,
      );
      expect(res.status).toBe(409);
      const bulk = await t.circle.patch(`${APPS}/${submitted.applicationId}/data`, {
        businessAddress: example.businessAddress,
      });
      expect(bulk.status).toBe(409);
    });
  });

  describe('conditional beneficialOwners section', () => {
    it('appears when beneficialOwnersExist is true and disappears when false (sectionsChanged)', async () => {
      expect((await t.circle.get(url('/sections/beneficialOwners'))).status).toBe(404);
      const on = await t.circle.put(url('/sections/basicBusinessInfo'), {
        ...example.basicBusinessInfo,
        beneficialOwnersExist: true,
      });
      expect(on.data.sectionsChanged).toBe(true);
      expect(statusOf(on.data.sections)).toMatchObject({
        basicBusinessInfo: 'complete',
        beneficialOwners: 'not_started',
      });
      const off = await t.circle.put(url('/sections/basicBusinessInfo'), {
        ...example.basicBusinessInfo,
        beneficialOwnersExist: false,
      });
      expect(off.data.sectionsChanged).toBe(true);
      expect(statusOf(off.data.sections).beneficialOwners).toBeUndefined();
    });

    it('refuses saving a section that does not apply (422 section_not_active)', async () => {
      const res = await t.circle.put(url('/sections/beneficialOwners'), [owner]);
      expect(res.status).toBe(422);
      expect(res.data.errors).toEqual([
        expect.objectContaining({ path: 'beneficialOwners', error: 'section_not_active' }),
      ]);
    });

    it('crypto natures require cryptoLicenseNumber in complianceProfile', async () => {
      const crypto = (
        await createClient(t.circle, undefined, {
          natureOfBusiness: 'cryptoExchange',
          institutionType: 'privateCo',
        })
      ).applicationId;
      const { cryptoLicenseNumber: _omit, ...withoutLicence } = exampleApplicationData({
        natureOfBusiness: 'cryptoExchange',
        institutionType: 'privateCo',
      }).complianceProfile as Record<string, unknown>;
      const res = await t.circle.put(`${APPS}/${crypto}/sections/complianceProfile`, withoutLicence);
      expect(statusOf(res.data.sections).complianceProfile).toBe('incomplete');
      const payments = await t.circle.put(url('/sections/complianceProfile'), withoutLicence);
      expect(statusOf(payments.data.sections).complianceProfile).toBe('complete');
      const done = await t.circle.put(`${APPS}/${crypto}/sections/complianceProfile`, {
        ...withoutLicence,
        cryptoLicenseNumber: 'NY-1234',
      });
      expect(statusOf(done.data.sections).complianceProfile).toBe('complete');
    });
  });

  describe('array section (beneficialOwners)', () => {
    beforeEach(async () => {
      await t.circle.put(url('/sections/basicBusinessInfo'), example.basicBusinessInfo);
    });

    it('assigns refIds, upserts by refId, keeps entities not in the payload, and removes by refId', async () => {
      const first = await t.circle.put(url('/sections/beneficialOwners'), [
        owner,
        { ...owner, firstName: 'John', ownershipPercentage: 30 },
      ]);
      expect(first.status).toBe(200);
      const [a, b] = first.data.data as { refId: string; firstName: string }[];
      expect(a!.refId).toMatch(/^[0-9a-f-]{36}$/);
      expect(b!.refId).not.toBe(a!.refId);
      expect(statusOf(first.data.sections).beneficialOwners).toBe('complete');

      const upsert = await t.circle.put(url('/sections/beneficialOwners'), [
        { ...owner, refId: b!.refId, firstName: 'Johnny', ownershipPercentage: 30 },
      ]);
      expect(upsert.data.data.map((o: { firstName: string }) => o.firstName)).toEqual(['Jane', 'Johnny']);

      const read = await t.circle.get(url('/sections/beneficialOwners'));
      expect(read.data).toMatchObject({ sectionName: 'beneficialOwners', status: 'complete' });
      expect(read.data.data).toHaveLength(2);

      const del = await t.circle.delete(url(`/sections/beneficialOwners/${a!.refId}`));
      expect(del.status).toBe(200);
      expect(statusOf(del.data.sections).beneficialOwners).toBe('complete');
      const afterDelete = await t.circle.get(url('/sections/beneficialOwners'));
      expect(afterDelete.data.data.map((o: { refId: string }) => o.refId)).toEqual([b!.refId]);

      expect((await t.circle.delete(url(`/sections/beneficialOwners/${a!.refId}`))).status).toBe(404);
      const last = await t.circle.delete(url(`/sections/beneficialOwners/${b!.refId}`));
      expect(statusOf(last.data.sections).beneficialOwners).toBe('not_started');
      expect((await t.circle.delete(url(`/sections/businessAddress/${b!.refId}`))).status).toBe(404);
    });

    it('unknown refId -> 422; maxItems -> 422 max_items; bad items use the payload index', async () => {
      const unknown = await t.circle.put(url('/sections/beneficialOwners'), [
        { ...owner, refId: randomUUID() },
      ]);
      expect(unknown.status).toBe(422);
      expect(unknown.data.errors[0]).toMatchObject({
        path: 'beneficialOwners.0.refId',
        error: 'invalid_value',
      });

      const five = Array.from({ length: 5 }, () => owner);
      const tooMany = await t.circle.put(url('/sections/beneficialOwners'), five);
      expect(tooMany.status).toBe(422);
      expect(tooMany.data.errors).toEqual([
        expect.objectContaining({ path: 'beneficialOwners', error: 'max_items' }),
      ]);

      await t.circle.put(url('/sections/beneficialOwners'), [owner, owner]);
      const bad = await t.circle.put(url('/sections/beneficialOwners'), [
        owner,
        { ...owner, firstName: '', ownershipPercentage: 10 },
      ]);
      expect(bad.status).toBe(422);
      const pairs = bad.data.errors.map((e: { path: string; error: string }) => `${e.path}:${e.error}`);
      expect(pairs).toEqual([
        'beneficialOwners.1.firstName:length_outside_bounds',
        'beneficialOwners.1.ownershipPercentage:min_value',
      ]);
      const overflow = await t.circle.put(url('/sections/beneficialOwners'), [owner, owner, owner]);
      expect(overflow.data.errors[0]).toMatchObject({ error: 'max_items' });
    });

    it('an entity missing required fields leaves the section incomplete', async () => {
      const res = await t.circle.put(url('/sections/beneficialOwners'), [{ firstName: 'Only' }]);
      expect(res.status).toBe(200);
      expect(statusOf(res.data.sections).beneficialOwners).toBe('incomplete');
    });
  });

  it.each([
    { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' },
    { natureOfBusiness: 'cryptoExchange', institutionType: 'publicCo' },
  ] as const)('exampleApplicationData completes every section for %j', async (profile) => {
    const id = (await createClient(t.circle, undefined, profile)).applicationId;
    const res = await t.circle.patch(`${APPS}/${id}/data`, exampleApplicationData(profile));
    expect(res.status).toBe(200);
    expect(res.data.sections.every((s: Status) => s.status === 'complete')).toBe(true);
    const withoutOwners = (await createClient(t.circle, undefined, profile)).applicationId;
    const lean = await t.circle.patch(
      `${APPS}/${withoutOwners}/data`,
      exampleApplicationData(profile, { beneficialOwners: false }),
    );
    expect(lean.data.sections.map((s: Status) => s.status)).toEqual(Array(4).fill('complete'));
  });

  it('exampleApplicationData is valid for a document template: only the sections asking for documents stay incomplete', async () => {
    const profile = { natureOfBusiness: 'trust', institutionType: 'trust' } as const;
    const id = (await createClient(t.circle, undefined, profile)).applicationId;
    const res = await t.circle.patch(`${APPS}/${id}/data`, exampleApplicationData(profile));
    expect(res.status).toBe(200);
    expect(statusOf(res.data.sections)).toEqual({
      basicBusinessInfo: 'incomplete',
      businessAddress: 'complete',
      authorizedRepresentative: 'incomplete',
      complianceProfile: 'complete',
      beneficialOwners: 'incomplete',
    });
  });

  describe('sections list and bulk data', () => {
    it('GET sections with and without data', async () => {
      await t.circle.put(url('/sections/businessAddress'), example.businessAddress);
      const plain = await t.circle.get(url('/sections'));
      expect(plain.status).toBe(200);
      expect(plain.data.sections[1]).toEqual({ sectionName: 'businessAddress', status: 'complete' });
      const withData = await t.circle.get(url('/sections?includeData=true'));
      expect(withData.data.sections[1]).toEqual({
        sectionName: 'businessAddress',
        status: 'complete',
        data: example.businessAddress,
      });
    });

    it('PATCH /data saves everything at once and GET /data round-trips', async () => {
      const res = await t.circle.patch(url('/data'), example);
      expect(res.status).toBe(200);
      expect(Object.values(statusOf(res.data.sections))).toEqual(Array(5).fill('complete'));
      expect(res.data.sectionsChanged).toBe(true);
      expect(res.data.data.beneficialOwners[0].refId).toEqual(expect.any(String));

      const all = await t.circle.get(url('/data'));
      expect(Object.keys(all.data.data)).toEqual(Object.keys(example));
      const roundTrip = await t.circle.patch(url('/data'), all.data.data);
      expect(roundTrip.status).toBe(200);
      expect(roundTrip.data.fieldsChanged).toBe(false);
      expect((await t.circle.get(url('/sections/beneficialOwners'))).data.data).toHaveLength(1);
    });

    it('is atomic: one bad section means nothing is saved; errors carry full paths', async () => {
      const res = await t.circle.patch(url('/data'), {
        businessAddress: example.businessAddress,
        authorizedRepresentative: { ...example.authorizedRepresentative, email: 'nope' },
        nonsense: {},
      });
      expect(res.status).toBe(422);
      const pairs = res.data.errors.map((e: { path: string; error: string }) => `${e.path}:${e.error}`);
      expect(pairs).toEqual(['nonsense:unknown_section']);
      const second = await t.circle.patch(url('/data'), {
        businessAddress: example.businessAddress,
        authorizedRepresentative: { ...example.authorizedRepresentative, email: 'nope' },
      });
      expect(second.data.errors).toEqual([
        expect.objectContaining({ path: 'authorizedRepresentative.email', error: 'invalid_format' }),
      ]);
      const statuses = statusOf((await t.circle.get(url('/sections'))).data.sections);
      expect(statuses.businessAddress).toBe('not_started');
      expect((await t.circle.patch(url('/data'), [1, 2])).status).toBe(400);
    });

    it('validates a conditional section against the data saved in the same request', async () => {
      const res = await t.circle.patch(url('/data'), {
        basicBusinessInfo: example.basicBusinessInfo,
        beneficialOwners: [owner],
      });
      expect(res.status).toBe(200);
      expect(statusOf(res.data.sections).beneficialOwners).toBe('complete');
    });
  });
});
