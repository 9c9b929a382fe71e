// POST /v1/onboardings/{id}/documents: one file (multipart part `file`) and the fields of its document
// reference. The file goes into the document store directory; the `provideDocuments` update carries
// only its relative path (claim check: no bytes in a Temporal payload). Multipart is parsed here only.
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { documentReferenceProblems, provideDocumentsUpdate, type DocumentReference } from '../../contract';
import { fileNameProblem, sanitizeFileName } from '../../documents/rules';
import { idempotencyKeyOf, messageRequest } from '../idempotency';
import type { RouteContext } from '../context';
import { toProblem } from '../errors';
import { findRunningOnboarding, sendUpdate } from '../onboardings';
import { invalidRequest, Problem, ServiceProblem, type FieldProblem } from '../problems';
import {
  commitUpload,
  discardUpload,
  folderBytes,
  removeUpload,
  stageUpload,
  uploadExists,
  uploadSource,
  type Staged,
} from '../upload';
import { checkOnboardingQuota } from '../upload-quota';
import { documentsResultSchema, documentUploadSchema, messageHeaders } from '../schemas/messages';
import { byIdParams } from '../schemas/onboardings';
import { requestSchemaRef } from '../../shared/openapi-schemas';
import { BY_ID, json, problem, problems, WRITE } from '../schemas/responses';
import { uploadFolderOf } from '../../documents/uploads';

const FIELDS = ['datumName', 'refId', 'entityIndex', 'documentType', 'issuedCountry', 'fileName'] as const;
type FieldName = (typeof FIELDS)[number];

/** The reference the fields describe (entityIndex as a number when it is one), or its problems. */
function referenceOf(fields: Partial<Record<FieldName, string>>, fileName: string, source: string) {
  const { entityIndex, fileName: _given, ...rest } = fields;
  const ref: Record<string, unknown> = { ...rest, fileName, source };
  if (entityIndex !== undefined)
    ref.entityIndex = /^\d{1,2}$/.test(entityIndex) ? Number(entityIndex) : entityIndex;
  const problems: FieldProblem[] = documentReferenceProblems(ref).map((p) => ({
    path: p.path,
    error: 'invalid_value',
    message: p.message,
  }));
  return { ref: ref as unknown as DocumentReference, problems };
}

/** The name the file is stored and shown under, or why it cannot be. */
function fileNameOf(given: string | undefined, uploaded: string): { name: string; problem?: FieldProblem } {
  const name = sanitizeFileName(given ?? uploaded);
  // `.` and `..` pass Circle's character rule but are not file names on disk.
  const problem = /^\.+$/.test(name) ? 'must not be only dots' : fileNameProblem(name);
  return problem
    ? {
        name,
        problem: {
          path: 'fileName',
          error: 'invalid_value',
          message: `${problem}${given === undefined ? ' (taken from the uploaded file; give fileName)' : ''}`,
        },
      }
    : { name };
}

const UPLOAD_SCHEMA = {
  operationId: 'uploadDocument',
  summary: 'Upload a document (stored by the service, then given with the provideDocuments update)',
  tags: ['messages'],
  params: byIdParams,
  headers: messageHeaders,
  response: {
    200: json('The update’s result', documentsResultSchema),
    ...problems(...WRITE, ...BY_ID, 409, 422, 504),
    413: problem(
      'The file is over the limit (PayloadTooLarge), or the onboarding’s uploads would pass their quota (UploadQuotaPerOnboardingExceeded)',
    ),
    429: problem(
      'Rate limited (RateLimited), or the API key’s upload quota per hour is spent (UploadQuotaPerKeyExceeded); see Retry-After',
    ),
    503: problem('No document store configured (DocumentStoreNotConfigured), or Temporal unavailable'),
  },
};

/** Multipart, read part by part below: documented (documentUploadSchema), not validated by a schema. */
const UPLOAD_BODY = {
  content: {
    'multipart/form-data': {
      schema: requestSchemaRef(documentUploadSchema),
      encoding: {
        file: { contentType: 'application/pdf, image/jpeg, image/png, application/octet-stream' },
      },
    },
  },
};

