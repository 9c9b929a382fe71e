// GET /v1/onboardings/{id} (status, progress, result or failure) and GET /v1/onboardings (a page of
// onboardings found by their search attributes), the same as the CLI's `status` and `list`.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { APPLICATION_STATUSES } from '../../circle/enums';
import { ONBOARDING_STEP_NAMES, onboardingsQuery, progressQuery } from '../../contract';
import type { RouteContext } from '../context';
import { grpcCode } from '../errors';
import { invalidRequest } from '../problems';
import { callTemporal, failureOf, findOnboarding } from '../onboardings';
import { parseOr400 } from '../validation';
import { onboardingPath } from './start';

export const listQuerySchema = z.strictObject({
  step: z.enum(ONBOARDING_STEP_NAMES).optional(),
  status: z.enum(APPLICATION_STATUSES).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** Opaque: the `nextPageToken` of the previous page. */
  pageToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,4096}$/, 'must be the nextPageToken of a previous page')
    .optional(),
});

const GRPC_INVALID_ARGUMENT = 3;
const STATUS_PREFIX = 'WORKFLOW_EXECUTION_STATUS_';
const statusName = (status: number | null | undefined): string =>
  (temporal.api.enums.v1.WorkflowExecutionStatus[status ?? 0] ?? 'UNSPECIFIED').replace(STATUS_PREFIX, '');

/** Keyword search attributes are JSON payloads; none carries personal data. */
function keyword(fields: Record<string, Payload> | null | undefined, name: string): string | undefined {
  const payload = fields?.[name];
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

export const readRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  app.get<{ Params: { id: string } }>(
    '/v1/onboardings/:id',
    { config: { auth: 'read' } },
    async (request) => {
      const { handle, description } = await findOnboarding(ctx, request.params.id);
      const status = description.status.name;
      // A query needs a worker; without one (or for a very old run) progress is left out.
      const progress = await ctx.client
        .withDeadline(Date.now() + 5_000, () => handle.query(progressQuery))
        .catch(() => undefined);
      const out: Record<string, unknown> = { id: handle.workflowId, status, progress };
      if (status === 'COMPLETED') out.result = await callTemporal(ctx, () => handle.result());
      else if (status !== 'RUNNING' && status !== 'CONTINUED_AS_NEW') {
        out.failure = await callTemporal(ctx, () => handle.result().then(() => undefined, failureOf));
      }
      return out;
    },
  );

  app.get('/v1/onboardings', { config: { auth: 'read' } }, async (request) => {
    const q = parseOr400(listQuerySchema, request.query, { what: 'the query', prefix: 'query' });
    const response = await callTemporal(ctx, () =>
      ctx.client.workflowService.listWorkflowExecutions({
        namespace: ctx.client.options.namespace,
        query: onboardingsQuery({ step: q.step, applicationStatus: q.status }),
        pageSize: q.pageSize,
        nextPageToken: q.pageToken ? Buffer.from(q.pageToken, 'base64url') : undefined,
      }),
    ).catch((err: unknown) => {
      // INVALID_ARGUMENT: the only caller-given part Temporal can refuse is the page token.
      if (grpcCode(err) === GRPC_INVALID_ARGUMENT) {
        throw invalidRequest('pageToken is not a token of this list', [
          {
            path: 'query.pageToken',
            error: 'invalid_value',
            message: 'must be the nextPageToken of a previous page',
          },
        ]);
      }
      throw err;
    });
    const items = response.executions.map((e) => {
      const id = e.execution?.workflowId ?? '';
      const fields = e.searchAttributes?.indexedFields;
      return {
        id,
        status: statusName(e.status),
        step: keyword(fields, 'OnboardingStep'),
        applicationStatus: keyword(fields, 'CircleApplicationStatus'),
        applicationId: keyword(fields, 'CircleApplicationId'),
        country: keyword(fields, 'ClientCountry'),
        startTime: e.startTime?.seconds
          ? new Date(Number(e.startTime.seconds) * 1000).toISOString()
          : undefined,
        links: { self: onboardingPath(id) },
      };
    });
    const token = response.nextPageToken?.length
      ? Buffer.from(response.nextPageToken).toString('base64url')
      : undefined;
    return { items, ...(token ? { nextPageToken: token } : {}) };
  });
};
