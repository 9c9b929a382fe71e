// Writes the JSON Schema of the workflow input for services that do not use TypeScript, and the
// onboarding service's OpenAPI document: `npm run schemas`. Tests fail when a committed file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onboardingInputJsonSchema } from '../src/contract/json-schema';
import { buildOpenApiDocument } from '../src/service/openapi-document';

async function main(): Promise<void> {
  const files: [string, unknown][] = [
    ['onboarding-input.schema.json', onboardingInputJsonSchema()],
    ['onboarding-service.openapi.json', await buildOpenApiDocument()],
  ];
  for (const [name, document] of files) {
    const path = join(__dirname, '..', 'schemas', name);
    writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
    process.stderr.write(`wrote ${path}\n`);
  }
}

void main();
