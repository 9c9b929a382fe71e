// Request validation helpers: zod issues and hand-written checks become per-field problems.
import type { z } from 'zod';
import { invalidRequest, type FieldProblem, Problem } from './problems';

export function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.'),
    error: i.code,
    message: i.message,
  }));
}

/** Parses `value` with `schema`, or throws a 400 problem of `failureType` naming each field. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  value: unknown,
  { failureType, what, prefix = '' }: { failureType?: string; what: string; prefix?: string },
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = zodProblems(parsed.error, prefix);
  const detail = `${what} is not valid: ${errors.map((e) => `${e.path || '(body)'}: ${e.message}`).join('; ')}`;
  throw failureType ? new Problem(400, failureType, detail, errors) : invalidRequest(detail, errors);
}
