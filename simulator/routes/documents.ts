// Documents: upload (multipart, idempotent), list, download and delete. The multipart parser is
// registered for these routes only, so every other Circle route keeps answering 415 to anything but JSON.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from '../context';
import { storeUpload } from '../documents';
import { circleFail } from '../errors';
import { circleIdempotencyKey, idempotent } from '../http';
import { MULTIPART_OPTIONS, readParts, uploadFingerprint } from '../multipart';
import { now, type ApplicationRecord, type DocumentRecord } from '../state';
import { documentView } from '../views';
import { APPLICATIONS, assertMutable, findApplication, type AppParams } from './applications';

type DocumentParams = { Params: { applicationId: string; documentId: string } };

function findDocument(app: ApplicationRecord, request: FastifyRequest<DocumentParams>): DocumentRecord {
  const doc = app.documents.get(request.params.documentId);
  if (!doc) throw circleFail(404, 'Document not found.');
  return doc;
}

/** RFC 6266 with the RFC 5987 form, so names in any script survive the header. */
const attachment = (fileName: string) => `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;

export function documentRoutes(app: FastifyInstance, ctx: SimContext): void {
  const base = `${APPLICATIONS}/:applicationId/documents`;

  app.register(async (documents) => {
    await documents.register(multipart, MULTIPART_OPTIONS);

    documents.post<AppParams>(base, async (request, reply) => {
      const application = findApplication(ctx, request);
      const key = circleIdempotencyKey(request);
      if (!request.isMultipart()) throw circleFail(415, 'Send the document as multipart/form-data.');
      const parts = await readParts(request);
      // The fingerprint holds the parts and the file's digest: the raw body's boundary differs per request.
      return idempotent(
        ctx,
        request,
        reply,
        key,
        () => {
          assertMutable(application);
          const doc = storeUpload(application, parts);
          return { status: 201, body: { documentId: doc.documentId } };
        },
        uploadFingerprint(parts),
      );
    });

    documents.get<AppParams>(base, async (request) => ({
      documents: [...findApplication(ctx, request).documents.values()].map(documentView),
    }));

    documents.get<DocumentParams>(`${base}/:documentId`, async (request, reply) => {
      const doc = findDocument(findApplication(ctx, request), request);
      return reply
        .type(doc.contentType)
        .header('Content-Disposition', attachment(doc.fileName))
        .send(doc.bytes);
    });

    documents.delete<DocumentParams>(`${base}/:documentId`, async (request) => {
      const application = findApplication(ctx, request);
      const doc = findDocument(application, request);
      assertMutable(application);
      application.documents.delete(doc.documentId);
      application.updatedAt = now();
      return { message: 'Document deleted' };
    });
  });
}
