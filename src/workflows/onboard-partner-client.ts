// One durable onboarding per client: create the client, fill and submit the application, answer
// RFIs, open the custody account, optionally register with Clive. Deterministic code only: every side
// effect is an activity, and every write carries an idempotency key generated here and kept in state.
import { msToNumber, type Duration } from '@temporalio/common';
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  ContinueAsNew,
  isCancellation,
  log,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ApplicationStatus } from '../circle/enums';
import type { FieldError } from '../circle/wire';
import { OnboardingFailure } from '../contract/failures';
import type { OnboardingInput, ParsedOnboardingInput } from '../contract/input';
import {
  answerRfiUpdate,
  applicationStatusChangedSignal,
  progressQuery,
  provideSectionDataUpdate,
  rfiAnsweredSignal,
  sectionsShapeProblem,
  type RfiAnswer,
} from '../contract/messages';
import type { OnboardingProgress, OnboardingResult, OnboardingStepName } from '../contract/progress';
import {
  CircleApplicationId,
  CircleApplicationStatus,
  CircleClientEntityId,
  ClientCountry,
  OnboardingStep,
} from '../contract/search-attributes';
import { call, local } from './activities';
import { asWorkflowFailure, fail, failureTypeOf, fieldErrorsOf, messageOf } from './failures';
import { initialState, recordError, type Carried, type OnboardingState } from './state';

export async function onboardPartnerClient(
  rawInput: OnboardingInput,
  carried?: Carried,
): Promise<OnboardingResult> {
  if (!carried) {
    // Answer the progress query while the input is being checked, before the real state exists.
    const pending = initialState({ sections: {} } as ParsedOnboardingInput, '');
    pending.progress.step = 'validating-input';
    setHandler(progressQuery, () => pending.progress);
  }
  const input = carried?.input ?? (await validInput(rawInput));
  const onboarding = new Onboarding(input, carried?.state ?? initialState(input, uuid4()));
  return onboarding.run();
}

async function validInput(raw: OnboardingInput): Promise<ParsedOnboardingInput> {
  const verdict = await local.validateOnboardingInput(raw);
  if (verdict.valid) return verdict.input;
  throw fail(OnboardingFailure.InvalidInput, `Invalid onboarding input: ${verdict.message}`, verdict.issues);
}

/** An RFI answer waiting to be applied; `outcome` is set once it has been tried. */
interface AnswerTicket extends RfiAnswer {
  outcome?: { errors: FieldError[] };
}

const WAITING_STATUSES: ApplicationStatus[] = ['SUBMITTED', 'IN_REVIEW'];

class Onboarding {
  private readonly progress: OnboardingProgress;
  private readonly answers: AnswerTicket[] = [];
  /** Bumped by signals and new data; waits re-check what they wait for when it changes. */
  private wakeups = 0;
  private sectionVersion = 0;
  private sectionVersionChecked = 0;

  constructor(
    private readonly input: ParsedOnboardingInput,
    private readonly state: OnboardingState,
  ) {
    this.progress = state.progress;
    this.registerHandlers();
  }

  private get options() {
    return this.input.options;
  }

  private get applicationId(): string {
    return this.progress.applicationId!;
  }

  // -------------------------------------------------------------------------------------------
  // Messages

