// Section data: checked against the application's JSON Schema before saving, and when Circle refuses
// it (422) or leaves sections incomplete, the onboarding waits for corrected data instead of failing.
import { CircleClient } from '../../src/circle/client';
import { progressQuery, provideSectionDataUpdate } from '../../src/contract';
import { exampleApplicationData } from '../../simulator';
import { FAST_OPTIONS, onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForStep } from '../helpers/workflow';

const t = useOnboardingEnv();

const profile = { natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' } as const;
const valid = exampleApplicationData(profile) as Record<string, Record<string, unknown>>;
const savesOf = () =>
  t.sim.control.state().requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/data'));

test('invalid fields are reported per field before any save, and corrected through provideSectionData', async () => {
  const sections = {
    ...valid,
    basicBusinessInfo: { ...valid.basicBusinessInfo, website: 'http://plain-http.example' },
  };
  const handle = await start(t, onboardingInput({ sections }));

  const waiting = await waitForStep(handle, 'awaiting-section-data');
  expect(waiting.sectionErrors).toEqual([
    expect.objectContaining({ path: 'basicBusinessInfo.website', error: 'pattern_mismatch' }),
  ]);
  expect(savesOf()).toHaveLength(0);

  const fixed = await handle.executeUpdate(provideSectionDataUpdate, {
    args: [{ sections: { basicBusinessInfo: valid.basicBusinessInfo! } }],
  });
  expect(fixed.sectionErrors).toEqual([]);
  expect(fixed.sections.every((s) => s.status === 'complete')).toBe(true);
  await expect(handle.result()).resolves.toMatchObject({ submissionRounds: 1 });
  expect(savesOf().map((r) => r.status)).toEqual([200]);
});

test('a 422 from Circle on save waits for corrected data, then saves again', async () => {
  t.sim.control.setFaults([
    {
      method: 'PATCH',
      path: '/v1/onboarding/partner/applications/*/data',
      mode: 'error',
      status: 422,
      times: 1,
    },
  ]);
  const handle = await start(t, onboardingInput());

  const waiting = await waitForStep(handle, 'awaiting-section-data');
  expect(waiting.errors.map((e) => e.type)).toContain('CircleValidationFailed');
  await handle.executeUpdate(provideSectionDataUpdate, {
    args: [{ sections: { businessAddress: valid.businessAddress! } }],
  });

  await expect(handle.result()).resolves.toMatchObject({ submissionRounds: 1 });
  expect(savesOf().map((r) => r.status)).toEqual([422, 200]);
  expect(t.sim.control.state().submissions).toBe(1);
});

test('missing sections leave the application incomplete until they are provided', async () => {
  const { complianceProfile, beneficialOwners, ...partial } = valid;
  const handle = await start(
    t,
    onboardingInput({ sections: partial, options: { saveMode: 'per-section', pollInterval: 50 } }),
  );

  const waiting = await waitForStep(handle, 'awaiting-section-data');
  expect(waiting.sectionErrors.map((e) => e.path)).toEqual(
    expect.arrayContaining([
      'beneficialOwners',
      'complianceProfile.sourceOfFunds',
      'complianceProfile.amlProgramInPlace',
    ]),
  );

  const after = await handle.executeUpdate(provideSectionDataUpdate, {
    args: [
      { sections: { complianceProfile: complianceProfile!, beneficialOwners: beneficialOwners as never } },
    ],
  });
  expect(after.sectionErrors).toEqual([]);
  await expect(handle.result()).resolves.toMatchObject({ submissionRounds: 1 });
  // Per-section mode: one PUT per section, never a bulk PATCH.
  const puts = t.sim.control
    .state()
    .requests.filter((r) => r.method === 'PUT' && r.path.includes('/sections/'));
  expect(puts.length).toBeGreaterThanOrEqual(5);
  expect(savesOf()).toHaveLength(0);
});

test('a correction of one field keeps the fields Circle holds and the input lacks: what is checked is what is saved', async () => {
  const { email, ...withoutEmail } = valid.basicBusinessInfo!;
  const handle = await start(t, onboardingInput({ sections: { ...valid, basicBusinessInfo: withoutEmail } }));
  const waiting = await waitForStep(handle, 'awaiting-section-data');
  expect(waiting.sectionErrors).toEqual([
    expect.objectContaining({ path: 'basicBusinessInfo.email', error: 'required' }),
  ]);
  // Meanwhile the section is completed at Circle (by the client, in Circle's own forms).
  const circle = new CircleClient({ baseUrl: t.sim.url, apiKey: 'TEST_API_KEY:local:simulator' });
  await circle.saveSection(waiting.applicationId!, 'basicBusinessInfo', valid.basicBusinessInfo);

  const website = 'https://corrected.example.com';
  const reply = await handle.executeUpdate(provideSectionDataUpdate, {
    args: [{ sections: { basicBusinessInfo: { website } } }],
  });
  expect(reply.sectionErrors).toEqual([]);
  const result = await handle.result();
  const data = (await circle.getData(result.applicationId)) as Record<string, Record<string, unknown>>;
  expect(data.basicBusinessInfo).toMatchObject({ ...withoutEmail, email, website });
});

test('a conditional requirement (crypto licence) is enforced from the data Circle fills in itself', async () => {
  const crypto = { natureOfBusiness: 'cryptoExchange', institutionType: 'privateCo' } as const;
  const data = exampleApplicationData(crypto) as Record<string, Record<string, unknown>>;
  const { cryptoLicenseNumber, ...withoutLicence } = data.complianceProfile!;
  const input = onboardingInput({ sections: { ...data, complianceProfile: withoutLicence } });
  input.client.businessDetails = crypto;
  const handle = await start(t, input);

  const waiting = await waitForStep(handle, 'awaiting-section-data');
  expect(waiting.sectionErrors).toEqual([
    expect.objectContaining({ path: 'complianceProfile.cryptoLicenseNumber', error: 'required' }),
  ]);
  await handle.executeUpdate(provideSectionDataUpdate, {
    args: [{ sections: { complianceProfile: { ...withoutLicence, cryptoLicenseNumber } } }],
  });
  await expect(handle.result()).resolves.toMatchObject({ submissionRounds: 1 });
});

test('provideSectionData is refused once the application is submitted', async () => {
  const handle = await start(t, onboardingInput({ tag: '[manual]' }));
  await waitForStep(handle, 'in-review');
  await expect(
    handle.executeUpdate(provideSectionDataUpdate, {
      args: [{ sections: { businessAddress: valid.businessAddress! } }],
    }),
  ).rejects.toMatchObject({
    cause: expect.objectContaining({ message: expect.stringMatching(/before the application is submitted/) }),
  });
  await handle.terminate('test done');
});

test('progress shows the refIds of array entities at Circle, for corrections by refId', async () => {
  const handle = await start(t, onboardingInput());
  await handle.result();
  const { entities } = await handle.query(progressQuery);
  expect(entities.beneficialOwners).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
});

test('a save that fails part-way goes on where it stopped: no section is sent twice, the check is not repeated', async () => {
  const input = onboardingInput({ options: { ...FAST_OPTIONS, saveMode: 'per-section' } });
  const names = Object.keys(input.sections!);
  expect(names.length).toBeGreaterThanOrEqual(3);
  // The third section's PUT fails once: the attempt ends after two sections were saved.
  t.sim.control.setFaults([
    {
      method: 'PUT',
      path: `/v1/onboarding/partner/applications/*/sections/${names[2]}`,
      mode: 'error',
      status: 500,
      times: 1,
    },
  ]);
  const handle = await start(t, input);
  const result = await handle.result();

  const requests = t.sim.control
    .state()
    .requests.filter((r) => r.path.startsWith(`/v1/onboarding/partner/applications/${result.applicationId}`));
  const puts = requests
    .filter((r) => r.method === 'PUT')
    .map((r) => `${r.path.split('/').pop()} ${r.status}`);
  expect(puts).toEqual([
    ...names.slice(0, 2).map((n) => `${n} 200`),
    `${names[2]} 500`,
    ...names.slice(2).map((n) => `${n} 200`),
  ]);
  // The schema was read twice: once by the check (not repeated by the second attempt), once for the
  // file fields after the save.
  const schemaReads = requests.filter((r) => r.method === 'GET' && r.path.endsWith('/schema'));
  expect(schemaReads).toHaveLength(2);
});
