// Sends one delivery the way SNS does: POST, anything but 200 is retried after each delay of the
// retry policy, then given up. Never throws: the outcome is written to the delivery record.
import { setTimeout as sleep } from 'node:timers/promises';
import { update, type Delivery, type SentMessage } from './deliveries';
import { describeError, exchange } from './transport';

export interface SendOptions {
  /** Waits before each retry; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  /** Aborted on reset and close: pending attempts stop and the delivery is `cancelled`. */
  signal: AbortSignal;
  /** Checked before each attempt (e.g. the subscription still exists); false: `cancelled`. */
  wanted: () => boolean;
  /** Wait before the first attempt (the `delay` fault). */
  delayMs?: number;
}

export async function send(delivery: Delivery, sent: SentMessage, options: SendOptions): Promise<void> {
  const { signal } = options;
  if (options.delayMs && !(await pause(options.delayMs, signal))) return cancel(delivery);
  for (let retry = 0; ; retry++) {
    if (signal.aborted || !options.wanted()) return cancel(delivery);
    update(delivery, { state: 'sending', attempts: delivery.attempts + 1 });
    try {
      const status = await exchange(
        sent.endpoint,
        { method: 'POST', headers: sent.headers, body: sent.body },
        signal,
      );
      update(delivery, { lastStatus: status, lastError: status === 200 ? null : `HTTP ${status}` });
      if (status === 200) return update(delivery, { state: 'delivered' });
    } catch (err) {
      if (signal.aborted) return cancel(delivery);
      update(delivery, { lastStatus: null, lastError: describeError(err) });
    }
    const wait = options.retryDelaysMs[retry];
    if (wait === undefined) return update(delivery, { state: 'failed' });
    update(delivery, { state: 'retrying' });
    if (!(await pause(wait, signal))) return cancel(delivery);
  }
}

/** False when aborted. The timer does not keep the process alive. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal, ref: false });
    return true;
  } catch {
    return false;
  }
}

function cancel(delivery: Delivery): void {
  update(delivery, { state: 'cancelled' });
}
