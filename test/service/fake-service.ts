// The service over a stand-in Temporal client: every onboarding exists and runs (or as `onboardings`
// says), updates answer with `update`. For the door's own checks (parsing, limits, uploads), no server.
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { WORKFLOW_TYPE } from '../../src/contract';
import { buildService, hashApiKey, type ServiceOptions } from '../../src/service';
import { http, READ_KEY, WRITE_KEY, ID_KEY, type TestService } from './helpers';

export interface FakeOnboarding {
  status: string;
  closeTime?: Date;
}

export interface FakeTemporal {
  client: Client;
  /** Known onboardings by id; an id not here is RUNNING unless `strict`. */
  onboardings: Map<string, FakeOnboarding>;
  strict: boolean;
  /** Ids whose describe() fails as if Temporal were down. */
  failing: Set<string>;
  /** What an update answers (or throws); receives the update's argument. */
  update: (arg: unknown) => Promise<unknown>;
  updates: unknown[];
}

export function fakeTemporal(): FakeTemporal {
  const fake: FakeTemporal = {
    onboardings: new Map(),
    strict: false,
    failing: new Set(),
    update: async () => ({ version: 1, documentErrors: [], missingDocuments: [], documents: [] }),
    updates: [],
  } as unknown as FakeTemporal;
  const describe = async (id: string) => {
    if (fake.failing.has(id)) throw Object.assign(new Error('unavailable'), { code: 14 });
    const known = fake.onboardings.get(id);
    if (!known && fake.strict) throw new WorkflowNotFoundError('not found', id, undefined);
    const { status, closeTime } = known ?? { status: 'RUNNING' };
    return { type: WORKFLOW_TYPE, workflowId: id, status: { name: status }, closeTime };
  };
  fake.client = {
    options: { namespace: 'default' },
    withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
    workflow: {
      getHandle: (id: string) => ({
        workflowId: id,
        describe: () => describe(id),
        executeUpdate: async (_def: unknown, { args }: { args: unknown[] }) => {
          fake.updates.push(args[0]);
          return fake.update(args[0]);
        },
      }),
    },
  } as unknown as Client;
  return fake;
}

export async function startFakeService(
  fake: FakeTemporal,
  overrides: Partial<ServiceOptions> = {},
): Promise<TestService> {
  const app = buildService({
    client: fake.client,
    idKey: ID_KEY,
    apiKeys: [
      { name: 'writer', sha256: hashApiKey(WRITE_KEY), scope: 'write' },
      { name: 'reader', sha256: hashApiKey(READ_KEY), scope: 'read' },
    ],
    rateLimitPerMinute: 10_000,
    minPollIntervalMs: 10, // as the test inputs ask
    bodyLimitBytes: 256 * 1024,
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
