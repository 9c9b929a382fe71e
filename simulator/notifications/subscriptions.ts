// Circle's v1 notification subscriptions: pending until the endpoint fetches its SubscribeURL, then
// confirmed; at most SUBSCRIPTION_LIMIT at a time (Circle's sandbox limit).
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError, circleFail } from '../errors';
import { SANDBOX_TOPIC_ARN } from './sns-wire';

export const SUBSCRIPTION_LIMIT = 3;

export interface Subscription {
  id: string;
  endpoint: string;
  status: 'pending' | 'confirmed';
  /** SNS's subscription ARN: the topic's plus an id. */
  arn: string;
  /** Proves a confirmation came from the endpoint that received it. */
  token: string;
  createdAt: string;
}

/** What Circle's API shows of a subscription. */
export function subscriptionView(s: Subscription) {
  return {
    id: s.id,
    endpoint: s.endpoint,
    subscriptionDetails: [{ url: SANDBOX_TOPIC_ARN, status: s.status }],
  };
}

export class SubscriptionStore {
  private readonly byId = new Map<string, Subscription>();

  list(): Subscription[] {
    return [...this.byId.values()];
  }

  get(id: string): Subscription | undefined {
    return this.byId.get(id);
  }

  confirmed(): Subscription[] {
    return this.list().filter((s) => s.status === 'confirmed');
  }

  /** 429 when the limit is reached (checked before the probe and again when adding). */
  checkLimit(): void {
    if (this.byId.size >= SUBSCRIPTION_LIMIT) {
      throw circleFail(
        429,
        `LimitExceeded: at most ${SUBSCRIPTION_LIMIT} notification subscriptions; delete one before adding another.`,
      );
    }
  }

  add(endpoint: string): Subscription {
    this.checkLimit();
    const id = randomUUID();
    const s: Subscription = {
      id,
      endpoint,
      status: 'pending',
      arn: `${SANDBOX_TOPIC_ARN}:${id}`,
      token: randomBytes(32).toString('hex'),
      createdAt: new Date().toISOString(),
    };
    this.byId.set(id, s);
    return s;
  }

  /** Circle refuses to delete a subscription whose confirmation is still pending. */
  remove(id: string): void {
    const s = this.byId.get(id);
    if (!s) throw new ApiError(404, { code: 404, message: 'Not found' });
    if (s.status === 'pending') {
      throw circleFail(409, `Subscription ${id} is still pending confirmation; it cannot be deleted yet.`);
    }
    this.byId.delete(id);
  }

  /** The subscription confirmed by this token (confirming twice is harmless), if any. */
  confirm(token: string): Subscription | undefined {
    const s = this.list().find((x) => x.token === token);
    if (s) s.status = 'confirmed';
    return s;
  }

  /** SNS's UnsubscribeURL: removes the subscription whatever its status. */
  unsubscribe(arn: string): Subscription | undefined {
    const s = this.list().find((x) => x.arn === arn);
    if (s) this.byId.delete(s.id);
    return s;
  }

  clear(): void {
    this.byId.clear();
  }
}
