// `npm run histories`: runs one onboarding of each kind on the local stack (dev server, simulator,
// worker) and writes their histories to test/replay/histories/, which `npm run test:replay` replays
// against today's workflow code. Record a new kind when the workflow gains a new shape of run; never
// re-record an existing one to make a change pass: that is exactly what the replay test guards.
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  answerRfiUpdate,
  applicationStatusChangedSignal,
  progressQuery,
  provideDocumentsUpdate,
  provideSectionDataUpdate,
  rfiAnsweredSignal,
  startOnboarding,
  type OnboardingInput,
  type OnboardingProgress,
} from '../src/contract';
import { CircleClient } from '../src/circle/client';
import { exampleApplicationData } from '../simulator';
import { startLocalStack, type LocalStack } from './local-stack';
import { resolveTemporalCli } from './temporal-cli';

const OUT = path.join(__dirname, '..', 'test', 'replay', 'histories');
/** Kinds recorded on a worker whose onboardings call Circle from local activities. */
const LOCAL_CALL_KINDS = new Set(['local-calls']);
const WEBSITE = { website: 'https://acme.example.com' };

type Recorder = (stack: LocalStack, workflowId: string) => Promise<WorkflowHandle[]>;

/** Each kind of run: it starts its onboarding, drives it to the end, and returns the runs to keep. */
const KINDS: Record<string, Recorder> = {
  'happy-path': async (stack, id) => [await finished(stack, id, input('', { clive: true }))],
  // The happy path once each partner's activities had a task queue of their own (patch 'partner-task-queues').
  'partner-queues': async (stack, id) => [await finished(stack, id, input('', { clive: true }))],
  // The happy path once writes read the status they lead to (patch 'status-with-writes').
  'status-with-writes': async (stack, id) => [await finished(stack, id, input('', { clive: true }))],
  'rfi-by-update': async (stack, id) => {
    const handle = await begin(stack, id, input('[rfi]'));
    const { rfis } = await until(handle, (p) => p.step === 'awaiting-rfi-answers');
    await handle.executeUpdate(answerRfiUpdate, { args: [{ rfiId: rfis[0]!.rfiId, answer: WEBSITE }] });
    return [await ended(handle)];
  },
  'rfi-by-signal-two-rounds': async (stack, id) => {
    const handle = await begin(stack, id, input('[rfi2]'));
    for (const round of [1, 2]) {
      const p = await until(handle, (q) => q.step === 'awaiting-rfi-answers' && q.submissionRound === round);
      await handle.signal(rfiAnsweredSignal, {
        rfiId: p.rfis.find((r) => r.state === 'open')!.rfiId,
        answer: WEBSITE,
      });
    }
    return [await ended(handle)];
  },
  'section-correction': async (stack, id) => {
    const base = input('');
    const { basicBusinessInfo, ...rest } = base.sections as Record<string, Record<string, unknown>>;
    const handle = await begin(stack, id, {
      ...base,
      sections: { ...rest, basicBusinessInfo: { ...basicBusinessInfo, website: 'not a url' } },
    });
    await until(handle, (p) => p.step === 'awaiting-section-data');
    await handle.executeUpdate(provideSectionDataUpdate, {
      args: [{ sections: { basicBusinessInfo: { website: WEBSITE.website } } }],
    });
    return [await ended(handle)];
  },
  'continue-as-new': (stack, id) => continuedAsNewRun(stack, id),
  // A cancel that comes with the timer ending a review wait due to continue as new (patch
  // 'cancel-before-continue-as-new'): the run cancels instead of handing its state to a new one.
  'cancel-before-continue-as-new': (stack, id) => cancelBeforeContinuingRun(stack, id),
  cancellation: async (stack, id) => {
    const handle = await begin(stack, id, input('[manual]', { missingSection: true }));
    await until(handle, (p) => p.step === 'awaiting-section-data');
    await handle.cancel();
    return [await ended(handle)];
  },
  denial: async (stack, id) => [await finished(stack, id, input('[deny]'))],
  // A trust (its template needs documents): one given at the start, one missing and given by update,
  // then a COLLECT_DOCUMENT RFI answered with a document. Sources are the sample files.
  documents: (stack, id) => documentsRun(stack, id),
  // The same once the sections step ran in one task (patch 'sections-in-one-task').
  'sections-in-one-task': (stack, id) => documentsRun(stack, id),
  // Both again once every change came under one marker and search attributes were written once per
  // wait (patch 'lean-history').
  'lean-history': async (stack, id) => [await finished(stack, id, input('', { clive: true }))],
  'lean-history-documents': (stack, id) => documentsRun(stack, id),

  // Circle as it really behaves (patch 'lagging-circle'): each branch the realism modes lead into.
  'lagging-circle': async (stack, id) => [
    await finished(
      stack,
      id,
      input('[realism:readLagMs=1000]', { clive: true, staleReadWindow: '3 seconds' }),
    ),
  ],
  'draft-after-submit': async (stack, id) => [
    await finished(stack, id, input('[draft]', { staleReadWindow: '1 second' })),
  ],
  'rfis-listed-late': async (stack, id) => {
    const handle = await begin(stack, id, input('[rfi] [realism:rfiListDelayMs=1000]'));
    const { rfis } = await until(handle, (p) => p.rfis.some((r) => r.state === 'open'));
    await handle.executeUpdate(answerRfiUpdate, { args: [{ rfiId: rfis[0]!.rfiId, answer: WEBSITE }] });
    return [await ended(handle)];
  },
  // Reads that lag behind the create and the submit, in a run whose activities record when Circle
  // answered: test/replay/task-clock.test.ts replays it with the task clock stretched.
  'answered-at': async (stack, id) => [
    await finished(
      stack,
      id,
      input('[realism:readLagMs=1000,notFoundAfterCreateMs=800]', { staleReadWindow: '3 seconds' }),
    ),
  ],
  // A run that calls Circle from local activities (WORKER_LOCAL_CIRCLE_CALLS), through an RFI round,
  // with a fault on a write and reads that lag.
  'local-calls': async (stack, id) => {
    stack.simulator.control.setFaults([
      { method: 'POST', path: '/v1/partner/clients', mode: 'error', status: 500, times: 1 },
    ]);
    try {
      const handle = await begin(
        stack,
        id,
        input('[rfi] [realism:readLagMs=800]', { staleReadWindow: '3 seconds' }),
      );
      const { rfis } = await until(handle, (p) => p.rfis.some((r) => r.state === 'open'));
      await handle.executeUpdate(answerRfiUpdate, { args: [{ rfiId: rfis[0]!.rfiId, answer: WEBSITE }] });
      return [await ended(handle)];
    } finally {
      stack.simulator.control.clearFaults();
    }
  },
  'not-found-after-create': async (stack, id) => [
    await finished(stack, id, input('[realism:notFoundAfterCreateMs=800]', { staleReadWindow: '3 seconds' })),
  ],
  'unknown-statuses': async (stack, id) => [
    await finished(
      stack,
      id,
      input('[realism:unknownApplicationStatus=UNDER_ENHANCED_REVIEW,unknownAccountStatus=provisioning]'),
    ),
  ],
  // A 401 on the submit, then a 409 (routed back through the application's status), then the submit.
  'credentials-then-conflict': async (stack, id) => {
    const submit = '/v1/onboarding/partner/applications/*/submit';
    stack.simulator.control.setFaults([
      { method: 'POST', path: submit, mode: 'error', status: 401, times: 1 },
      { method: 'POST', path: submit, mode: 'error', status: 409, times: 1 },
    ]);
    try {
      return [await finished(stack, id, input(''))];
    } finally {
      stack.simulator.control.clearFaults();
    }
  },
  // The client exists at Circle already (made outside the onboarding): a 409, then adoption.
  'adoption-after-conflict': async (stack, id) => {
    const i = input('');
    const circle = new CircleClient({ baseUrl: stack.simulator.url, apiKey: 'TEST_API_KEY:local:simulator' });
    await circle.createClient(i.client, randomUUID());
    return [await finished(stack, id, { ...i, adoptExistingClient: true })];
  },
  // An answer Circle refuses (422), then one it takes.
  'refused-answer': async (stack, id) => {
    const handle = await begin(stack, id, input('[rfi]'));
    const { rfis } = await until(handle, (p) => p.rfis.some((r) => r.state === 'open'));
    const rfiId = rfis[0]!.rfiId;
    await handle
      .executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: { website: 'not a url' } }] })
      .catch(() => undefined);
    await handle.executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: WEBSITE }] });
    return [await ended(handle)];
  },
  // A document given, corrected, then given again (A, B, A).
  'document-revert': async (stack, id) => {
    const a = { datumName: 'formationDocument', source: 'certificate-of-incorporation.pdf' };
    const b = { ...a, source: 'proof-of-address.pdf', fileName: 'trust-deed.pdf' };
    const handle = await begin(stack, id, { ...input('', { trust: true }), documents: [a, REPRESENTATIVE] });
    for (const [version, documents] of [
      [1, [b]],
      [2, [a, OWNER]],
    ] as const) {
      await until(
        handle,
        (p) => p.step === 'awaiting-documents' && p.documents.every((d) => d.state === 'uploaded'),
      );
      await handle.executeUpdate(provideDocumentsUpdate, { args: [{ documents: [...documents] }] });
      await until(handle, (p) => p.documentsCheckedVersion >= version);
    }
    return [await ended(handle)];
  },
  'cancellation-during-documents': async (stack, id) => {
    const handle = await begin(stack, id, { ...input('', { trust: true }), documents: [REPRESENTATIVE] });
    await until(handle, (p) => p.step === 'awaiting-documents');
    await handle.cancel();
    return [await ended(handle)];
  },
  // Callers that race the workflow (patch 'message-races'): a second answer while the first is applied,
  // then a late one after the round; a correction while a save is in flight; continue-as-new carrying
  // the input once.
  'answers-racing': async (stack, id) => {
    const rfiPatch = '/v1/onboarding/partner/applications/*/rfis/*';
    stack.simulator.control.setFaults([
      { method: 'PATCH', path: rfiPatch, mode: 'delay', delayMs: 800, times: 1 },
    ]);
    try {
      const handle = await begin(stack, id, input('[rfi] [manual]'));
      const { rfis } = await until(handle, (p) => p.rfis.some((r) => r.state === 'open'));
      const rfiId = rfis[0]!.rfiId;
      const send = () =>
        handle.executeUpdate(answerRfiUpdate, { args: [{ rfiId, answer: WEBSITE }] }).catch(() => undefined);
      const first = send();
      await until(handle, (p) => p.rfis.some((r) => r.state === 'applying'));
      await Promise.all([first, send()]);
      const p = await until(handle, (q) => q.step === 'in-review' && q.submissionRound === 2);
      await send(); // late: refused at once
      stack.simulator.control.review(p.applicationId!, { outcome: 'approve' });
      return [await ended(handle)];
    } finally {
      stack.simulator.control.clearFaults();
    }
  },
  'correction-during-save': async (stack, id) => {
    const dataPatch = '/v1/onboarding/partner/applications/*/data';
    stack.simulator.control.setFaults([
      { method: 'PATCH', path: dataPatch, mode: 'delay', delayMs: 800, times: 1 },
    ]);
    try {
      const handle = await begin(stack, id, input(''));
      await until(handle, (p) => p.step === 'saving-sections');
      await handle.executeUpdate(provideSectionDataUpdate, {
        args: [{ sections: { basicBusinessInfo: { website: WEBSITE.website } } }],
      });
      return [await ended(handle)];
    } finally {
      stack.simulator.control.clearFaults();
    }
  },
  'continue-as-new-input-once': (stack, id) => continuedAsNewRun(stack, id),
  // A review that Circle's notifications reach: the backstop poll, then a notification moves it on.
  'notified-review': async (stack, id) => {
    const handle = await beginLongReview(stack, id);
    const p = await until(handle, (q) => q.step === 'in-review' && q.polls >= 2);
    await handle.signal(applicationStatusChangedSignal);
    await until(handle, (q) => q.polls >= p.polls + 1);
    stack.simulator.control.review(p.applicationId!, { outcome: 'approve' });
    await handle.signal(applicationStatusChangedSignal);
    return [await ended(handle)];
  },
  // Waiting for corrected data while the application is cancelled at Circle: seen at the next quiet lap.
  'cancelled-at-circle-during-sections': async (stack, id) => {
    const base = input('');
    const { basicBusinessInfo, ...rest } = base.sections as Record<string, Record<string, unknown>>;
    const handle = await begin(stack, id, {
      ...base,
      sections: { ...rest, basicBusinessInfo: { ...basicBusinessInfo, website: 'not a url' } },
    });
    const p = await until(handle, (q) => q.step === 'awaiting-section-data');
    const circle = new CircleClient({ baseUrl: stack.simulator.url, apiKey: 'TEST_API_KEY:local:simulator' });
    await circle.cancelApplication(p.applicationId!);
    return [await ended(handle)];
  },
  // A cancel just after the client was created, while Circle answers 404 for it: the compensation
  // waits that out (patch 'compensation-waits-out-lag') and cancels the draft.
  'cancel-while-circle-lags': async (stack, id) => {
    const handle = await begin(
      stack,
      id,
      input('[realism:notFoundAfterCreateMs=3000]', { staleReadWindow: '5 seconds' }),
    );
    await until(handle, (p) => p.applicationId !== undefined);
    await handle.cancel();
    return [await ended(handle)];
  },
  // A notification while the review's read is under way (Circle answers it slowly): the nap after that
  // read ends at once (patch 'wakes-during-reads') instead of sleeping out the backstop.
  'wake-during-read': async (stack, id) => {
    const handle = await beginLongReview(stack, id);
    const p = await until(handle, (q) => q.step === 'in-review' && q.polls >= 1);
    await handle.signal(applicationStatusChangedSignal);
    await until(handle, (q) => q.polls >= p.polls + 1);
    const control = stack.simulator.control;
    control.setApplicationRealism(p.applicationId!, { latencyMs: 3000 });
    await handle.signal(applicationStatusChangedSignal);
    await sleep(1000);
    control.review(p.applicationId!, { outcome: 'approve' });
    await handle.signal(applicationStatusChangedSignal);
    control.setApplicationRealism(p.applicationId!, { latencyMs: 0 });
    return [await ended(handle)];
  },
  // A notification of the approval that Circle's reads show 2 s later: the review reads again soon
  // (patch 'reads-behind-notifications') instead of believing the read until the backstop.
  'read-behind-notification': async (stack, id) => {
    const handle = await beginLongReview(stack, id);
    const p = await until(handle, (q) => q.step === 'in-review' && q.polls >= 1);
    const applicationId = p.applicationId!;
    stack.simulator.control.setApplicationRealism(applicationId, { readLagMs: 2000 });
    await handle.signal(applicationStatusChangedSignal, { applicationId, status: 'IN_REVIEW' });
    await until(handle, (q) => q.polls >= p.polls + 1);
    await sleep(2500);
    stack.simulator.control.review(applicationId, { outcome: 'approve' });
    await handle.signal(applicationStatusChangedSignal, { applicationId, status: 'APPROVED' });
    return [await ended(handle)];
  },
  // An operator's reset to before the save, once an RFI round is open: the saved sections show one
  // `action_required`, and the run goes to the round (patch 'rfi-sections-route').
  'reset-during-rfi-round': async (stack, id) => {
    const handle = await begin(stack, id, input('[manual] [realism:readLagMs=800]'));
    const p = await until(handle, (q) => q.step === 'in-review');
    const applicationId = p.applicationId!;
    stack.simulator.control.review(applicationId, {
      outcome: 'rfi',
      rfis: [{ section: 'complianceProfile', field: 'resetQuestion', type: 'NEW_FIELD' }],
    });
    await handle.signal(applicationStatusChangedSignal, {
      applicationId,
      status: 'PENDING_CUSTOMER_INFORMATION',
    });
    const round = await until(handle, (q) => q.rfis.some((r) => r.state === 'open'));
    await handle.terminate('operator: reset to before the submit');
    const tasks = ((await handle.fetchHistory()).events ?? []).filter(
      (e) => e.workflowTaskCompletedEventAttributes,
    );
    const { runId } = await stack.client.workflowService.resetWorkflowExecution({
      namespace: stack.namespace,
      workflowExecution: { workflowId: id },
      reason: 'histories: operator reset',
      workflowTaskFinishEventId: tasks[2]!.eventId!,
      requestId: randomUUID(),
    });
    const resetRun = stack.client.workflow.getHandle(id, runId ?? undefined);
    await until(resetRun, (q) => q.rfis.some((r) => r.state === 'open'));
    const rfiId = round.rfis[0]!.rfiId;
    await resetRun.executeUpdate(answerRfiUpdate, {
      args: [{ rfiId, answer: { resetQuestion: 'an answer' } }],
    });
    await until(resetRun, (q) => q.step === 'in-review');
    stack.simulator.control.review(applicationId, { outcome: 'approve' });
    await resetRun.signal(applicationStatusChangedSignal, { applicationId, status: 'APPROVED' });
    return [await ended(resetRun)];
  },
  'review-deadline': async (stack, id) => {
    const base = input('[manual]');
    return [
      await finished(stack, id, { ...base, options: { ...base.options, reviewDeadline: '2 seconds' } }),
    ];
  },
};

