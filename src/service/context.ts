// What every route plugin receives from buildService.
import type { Client } from '@temporalio/client';
import type { onboardingInputSchemaWith } from '../contract';

export interface RouteContext {
  client: Client;
  taskQueue?: string;
  idKey: string;
  /** How long any other Temporal call may take before the reply is 503. */
  temporalTimeoutMs: number;
  /** How long a message (update) may take before the reply is 504; it may still be applied. */
  messageTimeoutMs: number;
  documents?: { dir: string; maxBytes: number };
  /** The input schema with the workers' poll-interval floor. */
  inputSchema: ReturnType<typeof onboardingInputSchemaWith>;
}
