// Ajv (draft 2020-12) errors -> Circle's per-field `{ path, error, message }` items, for the workflow's
// pre-save check (which predicts what Circle would answer).
import type { ErrorObject } from 'ajv/dist/2020';
import type { FieldError } from './wire';

const CODES: Record<string, string> = {
  required: 'required',
  type: 'invalid_type',
  enum: 'invalid_value',
  const: 'invalid_value',
  minLength: 'length_outside_bounds',
  maxLength: 'length_outside_bounds',
  format: 'invalid_format',
  pattern: 'pattern_mismatch',
  maxItems: 'max_items',
  minItems: 'min_items',
  minimum: 'min_value',
  exclusiveMinimum: 'min_value',
  maximum: 'max_value',
  exclusiveMaximum: 'max_value',
  additionalProperties: 'unknown_field',
};

// Composition keywords only summarise errors already reported for their branches.
const SUMMARY_KEYWORDS = new Set(['if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not']);

/** JSON pointer (`/a/0/b`) to Circle's dot notation (`a.0.b`), optionally under a prefix. */
export function dotPath(pointer: string, prefix = ''): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [prefix, ...parts].filter((p) => p !== '').join('.');
}

export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (SUMMARY_KEYWORDS.has(e.keyword)) continue;
    let path = dotPath(e.instancePath, prefix);
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') path = [path, String(params.missingProperty)].filter(Boolean).join('.');
    if (e.keyword === 'additionalProperties') {
      path = [path, String(params.additionalProperty)].filter(Boolean).join('.');
    }
    // Circle names a field that must be true and is not `value_must_be_true` (reference §9.1).
    const error =
      e.keyword === 'const' && params.allowedValue === true
        ? 'value_must_be_true'
        : (CODES[e.keyword] ?? 'invalid_value');
    const message = describe(e, path);
    const key = `${path}|${error}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, error, message });
  }
  return out;
}

function describe(e: ErrorObject, path: string): string {
  const params = e.params as Record<string, unknown>;
  const subject = path || 'body';
  switch (e.keyword) {
    case 'required':
      return `${subject} is required`;
    case 'additionalProperties':
      return `${subject} is not a known field`;
    case 'enum':
      return `${subject} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `${subject} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${subject} ${e.message ?? 'is invalid'}`;
  }
}
