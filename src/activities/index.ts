// Activities are built from injected provider clients, so the worker wires real ones and tests can
// point them at the simulator.
import type { CircleClient } from '../circle/client';
import type { CliveClient } from '../clive/client';
import { createAccountActivities } from './account';
import { createApplicationActivities } from './application';
import { createClientActivities, type OwnRuns } from './client';
import { createCliveActivities } from './clive';
import { createDocumentActivities } from './document';
import type { DocumentStore } from '../documents/store';
import { createInputActivities } from './input';
import { observePartnerClient } from '../observability/partner-calls';
import { createRfiActivities } from './rfi';

export interface ActivityDeps {
  circle: CircleClient;
  clive: CliveClient;
  /** Where documents given by reference are read (the only place their bytes are). */
  documents: DocumentStore;
  /** The shortest poll interval an input may ask for (default one second). */
  minPollIntervalMs?: number;
  /** Visibility of the onboarding's own earlier runs; without it, a forgotten key is never adopted. */
  ownRuns?: OwnRuns;
  /** Onboardings started on this worker call Circle from local activities (WORKER_LOCAL_CIRCLE_CALLS). */
  localCircleCalls?: boolean;
}

export function createActivities(deps: ActivityDeps) {
  // Every Circle and Clive call is counted on the activity's metric meter (observability/partner-calls.ts).
  const circle = observePartnerClient(deps.circle, 'circle');
  const clive = observePartnerClient(deps.clive, 'clive');
  return {
    ...createInputActivities({
      minPollIntervalMs: deps.minPollIntervalMs,
      localCircleCalls: deps.localCircleCalls,
    }),
    ...createClientActivities(circle, deps.ownRuns),
    ...createApplicationActivities(circle),
    ...createRfiActivities(circle),
    ...createDocumentActivities(circle, deps.documents),
    ...createAccountActivities(circle),
    ...createCliveActivities(clive),
  };
}

export type OnboardingActivities = ReturnType<typeof createActivities>;
export type { SaveMode, ApplicationSnapshot, EntityRefIds, PreparedSections } from './application';
export type { AccountSnapshot } from './account';
export type { DocumentSlot, DocumentUpload, Inspection } from './document';
export type { InputVerdict } from './input';
