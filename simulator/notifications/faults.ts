// Faults for outgoing notifications: each rule applies to the next `times` notifications published
// (the first rule with some left wins), so a test can script exactly what a receiver must withstand.
import { z } from 'zod';

export const NOTIFICATION_FAULT_MODES = [
  'duplicate',
  'reorder',
  'delay',
  'forge',
  'other-topic',
  'stale',
] as const;
export type NotificationFaultMode = (typeof NOTIFICATION_FAULT_MODES)[number];

/** The topic an `other-topic` message claims: validly signed, but not Circle's account. */
export const OTHER_TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:someone-else';
/** How far back a `stale` message's Timestamp is. */
export const STALE_AGE_MS = 2 * 60 * 60 * 1000;

export const notificationFaultSchema = z
  .object({
    mode: z.enum(NOTIFICATION_FAULT_MODES),
    times: z.number().int().min(1).default(1),
    delayMs: z.number().int().min(0).max(60_000).optional(),
  })
  .strict()
  .refine((r) => r.mode !== 'delay' || r.delayMs !== undefined, {
    message: 'delay rules need delayMs',
    path: ['delayMs'],
  })
  .refine((r) => r.mode === 'delay' || r.delayMs === undefined, {
    message: 'delayMs only applies to delay rules',
    path: ['delayMs'],
  });

export const notificationFaultsSchema = z.array(notificationFaultSchema);

export type NotificationFaultRule = z.output<typeof notificationFaultSchema>;
export type NotificationFaultInput = z.input<typeof notificationFaultSchema>;

export interface ActiveNotificationFault extends NotificationFaultRule {
  /** Notifications it will still apply to. */
  remaining: number;
  applied: number;
}

export class NotificationFaults {
  private rules: ActiveNotificationFault[] = [];

  set(rules: readonly NotificationFaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, remaining: r.times, applied: 0 }));
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveNotificationFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The fault for the next notification, with its counters updated. */
  take(): ActiveNotificationFault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0);
    if (!rule) return undefined;
    rule.remaining--;
    rule.applied++;
    return { ...rule };
  }
}