const REPRESENTATIVE = {
  datumName: 'authorizedRepGovernmentId',
  documentType: 'passport',
  issuedCountry: 'US',
  source: 'representative-id.png',
};
const OWNER = {
  datumName: 'beneficialOwnerGovernmentId',
  entityIndex: 0,
  documentType: 'usdl',
  issuedCountry: 'US',
  source: 'owner-id.jpg',
};

/** A review long enough to continue as new (a small history limit), then approved: both runs kept. */
async function continuedAsNewRun(stack: LocalStack, id: string): Promise<WorkflowHandle[]> {
  const base = input('[manual]');
  const handle = await begin(stack, id, { ...base, options: { ...base.options, maxHistoryEvents: 100 } });
  const first = handle.firstExecutionRunId;
  for (;;) {
    const d = await stack.client.workflow.getHandle(id).describe();
    if (d.runId !== first) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { applicationId } = await handle.query(progressQuery);
  stack.simulator.control.review(applicationId!, { outcome: 'approve' });
  await stack.client.workflow.getHandle(id).result();
  return [stack.client.workflow.getHandle(id, first), stack.client.workflow.getHandle(id)];
}

/**
 * The review polls every 5 s with a 100-event history limit. At the first review wait whose wake is
 * due to continue as new, the worker stops; the timer fires, the cancel comes, and both reach the run
 * in one workflow task when a worker is back. Only the first run is kept: it must end cancelled.
 */
async function cancelBeforeContinuingRun(stack: LocalStack, id: string): Promise<WorkflowHandle[]> {
  const { EventType } = temporal.api.enums.v1;
  const limit = 100;
  const base = input('[manual]');
  const options = {
    pollInterval: 5000,
    maxPollInterval: 5000,
    reviewDeadline: '30 days',
    maxHistoryEvents: limit,
  };
  const handle = await begin(stack, id, { ...base, options: { ...base.options, ...options } });
  const run = stack.client.workflow.getHandle(id, handle.firstExecutionRunId);
  await until(handle, (p) => p.step === 'in-review');
  // This wake adds at least four events (the timer fired, the cancel, a workflow task scheduled and
  // started), so a wait that starts 4 under the limit is due; the wake before it came a lap earlier.
  const { length: waitStart } = await historyUntil(
    run,
    'a review wait due to continue as new',
    (h) => h.at(-1)?.eventType === EventType.EVENT_TYPE_TIMER_STARTED && h.length >= limit - 4,
  );
  await stack.withWorkerStopped!(async () => {
    await historyUntil(run, 'the review timer firing', (h) =>
      h.slice(waitStart).some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED),
    );
    await run.cancel();
  });
  await ended(handle);
  const latest = await stack.client.workflow.getHandle(id).describe();
  if (latest.runId !== handle.firstExecutionRunId || latest.status.name !== 'CANCELLED')
    throw new Error(
      `${id}: expected the first run cancelled, got ${latest.status.name} in run ${latest.runId}`,
    );
  return [run];
}

