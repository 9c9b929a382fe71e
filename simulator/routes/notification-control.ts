// HTTP form of the notification controls under /_sim/notifications: the delivery log, replays, and the
// notification faults.
import type { FastifyInstance } from 'fastify';
import type { SimulatorControl } from '../control';
import type { NotificationFaultInput } from '../notifications/faults';

export function notificationControlRoutes(app: FastifyInstance, control: SimulatorControl): void {
  app.get('/_sim/notifications', async () => ({ deliveries: control.notifications() }));

  app.post<{ Params: { messageId: string } }>(
    '/_sim/notifications/:messageId/redeliver',
    async (request) => ({
      deliveries: control.redeliverNotification(request.params.messageId),
    }),
  );

  app.get('/_sim/notifications/faults', async () => ({ rules: control.notificationFaults() }));
  app.put('/_sim/notifications/faults', async (request) => ({
    rules: control.setNotificationFaults(request.body as NotificationFaultInput[]),
  }));
  app.delete('/_sim/notifications/faults', async () => {
    control.clearNotificationFaults();
    return { rules: [] };
  });
}
