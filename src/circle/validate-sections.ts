// Validates section data against the application's JSON Schema (draft 2020-12) before anything is
// saved, and reports problems in Circle's per-field shape: dot-notation path, error code, message.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { withoutFileFields } from './document-fields';
import { toFieldErrors } from './field-errors';
import type { FieldError } from './wire';

// Circle's schemas carry `x-` extensions; strict mode would reject them.
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

// Compiled validators by schema text; Circle serves one schema per template, so a few stay hot.
const compiled = new Map<string, { validate: ValidateFunction; schema: object }>();
const MAX_CACHED = 64;

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let entry = compiled.get(key);
  if (!entry) {
    // An $id would collide with the same schema compiled before; file fields are documents, not data.
    const { $id: _id, ...rest } = withoutFileFields(schema);
    entry = { validate: ajv.compile(rest), schema: rest };
    if (compiled.size >= MAX_CACHED) {
      const [oldest, evicted] = compiled.entries().next().value as [string, { schema: object }];
      compiled.delete(oldest);
      ajv.removeSchema(evicted.schema); // Ajv keeps its own cache of compiled schemas
    }
    compiled.set(key, entry);
  }
  return entry.validate;
}

/**
 * Per-field problems of `sections` (section name -> payload) against the application schema. File fields
 * are left out: their documents are uploaded, and checked, on their own.
 */
export function validateSections(
  schema: Record<string, unknown>,
  sections: Record<string, unknown>,
): FieldError[] {
  const validate = validatorFor(schema);
  return validate(sections) ? [] : toFieldErrors(validate.errors);
}
