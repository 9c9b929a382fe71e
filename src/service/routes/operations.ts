// Public routes: liveness, readiness (Temporal reachable), the OpenAPI document and its /docs page.
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem, ServiceProblem } from '../problems';
import { json, problems } from '../schemas/responses';
import { healthSchema } from '../schemas/operations';
import { contractObject } from '../schemas/responses';

const READY_TIMEOUT_MS = 2_000;

/** Public: no API key. */
const PUBLIC = { tags: ['operations'], security: [] };

export const healthRoutes: FastifyPluginAsyncZod<{ client: Client }> = async (app, { client }) => {
  app.get(
    '/healthz',
    {
      schema: {
        ...PUBLIC,
        operationId: 'getLiveness',
        summary: 'Liveness',
        response: { 200: json('Up', healthSchema) },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        ...PUBLIC,
        operationId: 'getReadiness',
        summary: 'Readiness: Temporal is reachable',
        response: { 200: json('Ready', healthSchema), ...problems(503) },
      },
    },
    async () => {
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
    },
  );
};

/** The document @fastify/swagger builds from the routes (registered in app.ts), and its page. */
export const docsRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get(
    '/openapi.json',
    {
      schema: {
        ...PUBLIC,
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        response: { 200: json('OpenAPI 3.1', contractObject(z.looseObject({}))) },
      },
    },
    async () => app.swagger(),
  );
};
