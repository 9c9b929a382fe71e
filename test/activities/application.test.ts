// The section-saving activity against the simulator over HTTP: an array section is the whole list, so a
// retried save never duplicates an entity, a correction by refId replaces one, and one left out is deleted.
import { MockActivityEnvironment } from '@temporalio/testing';
import { createApplicationActivities, type SaveMode } from '../../src/activities/application';
import { CircleClient } from '../../src/circle/client';
import { exampleApplicationData, startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
let circle: CircleClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  circle = new CircleClient({ baseUrl: sim.url, apiKey: 'TEST_API_KEY:local:simulator' });
});
afterAll(() => sim?.close());

type Owner = Record<string, unknown>;
const profile = { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' } as const;
const example = exampleApplicationData(profile) as Record<string, unknown>;
const [jane] = example.beneficialOwners as Owner[];
const grace = { ...jane, firstName: 'Grace', lastName: 'Hopper' };

test('saves, replays, corrects and removes array entities by refId', async () => {
  const mode: SaveMode = 'bulk';
  const env = new MockActivityEnvironment();
  const acts = createApplicationActivities(circle);
  type SaveArgs = Parameters<typeof acts.saveSections>;
  const save = (owners: Owner[]) =>
    env.run(
      acts.saveSections,
      ...([applicationId, { beneficialOwners: owners }, mode] as SaveArgs),
    ) as Promise<Record<string, string[]>>;
  const { applicationId } = await circle.createClient(
    { clientName: `Owners ${Date.now()}`, country: 'US', clientType: 'business', businessDetails: profile },
    crypto.randomUUID(),
  );
  await env.run(acts.saveSections, applicationId, example, mode); // the sections owners depend on
  const stored = async () => (await circle.getData(applicationId)).beneficialOwners as Owner[];

  const first = await save([jane!, grace]);
  expect(first.beneficialOwners).toHaveLength(2);
  await expect(save([jane!, grace])).resolves.toEqual(first); // a retry: same entities, no duplicates

  const [janeRef, graceRef] = first.beneficialOwners!;
  const corrected = await save([{ ...jane, refId: janeRef, lastName: 'Roe' }]);
  expect(corrected).toEqual({ beneficialOwners: [janeRef] });
  expect(await stored()).toEqual([expect.objectContaining({ refId: janeRef, lastName: 'Roe' })]);
  expect(JSON.stringify(await stored())).not.toContain(graceRef!);
});
