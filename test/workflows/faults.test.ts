// Faults on every write endpoint (500, 429 with Retry-After, response lost after commit) still end
// with exactly one client, one submission per round, one account and one Clive client.
import axios from 'axios';
import { answerRfiUpdate } from '../../src/contract';
import type { FaultRuleInput } from '../../simulator';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep } from '../helpers/workflow';

const t = useOnboardingEnv();

const APPS = '/v1/onboarding/partner/applications';
const WRITES: { method: string; path: string }[] = [
  { method: 'POST', path: '/v1/partner/clients' },
  { method: 'PATCH', path: `${APPS}/*/data` },
  { method: 'POST', path: `${APPS}/*/submit` },
  { method: 'PATCH', path: `${APPS}/*/rfis/*` },
  { method: 'POST', path: '/v1/accounts' },
  { method: 'POST', path: '/api/v1/clients' },
];

const MODES: Record<string, Omit<FaultRuleInput, 'method' | 'path'>> = {
  '500': { mode: 'error', status: 500 },
  '429 with Retry-After': { mode: 'error', status: 429, retryAfterSeconds: 1 },
  'drop after commit': { mode: 'drop-after-commit' },
};

test.each(Object.keys(MODES))('%s on every write endpoint: every side effect exactly once', async (name) => {
  const faults = (writes: typeof WRITES) =>
    t.sim.control.setFaults(writes.map((w) => ({ ...w, ...MODES[name], times: 1 }) as FaultRuleInput));
  faults(WRITES); // the first attempt at each write fails
  const clive = { clientId: `CLV-${Date.now()}`, legalName: 'Acme Payments Inc.' };
  const handle = await start(t, onboardingInput({ tag: '[rfi]', clive }));

  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers', 30_000);
  faults(WRITES.slice(2)); // again for the resubmission round (and the writes still to come)
  await handle.executeUpdate(answerRfiUpdate, {
    args: [{ rfiId: rfis[0]!.rfiId, answer: { website: 'https://acme.example.net' } }],
  });
  const result = await handle.result();

  const state = t.sim.control.state();
  expect(state.clients).toBe(1);
  expect(state.applications.total).toBe(1);
  expect(state.submissions).toBe(2); // one per round: first submit, resubmit after the RFI
  expect(result.submissionRounds).toBe(2);
  expect(state.accounts.total).toBe(1);
  expect(state.cliveClients).toBe(1);
  // The retried bulk save matched the owner already saved instead of adding a second one.
  const owners = await axios.get(`${t.sim.url}${APPS}/${result.applicationId}/sections/beneficialOwners`, {
    headers: { Authorization: 'Bearer TEST_API_KEY:local:simulator' },
  });
  expect(owners.data.data).toHaveLength(1);
  // Every write endpoint really did fail first.
  for (const w of WRITES) {
    const pattern = new RegExp(`^${w.path.replace(/\*/g, '[^/]+')}$`);
    const hits = state.requests.filter((r) => r.method === w.method && pattern.test(r.path));
    expect(hits.length).toBeGreaterThanOrEqual(2);
  }
});
