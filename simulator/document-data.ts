// Where uploaded documents meet section data. In the document the schema sees, a file field's value is
// the documentId of an upload, so a required file field without one leaves its section `incomplete`
// through the usual soft `required` error. Section data itself never carries a file field.
import type { DocumentField } from './document-fields';
import type { FieldError } from './wire';
import type { DocumentRecord, SectionData } from './state';

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `doc` with every upload laid in as its field's value: on the flat section, or on the entity its refId
 * names. Copies what it changes (the sections of `doc` may be the stored data itself).
 */
export function withDocuments(doc: Readonly<Doc>, documents: Iterable<DocumentRecord>): Doc {
  const out: Doc = { ...doc };
  for (const d of documents) {
    const current = out[d.section];
    if (d.refId === undefined) {
      out[d.section] = { ...(isObject(current) ? current : {}), [d.datumName]: d.documentId };
    } else if (Array.isArray(current)) {
      out[d.section] = current.map((e: unknown) =>
        isObject(e) && e.refId === d.refId ? { ...e, [d.datumName]: d.documentId } : e,
      );
    }
  }
  return out;
}

/** The sections holding at least one upload (they count as started). */
export function sectionsWithDocuments(documents: Iterable<DocumentRecord>): Set<string> {
  return new Set([...documents].map((d) => d.section));
}

/** One 422 item per file field found in a save payload: documents are uploaded, never saved as data. */
export function documentFieldErrors(
  section: string,
  payload: unknown,
  fileFields: ReadonlySet<string> | undefined,
): FieldError[] {
  if (!fileFields?.size) return [];
  const items: [string, unknown][] = Array.isArray(payload)
    ? payload.map((item, i) => [`${section}.${i}`, item])
    : [[section, payload]];
  return items.flatMap(([prefix, item]) =>
    isObject(item)
      ? Object.keys(item)
          .filter((k) => fileFields.has(k))
          .map((k) => ({
            path: `${prefix}.${k}`,
            error: 'document_field',
            message: `${prefix}.${k} is a document: upload the file with POST .../documents (datumName ${k})`,
          }))
      : [],
  );
}

/**
 * Required documents of the visible sections not uploaded yet: `section.datumName`, or
 * `section.<refId>.datumName` for each entity of an array section.
 */
export function missingDocuments(
  fields: readonly DocumentField[],
  visible: readonly string[],
  data: Readonly<Record<string, SectionData>>,
  documents: readonly DocumentRecord[],
): string[] {
  const has = (f: DocumentField, refId?: string) =>
    documents.some((d) => d.section === f.section && d.datumName === f.datumName && d.refId === refId);
  const missing: string[] = [];
  for (const f of fields) {
    if (!f.required || !visible.includes(f.section)) continue;
    if (!f.perEntity) {
      if (!has(f)) missing.push(`${f.section}.${f.datumName}`);
      continue;
    }
    const entities = data[f.section];
    for (const e of Array.isArray(entities) ? entities : []) {
      if (!has(f, e.refId)) missing.push(`${f.section}.${e.refId}.${f.datumName}`);
    }
  }
  return missing;
}
