import { randomUUID } from 'node:crypto';
import {
  APPS,
  createClient,
  eventually,
  submittedApplication,
  useTestSimulator,
  waitForStatus,
} from './support';

describe('control: delays and request counts', () => {
  const t = useTestSimulator(); // review and activation delays of 20 ms at start-up; reset before each test

  const firstPartyAccount = async () => {
    const res = await t.circle.post('/v1/accounts', {
      idempotencyKey: randomUUID(),
      description: `Custody ${randomUUID().slice(0, 8)}`,
      type: 'first_party',
      purpose: 'custody',
    });
    expect(res.status).toBe(201);
    return res.data.data.accountId as string;
  };
  const accountStatus = async (id: string) =>
    (await t.circle.get(`/v1/accounts/${id}`)).data.data.status as string;

  it('GET /_sim/delays shows the start-up delays', async () => {
    expect((await t.http.get('/_sim/delays')).data).toEqual({
      reviewDelayMs: 20,
      accountActivationDelayMs: 20,
    });
  });

  it('an account created after a longer activation delay is set stays pending; one made after the reset activates', async () => {
    const set = await t.http.put('/_sim/delays', { accountActivationDelayMs: 60_000 });
    expect(set.data).toEqual({ reviewDelayMs: 20, accountActivationDelayMs: 60_000 });
    const held = await firstPartyAccount();
    await new Promise((r) => setTimeout(r, 200));
    expect(await accountStatus(held)).toBe('pending');

    // The fields not given go back to their start-up values.
    expect(t.sim.control.setDelays({})).toEqual({ reviewDelayMs: 20, accountActivationDelayMs: 20 });
    const quick = await firstPartyAccount();
    await eventually(
      () => accountStatus(quick),
      (s) => s === 'active',
    );
    expect(await accountStatus(held)).toBe('pending'); // a timer already set keeps its delay
  });

  it('a longer review delay holds the next review step', async () => {
    t.sim.control.setDelays({ reviewDelayMs: 60_000 });
    const { applicationId } = await submittedApplication(t.circle);
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.circle.get(`${APPS}/${applicationId}`)).data.status).toBe('SUBMITTED');
    t.sim.control.reset(); // restores the start-up delays too
    expect(t.sim.control.delays()).toEqual({ reviewDelayMs: 20, accountActivationDelayMs: 20 });
    const next = await submittedApplication(t.circle);
    await waitForStatus(t.circle, next.applicationId, 'APPROVED');
  });

  it('refuses delays that are not whole milliseconds within setTimeout range, or unknown fields', async () => {
    for (const body of [
      { reviewDelayMs: -1 },
      { accountActivationDelayMs: 1.5 },
      { accountActivationDelayMs: 2 ** 31 },
      { reviewDelayMs: '10' },
      { otherDelayMs: 10 },
    ]) {
      const res = await t.http.put('/_sim/delays', body);
      expect(res.status).toBe(400);
    }
    expect(t.sim.control.delays()).toEqual({ reviewDelayMs: 20, accountActivationDelayMs: 20 });
  });

  it('counts every Circle and Clive request by method and route, past the log, until reset', async () => {
    const { applicationId } = await createClient(t.circle);
    for (let i = 0; i < 3; i++) await t.circle.get(`${APPS}/${applicationId}`);
    await t.circle.get('/v1/no-such-route');
    await t.http.get('/_sim/delays'); // control requests are not counted
    expect(t.sim.control.state().requestCounts).toEqual({
      'POST /v1/partner/clients': 1,
      [`GET ${APPS}/:applicationId`]: 3,
      'GET (no route)': 1,
    });
    t.sim.control.reset();
    expect(t.sim.control.state().requestCounts).toEqual({});
  });
});
