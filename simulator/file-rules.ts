// Circle's document file rules (reference §10.1, §10.3), as the simulator applies them to an upload:
// what a file field accepts (`x-fileUpload`, with defaults), the file-name rule, and every problem of
// one upload against its field, each as Circle's `{field, code}` plus a message for people.
import { kindOfMimeType, type FileKind } from './file-kind';

/** `x-fileUpload` of a file field. */
export interface FileRules {
  acceptedTypes: string[];
  maxSizeMb: number;
}

/** What applies when a file field carries no `x-fileUpload` (reference §10.3). */
export const DEFAULT_FILE_RULES: Readonly<FileRules> = Object.freeze({
  acceptedTypes: Object.freeze(['application/pdf', 'image/jpeg', 'image/png']) as string[],
  maxSizeMb: 10,
});

/** A file field: its file rules, and `x-documentTypes` when it lists them. */
export interface FileFieldRules extends FileRules {
  documentTypes?: string[];
}

/** Document types of identity documents (reference §10.1): their uploads must give `issuedCountry`. */
export const IDENTITY_DOCUMENT_TYPES: readonly string[] = ['passport', 'usdl', 'usid', 'idNotarization'];

export const isIdentityField = (field: FileFieldRules): boolean =>
  field.documentTypes?.some((t) => IDENTITY_DOCUMENT_TYPES.includes(t)) ?? false;

/** The field's limit in bytes (a megabyte taken as 1024 * 1024 bytes). */
export const maxBytesOf = (rules: FileRules): number => Math.round(rules.maxSizeMb * 1024 * 1024);

/** A schema property's file rules: its `x-fileUpload`, the defaults for whatever it leaves out. */
export function fileRulesOf(property: Readonly<Record<string, unknown>>): FileRules {
  const upload = property['x-fileUpload'];
  const given = (typeof upload === 'object' && upload !== null ? upload : {}) as Record<string, unknown>;
  const types = given.acceptedTypes;
  const size = given.maxSizeMb;
  const typesValid = Array.isArray(types) && types.every((t): t is string => typeof t === 'string');
  return {
    acceptedTypes: typesValid ? [...types] : [...DEFAULT_FILE_RULES.acceptedTypes],
    maxSizeMb: typeof size === 'number' && size > 0 ? size : DEFAULT_FILE_RULES.maxSizeMb,
  };
}

/** Whether a file of this kind may be uploaded to the field: office formats only where it lists them. */
export const acceptsKind = (rules: FileRules, kind: FileKind | undefined): boolean =>
  kind !== undefined && rules.acceptedTypes.some((t) => kindOfMimeType(t) === kind);

/** Circle strips `/` and `\` from a file name and trims it (reference §10.3). */
export const sanitizeFileName = (name: string): string => name.replace(/[/\\]/g, '').trim();

export const MAX_FILE_NAME_LENGTH = 255;
/** Letters and digits of any script (with combining marks), spaces, and `. _ ( ) + , & -`. */
const FILE_NAME_CHARACTERS = /^[\p{L}\p{M}\p{N} ._()+,&-]+$/u;

/** Why a sanitized file name fails the character check, or undefined when it passes. */
export function fileNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (name.length > MAX_FILE_NAME_LENGTH) return `must be at most ${MAX_FILE_NAME_LENGTH} characters`;
  if (FILE_NAME_CHARACTERS.test(name)) return undefined;
  return 'may hold letters, digits, spaces and . _ ( ) + , & - only (no quotes or other punctuation)';
}

/** One problem of an upload: the part at fault, Circle's code, and a message for people. */
export interface DocumentProblem {
  field: string;
  code: string;
  message: string;
}

/** What an upload says about its file, once received. */
export interface UploadFacts {
  kind: FileKind | undefined;
  size: number;
  fileName: string;
  documentType?: string;
  issuedCountry?: string;
}

function contentProblems(field: FileFieldRules, facts: UploadFacts): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  if (!acceptsKind(field, facts.kind)) {
    const accepted = field.acceptedTypes.join(', ');
    problems.push({
      field: 'fileContent',
      code: 'unrecognized_type',
      message: facts.kind
        ? `the file is ${facts.kind.toUpperCase()}; this field accepts ${accepted}`
        : `the file is none of the accepted types (${accepted}), judged by its content, not its name`,
    });
  }
  if (facts.size === 0) {
    problems.push({ field: 'fileContent', code: 'empty_file', message: 'the file is empty' });
  } else if (facts.size > maxBytesOf(field)) {
    problems.push({
      field: 'fileContent',
      code: 'too_large',
      message: `the file is ${facts.size} bytes; this field takes at most ${field.maxSizeMb} MB`,
    });
  }
  return problems;
}

function documentTypeProblem(field: FileFieldRules, documentType: string | undefined) {
  const types = field.documentTypes ?? [];
  if (types.length === 0) return undefined; // ignored where the field lists no types
  const oneOf = types.join(', ');
  if (documentType === undefined) {
    return { code: 'required', message: `documentType is required for this field: one of ${oneOf}` };
  }
  return types.includes(documentType)
    ? undefined
    : { code: 'invalid_value', message: `documentType must be one of ${oneOf}` };
}

function issuedCountryProblem(field: FileFieldRules, issuedCountry: string | undefined) {
  if (!isIdentityField(field)) return undefined;
  if (issuedCountry === undefined) {
    return {
      code: 'required',
      message: 'issuedCountry (ISO 3166-1 alpha-2) is required for identity documents',
    };
  }
  return /^[A-Z]{2}$/.test(issuedCountry)
    ? undefined
    : {
        code: 'invalid_value',
        message: 'issuedCountry must be an ISO 3166-1 alpha-2 code in upper case, e.g. "US"',
      };
}

/** Every problem of an upload against its field, in a stable order; empty when it may be stored. */
export function documentProblems(field: FileFieldRules, facts: UploadFacts): DocumentProblem[] {
  const problems = contentProblems(field, facts);
  const nameProblem = fileNameProblem(sanitizeFileName(facts.fileName));
  if (nameProblem) {
    problems.push({ field: 'fileName', code: 'invalid_file_name', message: `fileName ${nameProblem}` });
  }
  const documentType = documentTypeProblem(field, facts.documentType);
  if (documentType) problems.push({ field: 'documentType', ...documentType });
  const issuedCountry = issuedCountryProblem(field, facts.issuedCountry);
  if (issuedCountry) problems.push({ field: 'issuedCountry', ...issuedCountry });
  return problems;
}
