// Validates section data against the application's JSON Schema (draft 2020-12) before anything is
// saved, and reports problems in Circle's per-field shape: dot-notation path, error code, message.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FieldError } from '../circle/wire';

// Circle's schemas carry `x-` extensions; strict mode would reject them.
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 64;

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    const { $id: _id, ...rest } = schema; // an $id would collide with the same schema compiled before
    validate = ajv.compile(rest);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, validate);
  }
  return validate;
}

const ERROR_CODES: Record<string, string> = {
  required: 'required',
  dependentRequired: 'required',
  minLength: 'length_outside_bounds',
  maxLength: 'length_outside_bounds',
  pattern: 'pattern_mismatch',
  format: 'invalid_format',
  enum: 'invalid_value',
  const: 'invalid_value',
  type: 'invalid_type',
  minimum: 'min_value',
  exclusiveMinimum: 'min_value',
  maximum: 'max_value',
  exclusiveMaximum: 'max_value',
  minItems: 'min_items',
  maxItems: 'max_items',
  additionalProperties: 'unknown_field',
  unevaluatedProperties: 'unknown_field',
};

// Wrapper keywords only say "a sub-schema failed"; the sub-schema's own error is the useful one.
const WRAPPERS = new Set(['if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not']);

function toFieldError(e: ErrorObject): FieldError {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required' || e.keyword === 'dependentRequired')
    segments.push(String(params.missingProperty));
  if (e.keyword === 'additionalProperties') segments.push(String(params.additionalProperty));
  const path = segments.join('.') || '(root)';
  const detail = e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid');
  return { path, error: ERROR_CODES[e.keyword] ?? e.keyword, message: `${path} ${detail}` };
}

/** Per-field problems of `sections` (section name -> payload) against the application schema. */
export function validateSections(
  schema: Record<string, unknown>,
  sections: Record<string, unknown>,
): FieldError[] {
  const validate = validatorFor(schema);
  if (validate(sections)) return [];
  const seen = new Set<string>();
  return (validate.errors ?? [])
    .filter((e) => !WRAPPERS.has(e.keyword))
    .map(toFieldError)
    .filter((e) => {
      const key = `${e.path}|${e.error}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}
