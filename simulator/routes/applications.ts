// Onboarding applications: list, get, cancel, schema, certifications and submit / resubmit.
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CERTIFICATION_IDS, CERTIFICATIONS } from '../certifications';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../circle-enums';
import type { SimContext } from '../context';
import { applicationNotFound, circleFail } from '../errors';
import { circleIdempotencyKey, idempotent, queryBool, queryInt, queryParam } from '../http';
import { applicationModes, hiddenAfterCreate, listed, pageSize, servedApplication } from '../realism-serve';
import { validateSubmit } from '../request-schemas';
import { resolveSchema } from '../schema-template';
import { missingDocuments, sectionData, sectionStatuses, templateFor } from '../sections';
import { now, type ApplicationRecord } from '../state';
import { check } from '../validation';
import { applicationView } from '../views';
import type { FieldError } from '../wire';

export const APPLICATIONS = '/v1/onboarding/partner/applications';
export type AppParams = { Params: { applicationId: string } };

export function findApplication(ctx: SimContext, request: FastifyRequest<AppParams>): ApplicationRecord {
  const app = ctx.state.applications.get(request.params.applicationId);
  if (!app) throw applicationNotFound();
  return app;
}

/** Data may change only while DRAFT or PENDING_CUSTOMER_INFORMATION. */
export function assertMutable(app: ApplicationRecord): void {
  if (app.status !== 'DRAFT' && app.status !== 'PENDING_CUSTOMER_INFORMATION') {
    throw circleFail(409, `Application is ${app.status}; its data can no longer be changed.`);
  }
}

export function applicationRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get(APPLICATIONS, async (request) => {
    const status = queryParam(request, 'status');
    if (status !== undefined && !APPLICATION_STATUSES.includes(status as ApplicationStatus)) {
      throw circleFail(400, `status must be one of ${APPLICATION_STATUSES.join(', ')}`, [
        {
          path: 'status',
          error: 'invalid_value',
          message: `status must be one of ${APPLICATION_STATUSES.join(', ')}`,
        },
      ]);
    }
    const limit = pageSize(ctx, queryInt(request, 'limit', 1, 100, 25));
    const after = queryParam(request, 'starting_after');
    const { state } = ctx;
    let from = state.applicationOrder.length - 1;
    if (after !== undefined) {
      const at = state.applicationOrder.lastIndexOf(after);
      if (at < 0) {
        throw circleFail(400, 'starting_after is not a known application.', [
          {
            path: 'starting_after',
            error: 'invalid_value',
            message: 'starting_after is not a known applicationId',
          },
        ]);
      }
      from = at - 1;
    }
    // Newest first; one extra match tells whether another page exists.
    const page: ApplicationRecord[] = [];
    let hasMore = false;
    for (let i = from; i >= 0; i--) {
      const candidate = state.applications.get(state.applicationOrder[i]!)!;
      if (status !== undefined && candidate.status !== status) continue;
      if (!listed(ctx, candidate.createdAt, candidate.applicationId)) continue;
      if (page.length === limit) {
        hasMore = true;
        break;
      }
      page.push(candidate);
    }
    return {
      applications: page.map((a) => servedApplication(ctx, a)),
      hasMore,
      nextCursor: hasMore ? page[page.length - 1]!.applicationId : null,
    };
  });

  app.get<AppParams>(`${APPLICATIONS}/:applicationId`, async (request) => {
    const application = findApplication(ctx, request);
    if (hiddenAfterCreate(applicationModes(ctx, application), application.createdAt)) {
      throw applicationNotFound();
    }
    return servedApplication(ctx, application);
  });

  app.delete<AppParams>(`${APPLICATIONS}/:applicationId`, async (request) => {
    const application = findApplication(ctx, request);
    if (application.status !== 'DRAFT') {
      throw circleFail(409, `Only DRAFT applications can be cancelled; this one is ${application.status}.`);
    }
    application.status = 'CANCELLED';
    application.updatedAt = now();
    ctx.notifications.applicationChanged(application.applicationId, 'DRAFT', 'CANCELLED');
    return applicationView(application);
  });

  app.get<AppParams>(`${APPLICATIONS}/:applicationId/schema`, async (request) => {
    const application = findApplication(ctx, request);
    const t = templateFor(application);
    if (!queryBool(request, 'resolved')) return t.schema;
    const doc = Object.fromEntries(t.sections.map((s) => [s.name, sectionData(application, s.name)]));
    return resolveSchema(t, doc);
  });

  app.get<AppParams>(`${APPLICATIONS}/:applicationId/certifications`, async (request) => {
    findApplication(ctx, request);
    return { data: CERTIFICATIONS.map((c) => ({ ...c })) };
  });

  app.post<AppParams>(`${APPLICATIONS}/:applicationId/submit`, async (request, reply) => {
    const application = findApplication(ctx, request);
    const key = circleIdempotencyKey(request);
    return idempotent(ctx, request, reply, key, () => {
      checkSubmitBody(request.body);
      if (application.status === 'PENDING_CUSTOMER_INFORMATION') {
        const open = [...application.rfis.values()].filter((r) => r.status === 'PENDING');
        if (open.length) {
          throw circleFail(
            409,
            `Answer every RFI before resubmitting; still pending: ${open.map((r) => r.rfiId).join(', ')}.`,
          );
        }
      } else if (application.status !== 'DRAFT') {
        throw circleFail(409, `Application is ${application.status}; it cannot be submitted.`);
      }
      checkCertifications((request.body as { certificationIds?: string[] }).certificationIds);
      const unfinished = sectionStatuses(application).filter((s) => s.status !== 'complete');
      if (unfinished.length) {
        const list = unfinished.map((s) => `${s.sectionName} (${s.status})`).join(', ');
        const missing = missingDocuments(application);
        const documents = missing.length ? `; missing documents: ${missing.join(', ')}` : '';
        throw circleFail(
          409,
          `All sections must be complete before submitting; not complete: ${list}${documents}.`,
        );
      }
      application.status = 'SUBMITTED';
      application.submissionCount++;
      application.updatedAt = now();
      ctx.state.submissions++;
      ctx.review.submitted(application);
      return { status: 200, body: { applicationId: application.applicationId, status: 'SUBMITTED' } };
    });
  });
}

