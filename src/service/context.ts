// What every route plugin receives from buildService.
import type { Client } from '@temporalio/client';
import type { onboardingInputSchemaWith } from '../contract';
import type { KeyUploadLedger } from './upload-quota';

/** The document store the service uploads into (the workers' DOCUMENT_STORE_DIR), and its rules. */
export interface ServiceDocuments {
  dir: string;
  /** One file. */
  maxBytes: number;
  /** What one onboarding's uploads may hold (default 100 MiB): beyond, 413. */
  quotaBytesPerOnboarding?: number;
  /** What one API key may upload in an hour (default 1 GiB, per instance): beyond, 429. */
  quotaBytesPerKeyPerHour?: number;
  /** How often closed onboardings' uploads are looked for (default 10 min; 0: never, another runs it). */
  sweepIntervalMs?: number;
  /** How long after an onboarding closed its uploads are removed (default 1 h). */
  graceMs?: number;
}

export interface RouteContext {
  client: Client;
  taskQueue?: string;
  idKey: string;
  /** How long any other Temporal call may take before the reply is 503. */
  temporalTimeoutMs: number;
  /** How long a message (update) may take before the reply is 504; it may still be applied. */
  messageTimeoutMs: number;
  documents?: ServiceDocuments & { quotaBytesPerOnboarding: number; ledger: KeyUploadLedger };
  /** The input schema with the workers' poll-interval floor. */
  inputSchema: ReturnType<typeof onboardingInputSchemaWith>;
}
