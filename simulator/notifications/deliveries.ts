// The record of every message sent to a receiver (one entry per message and endpoint, duplicates and
// replays included) and the bytes sent, so a message can be replayed exactly. Capped like the request
// log: the oldest go first.
import { randomUUID } from 'node:crypto';
import type { NotificationFaultMode } from './faults';
import type { OnboardingNotificationType, SnsMessageType } from './sns-wire';

export type DeliveryState = 'held' | 'queued' | 'sending' | 'retrying' | 'delivered' | 'failed' | 'cancelled';

export interface Delivery {
  deliveryId: string;
  messageId: string;
  type: SnsMessageType;
  notificationType: OnboardingNotificationType | null;
  applicationId: string | null;
  subscriptionId: string;
  endpoint: string;
  /** The fault that shaped this delivery, if any. */
  fault: NotificationFaultMode | null;
  /** Sent again by `redeliver`, byte for byte. */
  replay: boolean;
  state: DeliveryState;
  attempts: number;
  /** The receiver's last HTTP status; null before an answer or when the connection failed. */
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Exactly what went to one endpoint for one message. */
export interface SentMessage {
  subscriptionId: string;
  endpoint: string;
  body: string;
  headers: Record<string, string>;
  type: SnsMessageType;
  notificationType: OnboardingNotificationType | null;
  applicationId: string | null;
}

const CAP = 5000;

export class DeliveryLog {
  private deliveries: Delivery[] = [];
  /** messageId -> subscriptionId -> what was sent. */
  private readonly sent = new Map<string, Map<string, SentMessage>>();

  add(sent: SentMessage, messageId: string, fault: NotificationFaultMode | null, replay = false): Delivery {
    const at = new Date().toISOString();
    const delivery: Delivery = {
      deliveryId: randomUUID(),
      messageId,
      type: sent.type,
      notificationType: sent.notificationType,
      applicationId: sent.applicationId,
      subscriptionId: sent.subscriptionId,
      endpoint: sent.endpoint,
      fault,
      replay,
      state: 'queued',
      attempts: 0,
      lastStatus: null,
      lastError: null,
      createdAt: at,
      updatedAt: at,
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > CAP + 500) this.deliveries = this.deliveries.slice(-CAP);
    let byEndpoint = this.sent.get(messageId);
    if (!byEndpoint) {
      byEndpoint = new Map();
      this.sent.set(messageId, byEndpoint);
      if (this.sent.size > CAP) this.sent.delete(this.sent.keys().next().value!);
    }
    if (!byEndpoint.has(sent.subscriptionId)) byEndpoint.set(sent.subscriptionId, sent);
    return delivery;
  }

  /** What was sent for a message, one entry per endpoint. */
  sentFor(messageId: string): SentMessage[] {
    return [...(this.sent.get(messageId)?.values() ?? [])];
  }

  list(): Delivery[] {
    return this.deliveries.slice(-CAP).map((d) => ({ ...d }));
  }
}

export function update(delivery: Delivery, change: Partial<Delivery>): void {
  Object.assign(delivery, change, { updatedAt: new Date().toISOString() });
}
