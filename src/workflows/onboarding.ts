// The state one run works on, shared by the steps, the message handlers and the waits.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { FieldError } from '../circle/wire';
import type { ParsedOnboardingInput } from '../contract/input';
import type { RfiAnswer } from '../contract/messages';
import type { OnboardingProgress } from '../contract/progress';
import { call, read, type Activities } from './calls';
import { withCredentials } from './credentials';
import type { OnboardingState } from './state';
import { writeAttributes } from './visibility';

/** An `answerRfi` update waiting to be applied; `outcome` is set once it has been tried. */
export interface AnswerTicket extends RfiAnswer {
  outcome?: { type?: string; errors: FieldError[] };
  /** Being applied at Circle now: a newer answer waits behind it instead of replacing it. */
  applying?: boolean;
}

export class Onboarding {
  /** Set once the input has been checked; handlers that need it wait for it. */
  input?: ParsedOnboardingInput;
  /** Updates waiting for their answer to be applied (never carried: continue-as-new waits for them). */
  readonly tickets: AnswerTicket[] = [];
  /** Set once the onboarding has completed, failed or been cancelled: no message is taken any more. */
  ended = false;
  /** Bumped by signals and new data; waits re-check what they wait for when it changes. */
  wakeups = 0;
  /** Bumped by every timer the run waits on (waiting.ts): steps that revisit one without a wait nap. */
  waits = 0;
  /** Updates accepted and not answered yet (answers, section data, documents). */
  updatesInFlight = 0;
  /** Search attributes set since the last wait (visibility.ts), by name. */
  readonly unwrittenAttributes = new Map<string, SearchAttributeUpdatePair>();

  constructor(
    readonly workflowId: string,
    readonly state: OnboardingState,
  ) {}

  get progress(): OnboardingProgress {
    return this.state.progress;
  }

  get checkedInput(): ParsedOnboardingInput {
    if (!this.input) throw new Error('the input is read before it was checked');
    return this.input;
  }

  get options(): ParsedOnboardingInput['options'] {
    return this.checkedInput.options;
  }

  get applicationId(): string {
    const id = this.progress.applicationId;
    if (!id) throw new Error('the application id is read before the client exists');
    return id;
  }

  wake(): void {
    this.wakeups++;
  }

  /** A write (activity), kept going through a credentials outage. */
  call<K extends keyof Activities>(name: K, summary: string, ...args: Parameters<Activities[K]>) {
    writeAttributes(this);
    return withCredentials(this, () => call(name, summary, ...args));
  }

  /** A read with a bounded budget, kept going through a credentials outage. */
  read<K extends keyof Activities>(name: K, summary: string, ...args: Parameters<Activities[K]>) {
    writeAttributes(this);
    return withCredentials(this, () => read(name, summary, ...args));
  }
}
