// Pure helpers for section data: schema validation in Circle's per-field shape, and refId matching
// that makes retried array saves idempotent.
import { withKnownRefIds } from '../../src/circle/array-sections';
import { validateSections } from '../../src/circle/validate-sections';

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    info: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 2 },
        website: { type: 'string', format: 'uri', pattern: '^https://' },
        kind: { enum: ['a', 'b'] },
        licence: { type: 'string' },
      },
      required: ['name'],
      allOf: [
        { if: { properties: { kind: { const: 'b' } }, required: ['kind'] }, then: { required: ['licence'] } },
      ],
      additionalProperties: false,
    },
    owners: { type: 'array', maxItems: 1, items: { type: 'object', properties: { n: { type: 'string' } } } },
  },
  required: ['info'],
  'x-vendor-extension': true,
};

test('valid data has no errors', () => {
  expect(validateSections(schema, { info: { name: 'Acme', website: 'https://a.example' } })).toEqual([]);
});

test('problems come back per field, with dot paths and Circle-style codes', () => {
  const errors = validateSections(schema, {
    info: { name: 'A', website: 'http://a.example', kind: 'c', extra: 1 },
    owners: [{ n: 'x' }, { n: 'y' }],
  });
  expect(errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: 'info.name', error: 'length_outside_bounds' }),
      expect.objectContaining({ path: 'info.website', error: 'pattern_mismatch' }),
      expect.objectContaining({ path: 'info.kind', error: 'invalid_value' }),
      expect.objectContaining({ path: 'info.extra', error: 'unknown_field' }),
      expect.objectContaining({ path: 'owners', error: 'max_items' }),
    ]),
  );
});

test('missing sections and conditionally required fields are named', () => {
  expect(validateSections(schema, {})).toEqual([
    expect.objectContaining({ path: 'info', error: 'required' }),
  ]);
  expect(validateSections(schema, { info: { name: 'Acme', kind: 'b' } })).toEqual([
    expect.objectContaining({ path: 'info.licence', error: 'required', message: 'info.licence is required' }),
  ]);
});

describe('withKnownRefIds', () => {
  const saved = [
    { refId: 'r1', firstName: 'Jane', lastName: 'Doe' },
    { refId: 'r2', firstName: 'John', lastName: 'Roe' },
  ];

  test('gives items that match a saved entity its refId, each entity at most once', () => {
    const desired = [
      { firstName: 'Jane', lastName: 'Doe' },
      { firstName: 'Jane', lastName: 'Doe' },
      { firstName: 'New', lastName: 'Person' },
    ];
    expect(withKnownRefIds(saved, desired)).toEqual([
      { firstName: 'Jane', lastName: 'Doe', refId: 'r1' },
      { firstName: 'Jane', lastName: 'Doe' },
      { firstName: 'New', lastName: 'Person' },
    ]);
  });

  test('never reuses a refId the caller already names, and leaves flat sections alone', () => {
    const desired = [
      { refId: 'r2', firstName: 'Jane', lastName: 'Doe' },
      { firstName: 'John', lastName: 'Roe' },
    ];
    expect(withKnownRefIds(saved, desired)).toEqual(desired);
    const flat = { name: 'Acme' };
    expect(withKnownRefIds({ name: 'Old' }, flat)).toBe(flat);
  });
});
