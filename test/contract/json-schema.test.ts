// The committed JSON Schema of the workflow input is the one the zod contract generates, and it
// accepts and rejects what the contract does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { onboardingInputJsonSchema } from '../../src/contract/json-schema';

const root = join(__dirname, '..', '..');
const committed = JSON.parse(readFileSync(join(root, 'schemas', 'onboarding-input.schema.json'), 'utf8'));

test('schemas/onboarding-input.schema.json is up to date (run `npm run schemas`)', () => {
  expect(committed).toEqual(onboardingInputJsonSchema());
});

test('the JSON Schema accepts every example input and rejects a broken one', () => {
  const validate = addFormats(new Ajv2020({ allErrors: true })).compile(committed);
  const examples = readdirSync(join(root, 'examples')).filter(
    (f) => f.endsWith('.json') && !f.includes('.answer.'),
  );
  expect(examples.length).toBeGreaterThan(0);
  for (const file of examples) {
    const input = JSON.parse(readFileSync(join(root, 'examples', file), 'utf8'));
    expect({ file, valid: validate(input), errors: validate.errors }).toEqual({
      file,
      valid: true,
      errors: null,
    });
    expect(validate({ ...input, client: { ...input.client, country: 'usa' } })).toBe(false);
  }
});
