// Circle's error bodies, in one place so that the simulator (which writes them) and the HTTP client
// (which reads them) cannot drift apart, and so that one edit follows the real API if it differs.

/** One per-field problem in a 422 body: dot-notation `path`, machine `error` code, human `message`. */
export interface FieldError {
  path: string;
  error: string;
  message: string;
}

/** Circle's basic error body, extended with per-field `errors` on validation failures. */
export interface CircleErrorBody {
  code: number;
  message: string;
  errors?: FieldError[];
}

export function circleError(code: number, message: string, errors?: FieldError[]): CircleErrorBody {
  return errors ? { code, message, errors } : { code, message };
}

/** Clive's error body: `{ error, code, details }`. */
export interface CliveErrorBody {
  error: string;
  code: string;
  details: unknown;
}

export function cliveError(code: string, error: string, details: unknown = null): CliveErrorBody {
  return { error, code, details };
}
