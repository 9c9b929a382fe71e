// How callers give documents: by reference, never by content. A reference names the schema field the
// document satisfies and where the worker can read it; the bytes stay there (claim check). Zod-free:
// the input schema, the update validators and the workflow share these rules.
import { fileNameProblem, sanitizeFileName } from '../documents/rules';
import { sourceShapeProblem } from '../documents/source';
import { isPlainObject } from '../shared/plain-object';

export interface DocumentReference {
  /** The application schema's file field, e.g. `formationDocument`. */
  datumName: string;
  /** For a field of an array section: the entity's refId (see the progress query's `entities`)... */
  refId?: string;
  /** ...or its position in the section's list as given, before Circle has assigned refIds. */
  entityIndex?: number;
  /** One of the field's `x-documentTypes` (e.g. `passport`), when it lists them. */
  documentType?: string;
  /** ISO 3166-1 alpha-2 country that issued an identity document. */
  issuedCountry?: string;
  /** The name Circle shows; by default the last segment of `source`. */
  fileName?: string;
  /** A path relative to the worker's DOCUMENT_STORE_DIR, or an `https://` URL. */
  source: string;
}

/** Documents in one input or one `provideDocuments` update. */
export const MAX_DOCUMENTS = 50;

export const REFERENCE_KEYS = [
  'datumName',
  'refId',
  'entityIndex',
  'documentType',
  'issuedCountry',
  'fileName',
  'source',
] as const;

/**
 * The shape of each string field of a reference and what a caller is told when it is wrong. The
 * service's zod schemas state the same patterns (so its OpenAPI document shows them).
 */
export const REFERENCE_FIELD_RULES = {
  datumName: {
    pattern: /^[A-Za-z][A-Za-z0-9_]{0,99}$/,
    message: 'must be a schema field name, e.g. "formationDocument"',
  },
  refId: {
    pattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    message: 'must be the refId (a UUID) of an entity of the field’s array section',
  },
  documentType: {
    pattern: /^[A-Za-z]{1,64}$/,
    message: 'must be one of the field’s document types, e.g. "passport"',
  },
  issuedCountry: {
    pattern: /^[A-Z]{2}$/,
    message: 'must be an ISO 3166-1 alpha-2 code in upper case, e.g. "US"',
  },
} as const;

/** An entity's position in its section: 0 to this. */
export const MAX_ENTITY_INDEX = 99;
export const ENTITY_INDEX_MESSAGE = `must be an integer from 0 to ${MAX_ENTITY_INDEX}: the entity’s position in its section`;

const KEYS: readonly string[] = REFERENCE_KEYS;
const RULES = REFERENCE_FIELD_RULES;

/** The file name a reference uploads under: its own, or the last segment of its source. */
export function fileNameOf(ref: Pick<DocumentReference, 'fileName' | 'source'>): string {
  const fromSource = ref.source.split(/[?#]/, 1)[0]!.split('/').pop() ?? '';
  return sanitizeFileName(ref.fileName ?? decodeSegment(fromSource));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface ReferenceProblem {
  /** Dot path inside the reference, e.g. `source`. */
  path: string;
  message: string;
}

/**
 * Every problem of one reference. `datumName` may be left out where the context names the field (a
 * document answering a COLLECT_DOCUMENT RFI).
 */
export function documentReferenceProblems(
  value: unknown,
  { datumNameOptional = false } = {},
): ReferenceProblem[] {
  if (!isPlainObject(value)) return [{ path: '', message: 'must be an object: { datumName, source, ... }' }];
  const problems: ReferenceProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  for (const key of Object.keys(value)) {
    if (!KEYS.includes(key)) add(key, `is not a document reference field (known: ${KEYS.join(', ')})`);
  }
  const { datumName, refId, entityIndex, documentType, issuedCountry, fileName, source } = value;
  if (datumName === undefined) {
    if (!datumNameOptional) add('datumName', 'is required: the schema field the document satisfies');
  } else if (typeof datumName !== 'string' || !RULES.datumName.pattern.test(datumName)) {
    add('datumName', RULES.datumName.message);
  }
  if (refId !== undefined && (typeof refId !== 'string' || !RULES.refId.pattern.test(refId))) {
    add('refId', RULES.refId.message);
  }
  if (
    entityIndex !== undefined &&
    (!Number.isInteger(entityIndex) ||
      (entityIndex as number) < 0 ||
      (entityIndex as number) > MAX_ENTITY_INDEX)
  ) {
    add('entityIndex', ENTITY_INDEX_MESSAGE);
  }
  if (refId !== undefined && entityIndex !== undefined)
    add('entityIndex', 'give refId or entityIndex, not both');
  if (
    documentType !== undefined &&
    (typeof documentType !== 'string' || !RULES.documentType.pattern.test(documentType))
  ) {
    add('documentType', RULES.documentType.message);
  }
  if (
    issuedCountry !== undefined &&
    (typeof issuedCountry !== 'string' || !RULES.issuedCountry.pattern.test(issuedCountry))
  ) {
    add('issuedCountry', RULES.issuedCountry.message);
  }
  if (typeof source !== 'string')
    add('source', 'is required: a path under DOCUMENT_STORE_DIR or an https:// URL');
  else {
    const problem = sourceShapeProblem(source);
    if (problem) add('source', problem);
  }
  if (fileName !== undefined && typeof fileName !== 'string') add('fileName', 'must be a string');
  else if (typeof source === 'string' && !problems.some((p) => p.path === 'source')) {
    const problem = fileNameProblem(fileNameOf({ fileName: fileName as string | undefined, source }));
    if (problem)
      add('fileName', `${problem}${fileName === undefined ? ' (taken from source; give fileName)' : ''}`);
  }
  return problems;
}

/** The slot a reference fills: one document per field, per entity for array sections. */
export function slotOf(ref: Pick<DocumentReference, 'datumName' | 'refId' | 'entityIndex'>): string {
  if (ref.refId !== undefined) return `${ref.datumName}/${ref.refId}`;
  if (ref.entityIndex !== undefined) return `${ref.datumName}#${ref.entityIndex}`;
  return ref.datumName;
}

/** Problems of a list of references (each one's, and two filling the same slot), with list paths. */
export function documentListProblems(value: unknown): ReferenceProblem[] {
  if (!Array.isArray(value)) return [{ path: '', message: 'must be an array of document references' }];
  if (value.length > MAX_DOCUMENTS)
    return [{ path: '', message: `must hold at most ${MAX_DOCUMENTS} documents` }];
  const problems: ReferenceProblem[] = [];
  const seen = new Map<string, number>();
  value.forEach((ref, i) => {
    const own = documentReferenceProblems(ref);
    problems.push(...own.map((p) => ({ path: p.path ? `${i}.${p.path}` : `${i}`, message: p.message })));
    if (own.length) return;
    const slot = slotOf(ref as DocumentReference);
    const first = seen.get(slot);
    if (first !== undefined)
      problems.push({ path: `${i}`, message: `fills the same field as documents.${first} (${slot})` });
    else seen.set(slot, i);
  });
  return problems;
}

/**
 * A source as callers may see it: a URL without its credentials, query string or fragment (a signed
 * URL's secret is its query), a path as it is. Progress, update replies, the CLI and the service show
 * only this; the worker keeps the whole source to read it.
 */
export function shownSource(source: string): string {
  const url = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/?#@]*@)?([^?#]*)/i.exec(source);
  return url ? `${url[1]}${url[2]}` : source;
}
