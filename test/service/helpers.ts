// The onboarding service on a free loopback port, over the file's Temporal environment, with one
// write key and one read key; axios clients that never throw on a status, so tests assert each one.
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import type { FastifyInstance } from 'fastify';
import { buildService, hashApiKey, type ServiceOptions } from '../../src/service';
import type { ProblemDetails } from '../../src/service';
import type { OnboardingProgress } from '../../src/contract';
import type { OnboardingTestEnv } from '../helpers/onboarding-env';

export const WRITE_KEY = 'test-write-key-5b0c1f';
export const READ_KEY = 'test-read-key-9a7e22';
export const ID_KEY = 'service-test-id-key-0123456789';

export interface TestService {
  app: FastifyInstance;
  url: string;
  /** Bearer write key. */
  write: AxiosInstance;
  /** X-Api-Key read key. */
  read: AxiosInstance;
  anonymous: AxiosInstance;
}

export const http = (baseURL: string, headers: Record<string, string> = {}) =>
  axios.create({ baseURL, headers, validateStatus: () => true, timeout: 30_000 });

export async function startService(
  t: OnboardingTestEnv,
  overrides: Partial<ServiceOptions> = {},
): Promise<TestService> {
  const app = buildService({
    client: t.client,
    taskQueue: t.taskQueue,
    idKey: ID_KEY,
    apiKeys: [
      { name: 'writer', sha256: hashApiKey(WRITE_KEY), scope: 'write' },
      { name: 'reader', sha256: hashApiKey(READ_KEY), scope: 'read' },
    ],
    minPollIntervalMs: 10, // as the test worker allows
    rateLimitPerMinute: 10_000,
    bodyLimitBytes: 256 * 1024,
    documents: { dir: t.documentsDir, maxBytes: 1024 * 1024 },
    ...overrides,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    url,
    write: http(url, { authorization: `Bearer ${WRITE_KEY}` }),
    read: http(url, { 'x-api-key': READ_KEY }),
    anonymous: http(url),
  };
}

/** Registers the service's hooks after the environment's: started once, closed after the last test. */
export function useService(t: OnboardingTestEnv, overrides: Partial<ServiceOptions> = {}): TestService {
  const s = {} as TestService;
  beforeAll(async () => {
    Object.assign(s, await startService(t, overrides));
  });
  afterAll(async () => {
    await s.app?.close();
  });
  return s;
}

/** The problem in a response, checked to be one (content type and shape). */
export function problemOf(res: { status: number; headers: Record<string, unknown>; data: unknown }) {
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = res.data as ProblemDetails;
  expect(problem).toMatchObject({
    type: `urn:circle-onboarding:problem:${problem.failureType}`,
    status: res.status,
    title: expect.any(String),
    detail: expect.any(String),
    instance: expect.stringMatching(/^\//),
  });
  return problem;
}

/** Polls GET /v1/onboardings/{id} until `predicate` holds on its progress. */
export async function waitForProgressOf(
  api: AxiosInstance,
  id: string,
  predicate: (p: OnboardingProgress) => boolean,
  timeoutMs = 20_000,
): Promise<OnboardingProgress> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    const res = await api.get(`/v1/onboardings/${id}`);
    last = res.data;
    const progress = (res.data as { progress?: OnboardingProgress }).progress;
    if (res.status === 200 && progress && predicate(progress)) return progress;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`progress never matched; last seen: ${JSON.stringify(last)}`);
}

/** Starts an onboarding through the service; returns its id. */
export async function startThrough(
  s: TestService,
  input: unknown,
  key = `k-${Math.random()}`,
): Promise<string> {
  const res = await s.write.post('/v1/onboardings', input, { headers: { 'idempotency-key': key } });
  if (res.status !== 202) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.data)}`);
  return (res.data as { id: string }).id;
}
