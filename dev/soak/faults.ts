// Random faults on every Circle and Clive endpoint the simulator serves, read and write alike: one rule
// per endpoint and mode, each firing with rate / modes, so any request fails with about `rate`.
import type { ActiveFault, FaultRuleInput } from '../../simulator';

const APPS = '/v1/onboarding/partner/applications';

/** Every route of simulator/routes except the control API (which faults never touch). */
export const ENDPOINTS: readonly { method: string; path: string }[] = [
  { method: 'POST', path: '/v1/partner/clients' },
  { method: 'GET', path: '/v1/partner/clients' },
  { method: 'GET', path: '/v1/partner/clients/*' },
  { method: 'GET', path: APPS },
  { method: 'GET', path: `${APPS}/*` },
  { method: 'DELETE', path: `${APPS}/*` },
  { method: 'GET', path: `${APPS}/*/schema` },
  { method: 'GET', path: `${APPS}/*/certifications` },
  { method: 'POST', path: `${APPS}/*/submit` },
  { method: 'GET', path: `${APPS}/*/sections` },
  { method: 'GET', path: `${APPS}/*/sections/*` },
  { method: 'PUT', path: `${APPS}/*/sections/*` },
  { method: 'DELETE', path: `${APPS}/*/sections/*/*` },
  { method: 'GET', path: `${APPS}/*/data` },
  { method: 'PATCH', path: `${APPS}/*/data` },
  { method: 'GET', path: `${APPS}/*/rfis` },
  { method: 'GET', path: `${APPS}/*/rfis/*` },
  { method: 'PATCH', path: `${APPS}/*/rfis/*` },
  { method: 'POST', path: `${APPS}/*/rfis/*/comments` },
  { method: 'POST', path: '/v1/accounts' },
  { method: 'GET', path: '/v1/accounts' },
  { method: 'GET', path: '/v1/accounts/*' },
  { method: 'POST', path: '/v1/accounts/*/archive' },
  { method: 'POST', path: '/api/v1/clients' },
  { method: 'GET', path: '/api/v1/clients' },
];

const MODES: Record<string, Omit<FaultRuleInput, 'method' | 'path' | 'probability'>> = {
  '500': { mode: 'error', status: 500 },
  '429': { mode: 'error', status: 429, retryAfterSeconds: 1 },
  drop: { mode: 'drop' },
  'drop-after-commit': { mode: 'drop-after-commit' },
  delay: { mode: 'delay', delayMs: 250 },
};

export function faultRules(rate: number): FaultRuleInput[] {
  const probability = rate / Object.keys(MODES).length;
  return ENDPOINTS.flatMap((e) => Object.values(MODES).map((m) => ({ ...e, ...m, probability })));
}

/** Endpoints the run called (as far as the simulator's request log reaches) that no fault hit. */
export function calledButNotFaulted(
  requests: readonly { method: string; path: string }[],
  active: readonly ActiveFault[],
): string[] {
  const faulted = new Set(active.filter((f) => f.applied > 0).map((f) => `${f.method} ${f.path}`));
  const called = new Set<string>();
  for (const r of requests) {
    const e = ENDPOINTS.find((e) => e.method === r.method && patternOf(e.path).test(r.path.split('?')[0]!));
    if (e) called.add(`${e.method} ${e.path}`);
  }
  return [...called].filter((e) => !faulted.has(e));
}

const patternOf = (path: string) => new RegExp(`^${path.replace(/\*/g, '[^/]+')}$`);

const modeName = (f: ActiveFault) => (f.mode === 'error' ? String(f.status ?? 500) : f.mode);

/** How many faults fired, by mode and by endpoint (from the rules' own counters: never truncated). */
export function faultTally(active: readonly ActiveFault[]) {
  const byMode: Record<string, number> = {};
  const byEndpoint: Record<string, number> = {};
  let total = 0;
  for (const f of active) {
    if (f.applied === 0) continue;
    total += f.applied;
    byMode[modeName(f)] = (byMode[modeName(f)] ?? 0) + f.applied;
    const endpoint = `${f.method} ${f.path}`;
    byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + f.applied;
  }
  return {
    total,
    byMode,
    byEndpoint,
    endpointsFaulted: `${Object.keys(byEndpoint).length}/${ENDPOINTS.length}`,
  };
}
