// Realism modes: a Circle that lags and changes its mind. Each mode is shown off by default and on.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { mulberry32 } from '../faults';
import { DEFAULT_REALISM_MODES, defaultPlan, startSimulator } from '../index';
import { notificationFor } from '../notifications/messages';
import {
  APPS,
  clientBody,
  createClient,
  eventually,
  fill,
  idem,
  startTestSimulator,
  submit,
  submittedApplication,
  useTestSimulator,
  waitForStatus,
} from './support';

type Section = { sectionName: string; status: string };

describe('realism modes', () => {
  // Accounts stay pending for 200 ms, so that their pending state can be observed.
  const t = useTestSimulator({ accountActivationDelayMs: 200 });

  const firstParty = (circle: AxiosInstance) =>
    circle.post('/v1/accounts', {
      idempotencyKey: randomUUID(),
      description: `Treasury ${randomUUID().slice(0, 8)}`,
      type: 'first_party',
      purpose: 'custody',
    });

  const thirdParty = (circle: AxiosInstance, clientEntityId: string) =>
    circle.post('/v1/accounts', {
      idempotencyKey: randomUUID(),
      description: `Custody ${randomUUID().slice(0, 8)}`,
      type: 'third_party',
      purpose: 'custody',
      clientEntityId,
    });

  async function approvedClient(name?: string) {
    const ids = await submittedApplication(t.circle, name);
    await waitForStatus(t.circle, ids.applicationId, 'APPROVED');
    return ids;
  }

  describe('control', () => {
    it('is all off by default: GET /_sim/realism', async () => {
      const res = await t.http.get('/_sim/realism');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ modes: { ...DEFAULT_REALISM_MODES }, share: 1, seed: 1 });
    });

    it('PUT /_sim/realism replaces: what is not given goes back to the start-up value', async () => {
      let res = await t.http.put('/_sim/realism', { modes: { readLagMs: 50, maxPageSize: 3 }, seed: 9 });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        modes: { ...DEFAULT_REALISM_MODES, readLagMs: 50, maxPageSize: 3 },
        share: 1,
        seed: 9,
      });
      res = await t.http.put('/_sim/realism', { share: 0.5 });
      expect(res.data).toEqual({ modes: { ...DEFAULT_REALISM_MODES }, share: 0.5, seed: 1 });
      t.sim.control.reset();
      expect(t.sim.control.realism()).toEqual({ modes: { ...DEFAULT_REALISM_MODES }, share: 1, seed: 1 });
    });

    it('refuses bad values and unknown modes (400)', async () => {
      for (const body of [
        { modes: { readLagMs: -1 } },
        { modes: { maxPageSize: 0 } },
        { modes: { sometimes: true } },
        { share: 1.5 },
        { seed: 0.5 },
        { modes: { unknownApplicationStatus: '' } },
      ]) {
        const res = await t.http.put('/_sim/realism', body);
        expect(res.status).toBe(400);
      }
      expect(() => t.sim.control.setRealism({ modes: { latencyMs: 70_000 } })).toThrow(/latencyMs/);
    });

    it('takes start-up options (and reset restores them); bad ones throw', async () => {
      const other = await startTestSimulator({ realism: { listLagMs: 100, share: 0.25, seed: 3 } });
      try {
        const expected = { modes: { ...DEFAULT_REALISM_MODES, listLagMs: 100 }, share: 0.25, seed: 3 };
        expect(other.sim.control.realism()).toEqual(expected);
        other.sim.control.setRealism({ modes: { readLagMs: 10 } });
        expect(other.sim.control.setRealism({})).toEqual(expected);
        other.sim.control.setRealism({ share: 1 });
        other.sim.control.reset();
        expect(other.sim.control.realism()).toEqual(expected);
      } finally {
        await other.sim.close();
      }
      await expect(startSimulator({ realism: { readLagMs: -5 } })).rejects.toThrow(RangeError);
    });
  });

  describe('off by default', () => {
    it('reads follow writes at once, new items are found and listed at once, pages are as asked', async () => {
      const names = [0, 1, 2].map((i) => `Acme ${i} ${randomUUID().slice(0, 6)}`);
      const ids = [];
      for (const n of names) ids.push(await createClient(t.circle, n));
      const last = ids[2]!;
      expect((await t.circle.get(`/v1/partner/clients/${last.clientEntityId}`)).status).toBe(200);
      expect((await t.circle.get(`${APPS}/${last.applicationId}`)).status).toBe(200);
      expect((await t.circle.get('/v1/partner/clients?pageSize=3')).data.data).toHaveLength(3);
      expect((await t.circle.get(`${APPS}?limit=3`)).data.applications).toHaveLength(3);
      await fill(t.circle, last.applicationId);
      expect((await submit(t.circle, last.applicationId)).status).toBe(200);
      const app = (await t.circle.get(`${APPS}/${last.applicationId}`)).data;
      expect(['SUBMITTED', 'IN_REVIEW', 'APPROVED']).toContain(app.status);
      const account = await firstParty(t.circle);
      expect(account.data.data.status).toBe('pending');
      expect((await t.circle.get(`/v1/accounts/${account.data.data.accountId}`)).data.data.status).toBe(
        'pending',
      );
      expect((await t.circle.get('/v1/accounts')).data.data).toHaveLength(1);
    });
  });

  describe('readLagMs', () => {
    it('answers an application and its sections as they were readLagMs ago; writes use the truth', async () => {
      t.sim.control.setRealism({ modes: { readLagMs: 400 } });
      const { applicationId } = await createClient(t.circle, `Acme [manual] ${randomUUID().slice(0, 6)}`);
      await fill(t.circle, applicationId);
      const submittedAt = Date.now();
      expect((await submit(t.circle, applicationId)).status).toBe(200);

      // Right after the submit, reads still show the application as it was (DRAFT, nothing saved).
      const lagged = await t.circle.get(`${APPS}/${applicationId}`);
      expect(lagged.data.status).toBe('DRAFT');
      const sections = await t.circle.get(`${APPS}/${applicationId}/sections`);
      expect((sections.data.sections as Section[]).every((s) => s.status === 'not_started')).toBe(true);
      // ...but the application is truly submitted: a second submit is refused.
      const again = await submit(t.circle, applicationId);
      expect(again.status).toBe(409);
      expect(again.data.message).toMatch(/SUBMITTED|IN_REVIEW/);

      const caughtUp = await eventually(
        () => t.circle.get(`${APPS}/${applicationId}`),
        (r) => r.data.status !== 'DRAFT',
      );
      expect(Date.now() - submittedAt).toBeGreaterThanOrEqual(390);
      expect(['SUBMITTED', 'IN_REVIEW']).toContain(caughtUp.data.status);
      const now = await t.circle.get(`${APPS}/${applicationId}/sections?includeData=true`);
      expect((now.data.sections as Section[]).every((s) => s.status === 'complete')).toBe(true);
    });

    it('answers an account as it was readLagMs ago', async () => {
      const { applicationId, clientEntityId } = await approvedClient();
      t.sim.control.setApplicationRealism(applicationId, { readLagMs: 500 });
      const created = await thirdParty(t.circle, clientEntityId);
      expect(created.status).toBe(201);
      const id = created.data.data.accountId as string;
      await eventually(
        async () => t.sim.control.state().accounts.byStatus.active,
        (n) => n === 1,
      );
      // Truly active now; still pending for readers.
      expect((await t.circle.get(`/v1/accounts/${id}`)).data.data.status).toBe('pending');
      const later = await eventually(
        () => t.circle.get(`/v1/accounts/${id}`),
        (r) => r.data.data.status === 'active',
      );
      expect(later.status).toBe(200);
    });
  });

  describe('rfiListDelayMs', () => {
    it('lists the RFIs (and pendingRfis) only that long after PENDING_CUSTOMER_INFORMATION', async () => {
      t.sim.control.setRealism({ modes: { rfiListDelayMs: 400 } });
      const { applicationId } = await submittedApplication(
        t.circle,
        `Acme [rfi] ${randomUUID().slice(0, 6)}`,
      );
      const app = await waitForStatus(t.circle, applicationId, 'PENDING_CUSTOMER_INFORMATION');
      expect(app.pendingRfis).toEqual([]);
      expect((await t.circle.get(`${APPS}/${applicationId}/rfis`)).data.data.bundles).toEqual([]);
      const listed = await eventually(
        () => t.circle.get(`${APPS}/${applicationId}/rfis`),
        (r) => r.data.data.bundles.length === 1,
      );
      const bundleId = listed.data.data.bundles[0].bundleId;
      expect((await t.circle.get(`${APPS}/${applicationId}`)).data.pendingRfis).toEqual([bundleId]);
    });

    it('off: the RFIs are listed with the status change', async () => {
      const { applicationId } = await submittedApplication(
        t.circle,
        `Acme [rfi] ${randomUUID().slice(0, 6)}`,
      );
      const app = await waitForStatus(t.circle, applicationId, 'PENDING_CUSTOMER_INFORMATION');
      expect(app.pendingRfis).toHaveLength(1);
    });
  });

  describe('notFoundAfterCreateMs', () => {
    it('answers 404 for a new client and application, then 200', async () => {
      t.sim.control.setRealism({ modes: { notFoundAfterCreateMs: 300 } });
      const { clientEntityId, applicationId } = await createClient(t.circle);
      const client = await t.circle.get(`/v1/partner/clients/${clientEntityId}`);
      expect(client.status).toBe(404);
      expect(client.data).toEqual({ code: 404, message: 'Client not found.' });
      const app = await t.circle.get(`${APPS}/${applicationId}`);
      expect(app.status).toBe(404);
      expect(app.data).toEqual({ code: 181103, message: 'Not found' });
      // Writes see the application.
      expect((await t.circle.patch(`${APPS}/${applicationId}/data`, {})).status).toBe(200);
      await eventually(
        () => t.circle.get(`${APPS}/${applicationId}`),
        (r) => r.status === 200,
      );
      expect((await t.circle.get(`/v1/partner/clients/${clientEntityId}`)).status).toBe(200);
    });

    it('answers 404 for a new account, then 200', async () => {
      const { applicationId, clientEntityId } = await approvedClient();
      t.sim.control.setApplicationRealism(applicationId, { notFoundAfterCreateMs: 300 });
      const id = (await thirdParty(t.circle, clientEntityId)).data.data.accountId as string;
      const res = await t.circle.get(`/v1/accounts/${id}`);
      expect(res.status).toBe(404);
      expect(res.data).toEqual({ code: 404, message: 'Account not found.' });
      await eventually(
        () => t.circle.get(`/v1/accounts/${id}`),
        (r) => r.status === 200,
      );
    });
  });

  describe('maxPageSize', () => {
    it('caps every list page, whatever size is asked; the cursors walk the rest', async () => {
      for (let i = 0; i < 5; i++) await createClient(t.circle);
      for (let i = 0; i < 3; i++) expect((await firstParty(t.circle)).status).toBe(201);
      t.sim.control.setRealism({ modes: { maxPageSize: 2 } });

      const clients: string[] = [];
      let url: string | undefined = '/v1/partner/clients?pageSize=100';
      while (url) {
        const res: AxiosResponse = await t.circle.get(url);
        expect(res.data.data.length).toBeLessThanOrEqual(2);
        clients.push(...res.data.data.map((c: { clientEntityId: string }) => c.clientEntityId));
        url = /<([^>]+)>; rel="next"/.exec(res.headers.link ?? '')?.[1];
      }
      expect(new Set(clients).size).toBe(5);

      const apps: string[] = [];
      let cursor: string | null = null;
      do {
        const res: AxiosResponse = await t.circle.get(APPS, {
          params: { limit: 100, starting_after: cursor ?? undefined },
        });
        expect(res.data.applications.length).toBeLessThanOrEqual(2);
        apps.push(...res.data.applications.map((a: { applicationId: string }) => a.applicationId));
        cursor = res.data.hasMore ? res.data.nextCursor : null;
      } while (cursor);
      expect(new Set(apps).size).toBe(5);

      const first = await t.circle.get('/v1/accounts?pageSize=50');
      expect(first.data.data).toHaveLength(2);
      const next = /<([^>]+)>; rel="next"/.exec(first.headers.link)![1]!;
      expect(next).toContain('pageAfter=');
      const second = await t.circle.get(next);
      expect(second.data.data).toHaveLength(1);
      expect(second.headers.link).toBeUndefined();
    });
  });

  describe('listLagMs', () => {
    it('lists a created client, application and account only listLagMs after its creation', async () => {
      // Long enough that the three creations finish inside it on a loaded machine.
      t.sim.control.setRealism({ modes: { listLagMs: 1500 } });
      const { clientEntityId, applicationId } = await createClient(t.circle);
      const accountId = (await firstParty(t.circle)).data.data.accountId as string;
      expect((await t.circle.get('/v1/partner/clients')).data.data).toEqual([]);
      expect((await t.circle.get(APPS)).data.applications).toEqual([]);
      expect((await t.circle.get('/v1/accounts')).data.data).toEqual([]);
      // Found by id at once.
      expect((await t.circle.get(`${APPS}/${applicationId}`)).status).toBe(200);
      // Each appears once its own lag has passed (they were created one after the other).
      const clients = await eventually(
        () => t.circle.get('/v1/partner/clients'),
        (r) => r.data.data.length === 1,
      );
      expect(clients.data.data[0].clientEntityId).toBe(clientEntityId);
      const apps = await eventually(
        () => t.circle.get(APPS),
        (r) => r.data.applications.length === 1,
      );
      expect(apps.data.applications[0].applicationId).toBe(applicationId);
      const accounts = await eventually(
        () => t.circle.get('/v1/accounts'),
        (r) => r.data.data.length === 1,
      );
      expect(accounts.data.data[0].accountId).toBe(accountId);
    });
  });

  describe('unknown statuses', () => {
    it('shows unknownApplicationStatus while SUBMITTED or IN_REVIEW', async () => {
      t.sim.control.setRealism({ modes: { unknownApplicationStatus: 'UNDER_ENHANCED_REVIEW' } });
      const { applicationId } = await submittedApplication(
        t.circle,
        `Acme [manual] ${randomUUID().slice(0, 6)}`,
      );
      expect((await t.circle.get(`${APPS}/${applicationId}`)).data.status).toBe('UNDER_ENHANCED_REVIEW');
      expect((await t.circle.get(APPS)).data.applications[0].status).toBe('UNDER_ENHANCED_REVIEW');
      expect(t.sim.control.state().applications.byStatus.UNDER_ENHANCED_REVIEW).toBeUndefined();
      t.sim.control.review(applicationId, { outcome: 'approve' });
      expect((await t.circle.get(`${APPS}/${applicationId}`)).data.status).toBe('APPROVED');
    });

    it('shows unknownAccountStatus while pending, in the create response too', async () => {
      t.sim.control.setRealism({ modes: { unknownAccountStatus: 'provisioning' } });
      const created = await firstParty(t.circle);
      expect(created.data.data.status).toBe('provisioning');
      const id = created.data.data.accountId as string;
      expect((await t.circle.get(`/v1/accounts/${id}`)).data.data.status).toBe('provisioning');
      expect((await t.circle.get('/v1/accounts')).data.data[0].status).toBe('provisioning');
      await eventually(
        () => t.circle.get(`/v1/accounts/${id}`),
        (r) => r.data.data.status === 'active',
      );
    });
  });

  describe('latencyMs', () => {
    it('delays every Circle answer (never /_sim); the write is done before the answer leaves', async () => {
      t.sim.control.setRealism({ modes: { latencyMs: 250 } });
      let start = Date.now();
      expect((await t.circle.get('/v1/partner/clients')).status).toBe(200);
      expect(Date.now() - start).toBeGreaterThanOrEqual(240);
      start = Date.now();
      await t.http.get('/_sim/state');
      expect(Date.now() - start).toBeLessThan(240);
      // A caller that gives up before the answer still created the client.
      const timedOut = await t.circle
        .post('/v1/partner/clients', clientBody(), { ...idem(), timeout: 50 })
        .catch((err: Error) => err);
      expect(timedOut).toBeInstanceOf(Error);
      expect(t.sim.control.state().clients).toBe(1);
      t.sim.control.setRealism({});
      start = Date.now();
      await t.circle.get('/v1/partner/clients');
      expect(Date.now() - start).toBeLessThan(240);
    });
  });

  describe('share and seed', () => {
    const drawnPattern = async (n: number) => {
      const drawn: boolean[] = [];
      for (let i = 0; i < n; i++) {
        const { applicationId } = await createClient(t.circle);
        drawn.push((await t.circle.get(`${APPS}/${applicationId}`)).status === 404);
      }
      return drawn;
    };

    it('draws each new application into the global modes with probability share, reproducibly', async () => {
      const body = { modes: { notFoundAfterCreateMs: 60_000, maxPageSize: 1 }, share: 0.5, seed: 42 };
      t.sim.control.setRealism(body);
      const first = await drawnPattern(12);
      const random = mulberry32(42);
      expect(first).toEqual(first.map(() => random() < 0.5));
      expect(first.filter(Boolean).length).toBeGreaterThan(0);
      expect(first.filter((d) => !d).length).toBeGreaterThan(0);
      // Partner-wide modes apply whatever the draw.
      expect((await t.circle.get('/v1/partner/clients')).data.data).toHaveLength(1);

      t.sim.control.reset();
      t.sim.control.setRealism(body);
      expect(await drawnPattern(12)).toEqual(first);
    });

    it('applies to applications created after the call only', async () => {
      const before = await createClient(t.circle);
      t.sim.control.setRealism({ modes: { notFoundAfterCreateMs: 60_000 } });
      const after = await createClient(t.circle);
      expect((await t.circle.get(`${APPS}/${before.applicationId}`)).status).toBe(200);
      expect((await t.circle.get(`${APPS}/${after.applicationId}`)).status).toBe(404);
      expect(t.sim.control.applicationRealism(after.applicationId).modes.notFoundAfterCreateMs).toBe(60_000);
    });
  });

  describe('per application', () => {
    it('PUT /_sim/applications/{id}/realism overrides the global choice for that application', async () => {
      t.sim.control.setRealism({ modes: { notFoundAfterCreateMs: 60_000 } });
      const a = await createClient(t.circle);
      const b = await createClient(t.circle);
      const res = await t.http.put(`/_sim/applications/${a.applicationId}/realism`, {
        notFoundAfterCreateMs: 0,
        unknownApplicationStatus: 'UNDER_ENHANCED_REVIEW',
      });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        applicationId: a.applicationId,
        modes: { ...DEFAULT_REALISM_MODES, unknownApplicationStatus: 'UNDER_ENHANCED_REVIEW' },
      });
      expect((await t.http.get(`/_sim/applications/${a.applicationId}/realism`)).data).toEqual(res.data);
      expect((await t.circle.get(`${APPS}/${a.applicationId}`)).status).toBe(200);
      expect((await t.circle.get(`/v1/partner/clients/${a.clientEntityId}`)).status).toBe(200);
      expect((await t.circle.get(`${APPS}/${b.applicationId}`)).status).toBe(404);

      const unknown = await t.http.put(`/_sim/applications/${randomUUID()}/realism`, {});
      expect(unknown.status).toBe(404);
      const bad = await t.http.put(`/_sim/applications/${a.applicationId}/realism`, { readLag: 5 });
      expect(bad.status).toBe(400);
    });
  });

  describe('client-name tag', () => {
    it('[realism:key=value,...] sets the modes of that client application only', async () => {
      const tagged = await createClient(
        t.circle,
        `Acme Corp [realism:readLagMs=3000,rfiListDelayMs=2000] ${randomUUID().slice(0, 6)}`,
      );
      const plain = await createClient(t.circle);
      expect(t.sim.control.applicationRealism(tagged.applicationId).modes).toEqual({
        ...DEFAULT_REALISM_MODES,
        readLagMs: 3000,
        rfiListDelayMs: 2000,
      });
      expect(t.sim.control.applicationRealism(plain.applicationId).modes).toEqual(DEFAULT_REALISM_MODES);
      await fill(t.circle, tagged.applicationId);
      await fill(t.circle, plain.applicationId);
      const lagged = await t.circle.get(`${APPS}/${tagged.applicationId}/sections`);
      expect((lagged.data.sections as Section[]).every((s) => s.status === 'not_started')).toBe(true);
      const fresh = await t.circle.get(`${APPS}/${plain.applicationId}/sections`);
      expect((fresh.data.sections as Section[]).every((s) => s.status === 'complete')).toBe(true);

      const status = await createClient(
        t.circle,
        `Acme [realism:unknownApplicationStatus=UNDER_ENHANCED_REVIEW, maxpagesize=off] ${randomUUID().slice(0, 6)}`,
      );
      expect(t.sim.control.applicationRealism(status.applicationId).modes).toMatchObject({
        unknownApplicationStatus: 'UNDER_ENHANCED_REVIEW',
        maxPageSize: null,
      });
    });

    it('a bad key or value is a 400 naming it; nothing is created', async () => {
      const cases: [string, RegExp][] = [
        ['Acme [realism:fooMs=1]', /unknown mode "fooMs"/],
        ['Acme [realism:readLagMs=soon]', /bad value "soon" for readLagMs/],
        ['Acme [realism:maxPageSize=500]', /bad value "500" for maxPageSize/],
        ['Acme [realism:latencyMs]', /latencyMs needs a value/],
      ];
      for (const [name, message] of cases) {
        const res = await t.circle.post('/v1/partner/clients', clientBody(name), idem());
        expect(res.status).toBe(400);
        expect(res.data.message).toMatch(message);
        expect(res.data.errors[0]).toMatchObject({ path: 'clientName', error: 'invalid_value' });
      }
      expect(t.sim.control.state().clients).toBe(0);
    });
  });

  describe('review outcome draft', () => {
    it('sends a SUBMITTED / IN_REVIEW application back to DRAFT; the old key replays, a new key submits', async () => {
      const { applicationId } = await createClient(t.circle, `Acme [manual] ${randomUUID().slice(0, 6)}`);
      await fill(t.circle, applicationId);
      const firstKey = randomUUID();
      expect((await submit(t.circle, applicationId, firstKey)).status).toBe(200);
      await waitForStatus(t.circle, applicationId, 'IN_REVIEW');

      const res = await t.http.post(`/_sim/applications/${applicationId}/review`, { outcome: 'draft' });
      expect(res.status).toBe(200);
      expect(res.data.status).toBe('DRAFT');
      expect((res.data.sections as Section[]).every((s) => s.status === 'complete')).toBe(true);
      // Circle documents no notification for a return to DRAFT, so none is sent.
      expect(notificationFor('IN_REVIEW', 'DRAFT')).toBeUndefined();

      const replay = await submit(t.circle, applicationId, firstKey);
      expect(replay.status).toBe(200);
      expect(replay.data).toEqual({ applicationId, status: 'SUBMITTED' });
      expect((await t.circle.get(`${APPS}/${applicationId}`)).data.status).toBe('DRAFT');
      expect(t.sim.control.state().submissions).toBe(1);

      const resubmit = await submit(t.circle, applicationId);
      expect(resubmit.status).toBe(200);
      const app = await t.circle.get(`${APPS}/${applicationId}`);
      expect(app.data.submissionCount).toBe(2);
      expect(t.sim.control.state().submissions).toBe(2);

      const draft = await t.http.post(`/_sim/applications/${randomUUID()}/review`, { outcome: 'draft' });
      expect(draft.status).toBe(404);
    });

    it('is a review-plan step, and [draft] sends back once then approves', async () => {
      expect(defaultPlan('Acme [draft]').steps).toEqual(['draft', 'approve']);
      expect(defaultPlan('Acme [rfi] [draft] [deny]').steps).toEqual(['rfi', 'draft', 'deny']);

      const { applicationId } = await submittedApplication(
        t.circle,
        `Acme [draft] ${randomUUID().slice(0, 6)}`,
      );
      await waitForStatus(t.circle, applicationId, 'DRAFT');
      expect((await submit(t.circle, applicationId)).status).toBe(200);
      await waitForStatus(t.circle, applicationId, 'APPROVED');

      const other = await submittedApplication(t.circle, `Acme [manual] ${randomUUID().slice(0, 6)}`);
      const plan = await t.http.put(`/_sim/applications/${other.applicationId}/review-plan`, {
        outcomes: ['draft'],
      });
      expect(plan.status).toBe(200);
      await waitForStatus(t.circle, other.applicationId, 'DRAFT');
      await sleep(50);
      expect((await t.circle.get(`${APPS}/${other.applicationId}`)).data.status).toBe('DRAFT');
    });
  });
});