async function documentsRun(stack: LocalStack, id: string): Promise<WorkflowHandle[]> {
  const base = input('[rfi-document]', { trust: true });
  const documents = [
    { datumName: 'formationDocument', source: 'certificate-of-incorporation.pdf' },
    {
      datumName: 'beneficialOwnerGovernmentId',
      entityIndex: 0,
      documentType: 'usdl',
      issuedCountry: 'US',
      source: 'owner-id.jpg',
    },
  ];
  const handle = await begin(stack, id, { ...base, documents });
  await until(handle, (p) => p.step === 'awaiting-documents');
  const representative = {
    datumName: 'authorizedRepGovernmentId',
    documentType: 'passport',
    issuedCountry: 'US',
    source: 'representative-id.png',
  };
  await handle.executeUpdate(provideDocumentsUpdate, { args: [{ documents: [representative] }] });
  const { rfis } = await until(handle, (p) => p.rfis.some((r) => r.state === 'open'));
  const rfiId = rfis.find((r) => r.state === 'open')!.rfiId;
  await handle.executeUpdate(answerRfiUpdate, {
    args: [{ rfiId, document: { source: 'proof-of-address.pdf' } }],
  });
  return [await ended(handle)];
}

function input(
  tag: string,
  { clive = false, missingSection = false, trust = false, staleReadWindow = '' } = {},
): OnboardingInput {
  const client = {
    clientName: `Replay Co ${randomUUID().slice(0, 8)}${tag ? ` ${tag}` : ''}`,
    country: 'US',
    clientType: 'business' as const,
    businessDetails: trust
      ? ({ natureOfBusiness: 'familyOffice', institutionType: 'trust' } as const)
      : ({ natureOfBusiness: 'paymentProcessorPlatform', institutionType: 'privateCo' } as const),
  };
  const sections = exampleApplicationData(client.businessDetails) as Record<string, unknown>;
  if (missingSection) delete sections.basicBusinessInfo;
  return {
    client,
    sections: sections as OnboardingInput['sections'],
    submission: { endUserAgreesToTermsOfService: true, endUserIpAddress: '203.0.113.7' },
    account: { description: `Custody ${randomUUID()}` },
    ...(clive ? { clive: { clientId: `CLV-${randomUUID().slice(0, 8)}`, legalName: 'Replay Co Inc.' } } : {}),
    options: {
      pollInterval: 50,
      maxPollInterval: 200,
      sectionDataDeadline: '1 minute',
      reviewDeadline: '1 minute',
      ...(staleReadWindow ? { staleReadWindow } : {}),
    },
  };
}

