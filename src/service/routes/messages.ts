// Messages to a running onboarding: answer an RFI, give section data, cancel. The routes' schemas
// (schemas/messages.ts) refuse a malformed body before a round trip; the update's own refusal is a
// 422 problem with the refusal's type (RfiAnswerRejected, InvalidRfiAnswer, RfiNotOpen, ...).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  answerRfiUpdate,
  MessageRejection,
  provideSectionDataUpdate,
  type RfiAnswer,
  type SectionDataUpdate,
} from '../../contract';
import { uploadOwnershipProblem } from '../../documents/uploads';
import type { RouteContext } from '../context';
import { callTemporal, findRunningOnboarding, sendUpdate } from '../onboardings';
import { idempotencyKeyOf, messageRequest } from '../idempotency';
import { invalidRequest } from '../problems';
import {
  messageHeaders,
  rfiAnswerRequestSchema,
  rfiAnswerResultSchema,
  rfiIdParams,
  sectionDataResultSchema,
  sectionsRequestSchema,
} from '../schemas/messages';
import { byIdParams, cancelAcceptedSchema } from '../schemas/onboardings';
import { BY_ID, json, problems, WRITE } from '../schemas/responses';
import { onboardingPath } from './start';

/** A message to one onboarding: its id and Idempotency-Key, and what any message can meet. */
const message = <P extends z.ZodObject, B extends z.ZodType, R extends z.ZodType>(
  operationId: string,
  summary: string,
  params: P,
  body: B,
  result: R,
) => ({
  operationId,
  summary,
  tags: ['messages'],
  params,
  headers: messageHeaders,
  body,
  response: {
    200: json('The update’s result', result),
    ...problems(...WRITE, ...BY_ID, 409, 422, 504),
  },
});

export const messageRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const answerRfi = message(
    'answerRfi',
    'Answer an RFI (answerRfi update)',
    byIdParams.extend(rfiIdParams.shape),
    rfiAnswerRequestSchema,
    rfiAnswerResultSchema,
  );
  app.post(
    '/v1/onboardings/:id/rfis/:rfiId/answer',
    { schema: answerRfi, config: { auth: 'write' } },
    async (request) => {
      const key = idempotencyKeyOf(request.headers);
      const answer = { ...request.body, rfiId: request.params.rfiId } as RfiAnswer;
      const foreign = answer.document && uploadOwnershipProblem(answer.document.source, request.params.id);
      if (foreign) {
        throw invalidRequest(`document.source ${foreign}`, [
          { path: 'document.source', error: 'invalid_value', message: foreign },
        ]);
      }
      const handle = await findRunningOnboarding(ctx, request.params.id);
      const at = { onboardingId: handle.workflowId, route: `rfis/${answer.rfiId}/answer` };
      const { request: req, updateId } = messageRequest(ctx.idKey, at, key, request.body);
      return sendUpdate(ctx, () =>
        handle.executeUpdate(answerRfiUpdate, { args: [{ ...answer, request: req }], updateId }),
      );
    },
  );

  const sections = message(
    'provideSectionData',
    'Add or correct section data (provideSectionData update)',
    byIdParams,
    sectionsRequestSchema,
    sectionDataResultSchema,
  );
  // The same rule the workflow's validator applies, refused here before a round trip.
  const invalidBody = { failureType: MessageRejection.SectionsNotAccepted, what: 'the section data' };
  app.post(
    '/v1/onboardings/:id/sections',
    { schema: sections, config: { auth: 'write', invalidBody } },
    async (request) => {
      const key = idempotencyKeyOf(request.headers);
      const update = request.body as SectionDataUpdate;
      const handle = await findRunningOnboarding(ctx, request.params.id);
      const at = { onboardingId: handle.workflowId, route: 'sections' };
      const { request: req, updateId } = messageRequest(ctx.idKey, at, key, request.body);
      return sendUpdate(ctx, () =>
        handle.executeUpdate(provideSectionDataUpdate, { args: [{ ...update, request: req }], updateId }),
      );
    },
  );

  await app.register(cancelRoute, ctx);
};

const cancel = {
  operationId: 'cancelOnboarding',
  summary: 'Cancel (a DRAFT application is cancelled at Circle)',
  tags: ['onboardings'],
  params: byIdParams,
  response: {
    202: json('Cancellation requested', cancelAcceptedSchema),
    ...problems(400, 401, 403, ...BY_ID, 409, 429, 503),
  },
};

/** Cancel takes no body: whatever is sent (any type, or none) is read up to 1 KiB and ignored. */
const cancelRoute: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 }, (_request, _body, done) =>
    done(null, undefined),
  );
  app.post(
    '/v1/onboardings/:id/cancel',
    { schema: cancel, config: { auth: 'write' } },
    async (request, reply) => {
      // Cancelling an ended onboarding changes nothing: 409 says so rather than pretend.
      const handle = await findRunningOnboarding(ctx, request.params.id);
      await callTemporal(ctx, () => handle.cancel());
      const self = onboardingPath(handle.workflowId);
      return reply
        .code(202)
        .header('location', self)
        .send({ id: handle.workflowId, cancelRequested: true, links: { self } });
    },
  );
};