  private registerHandlers(): void {
    setHandler(progressQuery, () => this.progress);

    setHandler(applicationStatusChangedSignal, () => {
      this.wakeups++;
    });

    setHandler(
      answerRfiUpdate,
      async (answer) => {
        const ticket: AnswerTicket = { ...answer };
        this.answers.push(ticket);
        this.wakeups++;
        await condition(() => ticket.outcome !== undefined);
        const errors = ticket.outcome!.errors;
        if (errors.length) {
          throw ApplicationFailure.create({
            type: OnboardingFailure.RfiAnswerRejected,
            message: `Circle refused the answer to RFI ${answer.rfiId}: ${errors.map((e) => e.message).join('; ')}`,
            nonRetryable: true,
            details: [errors],
          });
        }
        return { rfiId: answer.rfiId, status: 'answered' as const };
      },
      { validator: (answer) => this.validateRfiAnswer(answer) },
    );

    setHandler(rfiAnsweredSignal, (answer) => {
      try {
        this.validateRfiAnswer(answer);
      } catch (err) {
        recordError(this.state, 'RfiAnswerRejected', (err as Error).message);
        return;
      }
      this.answers.push({ ...answer });
      this.wakeups++;
    });

    setHandler(
      provideSectionDataUpdate,
      async ({ sections }) => {
        Object.assign(this.input.sections, sections);
        this.state.unsavedSections = [...new Set([...this.state.unsavedSections, ...Object.keys(sections)])];
        const version = ++this.sectionVersion;
        this.wakeups++;
        await condition(() => this.sectionVersionChecked >= version || this.state.phase !== 'sections');
        return { sectionErrors: this.progress.sectionErrors, sections: this.progress.sections };
      },
      {
        validator: (update) => {
          if (this.state.phase !== 'client' && this.state.phase !== 'sections') {
            throw new Error(
              `section data can only be provided before the application is submitted (now: ${this.progress.step}); answer RFIs with answerRfi instead`,
            );
          }
          const problem = sectionsShapeProblem(update?.sections);
          if (problem) throw new Error(`invalid sections: ${problem}`);
        },
      },
    );
  }

