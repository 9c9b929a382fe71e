// Errors thrown by simulator handlers. One class carries the HTTP status and the already-shaped body, so
// every route can `throw` and the server's error handler only has to send it.
import { circleError, type FieldError } from '../src/circle/wire';
import { cliveError } from '../src/clive/wire';

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
  return new ApiError(404, circleError(181103, 'Not found'));
}

/** A Clive error: `{ error, code, details }`. */
export function cliveFail(status: number, code: string, message: string, details: unknown = null): ApiError {
  return new ApiError(status, cliveError(code, message, details));
}
