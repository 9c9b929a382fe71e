// Public routes: liveness, readiness (Temporal reachable), the OpenAPI document and its /docs page.
import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync } from 'fastify';
import { buildOpenApiDocument } from '../openapi';
import { Problem, ServiceProblem } from '../problems';

const READY_TIMEOUT_MS = 2_000;

export const healthRoutes: FastifyPluginAsync<{ client: Client }> = async (app, { client }) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    try {
      await client.withDeadline(Date.now() + READY_TIMEOUT_MS, () =>
        client.workflowService.getSystemInfo({}),
      );
    } catch {
      throw new Problem(503, ServiceProblem.TemporalUnavailable, 'Temporal is not reachable', [], {
        'retry-after': '5',
      });
    }
    return { status: 'ready' };
  });
};

export const docsRoutes: FastifyPluginAsync = async (app) => {
  const document = buildOpenApiDocument();
  // Static mode: @fastify/swagger serves our document as it is, rather than one built from routes.
  await app.register(swagger, {
    mode: 'static',
    specification: { document: document as unknown as StaticDocumentSpec['document'] },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', async () => document);
};
