// Circle's v1 notifications, simulated end to end: subscriptions with SNS's handshake (HEAD probe,
// signed SubscriptionConfirmation, SubscribeURL), signed onboarding notifications to confirmed
// subscriptions, the notification faults, and replays. Deliveries run in the background: they never
// delay or fail the request (or timer) that caused them; their outcome is in the delivery log.
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { ApplicationStatus } from '../circle-enums';
import { ApiError, circleFail } from '../errors';
import { DeliveryLog, update, type Delivery, type SentMessage } from './deliveries';
import { parseEndpoint } from './endpoint';
import { NotificationFaults, OTHER_TOPIC_ARN, STALE_AGE_MS, type ActiveNotificationFault } from './faults';
import { confirmationMessage, notificationFor, notificationPayload, wireBody, wireHeaders } from './messages';
import { send } from './sender';
import { forgeSignature, type SignatureVersion, type SnsSigner } from './signer';
import { SANDBOX_TOPIC_ARN, type SnsMessage } from './sns-wire';
import { SubscriptionStore, type Subscription } from './subscriptions';
import { describeError, exchange } from './transport';

export interface NotifierConfig {
  /** The partner's id, sent as `clientId` in every notification. */
  clientId: string;
  signatureVersion: SignatureVersion;
  retryDelaysMs: readonly number[];
}

/** A notification held back by `reorder` until the next one has been delivered. */
type Held = () => void;

export class Notifier {
  readonly subscriptions = new SubscriptionStore();
  readonly faults = new NotificationFaults();
  private log = new DeliveryLog();
  private held: Held[] = [];
  /** Replaced on reset, aborted on close: in-flight deliveries of the old state stop. */
  private run = newRun();
  /** The simulator's own URL (known once it listens): SubscribeURL, SigningCertURL, UnsubscribeURL. */
  baseUrl = '';

  constructor(
    private readonly config: NotifierConfig,
    readonly signer: SnsSigner,
    private readonly closing: AbortSignal,
    private readonly onError: (err: unknown) => void,
  ) {
    closing.addEventListener('abort', () => this.run.abort(), { once: true });
  }

  get certUrl(): string {
    return `${this.baseUrl}/_sim/sns/${this.signer.certName}`;
  }

  /**
   * Circle's subscribe: checks the endpoint and the limit, probes the endpoint with HEAD (anything but
   * 200: 400 and nothing is stored), stores the subscription `pending` and sends the confirmation.
   */
  async subscribe(rawEndpoint: unknown): Promise<Subscription> {
    const url = parseEndpoint(rawEndpoint);
    this.subscriptions.checkLimit();
    const signal = this.run.signal;
    let status: number;
    try {
      status = await exchange(url.href, { method: 'HEAD' }, signal);
    } catch (err) {
      throw probeFailed(url, describeError(err));
    }
    if (status !== 200) throw probeFailed(url, `HTTP ${status}`);
    if (signal.aborted) throw circleFail(503, 'The simulator was reset or closed during the HEAD probe.');
    // Shown as given (the URL's own form may add a trailing slash); `url` proved it is valid.
    const subscription = this.subscriptions.add(String(rawEndpoint));
    this.sendConfirmation(subscription);
    return subscription;
  }

  /** SubscribeURL: confirms the subscription holding this token. */
  confirm(token: string): Subscription {
    const s = this.subscriptions.confirm(token);
    if (!s) throw new ApiError(404, { code: 404, message: 'Not found: no subscription holds this token.' });
    return s;
  }

  /** UnsubscribeURL. */
  unsubscribe(subscriptionArn: string): Subscription {
    const s = this.subscriptions.unsubscribe(subscriptionArn);
    if (!s) throw new ApiError(404, { code: 404, message: 'Not found: no such subscription.' });
    return s;
  }

  /** Called on every status change; sends the notification Circle sends for it, if any. Never throws. */
  applicationChanged(applicationId: string, previous: ApplicationStatus, status: ApplicationStatus): void {
    try {
      const change = notificationFor(previous, status);
      if (!change) return;
      const subscriptions = this.subscriptions.confirmed();
      // Nothing is sent, so no message exists and no fault is spent.
      if (subscriptions.length === 0) return;
      const payload = notificationPayload(this.config.clientId, applicationId, status, change);
      this.publish(JSON.stringify(payload), change.type, applicationId, subscriptions, this.faults.take());
    } catch (err) {
      this.onError(err);
    }
  }

  deliveries(): Delivery[] {
    return this.log.list();
  }

  /** Sends a stored message again, byte for byte, to every endpoint it went to (a replay). */
  redeliver(messageId: string): Delivery[] {
    const sent = this.log.sentFor(messageId);
    if (sent.length === 0) {
      throw new ApiError(404, { code: 404, message: `Not found: no message ${messageId} was sent.` });
    }
    const signal = this.run.signal;
    return sent.map((s) => {
      const delivery = this.log.add(s, messageId, null, true);
      this.background(send(delivery, s, { ...this.sendOptions(signal), wanted: () => true }));
      return { ...delivery };
    });
  }

