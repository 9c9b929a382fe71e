// One strict Ajv (draft 2020-12) instance for every schema the simulator checks; errors are mapped to
// Circle's per-field items by field-errors.ts.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { toFieldErrors } from './field-errors';
import type { FieldError } from './wire';

export { dotPath, toFieldErrors } from './field-errors';

export const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
addFormats(ajv);
// Vendor extensions that appear in the onboarding schema; declared so strict mode accepts them.
ajv.addVocabulary([
  'x-resolved',
  'x-sectionKind',
  'x-template',
  'x-serverAssigned',
  'x-prefilled',
  'x-rfi',
  'x-fileUpload',
  'x-documentTypes',
]);

/** Errors that mean "not filled in yet": a save is accepted and the section stays `incomplete`. */
export const SOFT_ERRORS: ReadonlySet<string> = new Set(['required', 'min_items']);

/** Validates `value` and returns Circle field errors (empty when valid). */
export function check(validate: ValidateFunction, value: unknown, prefix = ''): FieldError[] {
  return validate(value) ? [] : toFieldErrors(validate.errors, prefix);
}
