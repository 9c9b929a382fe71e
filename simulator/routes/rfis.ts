// Requests for information: list bundles, read one RFI with its comments, answer a field RFI, comment.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from '../context';
import { circleFail } from '../errors';
import { circleIdempotencyKey, idempotent } from '../http';
import { servedBundles } from '../realism-serve';
import { validateComment } from '../request-schemas';
import { isPlainObject, saveSections, sectionData, unprocessable } from '../sections';
import { now, type ApplicationRecord, type RfiRecord } from '../state';
import { check } from '../validation';
import { rfiDetailView } from '../views';
import type { FieldError } from '../wire';
import { APPLICATIONS, findApplication, type AppParams } from './applications';

type RfiParams = { Params: { applicationId: string; rfiId: string } };

function findRfi(app: ApplicationRecord, request: FastifyRequest<RfiParams>): RfiRecord {
  const rfi = app.rfis.get(request.params.rfiId);
  if (!rfi) throw circleFail(404, 'RFI not found.');
  return rfi;
}

export function rfiRoutes(app: FastifyInstance, ctx: SimContext): void {
  const base = `${APPLICATIONS}/:applicationId/rfis`;

  app.get<AppParams>(base, async (request) => ({
    data: { bundles: servedBundles(ctx, findApplication(ctx, request)) },
  }));

  app.get<RfiParams>(`${base}/:rfiId`, async (request) => {
    const application = findApplication(ctx, request);
    return rfiDetailView(findRfi(application, request));
  });

  // Body `{ <field>: value }`; the value is validated against the application's schema, then saved.
  app.patch<RfiParams>(`${base}/:rfiId`, async (request) => {
    const application = findApplication(ctx, request);
    const rfi = findRfi(application, request);
    if (rfi.type !== 'UPDATE_FIELD' && rfi.type !== 'NEW_FIELD') {
      throw circleFail(409, `${rfi.type} RFIs are not answered with data.`);
    }
    if (application.status !== 'PENDING_CUSTOMER_INFORMATION') {
      throw circleFail(
        409,
        `Application is ${application.status}; RFIs can be answered only while PENDING_CUSTOMER_INFORMATION.`,
      );
    }
    if (rfi.status !== 'PENDING') throw circleFail(409, `RFI ${rfi.rfiId} has already been answered.`);
    const body = request.body;
    if (!isPlainObject(body)) {
      throw circleFail(400, `Body must be an object holding ${rfi.field}.`, [
        { path: '', error: 'invalid_type', message: `body must be an object holding ${rfi.field}` },
      ]);
    }
    const errors: FieldError[] = [];
    const path = `${rfi.section}.${rfi.field}`;
    if (!Object.hasOwn(body, rfi.field))
      errors.push({ path, error: 'required', message: `${path} is required` });
    for (const k of Object.keys(body)) {
      if (k !== rfi.field) {
        errors.push({
          path: `${rfi.section}.${k}`,
          error: 'unknown_field',
          message: `this RFI asks for ${rfi.field} only`,
        });
      }
    }
    if (errors.length) throw unprocessable(errors);
    const current = sectionData(application, rfi.section);
    saveSections(application, { [rfi.section]: { ...(current as object), [rfi.field]: body[rfi.field] } });
    rfi.status = 'RESPONDED';
    rfi.respondedAt = now();
    application.updatedAt = now();
    return { data: sectionData(application, rfi.section), rfiId: rfi.rfiId, section: rfi.section };
  });

  app.post<RfiParams>(`${base}/:rfiId/comments`, async (request, reply) => {
    const application = findApplication(ctx, request);
    const rfi = findRfi(application, request);
    const key = circleIdempotencyKey(request);
    return idempotent(ctx, request, reply, key, () => {
      const errors = check(validateComment, request.body);
      if (errors.length) throw circleFail(400, 'Invalid request body.', errors);
      const comment = {
        commentId: randomUUID(),
        author: 'partner',
        content: (request.body as { content: string }).content,
        createdAt: now(),
      };
      rfi.comments.push(comment);
      return { status: 201, body: { ...comment } };
    });
  });
}
