// POST /v1/onboardings: start an onboarding, or join the one running for the same client and input.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  OnboardingFailure,
  OnboardingStartRefused,
  onboardingWorkflowId,
  StartRefusal,
  startOnboarding,
  type OnboardingInput,
} from '../../contract';
import { uploadOwnershipProblem } from '../../documents/uploads';
import type { RouteContext } from '../context';
import { callTemporal } from '../onboardings';
import { idempotencyKeyOf } from '../idempotency';
import { Problem, ServiceProblem } from '../problems';
import { startHeaders } from '../schemas/messages';
import { startAcceptedSchema } from '../schemas/onboardings';
import { json, problem, problems, WRITE } from '../schemas/responses';

export const onboardingPath = (id: string) => `/v1/onboardings/${encodeURIComponent(id)}`;

const schema = (body: RouteContext['inputSchema']) => ({
  operationId: 'startOnboarding',
  summary: 'Start an onboarding (or join the one running for the same client and input)',
  tags: ['onboardings'],
  headers: startHeaders,
  body,
  response: {
    202: {
      ...json('Started or joined', startAcceptedSchema),
      headers: { Location: { type: 'string', description: 'The onboarding' } },
    },
    ...problems(...WRITE),
    409: problem(
      'Running with a different input (OnboardingInputConflict), or already completed (OnboardingAlreadyCompleted)',
    ),
    422: problem(
      'The Idempotency-Key already started an onboarding of another client or with another input (IdempotencyKeyReused)',
    ),
  },
});

export const startRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const config = {
    auth: 'write',
    invalidBody: { failureType: OnboardingFailure.InvalidInput, what: 'the onboarding input' },
  } as const;
  app.post('/v1/onboardings', { schema: schema(ctx.inputSchema), config }, async (request, reply) => {
    const key = idempotencyKeyOf(request.headers);
    // The workflow gets the input as sent (it applies the defaults itself), as the CLI does.
    const input = request.body as OnboardingInput;
    // A file uploaded to another onboarding is not this one's to read (the worker refuses it too).
    const id = onboardingWorkflowId(input.client, ctx.idKey);
    const foreign = (input.documents ?? []).flatMap((d, i) => {
      const problem = uploadOwnershipProblem(d.source, id);
      return problem ? [{ path: `documents.${i}.source`, error: 'invalid_value', message: problem }] : [];
    });
    if (foreign.length) {
      throw new Problem(
        400,
        OnboardingFailure.InvalidInput,
        `the onboarding input is not valid: ${foreign.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
        foreign,
      );
    }
    try {
      const handle = await callTemporal(ctx, () =>
        startOnboarding(ctx.client, input, { taskQueue: ctx.taskQueue, idKey: ctx.idKey, requestId: key }),
      );
      const self = onboardingPath(handle.workflowId);
      return reply.code(202).header('location', self).send({ id: handle.workflowId, links: { self } });
    } catch (err) {
      if (err instanceof OnboardingStartRefused) {
        // A reused key is the request's own fault (422, as on the message routes); a conflict is the state's.
        throw new Problem(err.type === StartRefusal.KeyReused ? 422 : 409, err.type, err.message);
      }
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new Problem(
          409,
          ServiceProblem.OnboardingAlreadyCompleted,
          `the onboarding of this client (${id}) already completed; see GET ${onboardingPath(id)}`,
        );
      }
      throw err;
    }
  });
};
