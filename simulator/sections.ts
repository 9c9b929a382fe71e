// Section data of one application against its schema: the compiled template (once per template key),
// derived section statuses, and validated saves (single section, bulk, RFI answer) that either apply
// completely or throw a 422 listing every rejected field.
import { randomUUID } from 'node:crypto';
import type { ValidateFunction } from 'ajv/dist/2020';
import {
  documentFieldErrors,
  missingDocuments as missingOf,
  sectionsWithDocuments,
  withDocuments,
} from './document-data';
import type { SectionStatus } from './circle-enums';
import { documentFieldsOf, type DocumentField } from './document-fields';
import { circleFail } from './errors';
import {
  buildTemplate,
  templateKey,
  visibleSections,
  type SectionKind,
  type Template,
} from './schema-template';
import type { ApplicationRecord, DocumentRecord, EntityData, FlatData, SectionData } from './state';
import { ajv, check, SOFT_ERRORS } from './validation';
import type { FieldError } from './wire';

export interface CompiledTemplate extends Template {
  validate: ValidateFunction;
  kinds: ReadonlyMap<string, SectionKind>;
  /** Fields satisfied by uploads (`x-fileUpload` / `x-documentTypes`), in flat and array sections. */
  fileFields: readonly DocumentField[];
  /** Section -> names of its file fields. */
  fileFieldNames: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface SectionStatusItem {
  sectionName: string;
  status: SectionStatus;
}

const compiled = new Map<string, CompiledTemplate>();

export function templateFor(app: ApplicationRecord): CompiledTemplate {
  const key = templateKey(app.profile, app.requestedFields);
  let t = compiled.get(key);
  if (!t) {
    const template = buildTemplate(app.profile, app.requestedFields);
    const fileFields = documentFieldsOf(template.schema);
    const fileFieldNames = new Map<string, Set<string>>();
    for (const f of fileFields) {
      fileFieldNames.set(f.section, (fileFieldNames.get(f.section) ?? new Set()).add(f.datumName));
    }
    t = {
      ...template,
      validate: ajv.compile(template.schema),
      kinds: new Map(template.sections.map((s) => [s.name, s.kind])),
      fileFields,
      fileFieldNames,
    };
    compiled.set(key, t);
  }
  return t;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function hasContent(value: SectionData | undefined): boolean {
  if (value === undefined) return false;
  return Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0;
}

/**
 * The document the schema sees: saved data, prefilled fields underneath, uploads laid in as their file
 * fields' values (documentIds), started sections only.
 */
function documentOf(
  t: Template,
  data: Readonly<Record<string, SectionData>>,
  documents: Iterable<DocumentRecord> = [],
): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const { name } of t.sections) {
    const value = data[name];
    const prefilled = t.prefilled[name];
    if (prefilled) doc[name] = { ...prefilled, ...(value as FlatData | undefined) };
    else if (hasContent(value)) doc[name] = value;
  }
  return withDocuments(doc, documents);
}

/** Visible sections and the schema errors of the visible part of the document. */
function evaluate(
  t: CompiledTemplate,
  data: Readonly<Record<string, SectionData>>,
  documents: Iterable<DocumentRecord>,
) {
  const full = documentOf(t, data, documents);
  const visible = visibleSections(t, full);
  const doc = Object.fromEntries(visible.flatMap((s) => (Object.hasOwn(full, s) ? [[s, full[s]]] : [])));
  return { visible, errors: check(t.validate, doc) };
}

const sectionOf = (path: string): string => path.split('.', 1)[0] ?? '';

export function sectionStatuses(app: ApplicationRecord): SectionStatusItem[] {
  const t = templateFor(app);
  const { visible, errors } = evaluate(t, app.data, app.documents.values());
  const failing = new Set(errors.map((e) => sectionOf(e.path)));
  const asked = new Set([...app.rfis.values()].filter((r) => r.status === 'PENDING').map((r) => r.section));
  const withUploads = sectionsWithDocuments(app.documents.values());
  return visible.map((sectionName) => {
    let status: SectionStatus = 'complete';
    if (asked.has(sectionName)) status = 'action_required';
    else if (!hasContent(app.data[sectionName]) && !withUploads.has(sectionName)) status = 'not_started';
    else if (failing.has(sectionName)) status = 'incomplete';
    return { sectionName, status };
  });
}

/** The sections that currently apply to the application. */
export function visibleSectionNames(app: ApplicationRecord): string[] {
  const t = templateFor(app);
  return visibleSections(t, documentOf(t, app.data));
}

export function isVisible(app: ApplicationRecord, section: string): boolean {
  return visibleSectionNames(app).includes(section);
}

/** Required uploads of the visible sections still missing (see document-data.ts for the notation). */
export function missingDocuments(app: ApplicationRecord): string[] {
  const t = templateFor(app);
  return missingOf(t.fileFields, visibleSectionNames(app), app.data, [...app.documents.values()]);
}

/** A section's data as served: prefilled fields included, arrays as stored (with refIds). */
export function sectionData(app: ApplicationRecord, section: string): SectionData {
  const t = templateFor(app);
  const value = app.data[section];
  const prefilled = t.prefilled[section];
  if (prefilled) return { ...prefilled, ...(value as FlatData | undefined) };
  return value ?? (t.kinds.get(section) === 'MULTIPLE' ? [] : {});
}

