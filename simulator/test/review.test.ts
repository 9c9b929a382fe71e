import { randomUUID } from 'node:crypto';
import { AUTOMATIC_RFI, CERTIFICATION_IDS, exampleApplicationData } from '../index';
import {
  APPS,
  createClient,
  fill,
  idem,
  PAYMENTS,
  useTestSimulator,
  submit,
  submitBody,
  submittedApplication,
  waitForStatus,
  startTestSimulator,
} from './support';

type Status = { sectionName: string; status: string };
const statusOf = (sections: Status[]) => Object.fromEntries(sections.map((s) => [s.sectionName, s.status]));

describe('submit, review and RFIs', () => {
  const t = useTestSimulator();

  describe('submit', () => {
    let app: string;
    beforeEach(async () => {
      app = (await createClient(t.circle)).applicationId;
    });

    it('requires X-Idempotency-Key', async () => {
      await fill(t.circle, app);
      const res = await t.circle.post(`${APPS}/${app}/submit`, submitBody);
      expect(res.status).toBe(400);
      expect(res.data.message).toMatch(/X-Idempotency-Key/);
    });

    it('validates the body (400 per field)', async () => {
      await fill(t.circle, app);
      const cases: [unknown, string, string][] = [
        [{ endUserIpAddress: '203.0.113.7' }, 'endUserAgreesToTermsOfService', 'required'],
        [
          { ...submitBody, endUserAgreesToTermsOfService: false },
          'endUserAgreesToTermsOfService',
          'value_must_be_true',
        ],
        [
          { ...submitBody, endUserAgreesToTermsOfService: 'true' },
          'endUserAgreesToTermsOfService',
          'invalid_type',
        ],
        [{ ...submitBody, endUserIpAddress: '1.2.3' }, 'endUserIpAddress', 'length_outside_bounds'],
        [{ ...submitBody, endUserIpAddress: 'not-an-ip' }, 'endUserIpAddress', 'invalid_format'],
        [
          { ...submitBody, endUserIpAddress: '2001:0db8:0000:0000:0000:0000:0000:0001:1' },
          'endUserIpAddress',
          'length_outside_bounds',
        ],
        [{ ...submitBody, certificationIds: ['x'] }, 'certificationIds.0', 'invalid_format'],
      ];
      for (const [body, path, error] of cases) {
        const res = await t.circle.post(`${APPS}/${app}/submit`, body, idem());
        expect(res.status).toBe(400);
        expect(res.data.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, error })]));
      }
      const v6 = await t.circle.post(
        `${APPS}/${app}/submit`,
        { ...submitBody, endUserIpAddress: '2001:db8::1' },
        idem(),
      );
      expect(v6.status).toBe(200);
    });

    it('409 naming the sections that are not complete', async () => {
      await t.circle.put(`${APPS}/${app}/sections/businessAddress`, { city: 'Paris' });
      const res = await submit(t.circle, app);
      expect(res.status).toBe(409);
      expect(res.data.message).toMatch(/basicBusinessInfo \(not_started\)/);
      expect(res.data.message).toMatch(/businessAddress \(incomplete\)/);
      expect(t.sim.control.state().submissions).toBe(0);
    });

    it('certificationIds must match the active set exactly (422)', async () => {
      await fill(t.circle, app);
      const missing = await t.circle.post(
        `${APPS}/${app}/submit`,
        { ...submitBody, certificationIds: [CERTIFICATION_IDS[0]] },
        idem(),
      );
      expect(missing.status).toBe(422);
      expect(missing.data.errors).toEqual([
        expect.objectContaining({ path: 'certificationIds', error: 'missing_certification' }),
      ]);
      const extra = await t.circle.post(
        `${APPS}/${app}/submit`,
        { ...submitBody, certificationIds: [...CERTIFICATION_IDS, randomUUID()] },
        idem(),
      );
      expect(extra.status).toBe(422);
      expect(extra.data.errors).toEqual([expect.objectContaining({ error: 'unknown_certification' })]);
      const ok = await t.circle.post(
        `${APPS}/${app}/submit`,
        { ...submitBody, certificationIds: CERTIFICATION_IDS },
        idem(),
      );
      expect(ok.status).toBe(200);
    });

    it('submits once; the same key replays; a new key gets 409; a different body with the key gets 422', async () => {
      await fill(t.circle, app);
      const key = randomUUID();
      const first = await submit(t.circle, app, key);
      expect(first.status).toBe(200);
      expect(first.data).toEqual({ applicationId: app, status: 'SUBMITTED' });
      const replay = await submit(t.circle, app, key);
      expect(replay.status).toBe(200);
      expect(replay.data).toEqual(first.data);
      const other = await submit(t.circle, app);
      expect(other.status).toBe(409);
      const mismatch = await t.circle.post(
        `${APPS}/${app}/submit`,
        { ...submitBody, endUserIpAddress: '198.51.100.1' },
        {
          headers: { 'X-Idempotency-Key': key },
        },
      );
      expect(mismatch.status).toBe(422);
      expect(mismatch.data.message).toMatch(/already used with a different request body/);
      const state = t.sim.control.state();
      expect(state.submissions).toBe(1);
      expect(state.requests.filter((r) => r.path.endsWith('/submit') && r.replay)).toHaveLength(1);
      expect((await t.circle.get(`${APPS}/${app}`)).data.submissionCount).toBe(1);
    });

    it('the same key on another application is a different request (422)', async () => {
      await fill(t.circle, app);
      const other = (await createClient(t.circle)).applicationId;
      await fill(t.circle, other);
      const key = randomUUID();
      expect((await submit(t.circle, app, key)).status).toBe(200);
      expect((await submit(t.circle, other, key)).status).toBe(422);
    });

    it('404 for an unknown application', async () => {
      expect((await submit(t.circle, randomUUID())).data).toEqual({ code: 181103, message: 'Not found' });
    });
  });

  describe('automatic review', () => {
    it('approves by default: SUBMITTED -> IN_REVIEW -> APPROVED, and the client becomes active', async () => {
      const { applicationId, clientEntityId } = await createClient(t.circle);
      await fill(t.circle, applicationId);
      await submit(t.circle, applicationId);
      expect((await t.circle.get(`${APPS}/${applicationId}`)).data.status).toBe('SUBMITTED');
      await waitForStatus(t.circle, applicationId, 'IN_REVIEW');
      const approved = await waitForStatus(t.circle, applicationId, 'APPROVED');
      expect(approved.submissionCount).toBe(1);
      expect((await t.circle.get(`/v1/partner/clients/${clientEntityId}`)).data.data.status).toBe('active');
      expect(t.sim.control.state().timers).toBe(0);
    });

    it('[deny] in the name denies', async () => {
      const { applicationId, clientEntityId } = await submittedApplication(t.circle, 'Shady Corp [DENY]');
      await waitForStatus(t.circle, applicationId, 'DENIED');
      expect((await t.circle.get(`/v1/partner/clients/${clientEntityId}`)).data.data.status).toBe('pending');
      expect((await submit(t.circle, applicationId)).status).toBe(409);
      expect((await t.circle.put(`${APPS}/${applicationId}/sections/businessAddress`, {})).status).toBe(409);
    });

    it('[rfi]: one UPDATE_FIELD round on basicBusinessInfo.website, answered, resubmitted, approved', async () => {
      const { applicationId } = await submittedApplication(t.circle, 'Careful Co [rfi]');
      const url = `${APPS}/${applicationId}`;
      const pending = await waitForStatus(t.circle, applicationId, 'PENDING_CUSTOMER_INFORMATION');
      expect(pending.pendingRfis).toHaveLength(1);
      expect(statusOf(pending.sections).basicBusinessInfo).toBe('action_required');

      const list = await t.circle.get(`${url}/rfis`);
      expect(list.status).toBe(200);
      const bundle = list.data.data.bundles[0];
      expect(bundle).toMatchObject({
        bundleId: pending.pendingRfis[0],
        status: 'PUBLISHED',
        createdAt: expect.any(String),
      });
      expect(bundle.rfis).toEqual([
        {
          rfiId: expect.any(String),
          section: 'basicBusinessInfo',
          field: 'website',
          type: 'UPDATE_FIELD',
          status: 'PENDING',
          systemComment: AUTOMATIC_RFI.comment,
          createdAt: expect.any(String),
        },
      ]);
      const rfiId = bundle.rfis[0].rfiId as string;

      // Resubmitting before answering is refused.
      const early = await submit(t.circle, applicationId);
      expect(early.status).toBe(409);
      expect(early.data.message).toContain(rfiId);

      // Comments (idempotent POST).
      expect((await t.circle.post(`${url}/rfis/${rfiId}/comments`, { content: 'On it' })).status).toBe(400);
      expect((await t.circle.post(`${url}/rfis/${rfiId}/comments`, { content: '' }, idem())).status).toBe(
        400,
      );
      const commentKey = idem();
      const comment = await t.circle.post(
        `${url}/rfis/${rfiId}/comments`,
        { content: 'Updated, see new site.' },
        commentKey,
      );
      expect(comment.status).toBe(201);
      expect(comment.data).toEqual({
        commentId: expect.any(String),
        author: 'partner',
        content: 'Updated, see new site.',
        createdAt: expect.any(String),
      });
      const commentReplay = await t.circle.post(
        `${url}/rfis/${rfiId}/comments`,
        { content: 'Updated, see new site.' },
        commentKey,
      );
      expect(commentReplay.data).toEqual(comment.data);

      const detail = await t.circle.get(`${url}/rfis/${rfiId}`);
      expect(detail.data).toMatchObject({
        rfiId,
        section: 'basicBusinessInfo',
        field: 'website',
        status: 'PENDING',
      });
      expect(detail.data.comments).toEqual([comment.data]);
      expect((await t.circle.get(`${url}/rfis/${randomUUID()}`)).status).toBe(404);

      // Answers are validated against the schema.
      const bad = await t.circle.patch(`${url}/rfis/${rfiId}`, { website: 'http://insecure.example.com' });
      expect(bad.status).toBe(422);
      expect(bad.data.errors).toEqual([
        expect.objectContaining({ path: 'basicBusinessInfo.website', error: 'pattern_mismatch' }),
      ]);
      const wrongField = await t.circle.patch(`${url}/rfis/${rfiId}`, { email: 'a@b.co' });
      expect(wrongField.status).toBe(422);
      expect(wrongField.data.errors.map((e: { error: string }) => e.error).sort()).toEqual([
        'required',
        'unknown_field',
      ]);

      const answer = await t.circle.patch(`${url}/rfis/${rfiId}`, {
        website: 'https://www.careful.example.com',
      });
      expect(answer.status).toBe(200);
      expect(answer.data).toMatchObject({
        rfiId,
        section: 'basicBusinessInfo',
        data: { website: 'https://www.careful.example.com', legalName: 'Acme Holdings Inc.' },
      });
      expect(
        (await t.circle.patch(`${url}/rfis/${rfiId}`, { website: 'https://again.example.com' })).status,
      ).toBe(409);

      const after = (await t.circle.get(url)).data;
      expect(after.pendingRfis).toEqual([]);
      expect(statusOf(after.sections).basicBusinessInfo).toBe('complete');
      expect((await t.circle.get(`${url}/rfis/${rfiId}`)).data.status).toBe('RESPONDED');

      const resubmit = await submit(t.circle, applicationId);
      expect(resubmit.data).toEqual({ applicationId, status: 'SUBMITTED' });
      const approved = await waitForStatus(t.circle, applicationId, 'APPROVED');
      expect(approved.submissionCount).toBe(2);
      expect(t.sim.control.state().submissions).toBe(2);
      expect(
        (await t.circle.patch(`${url}/rfis/${rfiId}`, { website: 'https://x.example.com' })).status,
      ).toBe(409);
    });

    it('[rfi2]: two RFI rounds, answered by saving the section, then approval', async () => {
      const { applicationId } = await submittedApplication(t.circle, 'Twice Co [RFI2]');
      const url = `${APPS}/${applicationId}`;
      for (let round = 1; round <= 2; round++) {
        await waitForStatus(t.circle, applicationId, 'PENDING_CUSTOMER_INFORMATION');
        const bundles = (await t.circle.get(`${url}/rfis`)).data.data.bundles;
        expect(bundles).toHaveLength(round);
        // Saving the section with the requested field answers the RFI too.
        const basic = exampleApplicationData(PAYMENTS).basicBusinessInfo as Record<string, unknown>;
        await t.circle.put(`${url}/sections/basicBusinessInfo`, {
          ...basic,
          website: `https://round${round}.example.com`,
        });
        expect((await submit(t.circle, applicationId)).status).toBe(200);
      }
      const approved = await waitForStatus(t.circle, applicationId, 'APPROVED');
      expect(approved.submissionCount).toBe(3);
    });

    it('[rfi][deny]: an RFI round, then denial', async () => {
      const { applicationId } = await submittedApplication(t.circle, 'Doomed [rfi] [deny]');
      await waitForStatus(t.circle, applicationId, 'PENDING_CUSTOMER_INFORMATION');
      const rfiId = (await t.circle.get(`${APPS}/${applicationId}/rfis`)).data.data.bundles[0].rfis[0].rfiId;
      await t.circle.patch(`${APPS}/${applicationId}/rfis/${rfiId}`, {
        website: 'https://doomed.example.com',
      });
      await submit(t.circle, applicationId);
      await waitForStatus(t.circle, applicationId, 'DENIED');
    });
  });

  describe('control API decisions', () => {
    it('[manual] waits in IN_REVIEW until the control API decides', async () => {
      const { applicationId } = await submittedApplication(t.circle, 'Hand Picked [manual]');
      await waitForStatus(t.circle, applicationId, 'IN_REVIEW');
      await new Promise((r) => setTimeout(r, 80));
      expect((await t.circle.get(`${APPS}/${applicationId}`)).data.status).toBe('IN_REVIEW');
      const res = await t.http.post(`/_sim/applications/${applicationId}/review`, { outcome: 'approve' });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ applicationId, status: 'APPROVED' });
      const again = await t.http.post(`/_sim/applications/${applicationId}/review`, { outcome: 'deny' });
      expect(again.status).toBe(409);
    });

    it('issues a NEW_FIELD RFI that the schema then requires, and a custom UPDATE_FIELD', async () => {
      const { applicationId } = await submittedApplication(t.circle, 'New Field Co [manual]');
      const url = `${APPS}/${applicationId}`;
      const res = await t.http.post(`/_sim/applications/${applicationId}/review`, {
        outcome: 'rfi',
        rfis: [
          {
            section: 'complianceProfile',
            field: 'regulatorName',
            type: 'NEW_FIELD',
            comment: 'Name your regulator.',
          },
          { section: 'businessAddress', field: 'postalCode', type: 'UPDATE_FIELD' },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.data.status).toBe('PENDING_CUSTOMER_INFORMATION');
      expect(statusOf(res.data.sections)).toMatchObject({
        complianceProfile: 'action_required',
        businessAddress: 'action_required',
      });

      const schema = (await t.circle.get(`${url}/schema`)).data;
      expect(schema.properties.complianceProfile.required).toContain('regulatorName');
      expect(schema.properties.complianceProfile.properties.regulatorName).toMatchObject({
        type: 'string',
        minLength: 1,
      });

      const rfis = (await t.circle.get(`${url}/rfis`)).data.data.bundles[0].rfis as {
        rfiId: string;
        field: string;
        type: string;
        systemComment: string;
      }[];
      const newField = rfis.find((r) => r.field === 'regulatorName')!;
      expect(newField).toMatchObject({ type: 'NEW_FIELD', systemComment: 'Name your regulator.' });
      const postal = rfis.find((r) => r.field === 'postalCode')!;

      expect((await t.circle.patch(`${url}/rfis/${newField.rfiId}`, { regulatorName: '' })).status).toBe(422);
      const answered = await t.circle.patch(`${url}/rfis/${newField.rfiId}`, { regulatorName: 'NYDFS' });
      expect(answered.status).toBe(200);
      expect(answered.data.data.regulatorName).toBe('NYDFS');
      const mid = (await t.circle.get(url)).data;
      expect(statusOf(mid.sections)).toMatchObject({
        complianceProfile: 'complete',
        businessAddress: 'action_required',
      });
      expect(mid.pendingRfis).toHaveLength(1);

      await t.circle.patch(`${url}/rfis/${postal.rfiId}`, { postalCode: '94105' });
      const data = (await t.circle.get(`${url}/data`)).data.data;
      expect(data.businessAddress.postalCode).toBe('94105');
      expect((await submit(t.circle, applicationId)).status).toBe(200);
      await waitForStatus(t.circle, applicationId, 'IN_REVIEW');
      await t.sim.control.review(applicationId, { outcome: 'approve' });
      expect((await t.circle.get(url)).data.status).toBe('APPROVED');
    });

    it('rejects bad review requests (400), unknown applications (404), and DRAFT applications (409)', async () => {
      const { applicationId } = await createClient(t.circle);
      const draft = await t.http.post(`/_sim/applications/${applicationId}/review`, { outcome: 'approve' });
      expect(draft.status).toBe(409);
      const bad = await t.http.post(`/_sim/applications/${applicationId}/review`, { outcome: 'maybe' });
      expect(bad.status).toBe(400);
      expect(bad.data.errors[0]).toMatchObject({ path: 'outcome' });
      expect(
        (await t.http.post(`/_sim/applications/${randomUUID()}/review`, { outcome: 'approve' })).status,
      ).toBe(404);

      const submitted = await submittedApplication(t.circle, 'Bad Rfi [manual]');
      const arraySection = await t.http.post(`/_sim/applications/${submitted.applicationId}/review`, {
        outcome: 'rfi',
        rfis: [{ section: 'beneficialOwners', field: 'firstName', type: 'UPDATE_FIELD' }],
      });
      expect(arraySection.status).toBe(400);
      const unknownField = await t.http.post(`/_sim/applications/${submitted.applicationId}/review`, {
        outcome: 'rfi',
        rfis: [{ section: 'businessAddress', field: 'planet', type: 'UPDATE_FIELD' }],
      });
      expect(unknownField.status).toBe(400);
      expect((await t.circle.get(`${APPS}/${submitted.applicationId}`)).data.status).not.toBe(
        'PENDING_CUSTOMER_INFORMATION',
      );
    });

    it('a review plan replaces the default queue (HTTP and in-process)', async () => {
      const { applicationId } = await createClient(t.circle, 'Planned Co');
      const plan = await t.http.put(`/_sim/applications/${applicationId}/review-plan`, {
        outcomes: ['rfi', 'deny'],
      });
      expect(plan.status).toBe(200);
      expect(plan.data).toEqual({ applicationId, outcomes: ['rfi', 'deny'], whenEmpty: 'approve' });
      expect(
        (await t.http.put(`/_sim/applications/${applicationId}/review-plan`, { outcomes: ['later'] })).status,
      ).toBe(400);
      expect(
        (await t.http.put(`/_sim/applications/${randomUUID()}/review-plan`, { outcomes: [] })).status,
      ).toBe(404);

      await fill(t.circle, applicationId);
      await submit(t.circle, applicationId);
      await waitForStatus(t.circle, applicationId, 'PENDING_CUSTOMER_INFORMATION');
      const rfiId = (await t.circle.get(`${APPS}/${applicationId}/rfis`)).data.data.bundles[0].rfis[0].rfiId;
      await t.circle.patch(`${APPS}/${applicationId}/rfis/${rfiId}`, {
        website: 'https://planned.example.com',
      });
      await submit(t.circle, applicationId);
      await waitForStatus(t.circle, applicationId, 'DENIED');
    });

    it('setting a plan releases an application waiting for a manual decision', async () => {
      const { applicationId } = await submittedApplication(t.circle, 'Waiting [manual]');
      await waitForStatus(t.circle, applicationId, 'IN_REVIEW');
      expect(t.sim.control.setReviewPlan(applicationId, ['approve'])).toMatchObject({
        outcomes: ['approve'],
        whenEmpty: 'manual',
      });
      await waitForStatus(t.circle, applicationId, 'APPROVED');
    });

    it('decides a SUBMITTED application before the automatic step and cancels its timer', async () => {
      const slow = await startTestSimulator({ reviewDelayMs: 60_000 });
      try {
        const { applicationId } = await submittedApplication(slow.circle);
        expect(slow.sim.control.state().timers).toBe(1);
        const view = slow.sim.control.review(applicationId, { outcome: 'deny' });
        expect(view.status).toBe('DENIED');
        expect(slow.sim.control.state().timers).toBe(0);
      } finally {
        await slow.sim.close();
      }
    });
  });
});
