// Circle's document file rules as pure functions: which MIME types a field accepts, its size limit, the
// file-name rule, and the problems of one document against one field. The workflow checks what the
// worker inspected against them before any upload. No I/O, no zod: workflow code imports this.
import type { FileKind } from './file-type';
import { isPlainObject } from '../shared/plain-object';

/** `x-fileUpload` on a file field of the application schema. */
export interface FileRules {
  acceptedTypes: string[];
  maxSizeMb: number;
}

/** What applies when a file field has no `x-fileUpload`. */
export const DEFAULT_FILE_RULES: Readonly<FileRules> = Object.freeze({
  acceptedTypes: ['application/pdf', 'image/jpeg', 'image/png'],
  maxSizeMb: 10,
});

/** Document types that make a field an identity document: uploads must then say `issuedCountry`. */
export const IDENTITY_DOCUMENT_TYPES: readonly string[] = ['passport', 'usdl', 'usid', 'idNotarization'];

const OOXML_PREFIX = 'application/vnd.openxmlformats-officedocument.';
const OLE2_TYPES = ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'];

/** The family a MIME type names, or undefined for a type no upload can match. */
export function kindOfMimeType(mime: string): FileKind | undefined {
  const m = mime.toLowerCase();
  if (m === 'application/pdf') return 'pdf';
  if (m === 'image/jpeg') return 'jpeg';
  if (m === 'image/png') return 'png';
  if (m.startsWith(OOXML_PREFIX)) return 'ooxml';
  if (OLE2_TYPES.includes(m)) return 'ole2';
  return undefined;
}

export function acceptsKind(rules: FileRules, kind: FileKind | undefined): boolean {
  return kind !== undefined && rules.acceptedTypes.some((t) => kindOfMimeType(t) === kind);
}

export const maxBytesOf = (rules: FileRules): number => Math.round(rules.maxSizeMb * 1024 * 1024);

/** The rules of a schema property: its `x-fileUpload`, with the defaults for what it leaves out. */
export function fileRulesOf(property: Readonly<Record<string, unknown>>): FileRules {
  const x = property['x-fileUpload'];
  const rules: Partial<Record<keyof FileRules, unknown>> = isPlainObject(x) ? x : {};
  const types = rules.acceptedTypes;
  const max = rules.maxSizeMb;
  return {
    acceptedTypes:
      Array.isArray(types) && types.every((t) => typeof t === 'string')
        ? [...types]
        : [...DEFAULT_FILE_RULES.acceptedTypes],
    maxSizeMb: typeof max === 'number' && max > 0 ? max : DEFAULT_FILE_RULES.maxSizeMb,
  };
}

export const MAX_FILE_NAME_LENGTH = 255;
// Letters (with their combining marks: decomposed accents, Indic vowel signs) and digits of any script,
// space and the punctuation file names commonly carry.
const FILE_NAME = /^[\p{L}\p{M}\p{N} ._()+,&-]+$/u;

/** Circle strips `/` and `\` and trims; what is left must pass the character check. */
export function sanitizeFileName(name: string): string {
  return name.replace(/[/\\]/g, '').trim();
}

/** Why a (sanitized) file name is refused, or undefined. */
export function fileNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (name.length > MAX_FILE_NAME_LENGTH) return `must be at most ${MAX_FILE_NAME_LENGTH} characters`;
  if (!FILE_NAME.test(name)) {
    return 'may hold letters, digits, spaces and . _ ( ) + , & - only (no quotes or other punctuation)';
  }
  return undefined;
}

/** One problem in Circle's document error shape (`field` + `code`), with a message for people. */
export interface DocumentProblem {
  field: string;
  code: string;
  message: string;
}

/** What is known of a document before it is sent: inspected bytes and the parts of the upload. */
export interface DocumentFacts {
  kind: FileKind | undefined;
  size: number;
  fileName: string;
  documentType?: string;
  issuedCountry?: string;
}

/** A file field as the schema describes it. */
export interface DocumentFieldRules extends FileRules {
  /** `x-documentTypes`: when present, the upload must name one of them. */
  documentTypes?: string[];
}

export const isIdentityField = (field: DocumentFieldRules): boolean =>
  (field.documentTypes ?? []).some((t) => IDENTITY_DOCUMENT_TYPES.includes(t));

/** Every problem of one document against its field, in a stable order (empty when it may be sent). */
export function documentProblems(field: DocumentFieldRules, doc: DocumentFacts): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const accepted = field.acceptedTypes.join(', ');
  if (!acceptsKind(field, doc.kind)) {
    problems.push({
      field: 'fileContent',
      code: 'unrecognized_type',
      message: doc.kind
        ? `the file is ${doc.kind.toUpperCase()}; this field accepts ${accepted}`
        : `the file is none of the accepted types (${accepted}), judged by its content, not its name`,
    });
  }
  if (doc.size === 0) {
    problems.push({ field: 'fileContent', code: 'empty_file', message: 'the file is empty' });
  } else if (doc.size > maxBytesOf(field)) {
    problems.push({
      field: 'fileContent',
      code: 'too_large',
      message: `the file is ${doc.size} bytes; this field takes at most ${field.maxSizeMb} MB`,
    });
  }
  const nameProblem = fileNameProblem(sanitizeFileName(doc.fileName));
  if (nameProblem) {
    problems.push({ field: 'fileName', code: 'invalid_file_name', message: `fileName ${nameProblem}` });
  }
  if (field.documentTypes?.length) {
    if (doc.documentType === undefined) {
      problems.push({
        field: 'documentType',
        code: 'required',
        message: `documentType is required for this field: one of ${field.documentTypes.join(', ')}`,
      });
    } else if (!field.documentTypes.includes(doc.documentType)) {
      problems.push({
        field: 'documentType',
        code: 'invalid_value',
        message: `documentType must be one of ${field.documentTypes.join(', ')}`,
      });
    }
  }
  if (isIdentityField(field)) {
    if (doc.issuedCountry === undefined) {
      problems.push({
        field: 'issuedCountry',
        code: 'required',
        message: 'issuedCountry (ISO 3166-1 alpha-2) is required for identity documents',
      });
    } else if (!/^[A-Z]{2}$/.test(doc.issuedCountry)) {
      problems.push({
        field: 'issuedCountry',
        code: 'invalid_value',
        message: 'issuedCountry must be an ISO 3166-1 alpha-2 code in upper case, e.g. "US"',
      });
    }
  }
  return problems;
}
