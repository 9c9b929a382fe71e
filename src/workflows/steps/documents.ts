// Documents, within the sections step: place each given document on a file field of the application,
// have the worker inspect it (size, SHA-256, type by magic bytes), check it against the field's rules
// before anything is uploaded, upload each once under a key derived from its content, and remove what a
// correction replaced. What is still missing is published for the `provideDocuments` update.
import type { DocumentSlot, DocumentUpload, Inspection } from '../../activities';
import type { FieldError, UploadDocumentParts } from '../../circle/wire';
import { fileNameOf, slotOf, type DocumentReference } from '../../contract/documents';
import type { DocumentProgress, MissingDocument } from '../../contract/progress';
import type { FileKind } from '../../documents/file-type';
import { documentProblems, isIdentityField } from '../../documents/rules';
import { toleratesLag } from '../versions';
import { failureTypeOf, fieldErrorsOf, messageOf } from '../failures';
import { keyOf } from '../keys';
import type { Onboarding } from '../onboarding';
import { recordError, showStep } from '../visibility';
import { persistently } from '../waiting';

/**
 * Brings Circle's documents in line with the ones given. Sets `documentErrors` (nothing is uploaded
 * while a given document has a problem) and `missingDocuments`. `read`: the file fields, when the
 * caller has just read them. True when it uploaded (section statuses may have changed).
 */
export async function syncDocuments(o: Onboarding, read?: DocumentSlot[]): Promise<boolean> {
  const p = o.progress;
  const slots =
    read ?? (await o.read('readDocumentSlots', 'Read the documents the application needs', o.applicationId));
  const placed = place(o, slots);
  await inspect(o, [...placed.keys()]);
  for (const [doc, slot] of placed) if (doc.state !== 'uploaded') check(doc, slot);
  p.documentErrors = p.documents.flatMap((d) => d.errors ?? []);
  const ready = [...placed].filter(([doc]) => doc.state !== 'uploaded');
  const uploading = p.documentErrors.length === 0 && ready.length > 0;
  if (uploading) {
    showStep(o, 'uploading-documents');
    for (const [doc, slot] of ready) await upload(o, doc, slot, 'initial');
    p.documentErrors = p.documents.flatMap((d) => d.errors ?? []);
  }
  p.missingDocuments = slots.filter((s) => s.required && !filled(s, placed)).map(missing);
  return uploading;
}

/** The slot each given document fills; one that fills none gets an error naming its field. */
function place(o: Onboarding, slots: DocumentSlot[]): Map<DocumentProgress, DocumentSlot> {
  const placed = new Map<DocumentProgress, DocumentSlot>();
  for (const doc of o.progress.documents) {
    const slot = slotFor(slots, doc);
    if (!slot) {
      doc.state = 'invalid';
      doc.errors = [unplaced(slots, doc)];
      continue;
    }
    doc.section = slot.section;
    if (slot.refId !== undefined) doc.refId = slot.refId; // an entityIndex now has its refId
    if (doc.errors?.some((e) => e.error === 'unknown_document_field')) {
      delete doc.errors;
      doc.state = doc.documentId ? 'uploaded' : 'given';
    }
    placed.set(doc, slot);
  }
  return placed;
}

function slotFor(slots: DocumentSlot[], ref: DocumentReference): DocumentSlot | undefined {
  return slots.find(
    (s) =>
      s.datumName === ref.datumName &&
      (s.refId === undefined ||
        (ref.refId !== undefined ? ref.refId === s.refId : ref.entityIndex === s.entityIndex)),
  );
}

function unplaced(slots: DocumentSlot[], ref: DocumentReference): FieldError {
  const path = `documents.${ref.datumName}`;
  const field = slots.find((s) => s.datumName === ref.datumName);
  if (!field) {
    const names = [...new Set(slots.map((s) => s.datumName))];
    return {
      path,
      error: 'unknown_document_field',
      message: `${ref.datumName} is not a file field of this application; file fields: ${names.length ? names.join(', ') : 'none'}`,
    };
  }
  return {
    path,
    error: 'unknown_document_field',
    message: `${ref.datumName} belongs to each entity of ${field.section}: give the refId or entityIndex of an entity saved there`,
  };
}

