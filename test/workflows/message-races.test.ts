// Callers that race the workflow: late, unknown, duplicate and concurrent answers, corrections sent
// during a save, more updates than an onboarding can hold. Every reply comes soon and says what Circle
// holds; the simulator's state is checked, not only the replies.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { answerRfiUpdate, provideSectionDataUpdate, type OnboardingInput } from '../../src/contract';
import { CircleClient } from '../../src/circle/client';
import { exampleApplicationData } from '../../simulator';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingEnv } from '../helpers/onboarding-env';
import { start, waitForProgress, waitForStep, type OnboardingHandle } from '../helpers/workflow';

const t = useOnboardingEnv();

const valid = exampleApplicationData({
  natureOfBusiness: 'paymentProcessorPlatform',
  institutionType: 'privateCo',
}) as Record<string, Record<string, unknown>>;
const circle = () => new CircleClient({ baseUrl: t.sim.url, apiKey: 'TEST_API_KEY:local:simulator' });
const requests = (method: string, path: RegExp) =>
  t.sim.control.state().requests.filter((r) => r.method === method && path.test(r.path));
const RFI_PATCH = /\/rfis\/[^/]+$/;

/** The update's rejection type, or 'answered' / 'accepted' when it succeeded. */
async function outcome(update: Promise<unknown>): Promise<string> {
  try {
    const reply = (await update) as { status?: string };
    return reply?.status ?? 'accepted';
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return err.cause.type ?? 'untyped';
    throw err;
  }
}

const answer = (handle: OnboardingHandle, rfiId: string, website: string) =>
  handle.executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: { website } }] });

/** Resolves with its value, or with 'no reply' after `ms`. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'no reply'>((r) => setTimeout(() => r('no reply'), ms))]);

test('an answer to an RFI whose round is over is refused at once, not parked', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi] [manual]' }));
  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers');
  const rfiId = rfis[0]!.rfiId;
  await expect(outcome(answer(handle, rfiId, 'https://first.example.com'))).resolves.toBe('answered');
  const review = await waitForProgress(handle, (p) => p.step === 'in-review' && p.submissionRound === 2);

  // An HTTP retry of the same answer after its round: the round is over, Circle holds the first.
  await expect(within(outcome(answer(handle, rfiId, 'https://late.example.com')), 5000)).resolves.toBe(
    'RfiNotOpen',
  );
  expect(requests('PATCH', RFI_PATCH)).toHaveLength(1);
  t.sim.control.review(review.applicationId!, { outcome: 'approve' });
  await expect(handle.result()).resolves.toMatchObject({ submissionRounds: 2 });
});

test('an answer to an RFI nobody listed waits only for the next status read, then is refused', async () => {
  const handle = await start(t, onboardingInput({ tag: '[manual]' }));
  const review = await waitForStep(handle, 'in-review');
  await expect(within(outcome(answer(handle, randomUUID(), 'https://x.example.com')), 5000)).resolves.toBe(
    'RfiNotOpen',
  );
  expect(requests('PATCH', RFI_PATCH)).toHaveLength(0);
  t.sim.control.review(review.applicationId!, { outcome: 'approve' });
  await handle.result();
});

test('before any RFI round can be open, an answer is refused at once', async () => {
  const sections = { ...valid, basicBusinessInfo: { ...valid.basicBusinessInfo, website: 'not a url' } };
  const handle = await start(t, onboardingInput({ sections: sections as OnboardingInput['sections'] }));
  await waitForStep(handle, 'awaiting-section-data');
  await expect(within(outcome(answer(handle, randomUUID(), 'https://x.example.com')), 5000)).resolves.toBe(
    'RfiNotOpen',
  );
  await handle.terminate('test done');
});

test('a second answer to one RFI waits behind the first, and each reply says what Circle holds', async () => {
  const handle = await start(t, onboardingInput({ tag: '[rfi]' }));
  const { rfis } = await waitForStep(handle, 'awaiting-rfi-answers');
  const rfiId = rfis[0]!.rfiId;
  // The first answer's PATCH takes a while at Circle; the second arrives meanwhile.
  t.sim.control.setFaults([
    {
      method: 'PATCH',
      path: '/v1/onboarding/partner/applications/*/rfis/*',
      mode: 'delay',
      delayMs: 1500,
      times: 1,
    },
  ]);
  const first = outcome(answer(handle, rfiId, 'https://first.example.com'));
  await waitForProgress(handle, (p) => p.rfis.some((r) => r.rfiId === rfiId && r.state === 'applying'));
  const second = outcome(answer(handle, rfiId, 'https://second.example.com'));

  await expect(first).resolves.toBe('answered');
  await expect(second).resolves.toBe('RfiNotOpen');
  const result = await handle.result();
  const data = (await circle().getData(result.applicationId)) as Record<string, { website?: string }>;
  expect(data.basicBusinessInfo?.website).toBe('https://first.example.com');
  expect(requests('PATCH', RFI_PATCH)).toHaveLength(1);
});

test('a correction sent while a save is in flight is saved before the submit, and its reply says so', async () => {
  t.sim.control.setFaults([
    {
      method: 'PATCH',
      path: '/v1/onboarding/partner/applications/*/data',
      mode: 'delay',
      delayMs: 1500,
      times: 1,
    },
  ]);
  const handle = await start(t, onboardingInput());
  await waitForStep(handle, 'saving-sections');
  const website = 'https://corrected.example.com';
  const reply = await handle.executeUpdate(provideSectionDataUpdate, {
    args: [{ sections: { basicBusinessInfo: { website } } }],
  });
  expect(reply.sectionErrors).toEqual([]);

  const result = await handle.result();
  const data = (await circle().getData(result.applicationId)) as Record<string, { website?: string }>;
  expect(data.basicBusinessInfo?.website).toBe(website); // submitted with the corrected data
  expect(t.sim.control.state().submissions).toBe(1);
});

