// Lets activities abort in-flight HTTP requests when Temporal cancels them (or their worker shuts down).
import { cancellationSignal } from '@temporalio/activity';

export function callOptions(): { signal: AbortSignal } {
  return { signal: cancellationSignal() };
}
