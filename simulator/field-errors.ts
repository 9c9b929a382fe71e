// Ajv's (draft 2020-12) validation errors as Circle's per-field items `{path, error, message}`. The error
// names Circle documents are used where they fit (reference §9.1: required, invalid_value,
// value_must_be_true, min_value, max_value, length_outside_bounds); the rest are the simulator's own.
import type { ErrorObject } from 'ajv/dist/2020';
import type { FieldError } from './wire';

/** Ajv keyword -> Circle error name. */
const ERROR_NAMES: Readonly<Record<string, string>> = {
  required: 'required',
  enum: 'invalid_value',
  const: 'invalid_value',
  minLength: 'length_outside_bounds',
  maxLength: 'length_outside_bounds',
  minimum: 'min_value',
  exclusiveMinimum: 'min_value',
  maximum: 'max_value',
  exclusiveMaximum: 'max_value',
  type: 'invalid_type',
  format: 'invalid_format',
  pattern: 'pattern_mismatch',
  minItems: 'min_items',
  maxItems: 'max_items',
  additionalProperties: 'unknown_field',
};

/** Circle's name for the error: a field that must be `true` and is not is `value_must_be_true` (§9.1). */
function errorName(e: ErrorObject): string {
  if (e.keyword === 'const' && (e.params as { allowedValue?: unknown }).allowedValue === true) {
    return 'value_must_be_true';
  }
  return ERROR_NAMES[e.keyword] ?? 'invalid_value';
}

/** Keywords that only restate errors already reported inside their subschemas. */
const COMPOSITION = new Set(['if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not']);

/** A JSON pointer (`/a/0/b`, with `~1` and `~0` escapes) as a dot path (`a.0.b`), under `prefix`. */
export function dotPath(pointer: string, prefix = ''): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  return [prefix, ...segments].filter((s) => s !== '').join('.');
}

const join = (...parts: string[]) => parts.filter((p) => p !== '').join('.');

/** Where the error is: a missing or unknown property is named by its own path, not its parent's. */
function pathOf(e: ErrorObject, prefix: string): string {
  const at = dotPath(e.instancePath, prefix);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return join(at, String(params.missingProperty));
  if (e.keyword === 'additionalProperties') return join(at, String(params.additionalProperty));
  return at;
}

function messageOf(e: ErrorObject, path: string): string {
  const subject = path === '' ? 'body' : path;
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `${subject} is required`;
  if (e.keyword === 'additionalProperties') return `${subject} is not a known field`;
  if (e.keyword === 'enum') {
    return `${subject} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
  }
  if (e.keyword === 'const') return `${subject} must be ${JSON.stringify(params.allowedValue)}`;
  return `${subject} ${e.message ?? 'is invalid'}`;
}

/** Circle field errors for Ajv's errors, without duplicates, in Ajv's order. */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  const items = new Map<string, FieldError>();
  for (const e of errors ?? []) {
    if (COMPOSITION.has(e.keyword)) continue;
    const path = pathOf(e, prefix);
    const item = { path, error: errorName(e), message: messageOf(e, path) };
    const key = `${item.path}|${item.error}|${item.message}`;
    if (!items.has(key)) items.set(key, item);
  }
  return [...items.values()];
}