export interface SaveResult {
  /** Saved payload per section, as served afterwards. */
  saved: Record<string, SectionData>;
  fieldsChanged: boolean;
  sectionsChanged: boolean;
}

/**
 * Validates every change against the whole application and applies all of them or none.
 * Flat sections are replaced by their payload; array sections are upserted by `refId`.
 * Missing required fields are accepted (the section stays `incomplete`); any other violation is a 422.
 */
export function saveSections(app: ApplicationRecord, changes: Record<string, unknown>): SaveResult {
  const t = templateFor(app);
  const next: Record<string, SectionData> = { ...app.data };
  const problems: FieldError[] = [];
  // For array sections: index in the merged array -> index in the request payload.
  const payloadIndex = new Map<string, (number | undefined)[]>();

  for (const [name, payload] of Object.entries(changes)) {
    const kind = t.kinds.get(name);
    problems.push(...documentFieldErrors(name, payload, t.fileFieldNames.get(name)));
    if (!kind) {
      problems.push({
        path: name,
        error: 'unknown_section',
        message: `${name} is not a section of this application`,
      });
    } else if (kind === 'SINGLE') {
      if (isPlainObject(payload)) next[name] = payload;
      else problems.push({ path: name, error: 'invalid_type', message: `${name} must be an object` });
    } else if (!Array.isArray(payload)) {
      problems.push({ path: name, error: 'invalid_type', message: `${name} must be an array` });
    } else {
      const merged = ((app.data[name] as EntityData[] | undefined) ?? []).map((e) => ({ ...e }));
      const indexes: (number | undefined)[] = merged.map(() => undefined);
      payload.forEach((item: unknown, i) => {
        if (!isPlainObject(item)) {
          problems.push({
            path: `${name}.${i}`,
            error: 'invalid_type',
            message: `${name}.${i} must be an object`,
          });
          return;
        }
        if (item.refId === undefined) {
          merged.push({ ...item, refId: randomUUID() });
          indexes.push(i);
          return;
        }
        const at = merged.findIndex((e) => e.refId === item.refId);
        if (at < 0) {
          const path = `${name}.${i}.refId`;
          problems.push({
            path,
            error: 'invalid_value',
            message: `${path} does not match an existing entity`,
          });
          return;
        }
        merged[at] = { ...item, refId: merged[at]!.refId };
        indexes[at] = i;
      });
      next[name] = merged;
      payloadIndex.set(name, indexes);
    }
  }
  if (problems.length) throw unprocessable(problems);

  const before = evaluate(t, app.data, app.documents.values());
  const after = evaluate(t, next, app.documents.values());
  for (const name of Object.keys(changes)) {
    if (!after.visible.includes(name)) {
      problems.push({
        path: name,
        error: 'section_not_active',
        message: `${name} does not apply to this application with the data saved`,
      });
    }
  }
  for (const e of after.errors) {
    const name = sectionOf(e.path);
    if (SOFT_ERRORS.has(e.error) || !Object.hasOwn(changes, name)) continue;
    problems.push({ ...e, path: toPayloadPath(e.path, payloadIndex.get(name)) });
  }
  if (problems.length) throw unprocessable(problems);

  let fieldsChanged = false;
  const saved: Record<string, SectionData> = {};
  for (const name of Object.keys(changes)) {
    const value = stripPrefilled(t, name, next[name]!);
    if (JSON.stringify(value) !== JSON.stringify(app.data[name] ?? (Array.isArray(value) ? [] : {}))) {
      fieldsChanged = true;
    }
    app.data[name] = value;
  }
  for (const name of Object.keys(changes)) saved[name] = sectionData(app, name);
  return {
    saved,
    fieldsChanged,
    sectionsChanged: before.visible.join() !== after.visible.join(),
  };
}

/** Removes one entity of an array section, with its documents; throws 404 when the refId is unknown. */
export function removeEntity(app: ApplicationRecord, section: string, refId: string): void {
  const items = app.data[section];
  const at = Array.isArray(items) ? items.findIndex((e) => e.refId === refId) : -1;
  if (!Array.isArray(items) || at < 0) throw circleFail(404, `No entity ${refId} in section ${section}`);
  app.data[section] = items.filter((_, i) => i !== at);
  for (const [id, d] of app.documents)
    if (d.section === section && d.refId === refId) app.documents.delete(id);
}

function stripPrefilled(t: Template, name: string, value: SectionData): SectionData {
  const prefilled = t.prefilled[name];
  if (!prefilled || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !Object.hasOwn(prefilled, k)));
}

// Error paths of array sections name the entity by its index in the request payload.
function toPayloadPath(path: string, indexes: (number | undefined)[] | undefined): string {
  if (!indexes) return path;
  const [section, index, ...rest] = path.split('.');
  const mapped = index === undefined ? undefined : indexes[Number(index)];
  return mapped === undefined ? path : [section, mapped, ...rest].join('.');
}

export function unprocessable(errors: FieldError[]) {
  return circleFail(422, `Validation failed: ${errors.map((e) => e.path).join(', ')}`, errors);
}
