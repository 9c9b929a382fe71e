import { randomUUID } from 'node:crypto';
import { CERTIFICATION_IDS, buildTemplate } from '../index';
import { APPS, createClient, useTestSimulator, submittedApplication, waitForStatus } from './support';

type Schema = {
  properties: Record<
    string,
    {
      properties?: Record<string, unknown>;
      maxItems?: number;
      items?: { properties: Record<string, unknown> };
    }
  >;
  required: string[];
  allOf: { if: unknown; then: unknown }[];
  'x-resolved'?: boolean;
};

describe('Circle onboarding applications', () => {
  const t = useTestSimulator();

  it('GET unknown application -> 404 with code 181103', async () => {
    const res = await t.circle.get(`${APPS}/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.data).toEqual({ code: 181103, message: 'Not found' });
  });

  it('returns the documented application fields', async () => {
    const { applicationId, clientEntityId } = await createClient(t.circle);
    const res = await t.circle.get(`${APPS}/${applicationId}`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      applicationId,
      clientEntityId,
      status: 'DRAFT',
      sections: [
        { sectionName: 'basicBusinessInfo', status: 'not_started' },
        { sectionName: 'businessAddress', status: 'not_started' },
        { sectionName: 'authorizedRepresentative', status: 'not_started' },
        { sectionName: 'complianceProfile', status: 'not_started' },
      ],
      pendingRfis: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      submissionCount: 0,
    });
  });

  describe('list', () => {
    it('pages newest first with limit / starting_after / hasMore / nextCursor', async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await createClient(t.circle)).applicationId);
      const newest = [...ids].reverse();
      const p1 = await t.circle.get(APPS, { params: { limit: 2 } });
      expect(p1.status).toBe(200);
      expect(p1.data.applications.map((a: { applicationId: string }) => a.applicationId)).toEqual(
        newest.slice(0, 2),
      );
      expect(p1.data).toMatchObject({ hasMore: true, nextCursor: newest[1] });
      const p2 = await t.circle.get(APPS, { params: { limit: 2, starting_after: p1.data.nextCursor } });
      expect(p2.data.applications.map((a: { applicationId: string }) => a.applicationId)).toEqual(
        newest.slice(2, 4),
      );
      const p3 = await t.circle.get(APPS, { params: { limit: 2, starting_after: p2.data.nextCursor } });
      expect(p3.data).toMatchObject({ hasMore: false, nextCursor: null });
      expect(p3.data.applications).toHaveLength(1);
      const all = await t.circle.get(APPS);
      expect(all.data.applications).toHaveLength(5);
    });

    it('filters by status', async () => {
      const { applicationId } = await createClient(t.circle);
      await createClient(t.circle);
      await t.circle.delete(`${APPS}/${applicationId}`);
      const res = await t.circle.get(APPS, { params: { status: 'CANCELLED' } });
      expect(res.data.applications.map((a: { applicationId: string }) => a.applicationId)).toEqual([
        applicationId,
      ]);
      const drafts = await t.circle.get(APPS, { params: { status: 'DRAFT' } });
      expect(drafts.data.applications).toHaveLength(1);
    });

    it.each([
      [{ limit: 0 }],
      [{ limit: 101 }],
      [{ status: 'ACTIVE' }],
      [{ starting_after: '6c2f7b8e-0000-4000-8000-000000000000' }],
    ])('rejects bad query %j with 400', async (params) => {
      const res = await t.circle.get(APPS, { params });
      expect(res.status).toBe(400);
      expect(res.data.code).toBe(400);
    });
  });

  describe('cancel', () => {
    it('cancels a DRAFT and returns the application; CANCELLED is final', async () => {
      const { applicationId } = await createClient(t.circle);
      const res = await t.circle.delete(`${APPS}/${applicationId}`);
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({
        applicationId,
        status: 'CANCELLED',
        pendingRfis: [],
        sections: expect.any(Array),
      });
      const again = await t.circle.delete(`${APPS}/${applicationId}`);
      expect(again.status).toBe(409);
      const save = await t.circle.put(`${APPS}/${applicationId}/sections/businessAddress`, { city: 'Paris' });
      expect(save.status).toBe(409);
    });

    it('refuses to cancel a submitted application (409) and unknown ones (404)', async () => {
      const { applicationId } = await submittedApplication(t.circle);
      const res = await t.circle.delete(`${APPS}/${applicationId}`);
      expect(res.status).toBe(409);
      expect(res.data.message).toMatch(/DRAFT/);
      expect((await t.circle.delete(`${APPS}/${randomUUID()}`)).status).toBe(404);
    });

    it('refuses to cancel an approved application', async () => {
      const { applicationId } = await submittedApplication(t.circle);
      await waitForStatus(t.circle, applicationId, 'APPROVED');
      expect((await t.circle.delete(`${APPS}/${applicationId}`)).status).toBe(409);
    });
  });

  describe('schema', () => {
    it('is a draft 2020-12 document with flat and array sections and constraints', async () => {
      const { applicationId } = await createClient(t.circle);
      const res = await t.circle.get(`${APPS}/${applicationId}/schema`);
      expect(res.status).toBe(200);
      const schema = res.data as Schema & Record<string, unknown>;
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(Object.keys(schema.properties)).toEqual([
        'basicBusinessInfo',
        'businessAddress',
        'authorizedRepresentative',
        'complianceProfile',
        'beneficialOwners',
      ]);
      expect(schema.required).toEqual([
        'basicBusinessInfo',
        'businessAddress',
        'authorizedRepresentative',
        'complianceProfile',
      ]);
      const basic = schema.properties.basicBusinessInfo!.properties!;
      expect(basic.website).toMatchObject({ format: 'uri', pattern: '^https://' });
      expect(basic.email).toMatchObject({ format: 'email' });
      expect(basic.incorporationDate).toMatchObject({ format: 'date' });
      expect(basic.legalName).toMatchObject({ minLength: 2 });
      expect(basic.natureOfBusiness).toMatchObject({ const: 'paymentProcessorPlatform', readOnly: true });
      const owners = schema.properties.beneficialOwners!;
      expect(owners).toMatchObject({ type: 'array', maxItems: 4 });
      expect(owners.items!.properties.refId).toMatchObject({ format: 'uuid', readOnly: true });
      expect(schema.allOf).toHaveLength(3);
      expect(schema['x-resolved']).toBeUndefined();
    });

    it('depends on natureOfBusiness / institutionType and is deterministic', async () => {
      const a = await createClient(t.circle, undefined, {
        natureOfBusiness: 'cryptoExchange',
        institutionType: 'publicCo',
      });
      const b = await createClient(t.circle, undefined, {
        natureOfBusiness: 'cryptoExchange',
        institutionType: 'publicCo',
      });
      const sa = (await t.circle.get(`${APPS}/${a.applicationId}/schema`)).data;
      const sb = (await t.circle.get(`${APPS}/${b.applicationId}/schema`)).data;
      expect(sa).toEqual(sb);
      expect(JSON.stringify(sa)).toBe(
        JSON.stringify(
          buildTemplate({ natureOfBusiness: 'cryptoExchange', institutionType: 'publicCo' }).schema,
        ),
      );
      expect(sa.properties.basicBusinessInfo.properties.natureOfBusiness.const).toBe('cryptoExchange');
      const resolved = (
        await t.circle.get(`${APPS}/${a.applicationId}/schema`, { params: { resolved: true } })
      ).data;
      // Crypto and publicCo conditionals apply; beneficialOwnersExist is not saved yet, so its branch stays.
      expect(resolved['x-resolved']).toBe(true);
      expect(resolved.allOf).toHaveLength(3);
      expect(resolved.properties.complianceProfile.properties.cryptoLicenseNumber).toBeDefined();
      expect(resolved.properties.basicBusinessInfo.properties.tickerSymbol).toBeDefined();
    });

    it('resolved=true prunes what definitely does not apply', async () => {
      const { applicationId } = await createClient(t.circle);
      let resolved = (await t.circle.get(`${APPS}/${applicationId}/schema?resolved=true`)).data;
      expect(resolved.allOf).toHaveLength(1);
      expect(resolved.properties.complianceProfile.properties.cryptoLicenseNumber).toBeUndefined();
      expect(resolved.properties.basicBusinessInfo.properties.tickerSymbol).toBeUndefined();
      expect(resolved.properties.beneficialOwners).toBeDefined();

      await t.circle.put(`${APPS}/${applicationId}/sections/basicBusinessInfo`, {
        beneficialOwnersExist: false,
      });
      resolved = (await t.circle.get(`${APPS}/${applicationId}/schema?resolved=true`)).data;
      expect(resolved.allOf).toHaveLength(0);
      expect(resolved.properties.beneficialOwners).toBeUndefined();

      const canonical = (await t.circle.get(`${APPS}/${applicationId}/schema?resolved=false`)).data;
      expect(canonical.properties.beneficialOwners).toBeDefined();
      expect((await t.circle.get(`${APPS}/${applicationId}/schema?resolved=maybe`)).status).toBe(400);
    });

    it('404 for an unknown application', async () => {
      expect((await t.circle.get(`${APPS}/${randomUUID()}/schema`)).status).toBe(404);
    });
  });

  it('lists the fixed certifications', async () => {
    const { applicationId } = await createClient(t.circle);
    const res = await t.circle.get(`${APPS}/${applicationId}/certifications`);
    expect(res.status).toBe(200);
    expect(res.data.data.map((c: { id: string }) => c.id)).toEqual(CERTIFICATION_IDS);
    for (const c of res.data.data) expect(c.content).toMatch(/^<p>/);
  });
});
