// Confirms an SNS subscription by fetching the SubscribeURL of a verified SubscriptionConfirmation.
// The message is signed, so the URL is SNS's; it is still held to https on an SNS host (or a trusted
// local origin) so that this service never makes a request elsewhere on anyone's behalf.
import axios, { type AxiosInstance } from 'axios';
import { SNS_CERT_HOST } from './sns';

export interface SubscriptionConfirmerOptions {
  /** Origins besides SNS's allowed (only the local simulator's, e.g. `http://127.0.0.1:4010`). */
  trustedOrigins?: readonly string[];
  /** Default 5 s. */
  timeoutMs?: number;
  http?: AxiosInstance;
}

export class SubscriptionNotConfirmed extends Error {
  override readonly name = 'SubscriptionNotConfirmed';
}

export function createSubscriptionConfirmer({
  trustedOrigins = [],
  timeoutMs = 5000,
  http = axios,
}: SubscriptionConfirmerOptions = {}): (subscribeUrl: string) => Promise<void> {
  const origins = new Set(trustedOrigins.map((o) => new URL(o).origin));
  return async (subscribeUrl) => {
    let url: URL;
    try {
      url = new URL(subscribeUrl);
    } catch {
      throw new SubscriptionNotConfirmed('SubscribeURL is not a URL');
    }
    const sns = url.protocol === 'https:' && url.port === '' && SNS_CERT_HOST.test(url.hostname);
    if (!sns && !origins.has(url.origin)) {
      throw new SubscriptionNotConfirmed('SubscribeURL is not an https URL on an SNS host');
    }
    let status: number;
    try {
      const res = await http.get(url.href, {
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        timeout: timeoutMs,
        maxRedirects: 0,
        maxContentLength: 64 * 1024,
        validateStatus: () => true,
      });
      status = res.status;
    } catch (err) {
      const code = axios.isAxiosError(err) ? (err.code ?? 'network error') : 'network error';
      throw new SubscriptionNotConfirmed(`SubscribeURL could not be fetched (${code})`, { cause: err });
    }
    if (status < 200 || status >= 300) {
      throw new SubscriptionNotConfirmed(`SubscribeURL answered HTTP ${status}`);
    }
  };
}