function checkSubmitBody(body: unknown): void {
  const errors = check(validateSubmit, body);
  const b = (body ?? {}) as Record<string, unknown>;
  if (b.endUserAgreesToTermsOfService === false) {
    errors.push({
      path: 'endUserAgreesToTermsOfService',
      error: 'value_must_be_true',
      message: 'endUserAgreesToTermsOfService must be true',
    });
  }
  const ip = b.endUserIpAddress;
  if (typeof ip === 'string' && ip.length >= 7 && ip.length <= 39 && isIP(ip) === 0) {
    errors.push({
      path: 'endUserIpAddress',
      error: 'invalid_format',
      message: 'endUserIpAddress must be an IPv4 or IPv6 address',
    });
  }
  if (errors.length) throw circleFail(400, 'Invalid request body.', errors);
}

/** When given, certificationIds must be exactly the active set. */
function checkCertifications(ids: string[] | undefined): void {
  if (ids === undefined) return;
  const given = new Set(ids);
  const errors: FieldError[] = [];
  for (const id of CERTIFICATION_IDS) {
    if (!given.has(id))
      errors.push({
        path: 'certificationIds',
        error: 'missing_certification',
        message: `certification ${id} was not accepted`,
      });
  }
  for (const id of given) {
    if (!CERTIFICATION_IDS.includes(id))
      errors.push({
        path: 'certificationIds',
        error: 'unknown_certification',
        message: `certification ${id} is not active for this application`,
      });
  }
  if (errors.length)
    throw circleFail(422, 'certificationIds must match the active certifications exactly.', errors);
}
