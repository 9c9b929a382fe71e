// The file fields of an application schema: properties that carry `x-fileUpload` (or `x-documentTypes`),
// in flat sections or in the entities of array sections. Their value is a document uploaded with
// `POST .../documents`, never section data, so checks of section data leave them out.
import { fileRulesOf, type DocumentFieldRules } from '../documents/rules';
import { isPlainObject } from '../shared/plain-object';

export interface DocumentField extends DocumentFieldRules {
  section: string;
  /** The datum name uploads give (the property's name). */
  datumName: string;
  /** In an array section: one document per entity, uploaded with the entity's `refId`. */
  perEntity: boolean;
  required: boolean;
  /** The schema's title or description of the field, for people. */
  title?: string;
}

type Schema = Record<string, unknown>;

export const isFileField = (property: unknown): boolean =>
  isPlainObject(property) && ('x-fileUpload' in property || 'x-documentTypes' in property);

/** Where a section keeps its fields: the section itself, or the entity schema of an array section. */
function fieldsHolder(section: Schema): { holder: Schema; perEntity: boolean } | undefined {
  if (section.type === 'array' && isPlainObject(section.items)) {
    return { holder: section.items, perEntity: true };
  }
  return isPlainObject(section.properties) ? { holder: section, perEntity: false } : undefined;
}

export function documentFieldsOf(schema: Readonly<Schema>): DocumentField[] {
  const sections = isPlainObject(schema.properties) ? schema.properties : {};
  const fields: DocumentField[] = [];
  for (const [section, sectionSchema] of Object.entries(sections)) {
    const found = isPlainObject(sectionSchema) ? fieldsHolder(sectionSchema) : undefined;
    if (!found || !isPlainObject(found.holder.properties)) continue;
    const required = Array.isArray(found.holder.required) ? found.holder.required : [];
    for (const [datumName, property] of Object.entries(found.holder.properties)) {
      if (!isFileField(property)) continue;
      const p = property as Schema;
      const types = p['x-documentTypes'];
      const title = p.title ?? p.description;
      fields.push({
        section,
        datumName,
        perEntity: found.perEntity,
        required: required.includes(datumName),
        ...fileRulesOf(p),
        ...(Array.isArray(types) ? { documentTypes: types.map(String) } : {}),
        ...(typeof title === 'string' ? { title } : {}),
      });
    }
  }
  return fields;
}

/**
 * The schema without its file fields, for checking section data: a document is not data, and a
 * missing one is reported as a missing document, not as a missing field.
 */
export function withoutFileFields(schema: Readonly<Schema>): Schema {
  const copy = structuredClone(schema) as Schema;
  const sections = isPlainObject(copy.properties) ? copy.properties : {};
  for (const sectionSchema of Object.values(sections)) {
    const found = isPlainObject(sectionSchema) ? fieldsHolder(sectionSchema) : undefined;
    if (!found || !isPlainObject(found.holder.properties)) continue;
    const props = found.holder.properties;
    const files = Object.keys(props).filter((name) => isFileField(props[name]));
    if (!files.length) continue;
    for (const name of files) delete props[name];
    if (Array.isArray(found.holder.required)) {
      found.holder.required = found.holder.required.filter((n) => !files.includes(n as string));
    }
  }
  return copy;
}
