// Clive's error body as the simulator serves it: `{ error, code, details }` (reference §14.2).

export interface CliveErrorBody {
  error: string;
  code: string;
  details: unknown;
}

export function cliveError(code: string, error: string, details: unknown = null): CliveErrorBody {
  return { error, code, details };
}
