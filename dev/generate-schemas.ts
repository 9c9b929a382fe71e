// Writes the JSON Schema of the workflow input for services that do not use TypeScript:
// `npm run schemas`. A test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onboardingInputJsonSchema } from '../src/contract/json-schema';

const path = join(__dirname, '..', 'schemas', 'onboarding-input.schema.json');
writeFileSync(path, `${JSON.stringify(onboardingInputJsonSchema(), null, 2)}\n`);
process.stderr.write(`wrote ${path}\n`);