test("updates waiting for their answer are capped below Temporal's limit: more are refused as busy", async () => {
  const sections = { ...valid, basicBusinessInfo: { ...valid.basicBusinessInfo, website: 'not a url' } };
  const handle = await start(t, onboardingInput({ sections: sections as OnboardingInput['sections'] }));
  await waitForStep(handle, 'awaiting-section-data');
  // Each correction waits for a save that takes a while; eight arrive at once.
  t.sim.control.setFaults([
    { method: 'PATCH', path: '/v1/onboarding/partner/applications/*/data', mode: 'delay', delayMs: 3000 },
  ]);
  const updates = Array.from({ length: 8 }, (_, i) =>
    outcome(
      handle.executeUpdate(provideSectionDataUpdate, {
        args: [{ sections: { basicBusinessInfo: { website: `https://acme${i}.example.com` } } }],
      }),
    ),
  );
  const outcomes = await Promise.all(updates);
  expect(outcomes.filter((o) => o === 'OnboardingBusy').length).toBeGreaterThanOrEqual(2);
  expect(outcomes.filter((o) => o === 'accepted').length).toBeLessThanOrEqual(6);
  t.sim.control.clearFaults();
  await expect(handle.result()).resolves.toMatchObject({ submissionRounds: 1 });
});

test('section data is bounded as a whole, not only per message', async () => {
  const big = (n: number) => ({ text: 'x'.repeat(n) });
  const input = onboardingInput();
  const handle = await start(t, { ...input, sections: { ...input.sections, notes: big(400_000) } });
  await waitForStep(handle, 'awaiting-section-data');
  await expect(
    outcome(handle.executeUpdate(provideSectionDataUpdate, { args: [{ sections: { more: big(200_000) } }] })),
  ).resolves.toBe('PayloadTooLarge');
  await handle.terminate('test done');
});

test('an update waiting when the onboarding is cancelled gets a typed answer (OnboardingNotReady)', async () => {
  t.sim.control.setFaults([
    {
      method: 'PATCH',
      path: '/v1/onboarding/partner/applications/*/data',
      mode: 'delay',
      delayMs: 3000,
      times: 1,
    },
  ]);
  const handle = await start(t, onboardingInput());
  await waitForStep(handle, 'saving-sections');
  const waiting = outcome(
    handle.executeUpdate(provideSectionDataUpdate, {
      args: [{ sections: { basicBusinessInfo: { website: 'https://late.example.com' } } }],
    }),
  );
  await new Promise((r) => setTimeout(r, 300)); // accepted, waiting for the save
  await handle.cancel();
  await expect(waiting).resolves.toBe('OnboardingNotReady');
});
