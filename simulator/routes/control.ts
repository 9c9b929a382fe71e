// HTTP form of SimulatorControl under /_sim (no authentication; never subject to faults).
import type { FastifyInstance } from 'fastify';
import { parseOrThrow, reviewPlanSchema, type ReviewRequest, type SimulatorControl } from '../control';
import type { Delays } from '../context';
import type { FaultRuleInput } from '../faults';
import type { IdempotencyModesInput } from '../idempotency-modes';
import type { RealismBody, RealismModesInput } from '../realism';

type AppParams = { Params: { applicationId: string } };

export function controlRoutes(app: FastifyInstance, control: SimulatorControl): void {
  app.get('/_sim/state', async () => control.state());

  app.post('/_sim/reset', async () => {
    control.reset();
    return { reset: true };
  });

  app.get('/_sim/faults', async () => ({ rules: control.faults() }));
  app.put('/_sim/faults', async (request) => ({
    rules: control.setFaults(request.body as FaultRuleInput[]),
  }));
  app.delete('/_sim/faults', async () => {
    control.clearFaults();
    return { rules: [] };
  });

  app.get('/_sim/idempotency', async () => control.idempotency());
  app.put('/_sim/idempotency', async (request) =>
    control.setIdempotency((request.body ?? {}) as IdempotencyModesInput),
  );
  app.post('/_sim/idempotency/expire', async () => control.expireKeys());

  app.get('/_sim/delays', async () => control.delays());
  app.put('/_sim/delays', async (request) => control.setDelays((request.body ?? {}) as Partial<Delays>));

  app.get('/_sim/realism', async () => control.realism());
  app.put('/_sim/realism', async (request) => control.setRealism((request.body ?? {}) as RealismBody));
  app.get<AppParams>('/_sim/applications/:applicationId/realism', async (request) =>
    control.applicationRealism(request.params.applicationId),
  );
  app.put<AppParams>('/_sim/applications/:applicationId/realism', async (request) =>
    control.setApplicationRealism(request.params.applicationId, (request.body ?? {}) as RealismModesInput),
  );

  app.post<AppParams>('/_sim/applications/:applicationId/review', async (request) =>
    control.review(request.params.applicationId, request.body as ReviewRequest),
  );

  app.put<AppParams>('/_sim/applications/:applicationId/review-plan', async (request) => {
    const { outcomes } = parseOrThrow(reviewPlanSchema, request.body);
    return control.setReviewPlan(request.params.applicationId, outcomes);
  });
}