  reset(): void {
    this.run.abort();
    this.run = newRun();
    if (this.closing.aborted) this.run.abort();
    this.subscriptions.clear();
    this.faults.clear();
    this.log = new DeliveryLog();
    this.held = [];
  }

  private sendConfirmation(subscription: Subscription): void {
    const base = this.baseUrl;
    const query = new URLSearchParams({
      Action: 'ConfirmSubscription',
      TopicArn: SANDBOX_TOPIC_ARN,
      Token: subscription.token,
    });
    const unsigned = confirmationMessage(
      randomUUID(),
      SANDBOX_TOPIC_ARN,
      subscription.token,
      `${base}/_sim/sns/confirm?${query}`,
    );
    const message = this.signer.sign(unsigned, this.config.signatureVersion, this.certUrl);
    const sent = this.sentMessage(message, subscription, null);
    const delivery = this.log.add(sent, message.MessageId, null);
    const wanted = () => this.subscriptions.get(subscription.id)?.status === 'pending';
    this.background(send(delivery, sent, { ...this.sendOptions(this.run.signal), wanted }));
  }

  private publish(
    payload: string,
    notificationType: Delivery['notificationType'],
    applicationId: string,
    subscriptions: readonly Subscription[],
    fault: ActiveNotificationFault | undefined,
  ): void {
    const mode = fault?.mode ?? null;
    const timestamp = new Date(Date.now() - (mode === 'stale' ? STALE_AGE_MS : 0)).toISOString();
    let message = this.signer.sign(
      {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: mode === 'other-topic' ? OTHER_TOPIC_ARN : SANDBOX_TOPIC_ARN,
        Message: payload,
        Timestamp: timestamp,
      },
      this.config.signatureVersion,
      this.certUrl,
    );
    if (mode === 'forge') message = { ...message, Signature: forgeSignature(message.Signature) };

    const signal = this.run.signal;
    const options = this.sendOptions(signal);
    const records: Delivery[] = [];
    const jobs = subscriptions.map((subscription) => {
      // UnsubscribeURL is not signed, so it can differ per subscription as SNS's does.
      const query = new URLSearchParams({ Action: 'Unsubscribe', SubscriptionArn: subscription.arn });
      const own = { ...message, UnsubscribeURL: `${this.baseUrl}/_sim/sns/unsubscribe?${query}` };
      const sent = { ...this.sentMessage(own, subscription, applicationId), notificationType };
      const wanted = () => this.subscriptions.get(subscription.id)?.status === 'confirmed';
      const first = this.log.add(sent, message.MessageId, mode);
      const second = mode === 'duplicate' ? this.log.add(sent, message.MessageId, mode) : undefined;
      records.push(first, ...(second ? [second] : []));
      return async () => {
        await send(first, sent, { ...options, wanted, delayMs: fault?.delayMs });
        if (second) await send(second, sent, { ...options, wanted });
      };
    });
    const deliverAll = () => Promise.all(jobs.map((job) => job())).then(() => undefined);

    // Messages held by `reorder` go out once this one has been delivered (or at once, if this one is
    // held too).
    const released = this.held.splice(0);
    const releaseHeld = () => {
      if (signal.aborted) return;
      for (const h of released) h();
    };
    if (mode === 'reorder') {
      for (const d of records) update(d, { state: 'held' });
      this.held.push(() => this.background(deliverAll()));
      releaseHeld();
      return;
    }
    this.background(deliverAll().finally(releaseHeld));
  }

  private sentMessage(
    message: SnsMessage,
    subscription: Subscription,
    applicationId: string | null,
  ): SentMessage {
    return {
      subscriptionId: subscription.id,
      endpoint: subscription.endpoint,
      body: wireBody(message),
      headers: wireHeaders(message, subscription.arn),
      type: message.Type,
      notificationType: null,
      applicationId,
    };
  }

  private sendOptions(signal: AbortSignal) {
    return { retryDelaysMs: this.config.retryDelaysMs, signal };
  }

  private background(work: Promise<void>): void {
    work.catch((err: unknown) => this.onError(err));
  }
}

/** Every delivery in flight listens to the run's signal: many at once is normal, not a leak. */
function newRun(): AbortController {
  const run = new AbortController();
  setMaxListeners(0, run.signal);
  return run;
}

function probeFailed(url: URL, problem: string): ApiError {
  const message = `endpoint ${url.href} did not answer the HEAD probe with 200 (${problem}); nothing was subscribed.`;
  return circleFail(400, message, [{ path: 'endpoint', error: 'endpoint_unreachable', message }]);
}
