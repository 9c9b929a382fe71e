// Relays a verified Circle notification to the onboarding it concerns, as the applicationStatusChanged
// signal (a wake-up: the workflow re-reads the status itself). The onboarding is found by its
// CircleApplicationId search attribute. The signal's request id is derived from the SNS MessageId, so
// Temporal records a redelivered message once, across restarts and replicas of this service.
import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { encodeToPayloadsWithContext } from '@temporalio/common/lib/internal-non-workflow';
import { v5 as uuidv5 } from 'uuid';
import { applicationStatusChangedSignal } from '../contract/messages';
import { onboardingsQuery } from '../contract/workflow';
import { GrpcStatus } from '../temporal/grpc-status';
import { BoundedCache } from './lru';
import { parseOnboardingNotification } from './payload';
import type { VerifiedSnsMessage } from './verify';

export type RelayOutcome =
  | { kind: 'signalled'; workflowId: string }
  | { kind: 'ignored'; why: string }
  | { kind: 'unroutable'; applicationId: string };

/** Throws only when Temporal could not be asked (the receiver answers 503 and SNS retries). */
export type Relay = (message: VerifiedSnsMessage) => Promise<RelayOutcome>;

export interface RelayOptions {
  client: Client;
  /**
   * Waits between visibility lookups while an applicationId finds nothing (visibility trails the
   * workflow's upsert by up to about a second). Default 250, 750, 1500, 2500 ms: five lookups, ~5 s.
   */
  lookupDelaysMs?: readonly number[];
  /** applicationId -> workflowId pairs kept. Default 1000. */
  cacheSize?: number;
  /** Reported to Temporal as the signaller. Default the client's identity. */
  identity?: string;
}

/** The UUIDv5 namespace of signal request ids made from SNS MessageIds (fixed: changing it breaks dedupe). */
export const SNS_REQUEST_ID_NAMESPACE = 'd4c33a4d-dbc2-45d2-bad8-215ea1d8fde7';

/** The signal request id for an SNS message: the same for every delivery of it. */
export const signalRequestId = (messageId: string): string => uuidv5(messageId, SNS_REQUEST_ID_NAMESPACE);

export function createRelay({
  client,
  lookupDelaysMs = [250, 750, 1500, 2500],
  cacheSize = 1000,
  identity = client.options.identity,
}: RelayOptions): Relay {
  const { namespace } = client.options;
  const routes = new BoundedCache<string, string>(cacheSize);

  /** The onboarding with this application: a running one if any, else the latest closed one. */
  const lookup = async (applicationId: string) => {
    // applicationId matched /^[A-Za-z0-9-]+$/ (payload.ts), as the query builder requires.
    const query = onboardingsQuery({ applicationId });
    let closed: string | undefined;
    let seen = 0;
    for await (const wf of client.workflow.list({ query, pageSize: 10 })) {
      if (wf.status.name === 'RUNNING') return { workflowId: wf.workflowId, running: true };
      closed ??= wf.workflowId;
      if (++seen >= 10) break;
    }
    return closed === undefined ? undefined : { workflowId: closed, running: false };
  };

  const route = async (applicationId: string) => {
    const cached = routes.get(applicationId);
    if (cached) return { workflowId: cached, running: true };
    for (let attempt = 0; ; attempt++) {
      const found = await lookup(applicationId);
      if (found) {
        routes.set(applicationId, found.workflowId);
        return found;
      }
      const delay = lookupDelaysMs[attempt];
      if (delay === undefined) return undefined;
      await sleep(delay);
    }
  };

  return async (message) => {
    const parsed = parseOnboardingNotification(message.Message);
    if (!parsed.ok) return { kind: 'ignored', why: parsed.why };
    const { applicationId, status } = parsed.notification;

    const target = await route(applicationId);
    if (!target) return { kind: 'unroutable', applicationId };
    const { workflowId } = target;
    if (!target.running) return { kind: 'ignored', why: `onboarding ${workflowId} has already finished` };

    const payloads = await encodeToPayloadsWithContext(
      client.options.loadedDataConverter,
      { type: 'workflow', namespace, workflowId },
      [{ applicationId, status }],
    );
    try {
      await client.workflowService.signalWorkflowExecution({
        namespace,
        workflowExecution: { workflowId },
        signalName: applicationStatusChangedSignal.name,
        input: { payloads },
        identity,
        requestId: signalRequestId(message.MessageId),
      });
    } catch (err) {
      // Closed since it was found (or since it was cached): nothing is waiting for this any more.
      if (isGrpcServiceError(err) && err.code === GrpcStatus.NOT_FOUND) {
        return { kind: 'ignored', why: `onboarding ${workflowId} has already finished` };
      }
      throw err;
    }
    return { kind: 'signalled', workflowId };
  };
}
