// The file fields of an application schema: properties carrying `x-fileUpload` or `x-documentTypes`
// (reference §7.2, §10.3), in flat sections or in the entity schema of array sections. Their value is an
// uploaded document, never section data.
import { fileRulesOf, type FileFieldRules } from './file-rules';

export interface DocumentField extends FileFieldRules {
  section: string;
  /** The property's name: the `datumName` of its uploads. */
  datumName: string;
  /** In an array section: one document per entity, uploaded with the entity's `refId`. */
  perEntity: boolean;
  required: boolean;
  /** The property's title (or description), for people. */
  title?: string;
}

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isFileField = (property: unknown): boolean =>
  isSchema(property) && ('x-fileUpload' in property || 'x-documentTypes' in property);

/** The schema holding a section's fields: the section, or the `items` of an array section. */
function fieldsOf(section: unknown): { holder: Schema; perEntity: boolean } | undefined {
  if (!isSchema(section)) return undefined;
  const perEntity = section.type === 'array';
  const holder = perEntity ? section.items : section;
  return isSchema(holder) && isSchema(holder.properties) ? { holder, perEntity } : undefined;
}

function fieldOf(
  section: string,
  datumName: string,
  property: Schema,
  perEntity: boolean,
  required: boolean,
) {
  const types = property['x-documentTypes'];
  const title = property.title ?? property.description;
  const field: DocumentField = { section, datumName, perEntity, required, ...fileRulesOf(property) };
  if (Array.isArray(types)) field.documentTypes = types.map(String);
  if (typeof title === 'string') field.title = title;
  return field;
}

/** Every file field of the schema's sections, in schema order. */
export function documentFieldsOf(schema: Readonly<Schema>): DocumentField[] {
  const sections = isSchema(schema.properties) ? schema.properties : {};
  return Object.entries(sections).flatMap(([section, sectionSchema]) => {
    const found = fieldsOf(sectionSchema);
    if (!found) return [];
    const properties = found.holder.properties as Schema;
    const required = Array.isArray(found.holder.required) ? found.holder.required : [];
    return Object.entries(properties)
      .filter(([, property]) => isFileField(property))
      .map(([name, property]) =>
        fieldOf(section, name, property as Schema, found.perEntity, required.includes(name)),
      );
  });
}
