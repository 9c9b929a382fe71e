// Circle's v1 notification subscriptions (`/v1/notifications/subscriptions`), behind the Circle API key.
import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context';
import { circleFail } from '../errors';
import { subscriptionView } from '../notifications/subscriptions';

export const SUBSCRIPTIONS = '/v1/notifications/subscriptions';

export function notificationRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post(SUBSCRIPTIONS, async (request) => {
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw circleFail(400, 'Body must be a JSON object: {"endpoint": "https://..."}');
    }
    const subscription = await ctx.notifications.subscribe((body as { endpoint?: unknown }).endpoint);
    return { data: subscriptionView(subscription) };
  });

  app.get(SUBSCRIPTIONS, async () => ({
    data: ctx.notifications.subscriptions.list().map(subscriptionView),
  }));

  app.delete<{ Params: { id: string } }>(`${SUBSCRIPTIONS}/:id`, async (request) => {
    ctx.notifications.subscriptions.remove(request.params.id);
    return { data: {} };
  });
}
