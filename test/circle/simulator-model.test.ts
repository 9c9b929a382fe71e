// The product's Circle and Clive model (src/circle, src/clive) against the simulator's own copy of it
// (simulator/circle-enums.ts, wire.ts, clive-wire.ts, field-errors.ts). Both are written from the API
// reference; where they differ, the reference decides and the side that is wrong gets fixed.
import Ajv2020 from 'ajv/dist/2020';
import * as sim from '../../simulator/circle-enums';
import { cliveError as simCliveError } from '../../simulator/clive-wire';
import { toFieldErrors as simToFieldErrors } from '../../simulator/field-errors';
import {
  circleError as simCircleError,
  DOCUMENT_REJECTED_CODE as SIM_DOCUMENT_REJECTED_CODE,
} from '../../simulator/wire';
import * as product from '../../src/circle/enums';
import { toFieldErrors } from '../../src/circle/field-errors';
import { circleError, DOCUMENT_REJECTED_CODE } from '../../src/circle/wire';
import { cliveError } from '../../src/clive/wire';

test.each([
  'NATURES_OF_BUSINESS',
  'INSTITUTION_TYPES',
  'CLIENT_TYPES',
  'APPLICATION_STATUSES',
  'SECTION_STATUSES',
  'RFI_TYPES',
  'ACCOUNT_STATUSES',
] as const)('%s', (name) => {
  expect(product[name]).toEqual(sim[name]);
});

test('error bodies and codes', () => {
  const errors = [{ path: 'a.b', error: 'required', message: 'a.b is required' }];
  expect(circleError(409, 'Conflict')).toEqual(simCircleError(409, 'Conflict'));
  expect(circleError(422, 'Invalid', errors)).toEqual(simCircleError(422, 'Invalid', errors));
  expect(DOCUMENT_REJECTED_CODE).toBe(SIM_DOCUMENT_REJECTED_CODE);
  expect(cliveError('HMAC_INVALID', 'bad')).toEqual(simCliveError('HMAC_INVALID', 'bad'));
  expect(cliveError('X', 'y', { f: 1 })).toEqual(simCliveError('X', 'y', { f: 1 }));
});

describe('Ajv errors as Circle field errors', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const schema = {
    type: 'object',
    required: ['name', 'owners'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
      kind: { enum: ['a', 'b'] },
      fixed: { const: 'x' },
      email: { type: 'string', format: 'email' },
      share: { type: 'number', minimum: 0, exclusiveMaximum: 100 },
      owners: {
        type: 'array',
        minItems: 1,
        maxItems: 2,
        items: { type: 'object', required: ['first'], properties: { first: { type: 'string' } } },
      },
      'a/b': { type: 'integer' },
    },
    allOf: [{ if: { properties: { kind: { const: 'a' } } }, then: { required: ['email'] } }],
  };
  const validate = ajv.addFormat('email', /@/).compile(schema);
  const values = [
    {},
    { name: 'A1', kind: 'c', fixed: 'y', share: 100, owners: [], extra: 1, 'a/b': 1.5 },
    { name: 'toolongname', kind: 'a', owners: [{}, {}, { first: 2 }], email: 'nope', share: -1 },
    'not an object',
  ];
  test.each(values.map((v) => [JSON.stringify(v), v]))('%s', (_name, value) => {
    validate(value);
    expect(toFieldErrors(validate.errors, 'section')).toEqual(simToFieldErrors(validate.errors, 'section'));
  });

  // Reference §9.1 names this error value_must_be_true (the product reported invalid_value before).
  test('a field that must be true (reference §9.1: value_must_be_true)', () => {
    const mustAgree = ajv.compile({ properties: { agrees: { const: true } } });
    mustAgree({ agrees: false });
    expect(toFieldErrors(mustAgree.errors)).toEqual(simToFieldErrors(mustAgree.errors));
  });
});
