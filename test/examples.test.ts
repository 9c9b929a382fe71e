// The example inputs in examples/ are what the demo runs and what the docs tell people to start with:
// each must be a valid onboarding input, and its sections must pass the application schema the
// simulator serves for its profile, so an example never stops at a data problem.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentFieldsOf } from '../src/circle/document-fields';
import { validateSections } from '../src/circle/validate-sections';
import { fileNameOf, type DocumentReference } from '../src/contract/documents';
import { detectFileKind } from '../src/documents/file-type';
import { documentProblems, type DocumentFieldRules } from '../src/documents/rules';
import { onboardingInputSchema, type ParsedOnboardingInput } from '../src/contract';
import { AUTOMATIC_RFI, buildTemplate } from '../simulator';

const DIR = join(__dirname, '..', 'examples');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(DIR, file), 'utf8'));

const inputs = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.answer.json'));

/** The document the simulator validates: the prefilled fields (from the client record) under the data. */
function documentFor(input: ParsedOnboardingInput): Record<string, unknown> {
  const { prefilled } = buildTemplate(input.client.businessDetails);
  const doc: Record<string, unknown> = { ...input.sections };
  for (const [section, fields] of Object.entries(prefilled)) {
    doc[section] = { ...fields, ...(input.sections[section] as Record<string, unknown> | undefined) };
  }
  return doc;
}

test('the four scenarios the demo runs are all there', () => {
  expect(inputs.sort()).toEqual(['denied.json', 'happy-path.json', 'rfi-round.json', 'with-documents.json']);
});

describe.each(inputs)('examples/%s', (file) => {
  const parsed = onboardingInputSchema.safeParse(readJson(file));

  test('is a valid onboarding input', () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  test("its sections pass the simulator's application schema for its profile", () => {
    const input = parsed.data!;
    const { schema } = buildTemplate(input.client.businessDetails);
    expect(validateSections(schema, documentFor(input))).toEqual([]);
  });
});

test('the scenario tags the simulator reacts to are in the client names', () => {
  const nameOf = (file: string) => onboardingInputSchema.parse(readJson(file)).client.clientName;
  expect(nameOf('happy-path.json')).not.toMatch(/\[(rfi2?|deny|manual)\]/i);
  expect(nameOf('rfi-round.json')).toContain('[rfi]');
  expect(nameOf('denied.json')).toContain('[deny]');
});

test("the happy path registers with Clive at no less than the simulator's partner fee (2.5 %)", () => {
  const { clive } = onboardingInputSchema.parse(readJson('happy-path.json'));
  expect(clive?.partnerFeePercentage).toBeGreaterThanOrEqual(2.5);
});

describe('examples/rfi-round.answer.json', () => {
  const answer = readJson('rfi-round.answer.json') as Record<string, unknown>;
  const input = onboardingInputSchema.parse(readJson('rfi-round.json'));
  const { schema } = buildTemplate(input.client.businessDetails);

  test("answers exactly the field of the simulator's automatic RFI, with a value its schema accepts", () => {
    const { section, field } = AUTOMATIC_RFI;
    expect(Object.keys(answer)).toEqual([field]);
    const properties = schema.properties as Record<string, { properties: Record<string, unknown> }>;
    const fieldSchema = {
      type: 'object',
      properties: { [field]: properties[section]!.properties[field] },
      required: [field],
      additionalProperties: false,
    };
    expect(validateSections(fieldSchema, answer)).toEqual([]);
  });

  test('keeps the application valid once applied, and changes the value', () => {
    const { section, field } = AUTOMATIC_RFI;
    const saved = input.sections[section] as Record<string, unknown>;
    expect(answer[field]).not.toBe(saved[field]);
    const answered = { ...input, sections: { ...input.sections, [section]: { ...saved, ...answer } } };
    expect(validateSections(schema, documentFor(answered))).toEqual([]);
  });
});

describe('examples/with-documents.json', () => {
  const input = onboardingInputSchema.parse(readJson('with-documents.json'));
  const fields = documentFieldsOf(buildTemplate(input.client.businessDetails).schema);
  const answer = readJson('with-documents.answer.json') as Omit<DocumentReference, 'datumName'>;

  /** What the simulator would say of the sample file: no problems means it takes the upload. */
  const problemsOf = (ref: DocumentReference, field: DocumentFieldRules) => {
    const bytes = readFileSync(join(DIR, 'documents', ref.source));
    return documentProblems(field, {
      kind: detectFileKind(bytes),
      size: bytes.length,
      fileName: fileNameOf(ref),
      ...ref,
    });
  };

  test('gives a sample document the template accepts for every required file field', () => {
    const required = fields.filter((f) => f.required).map((f) => f.datumName);
    expect(input.documents.map((d) => d.datumName).sort()).toEqual([...required].sort());
    for (const ref of input.documents) {
      expect(
        problemsOf(
          ref,
          fields.find((f) => f.datumName === ref.datumName)!,
        ),
      ).toEqual([]);
    }
  });

  test("asks for a document RFI, and its answer is a sample file the RFI's field accepts", () => {
    expect(input.client.clientName).toContain('[rfi-document]');
    const field = { acceptedTypes: ['application/pdf', 'image/jpeg', 'image/png'], maxSizeMb: 10 };
    expect(problemsOf({ ...answer, datumName: 'proofOfAddress' }, field)).toEqual([]);
  });
});
