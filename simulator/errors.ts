// Errors thrown by simulator handlers. One class carries the HTTP status and the already-shaped body, so
// every route can `throw` and the server's error handler only has to send it.
import { cliveError } from './clive-wire';
import type { DocumentProblem } from './file-rules';
import {
  APPLICATION_NOT_FOUND_CODE,
  circleError,
  DOCUMENT_REJECTED_CODE,
  type DocumentErrorItem,
  type FieldError,
} from './wire';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String(body.message) : `HTTP ${status}`);
  }
}

/** A Circle error: `code` is the HTTP status unless Circle documents a specific code. */
export function circleFail(status: number, message: string, errors?: FieldError[], code = status): ApiError {
  return new ApiError(status, circleError(code, message, errors));
}

/** Circle's documented body for an unknown application (code 181103). */
export function applicationNotFound(): ApiError {
  return new ApiError(404, circleError(APPLICATION_NOT_FOUND_CODE, 'Not found'));
}

/**
 * A refused document upload: 400, code 181102, `errors: [{field, code}]` (the document dialect, not the
 * `path`/`error` of section saves); the message names every problem for people.
 */
export function documentRejected(problems: readonly DocumentProblem[]): ApiError {
  const message = `Document rejected: ${problems.map((p) => `${p.field} ${p.code} (${p.message})`).join('; ')}`;
  const errors = problems.map(({ field, code }): DocumentErrorItem => ({ field, code }));
  return new ApiError(400, { code: DOCUMENT_REJECTED_CODE, message, errors });
}

/** A Clive error: `{ error, code, details }`. */
export function cliveFail(status: number, code: string, message: string, details: unknown = null): ApiError {
  return new ApiError(status, cliveError(code, message, details));
}
