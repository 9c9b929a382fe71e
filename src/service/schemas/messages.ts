// The messages a running onboarding takes over HTTP: their Idempotency-Key, bodies and replies. The
// reference rules come from the contract (documents.ts), which the workflow applies too.
import { z } from 'zod';
import {
  documentReferenceProblems,
  ENTITY_INDEX_MESSAGE,
  MAX_ENTITY_INDEX,
  REFERENCE_FIELD_RULES as RULES,
  sectionPayloadSchema,
} from '../../contract';
import { contractObject, fieldErrorSchema } from './responses';

const KEY_RULE = '1-255 visible ASCII characters, e.g. a UUID';

/** RFC 9110 token-ish: 1..255 visible ASCII. */
const idempotencyKey = (description: string) =>
  z
    .string({ error: `is required: ${KEY_RULE}` })
    .min(1, { message: `must be ${KEY_RULE}`, abort: true })
    .max(255, `must be ${KEY_RULE}`)
    .regex(/^[!-~]+$/, `must be ${KEY_RULE}`)
    .describe(description);

export const startHeaders = z.object({
  'Idempotency-Key': idempotencyKey(
    'Retries with the same key and body are the same start (Temporal start request id); a key that started an onboarding is refused for another client or input with 422 IdempotencyKeyReused',
  ),
});

export const messageHeaders = z.object({
  'Idempotency-Key': idempotencyKey(
    'A retry with the same key and body attaches to the same update and gets the same answer; the same key with another body is refused with 422 IdempotencyKeyReused',
  ),
});

const rule = (field: keyof typeof RULES) =>
  z.string(RULES[field].message).regex(RULES[field].pattern, RULES[field].message);

/** The fields of a document reference, each with its rule from the contract. */
const referenceFields = {
  datumName: rule('datumName'),
  refId: rule('refId').optional(),
  entityIndex: z
    .int(ENTITY_INDEX_MESSAGE)
    .min(0, ENTITY_INDEX_MESSAGE)
    .max(MAX_ENTITY_INDEX, ENTITY_INDEX_MESSAGE)
    .optional(),
  documentType: rule('documentType').optional(),
  issuedCountry: rule('issuedCountry').optional(),
};
/** JSON Schema's statement of "refId or entityIndex, not both" (checked by documentReferenceProblems). */
const NOT_BOTH = { not: { required: ['refId', 'entityIndex'] } };

/** The rules between fields (source, file name, refId or entityIndex) for fields that passed their own. */
function referenceRules(options: { datumNameOptional: boolean }) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const reported = new Set(ctx.issues.map((i) => String(i.path?.[0] ?? '')));
    for (const p of documentReferenceProblems(value, options)) {
      if (reported.has(p.path) || !(p.path in referenceFields || p.path === 'source' || p.path === 'fileName'))
        continue;
      ctx.addIssue({ code: 'custom', path: [p.path], message: p.message, params: { error: 'invalid_value' } });
    }
  };
}

const rfiDocumentSchema = z
  .strictObject({
    ...referenceFields,
    datumName: referenceFields.datumName.optional(),
    fileName: z.string().min(1).optional(),
    source: z
      .string()
      .min(1)
      .describe(
        'A path relative to the document store (not into another onboarding’s uploads) or an https:// URL',
      ),
  })
  .superRefine(referenceRules({ datumNameOptional: true }))
  .meta({
    description:
      'For a COLLECT_DOCUMENT RFI: a document reference (`datumName` defaults to the RFI’s field).',
    ...NOT_BOTH,
  });

const ANSWER_SHAPE = 'must be an object, e.g. {"website":"https://..."}';
const BODY_SHAPE = 'the body must be { "answer": { <field>: <value> } } or { "document": { "source": ... } }';

export const rfiAnswerRequestSchema = z
  .strictObject(
    {
      answer: z
        .record(z.string(), z.unknown(), ANSWER_SHAPE)
        .refine((a) => Object.keys(a).length > 0, { message: ANSWER_SHAPE, params: { error: 'invalid_type' } })
        .meta({ description: 'The value(s) Circle asked for, keyed by the RFI’s field name.', minProperties: 1 })
        .optional(),
      document: rfiDocumentSchema.optional(),
    },
    BODY_SHAPE,
  )
  .refine((b) => (b.answer === undefined) !== (b.document === undefined), {
    message: 'give answer or document, not both',
    params: { error: 'invalid_value' },
  })
  // The JSON Schema of that refinement: exactly one of the two.
  .meta({ id: 'RfiAnswerRequest', oneOf: [{ required: ['answer'] }, { required: ['document'] }] });

export const rfiIdParams = z.object({
  rfiId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be the rfiId shown in progress')
    .describe('The rfiId shown in progress'),
});

export const rfiAnswerResultSchema = z
  .object({ rfiId: z.string(), status: z.literal('answered') })
  .meta({ id: 'RfiAnswerResult' });

export const sectionsRequestSchema = z
  .strictObject({
    sections: z
      .record(
        z.string().min(1),
        z.union([z.null(), ...sectionPayloadSchema.options], {
          error: 'must be an object, an array of objects, or null to drop the section',
        }),
        'must be an object keyed by section name',
      )
      .refine((s) => Object.keys(s).length > 0, {
        message: 'must name at least one section',
        params: { error: 'invalid_value' },
      })
      .meta({
        description: 'Section name -> its data (object, or array of entities); `null` drops a section.',
        minProperties: 1,
      }),
  })
  .meta({ id: 'SectionsRequest' });

const entries = z.array(contractObject(z.looseObject({})));

export const sectionDataResultSchema = z
  .object({ version: z.int().nonnegative(), sectionErrors: z.array(fieldErrorSchema), sections: entries })
  .meta({ id: 'SectionDataResult' });

export const documentsResultSchema = z
  .object({
    version: z.int().nonnegative(),
    documentErrors: z.array(fieldErrorSchema),
    missingDocuments: entries,
    documents: entries,
  })
  .meta({ id: 'DocumentsResult' });

/** The multipart form of an upload (read by routes/documents.ts itself, not by a validator). */
export const documentUploadSchema = z
  .object({
    file: z.string().min(1).meta({ contentMediaType: 'application/octet-stream' }),
    ...referenceFields,
    fileName: z.string().optional().describe('Default: the uploaded file’s name.'),
  })
  .meta({
    id: 'DocumentUpload',
    description: 'One file and the fields of its document reference (the same rules as an RFI answer’s document).',
    ...NOT_BOTH,
  });
