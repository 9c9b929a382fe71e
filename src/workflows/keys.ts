// Idempotency keys derived from the workflow id, the logical operation and its round (UUIDv5), so a
// retry, a replay, continue-as-new, an operator's reset and a re-run of the same business key all send
// the same key, and Circle answers with its replay instead of doing the work twice.
import { v5 } from 'uuid';

/** This product's UUIDv5 namespace. Fixed forever: changing it changes every key. */
const NAMESPACE = 'a232e212-3048-4d6a-81e3-4779f4f0600d';

export function idempotencyKey(workflowId: string, operation: string): string {
  return v5(`${workflowId}/${operation}`, NAMESPACE);
}

export const keyOf = {
  createClient: (workflowId: string) => idempotencyKey(workflowId, 'createClient'),
  /**
   * Since `lagging-circle`: the request's fields are part of the key, so a re-run with corrected
   * business details is a new request (Circle's 409 then leads to adoption, which compares them),
   * never a replay of the old client taken unchecked.
   */
  createClientFor: (workflowId: string, body: object) =>
    idempotencyKey(workflowId, `createClient/${JSON.stringify(body)}`),
  /** `initial`, or the RFI bundles a resubmission answers; `attempt` counts refused tries. */
  submit: (workflowId: string, submitFor: string, attempt: number) =>
    idempotencyKey(workflowId, attempt === 0 ? `submit/${submitFor}` : `submit/${submitFor}/${attempt}`),
  account: (workflowId: string) => idempotencyKey(workflowId, 'account'),
  /** Since `lagging-circle`: a re-run with another description (after AccountDescriptionTaken) is a new request. */
  accountFor: (workflowId: string, description: string) =>
    idempotencyKey(workflowId, `account/${JSON.stringify(description)}`),
  /** The body is part of the key: a corrected body is a new request, never a replay of the old one. */
  clive: (workflowId: string, body: unknown) => idempotencyKey(workflowId, `clive/${JSON.stringify(body)}`),
  /**
   * A document upload: its parts and the SHA-256 of its bytes, so the same file for the same field is
   * one upload however often it is sent, and a corrected one is a new upload. `purpose` is `initial`,
   * or the RFI it answers (compliance may ask again for a file it already has).
   */
  document: (workflowId: string, purpose: string, upload: { parts: object; sha256: string }) =>
    idempotencyKey(workflowId, `document/${purpose}/${JSON.stringify([upload.parts, upload.sha256])}`),
};
