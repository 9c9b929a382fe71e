// Shared helpers for the simulator contract tests: an in-process simulator on a free port, HTTP clients
// for Circle and the control API, and small steps (create a client, fill, submit, wait for a status).
import { randomUUID } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import type { InstitutionType, NatureOfBusiness } from '../circle-enums';
import {
  exampleApplicationData,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../index';

export const CIRCLE_KEY = 'TEST_API_KEY:contract:tests';
export const CLIVE_KEY = 'cp_test_partner_contract';
export const CLIVE_SECRET = 'contract-hmac-secret';
export const APPS = '/v1/onboarding/partner/applications';

export interface TestSim {
  sim: RunningSimulator;
  /** Authenticated Circle client. */
  circle: AxiosInstance;
  /** No credentials: control API and negative auth cases. */
  http: AxiosInstance;
}

/**
 * Registers the usual hooks for a test file: one simulator for the file (closed afterwards) whose
 * state is reset before each test. The returned object is filled in before the first test runs.
 */
export function useTestSimulator(options: SimulatorOptions = {}): TestSim {
  const t = {} as TestSim;
  beforeAll(async () => {
    Object.assign(t, await startTestSimulator(options));
  });
  afterAll(async () => {
    await t.sim?.close();
  });
  beforeEach(() => t.sim.control.reset());
  return t;
}

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<TestSim> {
  const sim = await startSimulator({
    circleApiKey: CIRCLE_KEY,
    cliveApiKey: CLIVE_KEY,
    cliveHmacSecret: CLIVE_SECRET,
    reviewDelayMs: 20,
    accountActivationDelayMs: 20,
    ...options,
  });
  const common = { baseURL: sim.url, validateStatus: () => true };
  return {
    sim,
    circle: axios.create({ ...common, headers: { Authorization: `Bearer ${CIRCLE_KEY}` } }),
    http: axios.create(common),
  };
}

export const idem = () => ({ headers: { 'X-Idempotency-Key': randomUUID() } });

export interface Profile {
  natureOfBusiness: NatureOfBusiness;
  institutionType: InstitutionType;
}

export const PAYMENTS: Profile = {
  natureOfBusiness: 'paymentProcessorPlatform',
  institutionType: 'privateCo',
};

export function clientBody(name = `Acme ${randomUUID().slice(0, 8)}`, profile: Profile = PAYMENTS) {
  return { clientName: name, country: 'US', clientType: 'business', businessDetails: { ...profile } };
}

export async function createClient(
  circle: AxiosInstance,
  name?: string,
  profile: Profile = PAYMENTS,
): Promise<{ clientEntityId: string; applicationId: string }> {
  const res = await circle.post('/v1/partner/clients', clientBody(name, profile), idem());
  if (res.status !== 200) throw new Error(`create client: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data.data;
}

/** Saves valid data for every section (bulk), so that the application can be submitted. */
export async function fill(
  circle: AxiosInstance,
  applicationId: string,
  profile: Profile = PAYMENTS,
): Promise<void> {
  const res = await circle.patch(`${APPS}/${applicationId}/data`, exampleApplicationData(profile));
  if (res.status !== 200) throw new Error(`fill: ${res.status} ${JSON.stringify(res.data)}`);
}

export const submitBody = { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.7' };

export async function submit(circle: AxiosInstance, applicationId: string, key = randomUUID()) {
  return circle.post(`${APPS}/${applicationId}/submit`, submitBody, {
    headers: { 'X-Idempotency-Key': key },
  });
}

/** A client whose application is filled and submitted. */
export async function submittedApplication(
  circle: AxiosInstance,
  name?: string,
  profile: Profile = PAYMENTS,
) {
  const ids = await createClient(circle, name, profile);
  await fill(circle, ids.applicationId, profile);
  const res = await submit(circle, ids.applicationId);
  if (res.status !== 200) throw new Error(`submit: ${res.status} ${JSON.stringify(res.data)}`);
  return ids;
}

/** Polls `read` until `done` holds (or fails after `timeoutMs`); returns the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function waitForStatus(circle: AxiosInstance, applicationId: string, status: string) {
  const res = await eventually(
    () => circle.get(`${APPS}/${applicationId}`),
    (r) => r.data.status === status,
  );
  return res.data;
}
