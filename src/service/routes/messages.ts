// Messages to a running onboarding: answer an RFI, give section data, cancel. Each validates the body
// as the CLI does, then sends the update and replies with its result; a refusal is a 422 problem with
// the refusal's type (RfiAnswerRejected, InvalidRfiAnswer, RfiNotOpen, SectionsNotAccepted, ...).
import type { FastifyPluginAsync } from 'fastify';
import {
  answerRfiUpdate,
  documentReferenceProblems,
  MessageRejection,
  provideSectionDataUpdate,
  sectionsShapeProblem,
  type RfiAnswer,
  type SectionDataUpdate,
} from '../../contract';
import { uploadOwnershipProblem } from '../../documents/uploads';
import type { RouteContext } from '../context';
import { callTemporal, findRunningOnboarding, sendUpdate } from '../onboardings';
import { idempotencyKeyOf, messageRequest } from '../idempotency';
import { invalidRequest, Problem } from '../problems';
import { isPlainObject } from '../../shared/plain-object';
import { onboardingPath } from './start';

const RFI_ID = /^[A-Za-z0-9_-]{1,128}$/;

function rfiAnswerOf(rfiId: string, body: unknown): RfiAnswer {
  if (!RFI_ID.test(rfiId)) {
    throw invalidRequest('invalid RFI id', [
      { path: 'rfiId', error: 'invalid_format', message: 'must be the rfiId shown in progress' },
    ]);
  }
  const shape = 'the body must be { "answer": { <field>: <value> } } or { "document": { "source": ... } }';
  if (!isPlainObject(body))
    throw invalidRequest(shape, [{ path: '', error: 'invalid_type', message: shape }]);
  const extra = Object.keys(body).filter((k) => k !== 'answer' && k !== 'document');
  const { answer, document } = body;
  if (extra.length || (answer === undefined) === (document === undefined)) {
    throw invalidRequest(shape, [
      ...extra.map((k) => ({ path: k, error: 'unknown_field', message: 'is not answer or document' })),
      ...(extra.length
        ? []
        : [{ path: '', error: 'invalid_value', message: 'give answer or document, not both' }]),
    ]);
  }
  if (answer !== undefined) {
    if (!isPlainObject(answer) || Object.keys(answer).length === 0) {
      throw invalidRequest('answer must be a non-empty object keyed by the RFI field', [
        {
          path: 'answer',
          error: 'invalid_type',
          message: 'must be an object, e.g. {"website":"https://..."}',
        },
      ]);
    }
    return { rfiId, answer };
  }
  const problems = documentReferenceProblems(document, { datumNameOptional: true });
  if (problems.length) {
    throw invalidRequest(
      'document is not a valid document reference',
      problems.map((p) => ({
        path: p.path ? `document.${p.path}` : 'document',
        error: 'invalid_value',
        message: p.message,
      })),
    );
  }
  return { rfiId, document: document as RfiAnswer['document'] };
}

function sectionsOf(body: unknown): SectionDataUpdate {
  const sections = isPlainObject(body) ? body.sections : undefined;
  const extra = isPlainObject(body) ? Object.keys(body).filter((k) => k !== 'sections') : [];
  const problem = sectionsShapeProblem(sections, { allowNull: true });
  if (problem || extra.length) {
    // The same rule the workflow's validator applies; refused here before a round trip.
    throw new Problem(400, MessageRejection.SectionsNotAccepted, problem ?? 'the body holds only sections', [
      ...(problem ? [{ path: 'sections', error: 'invalid_value', message: problem }] : []),
      ...extra.map((k) => ({ path: k, error: 'unknown_field', message: 'is not sections' })),
    ]);
  }
  return { sections: sections as SectionDataUpdate['sections'] };
}

export const messageRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  app.post<{ Params: { id: string; rfiId: string } }>(
    '/v1/onboardings/:id/rfis/:rfiId/answer',
    { config: { auth: 'write' } },
    async (request) => {
      const key = idempotencyKeyOf(request.headers);
      const answer = rfiAnswerOf(request.params.rfiId, request.body);
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

  app.post<{ Params: { id: string } }>(
    '/v1/onboardings/:id/sections',
    { config: { auth: 'write' } },
    async (request) => {
      const key = idempotencyKeyOf(request.headers);
      const update = sectionsOf(request.body);
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

/** Cancel takes no body: whatever is sent (any type, or none) is read up to 1 KiB and ignored. */
const cancelRoute: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 }, (_request, _body, done) =>
    done(null, undefined),
  );
  app.post<{ Params: { id: string } }>(
    '/v1/onboardings/:id/cancel',
    { config: { auth: 'write' } },
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