const begin = (stack: LocalStack, workflowId: string, i: OnboardingInput) =>
  startOnboarding(stack.client, i, { workflowId, taskQueue: stack.taskQueue });

/** An onboarding Circle's reviewer decides only when told (`[manual]`), with a review deadline far off. */
function beginLongReview(stack: LocalStack, workflowId: string) {
  const base = input('[manual]');
  return begin(stack, workflowId, { ...base, options: { ...base.options, reviewDeadline: '30 days' } });
}

async function finished(stack: LocalStack, workflowId: string, i: OnboardingInput) {
  return ended(await begin(stack, workflowId, i));
}

/** Waits for the run to close (completed, failed or cancelled alike). */
async function ended(handle: WorkflowHandle): Promise<WorkflowHandle> {
  await handle.result().catch(() => undefined);
  return handle;
}

async function until(handle: WorkflowHandle, ready: (p: OnboardingProgress) => boolean) {
  for (let i = 0; i < 400; i++) {
    const p = await handle.query(progressQuery);
    if (ready(p)) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${handle.workflowId}: the expected progress never came`);
}

/** The run's history once `ready` holds for it: read every 50 ms while it runs, 1,200 times at most. */
async function historyUntil(
  run: WorkflowHandle,
  what: string,
  ready: (events: temporal.api.history.v1.IHistoryEvent[]) => boolean,
) {
  for (let i = 0; ; i++) {
    const events = (await run.fetchHistory()).events ?? [];
    if (ready(events)) return events;
    if (i >= 1200 || (await run.describe()).status.name !== 'RUNNING')
      throw new Error(`${run.workflowId}: the run never reached ${what}`);
    await sleep(50);
  }
}

/** The history as `temporal workflow show -o json` prints it: the format replay tools read. */
async function historyJson(cli: string, stack: LocalStack, run: WorkflowHandle): Promise<string> {
  const runId = (await run.describe()).runId;
  const args = ['workflow', 'show', '--address', stack.address, '--namespace', stack.namespace];
  const { stdout } = await promisify(execFile)(
    cli,
    [...args, '-w', run.workflowId, '-r', runId, '-o', 'json'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // Stack traces name files by absolute path: keep this machine's layout out of the committed files.
  return stdout.split(path.join(process.cwd(), path.sep)).join(`.${path.sep}`);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const cli = (await resolveTemporalCli()).path;
  await mkdir(OUT, { recursive: true });
  const wanted = Object.entries(KINDS).filter(([kind]) => !only.length || only.includes(kind));
  // Kinds recorded on a worker with settings of its own get a stack of their own.
  for (const local of [false, true]) {
    const kinds = wanted.filter(([kind]) => LOCAL_CALL_KINDS.has(kind) === local);
    if (!kinds.length) continue;
    const stack = await startLocalStack({
      worker: true,
      simulator: { reviewDelayMs: 20, accountActivationDelayMs: 20 },
      workerEnv: { WORKER_LOCAL_CIRCLE_CALLS: String(local) },
    });
    try {
      for (const [kind, record] of kinds) {
        const runs = await record(stack, `replay-${kind}`);
        for (const [i, run] of runs.entries()) {
          const file = path.join(OUT, `${kind}${runs.length > 1 ? `.${i + 1}` : ''}.json`);
          await writeFile(file, await historyJson(cli, stack, run));
          process.stderr.write(`recorded ${path.relative(process.cwd(), file)}\n`);
        }
      }
    } finally {
      await stack.stop();
    }
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
