// What the CLI prints besides its JSON result: progress lines on stderr, and failures as type + message.
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

export const log = (line: string) => process.stderr.write(`${line}\n`);

export function failureSummary(err: unknown) {
  const cause =
    err instanceof WorkflowFailedError || err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure)
    return { type: cause.type, message: cause.message, details: cause.details };
  return { message: (err as Error).message };
}
