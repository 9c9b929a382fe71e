// GET /v1/onboardings/{id} (status, progress, result or failure) and GET /v1/onboardings (a page of
// onboardings found by their search attributes), the same as the CLI's `status` and `list`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { onboardingsQuery, progressQuery } from '../../contract';
import type { RouteContext } from '../context';
import { GrpcStatus, grpcCode } from '../../temporal/grpc-status';
import { invalidRequest } from '../problems';
import { callTemporal, failureOf, findOnboarding } from '../onboardings';
import { byIdParams, listQuerySchema, onboardingListSchema, onboardingSchema } from '../schemas/onboardings';
import { BY_ID, json, problems, READ } from '../schemas/responses';
import { onboardingPath } from './start';

// Page tokens are Temporal's, sealed with a MAC (keyed by the id key, bound to the filters): a token
// the service did not give for this query is refused at once, instead of being sent to Temporal, which
// does not refuse every made-up token (some make the call fail slowly, as if Temporal were down).

function pageTokenMac(idKey: string, filters: { step?: string; status?: string }, raw: Buffer): Buffer {
  return createHmac('sha256', idKey)
    .update(`onboardings-page\n${filters.step ?? ''}\n${filters.status ?? ''}\n`)
    .update(raw)
    .digest()
    .subarray(0, 16);
}

export function sealPageToken(idKey: string, filters: { step?: string; status?: string }, raw: Uint8Array) {
  const bytes = Buffer.from(raw);
  return `${bytes.toString('base64url')}.${pageTokenMac(idKey, filters, bytes).toString('base64url')}`;
}

/** Temporal's token inside a sealed one, or undefined when it was not sealed here for these filters. */
export function openPageToken(
  idKey: string,
  filters: { step?: string; status?: string },
  token: string,
): Buffer | undefined {
  const [raw, mac] = token.split('.') as [string, string];
  const bytes = Buffer.from(raw, 'base64url');
  const given = Buffer.from(mac, 'base64url');
  const expected = pageTokenMac(idKey, filters, bytes);
  return given.length === expected.length && timingSafeEqual(given, expected) ? bytes : undefined;
}

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

const badPageToken = () =>
  invalidRequest('pageToken is not a token of this list', [
    {
      path: 'query.pageToken',
      error: 'invalid_value',
      message: 'must be the nextPageToken of a previous page',
    },
  ]);

export const readRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.get(
    '/v1/onboardings/:id',
    {
      schema: {
        operationId: 'getOnboarding',
        summary: 'Status, progress, and the result or failure',
        tags: ['onboardings'],
        params: byIdParams,
        response: {
          200: json('The onboarding', onboardingSchema),
          ...problems(400, ...BY_ID, ...READ),
        },
      },
      config: { auth: 'read' },
    },
    async (request) => {
      const { handle, description } = await findOnboarding(ctx, request.params.id);
      const status = description.status.name;
      // A query needs a worker; without one (or for a very old run) progress is left out.
      const progress = await ctx.client
        .withDeadline(Date.now() + 5_000, () => handle.query(progressQuery))
        .catch(() => undefined);
      const out = { id: handle.workflowId, status, progress };
      if (status === 'COMPLETED') return { ...out, result: await callTemporal(ctx, () => handle.result()) };
      // A paused run has not ended: like a running one, it has no result yet.
      if (status === 'RUNNING' || status === 'CONTINUED_AS_NEW' || status === 'PAUSED') return out;
      const failure = await callTemporal(ctx, () => handle.result().then(() => undefined, failureOf));
      return { ...out, failure };
    },
  );

  const list = {
    operationId: 'listOnboardings',
    summary: 'List onboardings by search attributes, newest first',
    tags: ['onboardings'],
    querystring: listQuerySchema,
    response: { 200: json('A page', onboardingListSchema), ...problems(400, ...READ) },
  };
  app.get('/v1/onboardings', { schema: list, config: { auth: 'read' } }, async (request) => {
    const q = request.query;
    const filters = { step: q.step, status: q.status };
    const pageToken = q.pageToken ? openPageToken(ctx.idKey, filters, q.pageToken) : undefined;
    if (q.pageToken && !pageToken) throw badPageToken();
    const response = await callTemporal(ctx, () =>
      ctx.client.workflowService.listWorkflowExecutions({
        namespace: ctx.client.options.namespace,
        query: onboardingsQuery({ step: q.step, applicationStatus: q.status }),
        pageSize: q.pageSize,
        nextPageToken: pageToken,
      }),
    ).catch((err: unknown) => {
      // INVALID_ARGUMENT: the only caller-given part Temporal can refuse is the page token.
      if (grpcCode(err) === GrpcStatus.INVALID_ARGUMENT) throw badPageToken();
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
      ? sealPageToken(ctx.idKey, filters, response.nextPageToken)
      : undefined;
    return { items, ...(token ? { nextPageToken: token } : {}) };
  });
};