/** One activity for every document not inspected yet; the facts are recorded, never the bytes. */
async function inspect(o: Onboarding, docs: DocumentProgress[]): Promise<void> {
  const pending = docs.filter((d) => d.state !== 'uploaded' && d.sha256 === undefined && !d.errors);
  if (pending.length === 0) return;
  showStep(o, 'checking-documents');
  // A read: a source that stays unreachable gives up, and the wait around it tries again later.
  const results: Inspection[] = await o.read(
    'inspectDocuments',
    `Inspect ${pending.length} document(s)`,
    pending.map((d) => d.source),
  );
  pending.forEach((doc, i) => {
    const r = results[i]!;
    if ('problem' in r) {
      doc.state = 'invalid';
      doc.errors = [{ path: `${pathOf(doc)}.source`, error: r.problem, message: r.message }];
      return;
    }
    doc.size = r.size;
    doc.sha256 = r.sha256;
    if (r.kind) doc.fileKind = r.kind;
  });
}

/** Circle's file rules, applied to what the worker inspected: the same rules Circle applies. */
function check(doc: DocumentProgress, slot: DocumentSlot): void {
  if (doc.sha256 === undefined || doc.size === undefined) return; // not readable: already has its error
  const problems = documentProblems(slot, {
    kind: doc.fileKind as FileKind | undefined,
    size: doc.size,
    fileName: fileNameOf(doc),
    documentType: doc.documentType,
    issuedCountry: doc.issuedCountry,
  });
  if (problems.length === 0) {
    doc.state = 'given';
    delete doc.errors;
    return;
  }
  doc.state = 'invalid';
  doc.errors = problems.map((pr) => ({
    path: pathOf(doc),
    error: pr.code,
    message: `${doc.datumName}: ${pr.message}`,
  }));
}

/**
 * Uploads one checked document under a key derived from its parts and content, then removes what it
 * replaced at Circle. `purpose` separates an RFI's upload from the first one of the same file; since
 * `lagging-circle` it also counts the field's uploads, so a file given again after a correction (A, B,
 * then A) is a new upload, not a replay of one that was deleted.
 */
async function upload(
  o: Onboarding,
  doc: DocumentProgress,
  slot: DocumentSlot,
  purpose: string,
): Promise<void> {
  const request: DocumentUpload = { source: doc.source, sha256: doc.sha256!, parts: partsOf(doc, slot) };
  const field = `${slot.section}/${slot.datumName}/${slot.refId ?? ''}`;
  const uploads = toleratesLag() ? (o.state.slotUploads ??= {}) : undefined;
  const counted = uploads?.[field] ? `${purpose}/${uploads[field]}` : purpose;
  const key = keyOf.document(o.workflowId, counted, request);
  try {
    const { documentId } = await o.call(
      'uploadDocument',
      `Upload ${slot.section}.${slot.datumName}${slot.entityIndex !== undefined ? ` (entity ${slot.entityIndex})` : ''}`,
      o.applicationId,
      request,
      key,
    );
    doc.documentId = documentId;
    doc.state = 'uploaded';
    delete doc.errors;
    if (uploads) uploads[field] = (uploads[field] ?? 0) + 1;
    const keys = (o.progress.idempotencyKeys.documents ??= []);
    if (!keys.includes(key)) keys.push(key);
  } catch (err) {
    const type = failureTypeOf(err);
    if (
      type !== 'CircleBadRequest' &&
      type !== 'CircleValidationFailed' &&
      type !== 'DocumentChanged' &&
      type !== 'DocumentSourceUnreadable'
    )
      throw err;
    recordError(o, type, messageOf(err));
    doc.state = 'invalid';
    const fieldErrors = fieldErrorsOf(err);
    doc.errors = fieldErrors.length
      ? fieldErrors.map((e) => ({
          path: pathOf(doc),
          error: e.error,
          message: `${doc.datumName}: ${e.message}`,
        }))
      : [
          {
            path: pathOf(doc),
            error: type === 'DocumentChanged' ? 'document_changed' : 'rejected',
            message: messageOf(err),
          },
        ];
    return;
  }
  // A correction replaces: what Circle held for this field before goes, but only once Circle shows
  // the new one on the field (never leave the field empty on the word of a replay).
  const replaced = slot.documentIds.filter((id) => id !== doc.documentId);
  if (replaced.length && toleratesLag() && !(await shownOnField(o, slot, doc.documentId!))) {
    slot.documentIds = [...replaced, doc.documentId!];
    return;
  }
  for (const old of replaced) {
    await o.call('deleteDocument', `Remove the replaced ${slot.datumName}`, o.applicationId, old);
  }
  slot.documentIds = [doc.documentId!];
}

