// Section data: list with statuses, read / save one section, remove an array entity, bulk read / save.
import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context';
import { circleFail } from '../errors';
import { queryBool } from '../http';
import { servedSections } from '../realism-serve';
import {
  isPlainObject,
  isVisible,
  removeEntity,
  saveSections,
  sectionData,
  sectionStatuses,
  templateFor,
} from '../sections';
import { now, type ApplicationRecord } from '../state';
import { APPLICATIONS, assertMutable, findApplication, type AppParams } from './applications';

type SectionParams = { Params: { applicationId: string; sectionName: string } };
type EntityParams = { Params: { applicationId: string; sectionName: string; refId: string } };

/** 404 unless the section exists in the application's schema and currently applies. */
function assertSection(app: ApplicationRecord, name: string): void {
  if (!templateFor(app).kinds.has(name)) throw circleFail(404, `Unknown section ${name}.`);
  if (!isVisible(app, name)) throw circleFail(404, `Section ${name} does not apply to this application.`);
}

/** Saving a flat section that carries an RFI's field answers that RFI (same as PATCH .../rfis/{id}). */
function answerRfisBySave(app: ApplicationRecord, changes: Record<string, unknown>): void {
  if (app.status !== 'PENDING_CUSTOMER_INFORMATION') return;
  for (const rfi of app.rfis.values()) {
    const payload = changes[rfi.section];
    if (rfi.status === 'PENDING' && isPlainObject(payload) && Object.hasOwn(payload, rfi.field)) {
      rfi.status = 'RESPONDED';
      rfi.respondedAt = now();
    }
  }
}

function save(app: ApplicationRecord, changes: Record<string, unknown>) {
  assertMutable(app);
  const result = saveSections(app, changes);
  answerRfisBySave(app, changes);
  app.updatedAt = now();
  return { ...result, sections: sectionStatuses(app) };
}

export function sectionRoutes(app: FastifyInstance, ctx: SimContext): void {
  const base = `${APPLICATIONS}/:applicationId`;

  app.get<AppParams>(`${base}/sections`, async (request) => {
    const application = findApplication(ctx, request);
    return { sections: servedSections(ctx, application, queryBool(request, 'includeData')) };
  });

  app.get<SectionParams>(`${base}/sections/:sectionName`, async (request) => {
    const application = findApplication(ctx, request);
    const name = request.params.sectionName;
    assertSection(application, name);
    const status = sectionStatuses(application).find((s) => s.sectionName === name)!.status;
    return { data: sectionData(application, name), sectionName: name, status };
  });

  app.put<SectionParams>(`${base}/sections/:sectionName`, async (request) => {
    const application = findApplication(ctx, request);
    const name = request.params.sectionName;
    if (!templateFor(application).kinds.has(name)) throw circleFail(404, `Unknown section ${name}.`);
    const result = save(application, { [name]: request.body });
    return {
      data: result.saved[name],
      fieldsChanged: result.fieldsChanged,
      sections: result.sections,
      sectionsChanged: result.sectionsChanged,
    };
  });

  app.delete<EntityParams>(`${base}/sections/:sectionName/:refId`, async (request) => {
    const application = findApplication(ctx, request);
    const { sectionName, refId } = request.params;
    assertSection(application, sectionName);
    if (templateFor(application).kinds.get(sectionName) !== 'MULTIPLE') {
      throw circleFail(404, `Section ${sectionName} has no entities to remove.`);
    }
    assertMutable(application);
    removeEntity(application, sectionName, refId);
    application.updatedAt = now();
    return { sections: sectionStatuses(application) };
  });

  app.get<AppParams>(`${base}/data`, async (request) => {
    const application = findApplication(ctx, request);
    const sections = sectionStatuses(application);
    return {
      data: Object.fromEntries(sections.map((s) => [s.sectionName, sectionData(application, s.sectionName)])),
      sections,
    };
  });

  app.patch<AppParams>(`${base}/data`, async (request) => {
    const application = findApplication(ctx, request);
    if (!isPlainObject(request.body)) {
      throw circleFail(400, 'Body must be an object keyed by section name.', [
        { path: '', error: 'invalid_type', message: 'body must be an object keyed by section name' },
      ]);
    }
    const result = save(application, request.body);
    return {
      data: result.saved,
      fieldsChanged: result.fieldsChanged,
      sections: result.sections,
      sectionsChanged: result.sectionsChanged,
    };
  });
}
