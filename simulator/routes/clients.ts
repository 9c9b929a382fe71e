// Circle partner clients: create (client entity + DRAFT application), list (cursor + Link header), get.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context';
import { circleFail } from '../errors';
import { circleIdempotencyKey, idempotent, queryInt, queryParam } from '../http';
import { validateCreateClient } from '../request-schemas';
import { realismTagModes } from '../realism';
import { clientModes, hiddenAfterCreate, listed, pageSize as servedPageSize } from '../realism-serve';
import { defaultPlan } from '../review';
import { nameCountryKey, now, type ApplicationRecord, type ClientRecord } from '../state';
import { check } from '../validation';
import { clientView } from '../views';
import type { CreateClientBody } from '../wire';

export function clientRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/v1/partner/clients', async (request, reply) => {
    const key = circleIdempotencyKey(request);
    return idempotent(ctx, request, reply, key, () => {
      const errors = check(validateCreateClient, request.body);
      if (errors.length) throw circleFail(400, 'Invalid request body.', errors);
      const body = request.body as CreateClientBody;
      const realismTag = realismTagModes(body.clientName);
      const { state } = ctx;
      const nameKey = nameCountryKey(body.clientName, body.country);
      if (state.clientByNameCountry.has(nameKey)) {
        throw circleFail(409, 'A client with this name and country already exists.');
      }
      const created = now();
      const profile = {
        natureOfBusiness: body.businessDetails.natureOfBusiness,
        institutionType: body.businessDetails.institutionType,
      };
      const client: ClientRecord = {
        clientEntityId: randomUUID(),
        created,
        clientName: body.clientName,
        country: body.country,
        clientType: 'business',
        businessDetails: profile,
        applicationId: randomUUID(),
      };
      const application: ApplicationRecord = {
        applicationId: client.applicationId,
        clientEntityId: client.clientEntityId,
        status: 'DRAFT',
        createdAt: created,
        updatedAt: created,
        submissionCount: 0,
        profile,
        data: {},
        requestedFields: [],
        bundles: [],
        rfis: new Map(),
        documents: new Map(),
        plan: defaultPlan(body.clientName),
      };
      state.clients.set(client.clientEntityId, client);
      state.clientOrder.push(client.clientEntityId);
      state.clientByNameCountry.set(nameKey, client.clientEntityId);
      state.applications.set(application.applicationId, application);
      state.applicationOrder.push(application.applicationId);
      ctx.realism.applicationCreated(application.applicationId, realismTag);
      return {
        status: 200,
        body: { data: { clientEntityId: client.clientEntityId, applicationId: application.applicationId } },
      };
    });
  });

  app.get('/v1/partner/clients', async (request, reply) => {
    const { state } = ctx;
    const pageSize = queryInt(request, 'pageSize', 1, 100, 50);
    const after = queryParam(request, 'pageAfter');
    const newestFirst = [...state.clientOrder].reverse();
    let start = 0;
    if (after !== undefined) {
      const at = newestFirst.indexOf(after);
      if (at < 0) {
        throw circleFail(400, 'pageAfter is not a known client.', [
          { path: 'pageAfter', error: 'invalid_value', message: 'pageAfter is not a known clientEntityId' },
        ]);
      }
      start = at + 1;
    }
    // Realism: clients created less than listLagMs ago are not listed yet; pages may be capped. One extra
    // listed client tells whether another page exists.
    const size = servedPageSize(ctx, pageSize);
    const page: string[] = [];
    let more = false;
    for (let i = start; i < newestFirst.length; i++) {
      const c = state.clients.get(newestFirst[i]!)!;
      if (!listed(ctx, c.created, c.applicationId)) continue;
      if (page.length === size) {
        more = true;
        break;
      }
      page.push(c.clientEntityId);
    }
    const last = page[page.length - 1];
    if (last !== undefined && more) {
      const next = `${request.protocol}://${request.host}/v1/partner/clients?pageAfter=${last}&pageSize=${pageSize}`;
      reply.header('Link', `<${next}>; rel="next"`);
    }
    return { data: page.map((id) => clientView(state.clients.get(id)!, state)) };
  });

  app.get<{ Params: { clientEntityId: string } }>('/v1/partner/clients/:clientEntityId', async (request) => {
    const client = ctx.state.clients.get(request.params.clientEntityId);
    if (!client || hiddenAfterCreate(clientModes(ctx, client), client.created)) {
      throw circleFail(404, 'Client not found.');
    }
    return { data: clientView(client, ctx.state) };
  });
}
