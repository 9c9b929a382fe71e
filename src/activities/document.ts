// Activities on documents. The only code that touches a document's bytes: it reads them from the
// document store, inspects or uploads them, and returns sizes, hashes and ids, never content, so
// nothing a workflow records holds a file (claim check).
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CircleClient } from '../circle/client';
import { refIdsOf } from '../circle/array-sections';
import { documentFieldsOf } from '../circle/document-fields';
import type { UploadDocumentParts } from '../circle/wire';
import { inspectBytes, type InspectedDocument } from '../documents/inspect';
import { DocumentSourceError, type DocumentStore } from '../documents/store';
import { uploadOwnershipProblem } from '../documents/uploads';
import { PartnerApiError } from '../partner-api/error';
import type { CallOptions } from '../partner-api/request';
import { attempt, callOptions } from './context';
import { classified } from './failures';

/** A file field the application has, per entity for array sections, with the documents Circle holds. */
export interface DocumentSlot {
  section: string;
  datumName: string;
  refId?: string;
  entityIndex?: number;
  required: boolean;
  title?: string;
  acceptedTypes: string[];
  maxSizeMb: number;
  documentTypes?: string[];
  /** Documents Circle holds for this field (and entity), in its list order. */
  documentIds: string[];
}

/** What the worker read at a source: its facts, or why it cannot be read (a problem the caller fixes). */
export type Inspection = InspectedDocument | { problem: string; message: string };

export interface DocumentUpload {
  source: string;
  /** The SHA-256 the workflow checked; the bytes uploaded must still have it. */
  sha256: string;
  parts: UploadDocumentParts;
}

/**
 * The file fields of the application as it is now (conditional sections resolved), one per entity of
 * array sections, with the documents Circle holds for each. Templates without file fields cost one read.
 */
export async function readSlots(
  circle: CircleClient,
  applicationId: string,
  opts: CallOptions,
): Promise<DocumentSlot[]> {
  const fields = documentFieldsOf(await circle.getSchema(applicationId, true, opts));
  if (fields.length === 0) return [];
  const [data, documents] = await Promise.all([
    fields.some((f) => f.perEntity) ? circle.getData(applicationId, opts) : {},
    circle.listDocuments(applicationId, opts),
  ]);
  const held = (datumName: string, refId?: string) =>
    documents.filter((d) => d.datumName === datumName && d.refId === refId).map((d) => d.documentId);
  return fields.flatMap(({ perEntity, ...field }) => {
    if (!perEntity) return [{ ...field, documentIds: held(field.datumName) }];
    const entities = (data as Record<string, unknown>)[field.section];
    return refIdsOf(entities).map((refId, entityIndex) => ({
      ...field,
      refId,
      entityIndex,
      documentIds: held(field.datumName, refId),
    }));
  });
}

/**
 * Attempts of an upload whose source stays unreachable before it ends as a document error the caller
 * sees (about 40 minutes with the write retry policy: 1 s doubling to 1 minute), instead of retrying
 * past the section-data deadline.
 */
export const MAX_UNREACHABLE_SOURCE_ATTEMPTS = 45;

/**
 * Reads a source for the workflow running this activity: a path into another onboarding's uploads is
 * refused (`outside_store`, final), whatever the caller wrote in the input, an update or an RFI answer.
 */
function readOwn(store: DocumentStore, source: string): Promise<Uint8Array> {
  // Outside a workflow (none here today) no upload folder is one's own.
  const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
  const problem = uploadOwnershipProblem(source, workflowId);
  if (problem) return Promise.reject(new DocumentSourceError('outside_store', `document source ${problem}`));
  return store.read(source, { signal: callOptions().signal });
}

export function createDocumentActivities(circle: CircleClient, store: DocumentStore) {
  /** Reads a source whose facts the workflow checked; refuses bytes that changed since. */
  async function readChecked(upload: DocumentUpload): Promise<Uint8Array> {
    const bytes = await readOwn(store, upload.source).catch((err: unknown) => {
      if (
        err instanceof DocumentSourceError &&
        err.retryable &&
        attempt() >= MAX_UNREACHABLE_SOURCE_ATTEMPTS
      ) {
        throw new DocumentSourceError(
          'unreachable_for_long',
          `${err.message} (still unreachable after ${attempt()} attempts; give the document again)`,
        );
      }
      throw err;
    });
    if (inspectBytes(bytes).sha256 !== upload.sha256) {
      throw ApplicationFailure.create({
        type: 'DocumentChanged',
        message: `the document at ${upload.parts.datumName}'s source changed after it was checked; give it again`,
        nonRetryable: true,
      });
    }
    return bytes;
  }

  return {
    /** The application's file fields and the documents Circle holds for them (readSlots). */
    async readDocumentSlots(applicationId: string): Promise<DocumentSlot[]> {
      return classified(() => readSlots(circle, applicationId, callOptions()));
    },

    /** Size, SHA-256 and the type the bytes show, per source; a source that cannot be read says why. */
    async inspectDocuments(sources: string[]): Promise<Inspection[]> {
      return classified(async () => {
        const results: Inspection[] = [];
        for (const source of sources) {
          try {
            results.push(inspectBytes(await readOwn(store, source)));
          } catch (err) {
            if (!(err instanceof DocumentSourceError) || err.retryable) throw err;
            results.push({ problem: err.problem, message: err.message });
          }
        }
        return results;
      });
    },

    /** `POST .../documents` under the workflow's key: a retry or a re-run replays, never adds a copy. */
    async uploadDocument(applicationId: string, upload: DocumentUpload, idempotencyKey: string) {
      return classified(async () => {
        const bytes = await readChecked(upload);
        return circle.uploadDocument(applicationId, upload.parts, bytes, idempotencyKey, callOptions());
      });
    },

    /** Removes a document a correction replaced; one that is gone already counts as removed. */
    async deleteDocument(applicationId: string, documentId: string): Promise<void> {
      return classified(async () => {
        await circle.deleteDocument(applicationId, documentId, callOptions()).catch((err: unknown) => {
          if (!(err instanceof PartnerApiError && err.status === 404)) throw err;
        });
      });
    },
  };
}