export const documentRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const store = ctx.documents;
  await app.register(multipart, {
    limits: {
      fileSize: store?.maxBytes ?? 1,
      files: 1,
      fields: FIELDS.length,
      fieldSize: 1024,
      parts: FIELDS.length + 1,
    },
    // A file over the limit is truncated and reported below (413), not thrown mid-stream.
    throwFileSizeLimit: false,
  });

  app.post(
    '/v1/onboardings/:id/documents',
    { schema: UPLOAD_SCHEMA, config: { auth: 'write', openapiBody: UPLOAD_BODY } },
    async (request) => {
      if (!store) {
        throw new Problem(
          503,
          ServiceProblem.DocumentStoreNotConfigured,
          'this service has no document store: give documents by reference with an https:// source instead',
        );
      }
      if (!request.isMultipart()) {
        throw new Problem(
          415,
          ServiceProblem.UnsupportedMediaType,
          'send multipart/form-data with a part "file"',
        );
      }
      const key = idempotencyKeyOf(request.headers);
      const handle = await findRunningOnboarding(ctx, request.params.id);
      const folder = uploadFolderOf(handle.workflowId);
      if (!folder) {
        throw invalidRequest('this onboarding cannot take uploads: its id is too long for a folder name', [
          { path: 'id', error: 'invalid_value', message: 'give documents by https:// source instead' },
        ]);
      }
      // The route needs a write key (auth.ts): the quota is per key name. Spent already: refused unread.
      const owner = request.apiKey!.name;
      store.ledger.check(owner, 0);

      const fields: Partial<Record<FieldName, string>> = {};
      const problems: FieldProblem[] = [];
      let staged: Staged | undefined;
      let uploadedName = '';
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || staged) {
              await drain(part);
              problems.push({
                path: part.fieldname,
                error: 'unknown_field',
                message: 'the one file part is "file"',
              });
              continue;
            }
            uploadedName = part.filename;
            staged = await stageUpload(store.dir, part.file);
          } else if (
            (FIELDS as readonly string[]).includes(part.fieldname) &&
            typeof part.value === 'string'
          ) {
            fields[part.fieldname as FieldName] = part.value;
          } else {
            problems.push({
              path: part.fieldname,
              error: 'unknown_field',
              message: `known fields: file, ${FIELDS.join(', ')}`,
            });
          }
        }
        if (staged?.truncated) {
          throw new Problem(
            413,
            ServiceProblem.PayloadTooLarge,
            `the file is larger than ${store.maxBytes} bytes`,
          );
        }
        if (!staged)
          problems.push({ path: 'file', error: 'required', message: 'a file part "file" is required' });
        else if (staged.size === 0)
          problems.push({ path: 'file', error: 'empty_file', message: 'the file is empty' });
        const name = fileNameOf(fields.fileName, uploadedName);
        if (name.problem) problems.push(name.problem);
        // Checked with the source it will have; its problems are the file name's, reported once.
        const source = uploadSource(folder, staged?.sha256 ?? '0'.repeat(64), name.name);
        const { ref, problems: refProblems } = referenceOf(fields, name.name, source);
        problems.push(
          ...refProblems.filter((p) => p.path !== 'source' && !(name.problem && p.path === 'fileName')),
        );
        if (problems.length || !staged) {
          throw invalidRequest(
            `the upload is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
            problems,
          );
        }
        // Quotas count new bytes only: the same file under the same name again adds nothing.
        if (!(await uploadExists(store.dir, source))) {
          store.ledger.check(owner, staged.size);
          checkOnboardingQuota(
            await folderBytes(store.dir, folder),
            staged.size,
            store.quotaBytesPerOnboarding,
          );
        }
        const committed = await commitUpload(store.dir, staged, source);
        if (committed.created) store.ledger.record(owner, staged.size);
        staged = undefined;
        // The reference names the file by its content, so the same upload is the same body.
        const at = { onboardingId: handle.workflowId, route: 'documents' };
        const { request: req, updateId } = messageRequest(ctx.idKey, at, key, ref);
        try {
          return await sendUpdate(ctx, () =>
            handle.executeUpdate(provideDocumentsUpdate, {
              args: [{ documents: [ref], request: req }],
              updateId,
            }),
          );
        } catch (err) {
          // Refused (422): the onboarding will never read it. A file stored before (same bytes and
          // name) may be referenced by an earlier update, so only what this request stored goes.
          if (err instanceof Problem && err.status === 422 && committed.created) {
            await removeUpload(store.dir, source);
          }
          throw err;
        }
      } catch (err) {
        throw malformedMultipart(err) ?? err;
      } finally {
        if (staged) await discardUpload(staged);
      }
    },
  );
};

/**
 * A body the multipart parser could not read (no boundary, cut off, bad part headers) is the caller's
 * mistake: 400. Problems, Fastify's own errors (limits) and file-system errors (which have a syscall)
 * keep their meaning.
 */
function malformedMultipart(err: unknown): Problem | undefined {
  if (err instanceof Problem || !(err instanceof Error) || toProblem(err)) return undefined;
  if ('syscall' in err) return undefined;
  return invalidRequest(`the multipart body could not be read: ${err.message}`, [
    { path: '', error: 'malformed_multipart', message: err.message },
  ]);
}

/** Reads a part to its end, so that the rest of the request can be parsed. */
async function drain(part: MultipartFile): Promise<void> {
  for await (const _chunk of part.file) {
    // discarded
  }
}