  /** Synchronous and side-effect free, as Temporal requires of update validators. */
  private validateRfiAnswer(answer: RfiAnswer): void {
    const rfi = this.progress.rfis.find((r) => r.rfiId === answer?.rfiId);
    if (!rfi || rfi.state !== 'open') {
      const open = this.progress.rfis.filter((r) => r.state === 'open').map((r) => r.rfiId);
      throw new Error(
        `RFI ${answer?.rfiId} is not waiting for an answer; open RFIs: ${open.length ? open.join(', ') : 'none'}`,
      );
    }
    const value = answer.answer;
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      Object.keys(value).length === 0
    ) {
      throw new Error(
        `answer must be a non-empty JSON object keyed by field name, e.g. {"${rfi.field}": ...}`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // The flow

  async run(): Promise<OnboardingResult> {
    try {
      await this.advance();
    } catch (err) {
      if (err instanceof ContinueAsNew) throw err;
      if (isCancellation(err)) {
        await CancellationScope.nonCancellable(() => this.compensate());
        this.setStep('cancelled');
        throw err;
      }
      const step = this.progress.step;
      this.setStep('failed');
      throw asWorkflowFailure(err, step);
    }
    this.setStep('completed');
    await condition(allHandlersFinished);
    return {
      clientEntityId: this.progress.clientEntityId!,
      applicationId: this.applicationId,
      accountId: this.progress.accountId!,
      ...(this.progress.cliveClientId ? { cliveClientId: this.progress.cliveClientId } : {}),
      adoptedExistingClient: this.state.adoptedExistingClient,
      submissionRounds: this.progress.submissionRound,
      idempotencyKeys: this.progress.idempotencyKeys,
      timeline: this.progress.timeline,
    };
  }

  private async advance(): Promise<void> {
    for (;;) {
      switch (this.state.phase) {
        case 'client':
          await this.createClient();
          break;
        case 'sections':
          await this.completeSections();
          break;
        case 'submit':
          await this.submit();
          break;
        case 'review':
          await this.awaitReview();
          break;
        case 'rfi':
          await this.answerRfis();
          break;
        case 'account':
          await this.createAccount();
          break;
        case 'activation':
          await this.awaitAccountActivation();
          break;
        case 'clive':
          await this.registerWithClive();
          break;
        case 'done':
          return;
      }
    }
  }

  /** Step 2: `POST /v1/partner/clients`, or adopt the existing client when asked to. */
  private async createClient(): Promise<void> {
    const { client } = this.input;
    this.setStep('creating-client');
    upsertSearchAttributes([{ key: ClientCountry, value: client.country }]);
    let ids: { clientEntityId: string; applicationId: string };
    try {
      ids = await call(
        'createClient',
        'Create Circle partner client',
        client,
        this.progress.idempotencyKeys.createClient,
      );
    } catch (err) {
      // Every retry sends the same key, so a 409 is not our own earlier attempt (Circle replays
      // those): another client with this name and country already exists.
      if (failureTypeOf(err) !== 'CircleConflict') throw err;
      const existing = await call(
        'findExistingClient',
        'Find existing Circle client',
        client.clientName,
        client.country,
      );
      if (!existing) {
        throw fail(
          OnboardingFailure.ClientAlreadyExists,
          'Circle reports a client with this name and country, but it is not in the client list',
          null,
        );
      }
      if (!this.input.adoptExistingClient || !existing.applicationId) {
        throw fail(
          OnboardingFailure.ClientAlreadyExists,
          this.input.adoptExistingClient
            ? `The existing client ${existing.clientEntityId} has no application to continue`
            : `A client with this name and country already exists (clientEntityId ${existing.clientEntityId}); start with adoptExistingClient: true to continue its onboarding`,
          existing,
        );
      }
      recordError(this.state, 'CircleConflict', `adopted existing client ${existing.clientEntityId}`);
      ids = { clientEntityId: existing.clientEntityId, applicationId: existing.applicationId };
      this.state.adoptedExistingClient = true;
    }
    this.progress.clientEntityId = ids.clientEntityId;
    this.progress.applicationId = ids.applicationId;
    upsertSearchAttributes([
      { key: CircleClientEntityId, value: ids.clientEntityId },
      { key: CircleApplicationId, value: ids.applicationId },
    ]);
    this.state.phase = 'sections';
  }

  /**
   * Steps 3-5: check the data against the application's schema, save it, and wait until every visible
   * section is complete. Problems (schema errors, a 422 on save, incomplete sections) are published in
   * progress and answered by the `provideSectionData` update, until the section-data deadline.
   */
  private async completeSections(): Promise<void> {
    const applicationId = this.applicationId;
    for (;;) {
      const version = this.sectionVersion;
      this.setStep('checking-sections');
      let errors = await call(
        'checkSections',
        'Check section data against the schema',
        applicationId,
        this.input.sections,
      );
      let dataProblem = errors.length > 0;

      if (!dataProblem && this.state.unsavedSections.length) {
        this.setStep('saving-sections');
        const names = this.state.unsavedSections;
        const payload = Object.fromEntries(names.map((n) => [n, this.input.sections[n]]));
        try {
          const summary = `Save ${names.length} section(s) (${this.options.saveMode})`;
          await call('saveSections', summary, applicationId, payload, this.options.saveMode);
          this.state.unsavedSections = [];
        } catch (err) {
          if (failureTypeOf(err) !== 'CircleValidationFailed') throw err;
          errors = fieldErrorsOf(err);
          dataProblem = true;
          recordError(this.state, 'CircleValidationFailed', messageOf(err));
        }
      }

      if (!dataProblem) {
        const sections = await call('listSections', 'Read section statuses', applicationId);
        this.progress.sections = sections.map((s) => ({ sectionName: s.sectionName, status: s.status }));
        const incomplete = sections.filter((s) => s.status !== 'complete');
        if (incomplete.length === 0) {
          this.progress.sectionErrors = [];
          this.sectionVersionChecked = version;
          this.clearDeadline('sectionData');
          this.state.phase = 'submit';
          return;
        }
        errors = incomplete.map((s) => ({
          path: s.sectionName,
          error: 'section_incomplete',
          message: `section ${s.sectionName} is ${s.status}`,
        }));
      }

      this.progress.sectionErrors = errors;
      this.sectionVersionChecked = version;
      this.setStep('awaiting-section-data');
      const deadline = this.deadline('sectionData', this.options.sectionDataDeadline);
      // Bad data only changes with new data; incomplete statuses may also change at Circle, so poll.
      const arrived = await this.waitFor(() => this.sectionVersion !== version, deadline, !dataProblem);
      if (!arrived && Date.now() >= deadline) {
        throw fail(
          OnboardingFailure.SectionDataDeadlineExceeded,
          `No complete section data before the deadline: ${errors.map((e) => e.message).join('; ')}`,
          errors,
        );
      }
    }
  }

  /** Step 5/6: submit (or resubmit after RFIs) with this round's own idempotency key. */
  private async submit(): Promise<void> {
    const round = this.progress.submissionRound;
    const keys = this.progress.idempotencyKeys.submissions;
    keys[round] ??= uuid4();
    this.setStep('submitting');
    const summary = round === 0 ? 'Submit application' : `Resubmit application (round ${round + 1})`;
    try {
      const result = await call(
        'submitApplication',
        summary,
        this.applicationId,
        this.input.submission,
        keys[round],
      );
      this.setApplicationStatus(result.status);
    } catch (err) {
      if (failureTypeOf(err) !== 'CircleConflict') throw err;
      // Nothing was submitted: this round's next attempt must not replay the refusal.
      recordError(this.state, 'CircleConflict', messageOf(err));
      keys[round] = uuid4();
      await sleep(this.options.pollInterval);
      const app = await call('getApplication', 'Read application status', this.applicationId);
      this.setApplicationStatus(app.status);
      this.state.phase = app.status === 'PENDING_CUSTOMER_INFORMATION' ? 'rfi' : 'sections';
      return;
    }
    this.progress.submissionRound = round + 1;
    this.state.phase = 'review';
  }

  /** Step 6: wait for Circle's decision; a signal wakes the poll early, a GET always confirms. */
  private async awaitReview(): Promise<void> {
    this.setStep('in-review');
    const deadline = this.deadline('review', this.options.reviewDeadline);
    const status = await this.poll(
      deadline,
      OnboardingFailure.ReviewDeadlineExceeded,
      'a review decision',
      async () => {
        const app = await call('getApplication', 'Read application status', this.applicationId);
        this.setApplicationStatus(app.status);
        return WAITING_STATUSES.includes(app.status) ? undefined : app.status;
      },
    );
    this.clearDeadline('review');
    switch (status) {
      case 'APPROVED':
        this.state.phase = 'account';
        return;
      case 'PENDING_CUSTOMER_INFORMATION':
        this.state.phase = 'rfi';
        return;
      case 'DENIED':
        throw fail(OnboardingFailure.ApplicationDenied, `Circle denied application ${this.applicationId}`, {
          applicationId: this.applicationId,
          submissionRounds: this.progress.submissionRound,
        });
      case 'CANCELLED':
        throw fail(
          OnboardingFailure.ApplicationCancelledAtCircle,
          `Application ${this.applicationId} was cancelled at Circle`,
          {
            applicationId: this.applicationId,
          },
        );
      default:
        // DRAFT after a submit: the submission did not hold; go through the sections again.
        this.state.phase = 'sections';
    }
  }

  /** Step 6, RFIs: publish what compliance asks, apply answers as they arrive, then resubmit. */
  private async answerRfis(): Promise<void> {
    const open = await call('listOpenRfis', 'List open RFIs', this.applicationId);
    this.progress.rfis = open.map((r) => ({ ...r, state: 'open' as const }));
    this.setStep('awaiting-rfi-answers');
    const deadline = this.deadline('rfi', this.options.rfiDeadline);
    let interval = msToNumber(this.options.pollInterval);

    while (this.progress.rfis.some((r) => r.state !== 'answered')) {
      const ticket = this.answers.shift();
      if (ticket) {
        await this.applyAnswer(ticket);
        continue;
      }
      await this.maybeContinueAsNew();
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const unanswered = this.progress.rfis.filter((r) => r.state !== 'answered');
        throw fail(
          OnboardingFailure.RfiDeadlineExceeded,
          `RFIs not answered before the deadline: ${unanswered.map((r) => `${r.rfiId} (${r.section}.${r.field})`).join(', ')}`,
          unanswered.map((r) => r.rfiId),
        );
      }
      const seen = this.wakeups;
      const woken = await condition(
        () => this.answers.length > 0 || this.wakeups !== seen,
        Math.min(interval, remaining),
      );
      interval = Math.min(interval * 2, msToNumber(this.options.maxPollInterval));
      if (!woken || this.answers.length === 0) await this.refreshRfis();
    }
    // Answers that arrived for RFIs already answered get told so, instead of waiting forever.
    for (const ticket of this.answers.splice(0)) ticket.outcome = { errors: [notOpen(ticket.rfiId)] };
    this.clearDeadline('rfi');
    this.state.phase = 'submit';
  }

  /** RFIs answered elsewhere (at Circle directly) count as answered here too. */
  private async refreshRfis(): Promise<void> {
    const open = new Set(
      (await call('listOpenRfis', 'List open RFIs', this.applicationId)).map((r) => r.rfiId),
    );
    for (const rfi of this.progress.rfis)
      if (rfi.state === 'open' && !open.has(rfi.rfiId)) rfi.state = 'answered';
  }

  private async applyAnswer(ticket: AnswerTicket): Promise<void> {
    const rfi = this.progress.rfis.find((r) => r.rfiId === ticket.rfiId);
    if (!rfi || rfi.state !== 'open') {
      ticket.outcome = { errors: [notOpen(ticket.rfiId)] };
      return;
    }
    rfi.state = 'applying';
    try {
      await call(
        'answerRfi',
        `Answer RFI on ${rfi.section}.${rfi.field}`,
        this.applicationId,
        rfi.rfiId,
        ticket.answer,
      );
      rfi.state = 'answered';
      delete rfi.lastErrors;
      ticket.outcome = { errors: [] };
    } catch (err) {
      const type = failureTypeOf(err);
      if (type === 'CircleConflict') {
        rfi.state = 'answered'; // Circle already has an answer for it
        ticket.outcome = { errors: [] };
      } else if (type === 'CircleValidationFailed' || type === 'CircleBadRequest') {
        rfi.state = 'open';
        const fieldErrors = fieldErrorsOf(err);
        rfi.lastErrors = fieldErrors.length
          ? fieldErrors
          : [{ path: rfi.field, error: 'invalid_value', message: messageOf(err) }];
        recordError(this.state, type, messageOf(err));
        ticket.outcome = { errors: rfi.lastErrors };
      } else {
        rfi.state = 'open';
        throw err;
      }
    }
  }

  /** Step 7: the `third_party` custody account, adopting the client's matching account after a 409. */
  private async createAccount(): Promise<void> {
    const keys = this.progress.idempotencyKeys;
    keys.createAccount ??= uuid4();
    this.setStep('creating-account');
    const clientEntityId = this.progress.clientEntityId!;
    const { description } = this.input.account;
    let account;
    try {
      account = await call(
        'createCustodyAccount',
        'Create custody account',
        clientEntityId,
        description,
        keys.createAccount,
      );
    } catch (err) {
      if (failureTypeOf(err) !== 'CircleConflict') throw err;
      account = await call(
        'findCustodyAccount',
        'Find existing custody account',
        clientEntityId,
        description,
      );
      if (!account) {
        throw fail(
          OnboardingFailure.AccountDescriptionTaken,
          'Another active account already uses this description (descriptions are unique across all end customers); start again with a different account.description',
          { clientEntityId },
        );
      }
      recordError(this.state, 'CircleConflict', `adopted existing account ${account.accountId}`);
    }
    this.progress.accountId = account.accountId;
    this.progress.accountStatus = account.status;
    this.state.phase = 'activation';
  }

  private async awaitAccountActivation(): Promise<void> {
    this.setStep('awaiting-account-activation');
    const accountId = this.progress.accountId!;
    const deadline = this.deadline('accountActivation', this.options.accountActivationDeadline);
    const status = await this.poll(
      deadline,
      OnboardingFailure.AccountActivationDeadlineExceeded,
      'account activation',
      async () => {
        const account = await call('getAccount', 'Read account status', accountId);
        this.progress.accountStatus = account.status;
        return account.status === 'pending' ? undefined : account.status;
      },
    );
    this.clearDeadline('accountActivation');
    if (status !== 'active') {
      throw fail(OnboardingFailure.AccountRejected, `Circle set account ${accountId} to ${status}`, {
        accountId,
        status,
      });
    }
    this.state.phase = 'clive';
  }

  /** Step 8 (optional): register the client with Clive, adopting it if Clive already has it. */
  private async registerWithClive(): Promise<void> {
    const clive = this.input.clive;
    if (!clive) {
      this.state.phase = 'done';
      return;
    }
    const keys = this.progress.idempotencyKeys;
    keys.cliveClient ??= uuid4();
    this.setStep('registering-clive');
    const body = {
      client_id: clive.clientId,
      legal_name: clive.legalName,
      status: clive.status,
      partner_fee_percentage: clive.partnerFeePercentage,
      partner_fee_flat_usd: clive.partnerFeeFlatUsd,
    };
    try {
      this.progress.cliveClientId = (
        await call('registerCliveClient', 'Register client with Clive', body, keys.cliveClient)
      ).cliveClientId;
    } catch (err) {
      if (failureTypeOf(err) !== 'CliveConflict') throw err;
      const existing = await call('findCliveClient', 'Find existing Clive client', clive.clientId);
      if (!existing) throw err;
      recordError(this.state, 'CliveConflict', `adopted existing Clive client ${existing.cliveClientId}`);
      this.progress.cliveClientId = existing.cliveClientId;
    }
    this.state.phase = 'done';
  }

  /** On cancellation: an application still in DRAFT is cancelled at Circle; later ones are left alone. */
  private async compensate(): Promise<void> {
    let applicationId = this.progress.applicationId;
    if (!applicationId && this.state.phase === 'client' && !this.input.adoptExistingClient) {
      // The create may have reached Circle before the cancellation: look before giving up.
      const { clientName, country } = this.input.client;
      applicationId = (
        await call('findExistingClient', 'Find client created before cancellation', clientName, country)
      )?.applicationId;
    }
    const status = this.progress.applicationStatus;
    if (!applicationId || (status !== undefined && status !== 'DRAFT')) return;
    const result = await call('cancelDraftApplication', 'Cancel draft application', applicationId);
    if (result.cancelled) this.setApplicationStatus(result.status);
    log.info('onboarding cancelled', {
      applicationId,
      applicationCancelled: result.cancelled,
      status: result.status,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Waiting

  /**
   * Polls `check` until it returns a value, with timers that back off up to `maxPollInterval` and that
   * a signal cuts short. Fails with `failureType` once the deadline has passed.
   */
  private async poll<T>(
    deadline: number,
    failureType: string,
    what: string,
    check: () => Promise<T | undefined>,
  ): Promise<T> {
    let interval = msToNumber(this.options.pollInterval);
    for (;;) {
      const value = await check();
      this.progress.polls++;
      if (value !== undefined) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw fail(failureType, `Timed out waiting for ${what}`, {
          deadline: new Date(deadline).toISOString(),
        });
      const seen = this.wakeups;
      await condition(() => this.wakeups !== seen, Math.min(interval, remaining));
      interval = Math.min(interval * 2, msToNumber(this.options.maxPollInterval));
      await this.maybeContinueAsNew();
    }
  }

  /** Waits for `ready` until the deadline; with `poll`, also returns after each poll interval. */
  private async waitFor(ready: () => boolean, deadline: number, poll: boolean): Promise<boolean> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return ready();
    const timeout = poll ? Math.min(msToNumber(this.options.pollInterval), remaining) : remaining;
    return condition(ready, timeout);
  }

  private deadline(name: keyof OnboardingProgress['deadlines'], duration: Duration): number {
    const existing = this.progress.deadlines[name];
    if (existing) return Date.parse(existing);
    const at = Date.now() + msToNumber(duration);
    this.progress.deadlines[name] = new Date(at).toISOString();
    return at;
  }

  private clearDeadline(name: keyof OnboardingProgress['deadlines']): void {
    delete this.progress.deadlines[name];
  }

  /** Keeps history bounded: hands the state to a fresh run when Temporal suggests it (or at the limit). */
  private async maybeContinueAsNew(): Promise<void> {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < this.options.maxHistoryEvents) return;
    if (this.answers.length > 0 || !allHandlersFinished()) return; // never drop a message in flight
    log.info('continuing as new', { historyLength: info.historyLength, step: this.progress.step });
    await continueAsNew<typeof onboardPartnerClient>(this.input, { input: this.input, state: this.state });
  }

  // -------------------------------------------------------------------------------------------
  // Visibility

  private setStep(step: OnboardingStepName): void {
    if (this.progress.step === step && this.progress.timeline.length > 0) return;
    this.progress.step = step;
    this.progress.timeline.push({ step, at: new Date().toISOString() });
    upsertSearchAttributes([{ key: OnboardingStep, value: step }]);
    const status = this.progress.applicationStatus ? `, application ${this.progress.applicationStatus}` : '';
    setCurrentDetails(`**${step}**${status}`);
  }

  private setApplicationStatus(status: ApplicationStatus): void {
    if (this.progress.applicationStatus === status) return;
    this.progress.applicationStatus = status;
    upsertSearchAttributes([{ key: CircleApplicationStatus, value: status }]);
  }
}

function notOpen(rfiId: string): FieldError {
  return { path: rfiId, error: 'rfi_not_open', message: `RFI ${rfiId} is not waiting for an answer` };
}
