// The simulator's copy of Circle's value sets, codes and field-error names, stated as the reference
// gives them, so that a change to any of them is a deliberate change to the model.
import Ajv2020 from 'ajv/dist/2020';
import {
  ACCOUNT_STATUSES,
  APPLICATION_STATUSES,
  CLIENT_TYPES,
  INSTITUTION_TYPES,
  NATURES_OF_BUSINESS,
  RFI_TYPES,
  SECTION_STATUSES,
} from '../circle-enums';
import { dotPath, toFieldErrors } from '../field-errors';
import { APPLICATION_NOT_FOUND_CODE, circleError, DOCUMENT_REJECTED_CODE } from '../wire';

test('create client (§0.1, seed 000): 50 natures of business, 9 institution types, clientType business', () => {
  expect(NATURES_OF_BUSINESS).toHaveLength(50);
  expect(new Set(NATURES_OF_BUSINESS).size).toBe(50);
  expect(NATURES_OF_BUSINESS).toEqual(expect.arrayContaining(['trust', 'cryptoExchange', 'p2p']));
  expect([...INSTITUTION_TYPES].sort()).toEqual(
    [
      'associationOrConsortium',
      'coop',
      'foundation',
      'governmentBody',
      'partnership',
      'privateCo',
      'publicCo',
      'soleTrader',
      'trust',
    ].sort(),
  );
  expect(CLIENT_TYPES).toEqual(['business']);
});

test('statuses: application (§4.1), section (§6.1), RFI types (§11.1), account (§12.3)', () => {
  expect(APPLICATION_STATUSES).toEqual([
    'DRAFT',
    'SUBMITTED',
    'IN_REVIEW',
    'PENDING_CUSTOMER_INFORMATION',
    'APPROVED',
    'DENIED',
    'CANCELLED',
  ]);
  expect(SECTION_STATUSES).toEqual(['not_started', 'incomplete', 'complete', 'action_required']);
  expect(RFI_TYPES).toEqual(['UPDATE_FIELD', 'NEW_FIELD', 'COLLECT_DOCUMENT']);
  expect(ACCOUNT_STATUSES).toEqual(['active', 'pending', 'rejected', 'archived']);
});

test('codes: unknown application 181103 (§4.3), refused document 181102 (§10.3); body {code, message}', () => {
  expect(APPLICATION_NOT_FOUND_CODE).toBe(181103);
  expect(DOCUMENT_REJECTED_CODE).toBe(181102);
  expect(circleError(181103, 'Not found')).toEqual({ code: 181103, message: 'Not found' });
});

describe('field errors (§0.1: dot-notation path, error code, message; names from §9.1)', () => {
  const ajv = new Ajv2020({ allErrors: true });
  const errorsOf = (schema: object, value: unknown) => {
    const validate = ajv.compile(schema);
    validate(value);
    return toFieldErrors(validate.errors).map((e) => `${e.path}:${e.error}`);
  };

  test('dot paths, under a prefix, with JSON pointer escapes undone', () => {
    expect(dotPath('/owners/0/first~1last~0x', 'section')).toBe('section.owners.0.first/last~x');
  });

  test("Circle's documented names: required, invalid_value, value_must_be_true, min/max_value, length_outside_bounds", () => {
    const schema = {
      type: 'object',
      required: ['name', 'agrees'],
      properties: {
        name: { type: 'string', minLength: 2 },
        agrees: { const: true },
        kind: { enum: ['a', 'b'] },
        share: { type: 'number', minimum: 0, maximum: 100 },
        level: { type: 'number', minimum: 0 },
      },
    };
    expect(errorsOf(schema, {})).toEqual(['name:required', 'agrees:required']);
    expect(errorsOf(schema, { name: 'x', agrees: false, kind: 'c', share: 101, level: -1 })).toEqual([
      'name:length_outside_bounds',
      'agrees:value_must_be_true',
      'kind:invalid_value',
      'share:max_value',
      'level:min_value',
    ]);
  });
});