/** Whether Circle lists `documentId` on the slot's field now. */
async function shownOnField(o: Onboarding, slot: DocumentSlot, documentId: string): Promise<boolean> {
  const slots = await persistently(o, 'document fields', () =>
    o.read('readDocumentSlots', 'Check the upload is on its field', o.applicationId),
  );
  const now = slots.find(
    (s) => s.section === slot.section && s.datumName === slot.datumName && s.refId === slot.refId,
  );
  return now?.documentIds.includes(documentId) ?? false;
}

/** The multipart parts, built in one fixed order: the idempotency key is derived from them. */
function partsOf(doc: DocumentProgress, slot: DocumentSlot): UploadDocumentParts {
  return {
    fileName: fileNameOf(doc),
    datumName: slot.datumName,
    ...(slot.refId !== undefined ? { refId: slot.refId } : {}),
    ...(isIdentityField(slot) && doc.issuedCountry ? { issuedCountry: doc.issuedCountry } : {}),
    ...(slot.documentTypes?.length && doc.documentType ? { documentType: doc.documentType } : {}),
  };
}

function filled(slot: DocumentSlot, placed: Map<DocumentProgress, DocumentSlot>): boolean {
  if (slot.documentIds.length > 0) return true;
  return [...placed].some(([doc, s]) => s === slot && doc.state === 'uploaded');
}

function missing(slot: DocumentSlot): MissingDocument {
  return {
    section: slot.section,
    datumName: slot.datumName,
    ...(slot.refId !== undefined ? { refId: slot.refId, entityIndex: slot.entityIndex } : {}),
    ...(slot.title ? { title: slot.title } : {}),
    acceptedTypes: slot.acceptedTypes,
    maxSizeMb: slot.maxSizeMb,
    ...(slot.documentTypes ? { documentTypes: slot.documentTypes } : {}),
    needsIssuedCountry: isIdentityField(slot),
  };
}

/** Where a document's problems are reported: its field, like a section error (`section.[index.]field`). */
function pathOf(doc: DocumentProgress): string {
  if (!doc.section) return `documents.${doc.datumName}`;
  return doc.entityIndex !== undefined
    ? `${doc.section}.${doc.entityIndex}.${doc.datumName}`
    : doc.refId !== undefined
      ? `${doc.section}.${doc.refId}.${doc.datumName}`
      : `${doc.section}.${doc.datumName}`;
}

/**
 * Answers a COLLECT_DOCUMENT RFI: the document is checked against the RFI's field and uploaded under a
 * key of its own (compliance may ask again for a file Circle already has). Returns its problems.
 */
export async function answerWithDocument(
  o: Onboarding,
  rfi: { rfiId: string; section: string; field: string },
  ref: DocumentReference,
): Promise<FieldError[]> {
  const slots = await persistently(o, 'document fields', () =>
    o.read('readDocumentSlots', 'Read the documents the application needs', o.applicationId),
  );
  const slot = slots.find(
    (s) => s.section === rfi.section && s.datumName === rfi.field && s.refId === undefined,
  );
  if (!slot) {
    return [
      {
        path: `${rfi.section}.${rfi.field}`,
        error: 'unknown_document_field',
        message: `${rfi.section}.${rfi.field} is not a file field of this application`,
      },
    ];
  }
  const doc: DocumentProgress = {
    ...ref,
    section: slot.section,
    version: o.progress.documentsVersion,
    state: 'given',
  };
  await persistently(o, 'document source', () => inspect(o, [doc]));
  check(doc, slot);
  if (doc.errors?.length) return doc.errors;
  await upload(o, doc, slot, `rfi/${rfi.rfiId}`);
  if (doc.errors?.length) return doc.errors;
  o.progress.documents = [...o.progress.documents.filter((d) => slotOf(d) !== slotOf(doc)), doc];
  return [];
}
