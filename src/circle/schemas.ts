// zod shapes of Circle's responses. They check what we rely on and pass the rest through, so that
// fields Circle adds later do not break parsing.
import { z } from 'zod';
import { isPlainObject } from '../shared/plain-object';
import type { ReportedAccountStatus, ReportedApplicationStatus } from './enums';

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

export const createdClientSchema = loose({
  data: loose({ clientEntityId: z.string().min(1), applicationId: z.string().min(1) }),
});

export const clientSchema = loose({
  clientEntityId: z.string().min(1),
  clientName: z.string().optional(),
  country: z.string().optional(),
  status: z.string().optional(),
  businessDetails: loose({
    natureOfBusiness: z.string().optional(),
    institutionType: z.string().optional(),
  }).optional(),
});
export const clientListSchema = loose({ data: z.array(clientSchema) });

export const sectionStatusSchema = loose({ sectionName: z.string(), status: z.string() });
export type SectionState = z.infer<typeof sectionStatusSchema>;

export const applicationSchema = loose({
  applicationId: z.string().min(1),
  clientEntityId: z.string().optional(),
  // Known statuses are typed; one Circle adds later passes, and the workflow shows it and waits.
  status: z.string().min(1) as z.ZodType<ReportedApplicationStatus>,
  sections: z.array(sectionStatusSchema).optional(),
  pendingRfis: z.array(z.string()).optional(),
});
export type Application = z.infer<typeof applicationSchema>;
/** Accepts both `{data: Application}` and a bare application (the docs show both). */
export const applicationResponseSchema = z
  .union([loose({ data: applicationSchema }), applicationSchema])
  .transform((v) => ('data' in v && isPlainObject(v.data) ? (v.data as Application) : (v as Application)));

export const applicationListSchema = loose({
  applications: z.array(applicationSchema),
  hasMore: z.boolean().optional(),
  nextCursor: z.string().nullish(),
});

export const jsonSchemaDocument = z.record(z.string(), z.unknown());
export const schemaResponseSchema = z
  .union([loose({ data: jsonSchemaDocument }), jsonSchemaDocument])
  .transform((v) => (isPlainObject(v.data) && ('properties' in v.data || '$schema' in v.data) ? v.data : v));

const sectionsArray = z.array(sectionStatusSchema);
export const sectionListSchema = z
  .union([loose({ data: sectionsArray }), loose({ sections: sectionsArray }), sectionsArray])
  .transform((v) =>
    Array.isArray(v) ? v : 'data' in v ? (v.data as SectionState[]) : (v.sections as SectionState[]),
  );

export const saveResponseSchema = loose({
  fieldsChanged: z.boolean().optional(),
  sections: sectionsArray.optional(),
  sectionsChanged: z.boolean().optional(),
});

export const dataResponseSchema = loose({ data: z.record(z.string(), z.unknown()) });

export const submitResponseSchema = loose({
  applicationId: z.string(),
  // Known statuses are typed; one Circle adds later passes, and the workflow shows it and waits.
  status: z.string().min(1) as z.ZodType<ReportedApplicationStatus>,
});

export const rfiSchema = loose({
  rfiId: z.string().min(1),
  section: z.string(),
  field: z.string(),
  type: z.string(),
  status: z.string(),
  systemComment: z.string().optional(),
});
export type Rfi = z.infer<typeof rfiSchema>;
/** One RFI (`GET .../rfis/{rfiId}`), bare or in `data`. */
export const rfiResponseSchema = z
  .union([loose({ data: rfiSchema }), rfiSchema])
  .transform((v) => ('data' in v && isPlainObject(v.data) ? (v.data as Rfi) : (v as Rfi)));
export const rfiBundleSchema = loose({ bundleId: z.string(), status: z.string(), rfis: z.array(rfiSchema) });
export type RfiBundle = z.infer<typeof rfiBundleSchema>;
const bundles = loose({ bundles: z.array(rfiBundleSchema) });
/** The how-to wraps bundles in `data`, the reference does not: accept both. */
export const rfiListSchema = z
  .union([loose({ data: bundles }), bundles])
  .transform((v) => ('data' in v ? (v.data as z.infer<typeof bundles>).bundles : (v.bundles as RfiBundle[])));

export const rfiAnswerResponseSchema = loose({
  rfiId: z.string().optional(),
  section: z.string().optional(),
});

const uploadedDocument = loose({ documentId: z.string().min(1) });
/** `POST .../documents`: `{documentId}` at the top level as documented (also accepted inside `data`). */
export const uploadedDocumentSchema = z
  .union([loose({ data: uploadedDocument }), uploadedDocument])
  .transform((v) => ('data' in v && isPlainObject(v.data) ? v.data : v) as z.infer<typeof uploadedDocument>);

export const documentListItemSchema = loose({
  datumName: z.string(),
  documentId: z.string().min(1),
  fileName: z.string(),
  uploadedAt: z.string(),
  refId: z.string().optional(),
});
const documents = loose({ documents: z.array(documentListItemSchema) });
/** `GET .../documents`: `{documents}` at the top level as documented (also accepted inside `data`). */
export const documentListSchema = z
  .union([loose({ data: documents }), documents])
  .transform((v) => ('data' in v && isPlainObject(v.data) ? v.data : v) as z.infer<typeof documents>);

/** `GET .../documents/{id}`: the raw file (requested as an arraybuffer, which axios gives as a Buffer). */
export const documentBytesSchema = z.custom<Buffer>((v) => Buffer.isBuffer(v), 'expected the file bytes');

export const accountSchema = loose({
  accountId: z.string().min(1),
  clientEntityId: z.string().nullish(),
  type: z.string(),
  purpose: z.string().optional(),
  // Known statuses are typed; one Circle adds later passes, and the workflow shows it and waits.
  status: z.string().min(1) as z.ZodType<ReportedAccountStatus>,
  description: z.string(),
});
export type Account = z.infer<typeof accountSchema>;
export const accountResponseSchema = loose({ data: accountSchema });
export const accountListSchema = loose({ data: z.array(accountSchema) });
