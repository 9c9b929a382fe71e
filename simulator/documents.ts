// Document uploads against the application's file fields: which field an upload is for, every problem
// with it (Circle's document file rules from file-rules.ts plus the parts this route needs), and what a
// stored upload changes (the document itself, and the COLLECT_DOCUMENT RFI it answers).
import { randomUUID } from 'node:crypto';
import type { DocumentField } from './document-fields';
import { documentRejected } from './errors';
import { detectFileKind, kindOfMimeType } from './file-kind';
import { documentProblems, isIdentityField, sanitizeFileName, type DocumentProblem } from './file-rules';
import type { ReceivedPart } from './multipart';
import { templateFor, visibleSectionNames } from './sections';
import { now, type ApplicationRecord, type DocumentRecord } from './state';

const TEXT_PARTS = ['fileName', 'datumName', 'refId', 'issuedCountry', 'documentType'] as const;
type TextPart = (typeof TEXT_PARTS)[number];
const REQUIRED_PARTS: readonly string[] = ['fileContent', 'fileName', 'datumName'];

interface Upload {
  file?: Extract<ReceivedPart, { type: 'file' }>;
  text: Partial<Record<TextPart, string>>;
  problems: DocumentProblem[];
}

/** The parts by name, and the problems of their shape: unknown, repeated, of the wrong kind, cut off. */
function sortParts(parts: readonly ReceivedPart[]): Upload {
  const upload: Upload = { text: {}, problems: [] };
  const seen = new Set<string>();
  const problem = (field: string, code: string, message: string) =>
    upload.problems.push({ field, code, message });
  for (const p of parts) {
    const textPart = (TEXT_PARTS as readonly string[]).includes(p.name);
    if (p.name !== 'fileContent' && !textPart) {
      problem(p.name, 'unknown_field', `${p.name} is not a part of a document upload`);
    } else if (seen.has(p.name)) {
      problem(p.name, 'invalid_value', `${p.name} was sent more than once`);
    } else if (p.name === 'fileContent' && p.type !== 'file') {
      problem(p.name, 'invalid_value', 'fileContent must be a file part (with a filename)');
    } else if (textPart && p.type !== 'field') {
      problem(p.name, 'invalid_value', `${p.name} must be a text part, not a file`);
    } else if (p.type === 'field' && p.truncated) {
      problem(p.name, 'invalid_value', `${p.name} is too long`);
    } else if (p.type === 'file') {
      upload.file = p;
    } else {
      upload.text[p.name as TextPart] = p.value;
    }
    seen.add(p.name);
  }
  return upload;
}

/** The visible file field an upload names, or undefined. */
function fieldFor(app: ApplicationRecord, datumName: string | undefined): DocumentField | undefined {
  if (datumName === undefined) return undefined;
  const visible = visibleSectionNames(app);
  return templateFor(app).fileFields.find((f) => f.datumName === datumName && visible.includes(f.section));
}

function refIdProblem(app: ApplicationRecord, field: DocumentField, refId: string | undefined) {
  if (!field.perEntity) {
    return refId === undefined
      ? undefined
      : `refId applies to array sections only; ${field.datumName} is in the flat section ${field.section}`;
  }
  if (refId === undefined) {
    return `refId is required: ${field.datumName} belongs to one entity of ${field.section}`;
  }
  const entities = app.data[field.section];
  const known = Array.isArray(entities) && entities.some((e) => e.refId === refId);
  return known ? undefined : `refId ${refId} is not an entity of ${field.section}`;
}

/** Every problem of the upload, in a stable order; empty when it can be stored. */
function problemsOf(app: ApplicationRecord, upload: Upload, field: DocumentField | undefined) {
  const { file, text } = upload;
  const problems = [...upload.problems];
  const given = (name: string) =>
    name === 'fileContent' ? file !== undefined : text[name as TextPart] !== undefined;
  for (const name of REQUIRED_PARTS) {
    if (given(name) || problems.some((p) => p.field === name)) continue;
    problems.push({ field: name, code: 'required', message: `${name} is required` });
  }
  if (text.datumName !== undefined && !field) {
    problems.push({
      field: 'datumName',
      code: 'unknown_field',
      message: `${text.datumName} is not a document field of this application's sections`,
    });
  }
  if (!field) return problems;
  const refId = refIdProblem(app, field, text.refId);
  if (refId) {
    problems.push({
      field: 'refId',
      code: text.refId === undefined ? 'required' : 'invalid_value',
      message: refId,
    });
  }
  const bytes = file?.bytes ?? Buffer.alloc(0);
  const facts = {
    kind: detectFileKind(bytes),
    size: bytes.length,
    fileName: text.fileName ?? '',
    documentType: text.documentType,
    issuedCountry: text.issuedCountry,
  };
  // Parts already reported (missing, repeated, ...) are not judged again.
  const reported = new Set(problems.map((p) => p.field));
  problems.push(...documentProblems(field, facts).filter((p) => !reported.has(p.field)));
  if (file?.truncated && !problems.some((p) => p.code === 'too_large')) {
    problems.push({
      field: 'fileContent',
      code: 'too_large',
      message: `the file is over ${bytes.length} bytes; this field takes at most ${field.maxSizeMb} MB`,
    });
  }
  return problems;
}

/**
 * Checks an upload and stores it; throws Circle's 400 (code 181102) listing every problem. Answers a
 * pending COLLECT_DOCUMENT RFI for the same field while the application waits for customer information.
 */
export function storeUpload(app: ApplicationRecord, parts: readonly ReceivedPart[]): DocumentRecord {
  const upload = sortParts(parts);
  const field = fieldFor(app, upload.text.datumName);
  const problems = problemsOf(app, upload, field);
  if (problems.length || !field || !upload.file) throw documentRejected(problems);
  const { file, text } = upload;
  const kind = detectFileKind(file.bytes)!; // accepted, so detected
  const record: DocumentRecord = {
    documentId: randomUUID(),
    section: field.section,
    datumName: field.datumName,
    ...(field.perEntity ? { refId: text.refId } : {}),
    fileName: sanitizeFileName(text.fileName!),
    // Circle ignores documentType unless the field lists types, and asks issuedCountry of identity documents only.
    ...(field.documentTypes?.length ? { documentType: text.documentType } : {}),
    ...(isIdentityField(field) ? { issuedCountry: text.issuedCountry } : {}),
    uploadedAt: now(),
    bytes: file.bytes,
    sha256: file.sha256,
    kind,
    contentType: field.acceptedTypes.find((t) => kindOfMimeType(t) === kind)!,
  };
  app.documents.set(record.documentId, record);
  answerDocumentRfis(app, record);
  app.updatedAt = record.uploadedAt;
  return record;
}

function answerDocumentRfis(app: ApplicationRecord, doc: DocumentRecord): void {
  if (app.status !== 'PENDING_CUSTOMER_INFORMATION') return;
  for (const rfi of app.rfis.values()) {
    const asked =
      rfi.type === 'COLLECT_DOCUMENT' && rfi.section === doc.section && rfi.field === doc.datumName;
    if (asked && rfi.status === 'PENDING') {
      rfi.status = 'RESPONDED';
      rfi.respondedAt = doc.uploadedAt;
    }
  }
}
